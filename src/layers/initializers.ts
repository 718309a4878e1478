// Weight initializers (Keras definitions). Fans for a Conv1D kernel [K, C, F] are
// fanIn = K*C, fanOut = K*F (the receptive field multiplies both), for a Dense kernel [I, U] I and U.

import { Random } from '../runtime/random.ts';
import { ConfigError, oneOf } from './args.ts';

export const INITIALIZERS = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'leCunUniform',
  'leCunNormal',
  'zeros',
  'ones',
  'randomUniform',
  'randomNormal',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

export function checkInitializer(owner: string, field: string, v: unknown, fallback: InitializerName): InitializerName {
  return oneOf(owner, field, v, INITIALIZERS, fallback);
}

function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [receptive * shape[shape.length - 2], receptive * shape[shape.length - 1]];
}

/** Normal truncated at two standard deviations (Keras' TruncatedNormal), by rejection. */
function truncatedNormal(rng: Random, stddev: number): number {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return z * stddev;
  }
}

// 0.879... is the stddev of a unit normal truncated at +-2 (Keras VarianceScaling).
const TRUNC = 0.8796256610342398;

export function initialize(name: InitializerName, out: Float32Array, shape: readonly number[], rng: Random): void {
  const [fanIn, fanOut] = fans(shape);
  const uniform = (limit: number) => {
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
  };
  const normal = (stddev: number) => {
    for (let i = 0; i < out.length; i++) out[i] = truncatedNormal(rng, stddev / TRUNC);
  };
  switch (name) {
    case 'zeros':
      return void out.fill(0);
    case 'ones':
      return void out.fill(1);
    case 'glorotUniform':
      return uniform(Math.sqrt(6 / (fanIn + fanOut)));
    case 'glorotNormal':
      return normal(Math.sqrt(2 / (fanIn + fanOut)));
    case 'heUniform':
      return uniform(Math.sqrt(6 / fanIn));
    case 'heNormal':
      return normal(Math.sqrt(2 / fanIn));
    case 'leCunUniform':
      return uniform(Math.sqrt(3 / fanIn));
    case 'leCunNormal':
      return normal(Math.sqrt(1 / fanIn));
    case 'randomUniform':
      return uniform(0.05);
    case 'randomNormal':
      for (let i = 0; i < out.length; i++) out[i] = 0.05 * rng.normal();
      return;
    default:
      throw new ConfigError(`initializer: unknown name ${String(name)}`);
  }
}
