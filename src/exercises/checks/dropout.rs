//! Checks of `exercises/ex09_dropout.rs`.
use ndarray::{Array2, ArrayView2};

use crate::exercises::{Checked, Unfinished};

/// The learner's `dropout_forward(x, rate, u, training)`: (y, mask).
pub type Forward = fn(
    ArrayView2<f32>,
    f32,
    ArrayView2<f32>,
    bool,
) -> Result<(Array2<f32>, Array2<f32>), Unfinished>;
/// The learner's `dropout_backward(grad_y, mask)`.
pub type Backward =
    fn(ArrayView2<f32>, ArrayView2<f32>) -> Result<Array2<f32>, Unfinished>;

/// 9.1: inverted dropout, as Keras.
pub fn forward(f: Forward) -> Checked {
    let x = Array2::<f32>::zeros((1, 1));
    f(x.view(), 0.5, x.view(), true)?;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}

/// 9.2: the gradient through the mask.
pub fn backward(f: Backward) -> Checked {
    let x = Array2::<f32>::zeros((1, 1));
    f(x.view(), x.view())?;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}
