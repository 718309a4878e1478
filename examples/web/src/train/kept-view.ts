// The Train view's "Kept models" controls: models kept in IndexedDB (kept.ts), listed newest
// first, loaded through the view's own load path, or deleted.
import { forgetModel, keepModel, keptModel, keptModels, type KeptModel } from './kept.ts';

export interface KeptControls {
  /** Errors go to the view's alert region. */
  fail(message: string): void;
  /** Sends a model to the worker, evaluated on the chosen data set; throws what stops it. */
  load(modelJson: Record<string, unknown>, weightData: Uint8Array): void;
  /** A line of news under the model buttons. */
  info(text: string): void;
}

/** Wires the select and buttons named kept, loadKept and forget inside `root`; returns keep(). */
export function mountKept(root: HTMLElement, view: KeptControls): { keep(model: Omit<KeptModel, 'id' | 'savedAt'>): Promise<void> } {
  const select = root.querySelector<HTMLSelectElement>('[name="kept"]')!;
  const loadButton = root.querySelector<HTMLButtonElement>('[name="loadKept"]')!;
  const forgetButton = root.querySelector<HTMLButtonElement>('[name="forget"]')!;
  const describe = (m: Omit<KeptModel, 'modelJson' | 'weightData'>) => `${m.name} on ${m.dataset} (${m.classes.length} classes), test accuracy ${m.testAccuracy.toFixed(3)}, ${new Date(m.savedAt).toLocaleString()}`;
  const list = async () => {
    try {
      const all = await keptModels();
      select.replaceChildren(...all.map((m) => Object.assign(document.createElement('option'), { value: String(m.id), textContent: describe(m) })));
      loadButton.disabled = forgetButton.disabled = all.length === 0;
    } catch (err) {
      view.fail((err as Error).message);
    }
  };
  loadButton.onclick = async () => {
    try {
      const m = await keptModel(Number(select.value));
      view.load(m.modelJson, m.weightData);
    } catch (err) {
      view.fail((err as Error).message);
    }
  };
  forgetButton.onclick = async () => {
    await forgetModel(Number(select.value)).catch((err: Error) => view.fail(err.message));
    await list();
  };
  void list();
  return {
    async keep(model) {
      try {
        const id = await keepModel({ ...model, savedAt: Date.now() });
        await list();
        select.value = String(id);
        view.info(`kept "${model.name}" in this browser`);
      } catch (err) {
        view.fail(`keeping the model failed: ${(err as Error).message}`);
      }
    },
  };
}
