// Losses (by kind code, see LossKind in src/runtime/codes.ts): value and gradient of the batch mean.
//   yPred, grad [B, C]   yTrue [B, C], or [B] class indices (as f32) for the sparse kinds.
// Reduction over the last axis by mean (MSE, MAE, huber, logCosh, BCE, hinge, ...) or sum
// (categorical cross-entropy), then mean over the batch (shared/golden/README.md).

/** Returns the batch-mean loss; grad = d(loss)/d(yPred) (overwrites). param: huber delta,
 *  exponential beta; ignored by the others. */
export function loss_forward_backward(kind: i32, yPred: usize, yTrue: usize, grad: usize, B: i32, C: i32, param: f32): f32 {
  unreachable();
  return 0;
}

/** Fused softmax + categorical cross-entropy gradient w.r.t. the logits: dz = (p * sum(y) - y) / B
 *  (P - y over B for one-hot y). sparse != 0: yTrue holds class indices [B]. Overwrites dz [B, C]. */
export function softmax_crossentropy_backward(p: usize, yTrue: usize, dz: usize, B: i32, C: i32, sparse: i32): void {
  unreachable();
}
