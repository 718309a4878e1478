// NODE ONLY. The factories a run names, under the API's names: `--augment 'timeShift:{"maxShift":
// 800}'` is augment.timeShift({maxShift: 800}). A spec is NAME or NAME:{JSON arguments} on the
// command line, {"name": NAME, "args": {...}} in run.json; the arguments go to the factory as they
// are, so the library checks them (unknown keys get "did you mean").

import { augment, callbacks, models, optimizers, type Augmenter, type Callback, type LayersModel, type LearningRateSchedule, type Optimizer } from '../index.ts';
import { suggest } from '../layers/args.ts';
import { UsageError } from './datasets.ts';
import { objectValue } from './options.ts';

export interface Spec {
  name: string;
  args?: Record<string, unknown>;
}

type Args = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Factory<T> = (args: any) => T;
const table = <T>(entries: Record<string, Factory<T>>) => entries;

/** models.*: every builder takes {inputShape, classes, seed} from the data and --seed, plus its own arguments. */
export const MODELS = table<LayersModel>({
  fcn: ({ filters, kernels, ...a }: Args) => models.fcn(a as never, filters as never, kernels as never),
  kerasSeed: (a: Args) => models.kerasSeed(a as never),
  sampleCnn: (a: Args) => models.sampleCnn(a as never),
  resnet: (a: Args) => models.resnet(a as never),
  inceptionTime: (a: Args) => models.inceptionTime(a as never),
  tutorial18: ({ seed, inputShape, classes, ...rest }: Args) => {
    if (Object.keys(rest).length > 0) throw new UsageError(`--model tutorial18 takes no arguments (its layers are fixed), got ${JSON.stringify(rest)}`);
    if (JSON.stringify(inputShape) !== '[18,1]' || classes !== 2) throw new UsageError(`--model tutorial18 takes series of length 18 with 1 channel and 2 classes; the data has length ${(inputShape as number[])[0]}, ${(inputShape as number[])[1]} channel(s), ${classes} classes`);
    return models.tutorial18(seed as number);
  },
});
/** The spellings of the first CLI, kept. */
export const MODEL_ALIASES: Record<string, string> = { 'keras-seed': 'kerasSeed', samplecnn: 'sampleCnn' };

const { schedules, ...optimizerFactories } = optimizers;
export const OPTIMIZERS = table<Optimizer>(optimizerFactories);
const { deserialize: _deserialize, ...scheduleFactories } = schedules;
export const SCHEDULES = table<LearningRateSchedule>(scheduleFactories);
// learningRateScheduler takes a function, which a command line cannot give
const { learningRateScheduler: _fn, ...callbackFactories } = callbacks;
export const CALLBACKS = table<Callback>(callbackFactories);
const { apply: _apply, ...augmenterFactories } = augment;
export const AUGMENTERS = table<Augmenter>(augmenterFactories);

const list = (names: readonly string[]) => names.join(', ');

/** A spec from `NAME` or `NAME:{json}` (the command line) or {name, args} (run.json). */
export function parseSpec(option: string, v: unknown, names: readonly string[], example: string, aliases: Record<string, string> = {}): Spec {
  let name: unknown;
  let args: unknown;
  if (typeof v === 'string') {
    const m = /^([A-Za-z][\w-]*)(?::([\s\S]*))?$/.exec(v.trim());
    if (!m) throw new UsageError(`${option} must be NAME or NAME:{JSON arguments}, such as ${example}, got ${JSON.stringify(v)}`);
    [name, args] = [m[1], m[2]];
  } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => k === 'name' || k === 'args')) {
    ({ name, args } = v as { name: unknown; args: unknown });
  } else {
    throw new UsageError(`${option} must be "NAME", "NAME:{JSON arguments}" or {"name": NAME, "args": {...}}, got ${JSON.stringify(v)}`);
  }
  if (typeof name !== 'string') throw new UsageError(`${option}: name must be a string, got ${JSON.stringify(name)}`);
  const key = aliases[name] ?? name;
  if (!names.includes(key)) throw new UsageError(`${option}: unknown name "${name}"${suggest(name, names)}; known: ${list(names)}`);
  return { name: key, ...(args === undefined ? {} : { args: objectValue(`${option} ${key} arguments`, args) }) };
}

/** Calls the factory a spec names (its arguments, or {} when none). */
export function create<T>(factories: Record<string, Factory<T>>, spec: Spec): T {
  return factories[spec.name](spec.args ?? {});
}

/** A spec as the command line writes it, for messages and the equivalent command. */
export function showSpec(spec: Spec): string {
  return spec.args ? `${spec.name}:${JSON.stringify(spec.args)}` : spec.name;
}
