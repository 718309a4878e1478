// Embedding (Keras): a trainable table of vectors looked up by integer token ids, the input layer
// of text CNNs. The ids arrive as floats (the model's inputs are Float32Array).
//   ids x [B, ...]   embeddings [V, D] (V = inputDim, D = outputDim)   y [B, ..., D]
//   forward:  y[n, :] = embeddings[x[n], :]
//   backward: d embeddings[v, :] = sum over n with x[n] = v of dy[n, :]; no gradient reaches the ids
// An id that is not an integer in [0, V) stops the forward with a ConfigError naming it.
// (kernel: assembly/kernels/embedding.ts)

import { ConfigError, positiveInt, showValue } from './args.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';
import { baseArgs, initializerJson, initializerName } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, size, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size V: ids are integers in [0, V). */
  inputDim: number;
  /** Size D of each vector. */
  outputDim: number;
  /** Initializer of the table (default 'randomUniform', U(-0.05, 0.05) as Keras' "uniform"). */
  embeddingsInitializer?: InitializerName;
}

export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: InitializerName;

  constructor(args: EmbeddingArgs) {
    super(args, ['inputDim', 'outputDim', 'embeddingsInitializer']);
    const o = 'Embedding';
    this.inputDim = positiveInt(o, 'inputDim', args?.inputDim);
    this.outputDim = positiveInt(o, 'outputDim', args?.outputDim);
    this.embeddingsInitializer = checkInitializer(o, 'embeddingsInitializer', args.embeddingsInitializer, 'randomUniform');
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape, this.outputDim];
  }

  protected override weightSpecs(): WeightSpec[] {
    return [{ name: 'embeddings', shape: [this.inputDim, this.outputDim], initializer: this.embeddingsInitializer, trainable: true }];
  }

  override streamSpec(): StreamSpec {
    this.fail('cannot stream (model.stream()): a stream carries [length, channels] signals, not token ids');
  }

  forward({ rt, k, batch }: StepContext, io: NodeIO): void {
    const N = batch * size(io.inShapes[0]);
    const x = io.xs[0].ptr;
    const bad = k.embedding_forward(x, this.ptrOf('embeddings'), io.y.ptr, N, this.inputDim, this.outputDim);
    if (bad >= 0) {
      const per = size(io.inShapes[0]);
      const id = rt.f32(x + 4 * bad, 1)[0];
      throw new ConfigError(`${this.label}: token id ${showValue(id)} (sample ${Math.floor(bad / per)}, position ${bad % per}) must be an integer in [0, ${this.inputDim - 1}] (inputDim ${this.inputDim})`);
    }
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dw = this.gradOf('embeddings');
    if (dw) k.embedding_backward(io.xs[0].ptr, io.dy.ptr, dw, batch * size(io.inShapes[0]), this.outputDim);
  }

  override getConfig(): KerasConfig {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: initializerJson(this.embeddingsInitializer),
      embeddings_regularizer: null,
      activity_regularizer: null,
      embeddings_constraint: null,
      mask_zero: false,
      input_length: null,
    };
  }

  static fromConfig(config: KerasConfig): Embedding {
    if (config.mask_zero === true) throw new ConfigError('Embedding: mask_zero true is not supported (cnn1d has no masking); save the model with mask_zero false');
    return new Embedding({
      ...baseArgs(config),
      inputDim: config.input_dim as number,
      outputDim: config.output_dim as number,
      embeddingsInitializer: initializerName(config.embeddings_initializer, 'randomUniform'),
    });
  }
}
registerClass('Embedding', Embedding);
