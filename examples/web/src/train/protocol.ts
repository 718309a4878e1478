// Messages between the Train view (main thread) and its worker. Arrays are transferred, not copied.

/** A classification data set, split. Dimension legend: n series, L samples, C channels. */
export interface Split {
  /** [n * L * C] channels-last */
  x: Float32Array;
  /** [n] class indices */
  y: Int32Array;
}

export interface DatasetMsg {
  name: string;
  length: number;
  channels: number;
  classes: string[];
  train: Split;
  test: Split;
}

export interface TrainSettings {
  model: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export type ToWorker =
  /** Answered with 'pong' at once, even while training (the page's heartbeat). */
  | { type: 'ping' }
  | { type: 'train'; data: DatasetMsg; settings: TrainSettings }
  /** Ends training after the current batch; the epoch in progress does not count. */
  | { type: 'stop' }
  /** Continues from the last finished epoch up to `epochs`. */
  | { type: 'resume'; epochs: number }
  /** The model's artifacts, to download them or keep them in the browser. */
  | { type: 'export'; purpose: 'download' | 'keep' }
  /** Replaces the model with one loaded from model.json + weights.bin and evaluates it on the
   *  test split of `data` (the data set picked on the page). */
  | { type: 'load'; modelJson: Record<string, unknown>; weightData: Uint8Array; data: DatasetMsg };

export interface EpochLogs {
  epoch: number;
  loss: number;
  accuracy: number;
  testLoss: number;
  testAccuracy: number;
  ms: number;
}

export interface Evaluation {
  /** Row = true class, column = predicted class: counts. */
  confusion: number[][];
  accuracy: number;
}

export type FromWorker =
  | { type: 'pong' }
  | { type: 'ready'; params: number; summary: string }
  | { type: 'batch'; epoch: number; batch: number; steps: number }
  | { type: 'epoch'; logs: EpochLogs }
  | { type: 'done'; stopped: boolean; epochsDone: number; evaluation: Evaluation }
  | { type: 'artifacts'; purpose: 'download' | 'keep'; name: string; modelJson: Record<string, unknown>; weightData: Uint8Array }
  | { type: 'loaded'; name: string; evaluation: Evaluation }
  | { type: 'error'; message: string };
