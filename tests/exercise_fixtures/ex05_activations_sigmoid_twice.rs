//! Fixture of tests/exercise_fixtures_b.rs, a mistake of exercise 5: the sigmoid's
//! derivative computed as σ(y)(1 − σ(y)), the sigmoid applied to the output again. Only
//! the mistaken function is here; the rest of the file is as in
//! `ex05_activations_solved.rs`.

use annlab::exercises::prelude::*;

/// **5.2**, but applying the sigmoid to `y`, which already is σ(z).
pub fn sigmoid_backward(
    y: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<Array2<f32>, Unfinished> {
    // the mistake: σ(y)(1 − σ(y))·G, the sigmoid applied to the output again
    let s = y.mapv(|v| 1.0 / (1.0 + (-v).exp()));
    Ok(&s * &s.mapv(|v| 1.0 - v) * grad_y)
}
