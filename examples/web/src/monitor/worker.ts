// The Monitor's worker: trains the causal beat classifier off the main thread and returns it as
// model.json + weights.bin artifacts (the page streams it on the main thread).
import { ready, toArtifacts } from 'cnn1d';
import { detector, trainDetector } from './detector.ts';

export type MonitorFromWorker =
  | { type: 'epoch'; epoch: number; epochs: number; loss: number }
  | { type: 'trained'; modelJson: Record<string, unknown>; weightData: Uint8Array }
  | { type: 'error'; message: string };

export const DETECTOR_EPOCHS = 20;

const post = (msg: MonitorFromWorker, transfer: Transferable[] = []) => self.postMessage(msg, { transfer });

self.onmessage = async () => {
  try {
    await ready();
    const model = detector(0);
    await trainDetector(model, DETECTOR_EPOCHS, (epoch, loss) => post({ type: 'epoch', epoch, epochs: DETECTOR_EPOCHS, loss }));
    const { modelJson, weightData } = toArtifacts(model);
    model.dispose();
    post({ type: 'trained', modelJson, weightData }, [weightData.buffer]);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
};
