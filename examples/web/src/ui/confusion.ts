// A confusion matrix as an HTML table: rows are true classes, columns predicted ones, cells
// shaded by their share of the row.

export function renderConfusion(container: HTMLElement, classes: string[], confusion: number[][]): void {
  const table = document.createElement('table');
  table.className = 'confusion';
  const head = table.createTHead().insertRow();
  head.insertCell().textContent = 'true \\ predicted';
  for (const c of classes) head.insertCell().textContent = c;
  const body = table.createTBody();
  confusion.forEach((row, i) => {
    const tr = body.insertRow();
    const th = tr.insertCell();
    th.textContent = classes[i];
    th.className = 'label';
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, j) => {
      const td = tr.insertCell();
      td.textContent = String(count);
      const share = count / total;
      td.style.background = i === j ? `rgba(46, 139, 87, ${0.15 + 0.75 * share})` : count > 0 ? `rgba(200, 60, 50, ${0.15 + 0.75 * share})` : '';
      if (share > 0.5) td.style.color = '#fff';
    });
  });
  container.replaceChildren(table);
}
