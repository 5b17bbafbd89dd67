//! The shape most regression losses share: a per-element loss ℓ(ŷ, y), averaged over
//! the outputs of a sample and then over the batch, L = (1/(B·K)) Σ_b Σ_k ℓ(ŷ_bk, y_bk),
//! so ∂L/∂ŷ_bk = ℓ'(ŷ_bk, y_bk) / (B·K).

use ndarray::{ArrayView2, ArrayViewMut2, Zip};

use super::Targets;

/// (1/(B·K)) Σ ℓ(ŷ, y), accumulated in f64.
pub(crate) fn mean_of(
    y_pred: ArrayView2<f32>,
    y_true: &Targets,
    loss: impl Fn(f32, f32) -> f64,
) -> f64 {
    let (batch, outputs) = y_pred.dim();
    let sum: f64 = y_pred
        .indexed_iter()
        .map(|((i, k), &p)| loss(p, y_true.value(i, k, outputs)))
        .sum();
    sum / (batch * outputs) as f64
}

/// grad ← ℓ'(ŷ, y) / (B·K).
pub(crate) fn gradient_of(
    y_pred: ArrayView2<f32>,
    y_true: &Targets,
    mut grad: ArrayViewMut2<f32>,
    derivative: impl Fn(f32, f32) -> f32,
) {
    let (batch, outputs) = y_pred.dim();
    let scale = 1.0 / (batch * outputs) as f32;
    Zip::indexed(&mut grad)
        .and(&y_pred)
        .for_each(|(i, k), g, &p| {
            *g = scale * derivative(p, y_true.value(i, k, outputs))
        });
}

/// sign(x) with sign(0) = 0, the derivative TensorFlow gives |x| at 0; sign(NaN) = NaN.
pub(crate) fn sign(x: f32) -> f32 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else if x.is_nan() {
        x
    } else {
        0.0
    }
}
