// The app shell: three tabs, each view mounted the first time it is shown (?view=monitor opens
// another tab first). The WAI-ARIA tabs pattern (automatic activation): the selected tab alone is
// in the tab order; arrow keys, Home and End move to another tab and show it.
import { mountHear } from './hear/index.ts';
import { mountMonitor } from './monitor/view.ts';
import { mountTrain } from './train/view.ts';

const VIEWS: Record<string, (container: HTMLElement) => void> = { train: mountTrain, hear: mountHear, monitor: mountMonitor };
const mounted = new Set<string>();
const tabs = () => Array.from(document.querySelectorAll<HTMLButtonElement>('nav [role=tab]'));

function show(name: string): void {
  if (!Object.hasOwn(VIEWS, name)) name = 'train';
  for (const tab of tabs()) {
    tab.setAttribute('aria-selected', String(tab.dataset.view === name));
    tab.tabIndex = tab.dataset.view === name ? 0 : -1;
  }
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

for (const tab of tabs()) {
  tab.addEventListener('click', () => show(tab.dataset.view!));
  tab.addEventListener('keydown', (e) => {
    const all = tabs();
    const i = all.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1 + all.length, Home: 0, End: all.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const to = all[next % all.length];
    show(to.dataset.view!);
    to.focus();
  });
}
document.getElementById('isolation')!.textContent = crossOriginIsolated ? 'cross-origin isolated (SharedArrayBuffer available)' : 'not cross-origin isolated';
show(new URL(location.href).searchParams.get('view') ?? 'train');

// offline after the first visit (src/offline/sw.js; built by vite.config.ts)
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((e: unknown) => console.warn('service worker not registered:', e));
}
