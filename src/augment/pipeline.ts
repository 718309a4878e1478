// How fit runs an `augment` list: checked once against the model and the data, then per training
// batch a crop window per sample (picked while the batch is copied, see fit.ts load) and the
// augmenters in order on the batch in the model's input buffer. Its own generator, seeded from
// fit's seed, so augmentation does not change the shuffling order.
//   x [batch, L, C] the model's input buffer   ys[o] [batch, yPer[o]] its target buffers

import { ConfigError, showValue } from '../layers/args.ts';
import { InputLayer } from '../layers/input.ts';
import { Random } from '../runtime/random.ts';
import { asTensor } from '../models/inputs.ts';
import { perName, type Dataset, type ModelInputs } from '../models/data.ts';
import type { LayersModel } from '../models/model.ts';
import type { AugmentBatch, Augmenter } from './augmenter.ts';
import type { CropAugmenter } from './crop.ts';

const isAugmenter = (a: unknown): a is Augmenter => typeof a === 'object' && a !== null && typeof (a as Augmenter).apply === 'function' && typeof (a as Augmenter).name === 'string';

export class Augmentation {
  private readonly rng: Random;
  private buffer = new Float32Array(0);
  /** Crop length (the model's training input length), 0 without randomCrop. */
  readonly crop: number;
  /** The training rows [L, C] (after the crop) and the source length S, set by bind(). */
  private L = 0;
  private C = 0;
  private S = 0;

  private constructor(
    private readonly list: Augmenter[],
    seed: number,
    /** The model's input is [null, C]: validation runs on the full length. */
    readonly variableLength: boolean,
  ) {
    this.rng = new Random((seed ^ 0x6a09e667) >>> 0);
    const crop = list[0] as Partial<CropAugmenter> | undefined;
    this.crop = crop?.crop ?? 0;
  }

  /** null for no augmentation; otherwise a checked list (model-side checks; data-side in check()). */
  static create(model: LayersModel, list: unknown, seed: number): Augmentation | null {
    if (list === undefined || (Array.isArray(list) && list.length === 0)) return null;
    if (!Array.isArray(list)) throw new ConfigError(`fit: augment must be a list such as [augment.timeShift({maxShift: 100}), augment.addNoise()], got ${showValue(list)}`);
    list.forEach((a, i) => {
      if (!isAugmenter(a)) throw new ConfigError(`fit: augment[${i}] is not an augmenter (make them with augment.jitter(), augment.mixup(), ...), got ${showValue(a)}`);
    });
    const augs = list as Augmenter[];
    const crops = augs.flatMap((a, i) => ((a as Partial<CropAugmenter>).crop !== undefined ? [i] : []));
    if (crops.length > 1 || (crops.length === 1 && crops[0] !== 0)) {
      throw new ConfigError(`fit: augment.randomCrop must come first in augment, and only once (it picks the window while the batch is copied); found at position${crops.length > 1 ? 's' : ''} ${crops.join(', ')}`);
    }
    if (model.inputNames.length !== 1) throw new ConfigError(`fit: augment works on models with one input; the model has ${model.inputNames.length} (${model.inputNames.join(', ')})`);
    const layer = model.graph.inputs[0].node.layer;
    const variableLength = layer instanceof InputLayer && layer.variableLength;
    if (!variableLength && model.inputShapesAt()[0].length !== 2) {
      throw new ConfigError(`fit: augment needs inputs [length, channels]; the model's input is [${model.inputShapesAt()[0]}]`);
    }
    const mixer = augs.find((a) => a.mixesTargets);
    if (mixer) {
      model.losses.forEach((loss, o) => {
        if (loss.sparse) {
          throw new ConfigError(
            `fit: augment.${mixer.name} mixes the targets, but output "${model.outputNames[o]}" has loss ${loss.name}, whose targets are class indices and cannot hold a mixture; ` +
              'compile with categoricalCrossentropy (class-index targets are one-hot encoded for it)',
          );
        }
      });
    }
    const aug = new Augmentation(augs, seed, variableLength);
    if (aug.crop && !variableLength) {
      const L = model.inputShapesAt()[0][0];
      if (L !== aug.crop) throw new ConfigError(`augment.randomCrop: length ${aug.crop}, but the model's input length is ${L}; declare the model with inputShape [${aug.crop}, C] (or [null, C] for any length)`);
    }
    return aug;
  }

  /** Length S of the training series (before the crop) of a one-input x, and the shapes inputParts should check. */
  source(model: LayersModel, x: ModelInputs, what: string): { x: ModelInputs; shapes: { inputNames: string[]; graph: LayersModel['graph']; inputShapesAt(): number[][] }; S: number } {
    const t = asTensor(perName(x, model.inputNames, 'input', what)[0] as never, what);
    const C = this.variableLength ? (model.graph.inputs[0].node.layer as InputLayer).outputShape[1] : model.inputShapesAt()[0][1];
    const S = t.shape[1];
    if (!(t.shape.length === 3 || (t.shape.length === 2 && C === 1))) throw new ConfigError(`${what}: expected shape [n, S, ${C}] (series of S >= ${this.crop} steps to crop), got [${t.shape}]`);
    this.list[0].check(S, C);
    return { x: t, S, shapes: { inputNames: model.inputNames, graph: model.graph, inputShapesAt: () => [[S, C]] } };
  }

  /** Takes the training rows of d ([L, C] per sample after the crop, L = d.length or the model's
   *  fixed length) and checks every augmenter against them. */
  bind(d: Dataset, fixedLength: number): void {
    this.L = d.length ?? fixedLength;
    this.C = d.xPer[0] / this.L;
    this.S = (d.xStride?.[0] ?? d.xPer[0]) / this.C;
    for (const a of this.list) if ((a as Partial<CropAugmenter>).crop === undefined) a.check(this.L, this.C);
  }

  /** d (cropping rows of a fixed-length model) read from the centre of each series. */
  centre(d: Dataset): Dataset {
    if (this.variableLength) throw new ConfigError('fit: validationSplit with augment.randomCrop on a variable-length model: pass validationData (full-length series) instead');
    const C = d.xPer[0] / this.crop;
    return { ...d, xOffset: Math.floor(((d.xStride?.[0] ?? d.xPer[0]) / C - this.crop) / 2) * C };
  }

  /** Per batch sample: where its crop window starts in its source row (floats), or null without a crop. */
  offsets(count: number): Int32Array | null {
    if (!this.crop) return null;
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.rng.int(this.S - this.crop + 1) * this.C;
    return out;
  }

  /** Runs the augmenters on the batch just loaded into the model's buffers. */
  apply(model: LayersModel, count: number, yPer: number[]): void {
    const batch: AugmentBatch = {
      x: model.inputView(count, 0),
      n: count,
      length: this.L,
      channels: this.C,
      ys: yPer.map((per, o) => model.targetView(count * per, o)),
      yPer,
      scratch: (floats) => (this.buffer.length >= floats ? this.buffer : (this.buffer = new Float32Array(floats))),
    };
    for (const a of this.list) a.apply(batch, this.rng);
  }
}

/** Runs augmenters on a copy of x [n, L, C] (and of dense targets y [n, per]) outside fit, e.g. to
 *  look at what they do: the same code and seeding as fit (crops excluded). */
export function applyAugmenters(list: Augmenter[], x: Float32Array, shape: [number, number, number], seed: number, y?: Float32Array): { x: Float32Array; y?: Float32Array } {
  const [n, L, C] = shape;
  if (x.length !== n * L * C) throw new ConfigError(`augment.apply: x has ${x.length} values, shape [${shape}] needs ${n * L * C}`);
  if (y !== undefined && y.length % n !== 0) throw new ConfigError(`augment.apply: y has ${y.length} values, not a whole number per sample for ${n} samples`);
  const rng = new Random((seed ^ 0x6a09e667) >>> 0);
  const out = { x: Float32Array.from(x), y: y && Float32Array.from(y) };
  let buffer = new Float32Array(0);
  const batch: AugmentBatch = {
    x: out.x,
    n,
    length: L,
    channels: C,
    ys: out.y ? [out.y] : [],
    yPer: out.y ? [out.y.length / n] : [],
    scratch: (floats) => (buffer.length >= floats ? buffer : (buffer = new Float32Array(floats))),
  };
  for (const a of list) {
    if (!isAugmenter(a)) throw new ConfigError(`augment.apply: not an augmenter: ${showValue(a)}`);
    if ((a as Partial<CropAugmenter>).crop !== undefined) throw new ConfigError('augment.apply: randomCrop runs inside fit only (it changes the length)');
    a.check(L, C);
    if (a.mixesTargets && !out.y) throw new ConfigError(`augment.apply: augment.${a.name} mixes targets: pass y`);
    a.apply(batch, rng);
  }
  return out;
}
