// The app's layout and accessibility in Chromium: every view at desktop (1100 px) and phone
// (360 px) width has no horizontal overflow, and axe-core (WCAG 2 A and AA rules) finds no serious
// or critical violation; the tabs follow the WAI-ARIA tabs pattern from the keyboard; the file
// pickers are reachable by Tab. Screenshots of each view at both widths go to test-results/web/
// (docs/screenshots/ holds copies).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hasChromium, open, root, startApp, type App } from './harness.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SHOTS = join(root, 'test-results', 'web');
const VIEWS = [
  { tab: 'Train', view: 'train', ready: () => true },
  { tab: 'Hear a digit', view: 'hear', ready: () => window.__cnn1dHear?.ready === true },
  { tab: 'Monitor', view: 'monitor', ready: () => window.__cnn1dMonitor !== undefined && window.__cnn1dMonitor.state !== 'training' },
];
const WIDTHS = [
  { name: 'desktop', viewport: { width: 1100, height: 900 } },
  { name: 'phone', viewport: { width: 360, height: 740 } },
];

let app: App | undefined;
beforeAll(async () => {
  if (!hasChromium) return;
  app = await startApp();
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);
afterAll(() => app?.close());

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

async function axe(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

describe.runIf(hasChromium)('layout and accessibility', () => {
  for (const { name, viewport } of WIDTHS) {
    test(`${name} (${viewport.width} px): no horizontal overflow and no serious axe violation in any view`, async () => {
      const { page, errors } = await open(app!, '', { viewport });
      for (const { tab, view, ready } of VIEWS) {
        await page.getByRole('tab', { name: tab }).click();
        await page.waitForFunction(ready, null, { timeout: 120_000 });
        const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        expect(widths.scroll, `${view} at ${viewport.width} px`).toBeLessThanOrEqual(widths.client);
        const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious, `${view} at ${viewport.width} px`).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `${view}-${name}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
      await page.context().close();
    }, 240_000);
  }

  test('tabs: arrow keys, Home and End move between tabs, each controlling its visible panel', async () => {
    const { page, errors } = await open(app!);
    const selected = () => page.evaluate(() => {
      const tab = document.querySelector<HTMLElement>('[role=tab][aria-selected=true]')!;
      const panel = document.getElementById(tab.getAttribute('aria-controls')!)!;
      return { tab: tab.textContent, focused: document.activeElement === tab, panelVisible: !panel.hidden, labelledBy: panel.getAttribute('aria-labelledby') === tab.id, inTabOrder: Array.from(document.querySelectorAll<HTMLElement>('[role=tab]')).filter((t) => t.tabIndex === 0).map((t) => t.textContent) };
    });
    await page.getByRole('tab', { name: 'Train' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await selected()).toEqual({ tab: 'Hear a digit', focused: true, panelVisible: true, labelledBy: true, inTabOrder: ['Hear a digit'] });
    await page.keyboard.press('End');
    expect((await selected()).tab).toBe('Monitor');
    await page.keyboard.press('ArrowRight');
    expect((await selected()).tab).toBe('Train');
    await page.keyboard.press('ArrowLeft');
    expect((await selected()).tab).toBe('Monitor');
    await page.keyboard.press('Home');
    expect(await selected()).toEqual({ tab: 'Train', focused: true, panelVisible: true, labelledBy: true, inTabOrder: ['Train'] });
    // Tab from the tabs reaches the data file picker
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'files');
    }
    expect(reached).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
