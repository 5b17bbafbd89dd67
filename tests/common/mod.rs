//! Data shared by the test suites.

use annlab::prelude::*;

/// 64 samples of 4 features; class 1 when x₀ + x₁ > x₂ + x₃ (a linear rule).
pub fn linear_rule_data() -> (Array2<f32>, Array1<usize>) {
    let x =
        Array2::from_shape_fn((64, 4), |(i, j)| ((i * 7 + j * 13) % 11) as f32 / 10.0);
    let y = Array1::from_iter(
        x.rows()
            .into_iter()
            .map(|r| usize::from(r[0] + r[1] > r[2] + r[3])),
    );
    (x, y)
}
