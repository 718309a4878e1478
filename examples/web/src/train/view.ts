// The Train view (placeholder while it is written).
export function mountTrain(container: HTMLElement): void {
  container.textContent = 'Train: coming.';
}
