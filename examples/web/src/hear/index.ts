// Placeholder of the "Hear a digit" view (built on branch `hear`, which replaces this file).

/** Renders the view into its tab panel. */
export function mountHear(container: HTMLElement): void {
  const p = document.createElement('p');
  p.className = 'muted';
  p.textContent = 'Hear a digit: not available in this build.';
  container.replaceChildren(p);
}
