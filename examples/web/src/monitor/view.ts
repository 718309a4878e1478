// The Monitor view (placeholder while it is written).
export function mountMonitor(container: HTMLElement): void {
  container.textContent = 'Monitor: coming.';
}
