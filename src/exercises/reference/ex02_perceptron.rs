//! Reference for `exercises/ex02_perceptron.rs`: the rule of
//! `annlab::neurons::perceptron::Perceptron::fit`, for one sample.
use annlab::exercises::prelude::*;

pub fn perceptron_update(
    w: &mut Array1<f64>,
    b: &mut f64,
    x: ArrayView1<f64>,
    y: usize,
    eta: f64,
) -> Result<bool, Unfinished> {
    let y_pm = if y == 1 { 1.0 } else { -1.0 };
    let p = x.dot(w) + *b; // p = w·x + b
    if y_pm * p > 0.0 {
        return Ok(false);
    }
    w.scaled_add(eta * y_pm, &x); // w ← w + η y± x
    *b += eta * y_pm;
    Ok(true)
}
