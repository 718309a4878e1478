// Batch normalization over rows (batch x length) per channel.   x, y, dy, dx [R, C]
//   gamma, beta, mean, rstd, movMean, movVar, dgamma, dbeta [C]

/** Batch statistics (biased variance), y = gamma*(x-mean)*rstd + beta, rstd = 1/sqrt(var+eps);
 *  saves mean and rstd for the backward; movX = momentum*movX + (1-momentum)*batchX. */
export function batchnorm_forward_train(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, movMean: usize, movVar: usize, R: i32, C: i32, momentum: f32, eps: f32): void {
  unreachable();
}

/** y = gamma*(x-movMean)/sqrt(movVar+eps) + beta. */
export function batchnorm_forward_infer(x: usize, gamma: usize, beta: usize, movMean: usize, movVar: usize, y: usize, R: i32, C: i32, eps: f32): void {
  unreachable();
}

/** xhat = (x-mean)*rstd;  dbeta += sum dy;  dgamma += sum dy*xhat;
 *  dx += gamma*rstd/R * (R*dy - sum(dy) - xhat*sum(dy*xhat)). scratch [2*C] floats. */
export function batchnorm_backward(x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize, scratch: usize, R: i32, C: i32): void {
  unreachable();
}
