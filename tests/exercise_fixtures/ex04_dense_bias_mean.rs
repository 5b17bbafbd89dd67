//! Fixture of tests/exercise_fixtures_b.rs, a mistake of exercise 4: the bias gradient
//! averaged over the batch instead of summed. Only the mistaken function is here; the
//! rest of the file is as in `ex04_dense_solved.rs`.

use annlab::exercises::prelude::*;

/// **4.2**, but with dL/db the mean of G's rows.
pub fn dense_backward(
    x: ArrayView2<f32>,
    kernel: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<DenseGrads, Unfinished> {
    // dL/dW = xᵀ·G, dL/db = Σ over the rows of G, dL/dx = G·Wᵀ
    let grad_kernel = x.t().dot(&grad_y);
    let grad_bias = grad_y.sum_axis(Axis(0)) / grad_y.nrows() as f32; // the mistake
    let grad_x = grad_y.dot(&kernel.t());
    Ok(DenseGrads {
        kernel: grad_kernel,
        bias: grad_bias,
        x: grad_x,
    })
}
