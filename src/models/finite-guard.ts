// Divergence guard of fit / fitDataset: after every optimizer step the weights and moving
// statistics are checked for NaN/±Infinity (one counting kernel per block) and, when finite,
// copied aside (one memcpy per block). When a loss or a weight becomes non-finite the copy is
// written back, so a diverged fit leaves the weights after the last step whose weights and
// statistics were all finite (the weights before training if the first step diverged), and the
// TrainingError says which step that was. The optimizer state (momenta) is not restored: compile
// again to reset it before training on.

import type { ModelCore } from './core.ts';

export class TrainingError extends Error {
  override name = 'TrainingError';
}

const ADVICE = 'lower the learning rate, normalise the inputs (their scale reaches the batch-norm moving variance), or check the data and targets for extreme values';

export class FiniteGuard {
  private readonly copy: Float32Array;
  /** The step whose weights the copy holds (0: before training). */
  private kept = 0;

  constructor(private readonly model: ModelCore) {
    const bad = model.firstNonFiniteWeight();
    if (bad) throw new TrainingError(`training refused: weight ${bad.name} is ${bad.value} (at index ${bad.index}) before training; set finite weights first (setWeights or a new model)`);
    this.copy = model.snapshotWeights();
  }

  private kept_(): string {
    return this.kept === 0 ? 'the model keeps its weights from before this training' : `the model keeps the weights after step ${this.kept}, the last with finite weights`;
  }

  /** Before the optimizer step `step` (1-based): the batch's loss must be finite. */
  loss(value: number, epoch: number, batch: number, step: number): void {
    if (Number.isFinite(value)) return;
    this.model.restoreWeights(this.copy); // the forward may have updated moving statistics
    throw new TrainingError(`training stopped: the loss became ${value} at epoch ${epoch + 1}, batch ${batch + 1} (step ${step}); ${this.kept_()}; ${ADVICE}`);
  }

  /** After the optimizer step `step`: every weight and statistic must be finite. */
  stepped(epoch: number, batch: number, step: number): void {
    const bad = this.model.firstNonFiniteWeight();
    if (bad) {
      this.model.restoreWeights(this.copy);
      throw new TrainingError(`training stopped: weight ${bad.name} became ${bad.value} (at index ${bad.index}) at epoch ${epoch + 1}, batch ${batch + 1} (step ${step}); ${this.kept_()}; ${ADVICE}`);
    }
    this.model.snapshotWeights(this.copy);
    this.kept = step;
  }
}
