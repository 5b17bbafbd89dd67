//! Fixture of tests/exercise_fixtures_b.rs, a mistake of exercise 4: dL/dW returned as
//! Gᵀ·x, `[units, n_inputs]`. Only the mistaken function is here; the rest of the file
//! is as in `ex04_dense_solved.rs`.

use annlab::exercises::prelude::*;

/// **4.2**, but with the kernel gradient transposed.
pub fn dense_backward(
    x: ArrayView2<f32>,
    kernel: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<DenseGrads, Unfinished> {
    // dL/dW = xᵀ·G, dL/db = Σ over the rows of G, dL/dx = G·Wᵀ
    let grad_kernel = grad_y.t().dot(&x); // the mistake: Gᵀ·x, [units, n_inputs]
    let mut grad_bias = Array1::zeros(grad_y.ncols());
    for row in grad_y.rows() {
        grad_bias += &row;
    }
    let grad_x = grad_y.dot(&kernel.t());
    Ok(DenseGrads {
        kernel: grad_kernel,
        bias: grad_bias,
        x: grad_x,
    })
}
