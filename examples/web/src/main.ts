// The app shell: three tabs, each view mounted the first time it is shown (?view=monitor opens
// another tab first).
import { mountHear } from './hear/index.ts';
import { mountMonitor } from './monitor/view.ts';
import { mountTrain } from './train/view.ts';

const VIEWS: Record<string, (container: HTMLElement) => void> = { train: mountTrain, hear: mountHear, monitor: mountMonitor };
const mounted = new Set<string>();
const tabs = () => Array.from(document.querySelectorAll<HTMLButtonElement>('nav [role=tab]'));

function show(name: string): void {
  if (!Object.hasOwn(VIEWS, name)) name = 'train';
  for (const tab of tabs()) tab.setAttribute('aria-selected', String(tab.dataset.view === name));
  for (const key of Object.keys(VIEWS)) {
    const panel = document.getElementById(`view-${key}`)!;
    panel.hidden = key !== name;
    if (key === name && !mounted.has(key)) {
      mounted.add(key);
      VIEWS[key](panel);
    }
  }
  const url = new URL(location.href);
  url.searchParams.set('view', name);
  history.replaceState(null, '', url);
}

for (const tab of tabs()) tab.addEventListener('click', () => show(tab.dataset.view!));
document.getElementById('isolation')!.textContent = crossOriginIsolated ? 'cross-origin isolated (SharedArrayBuffer available)' : 'not cross-origin isolated';
show(new URL(location.href).searchParams.get('view') ?? 'train');
