//! Fixture of tests/exercise_fixtures_a.rs, a mistake of exercise 2: the perceptron rule
//! skips the points on the boundary (p = 0). Only the mistaken function is here; the rest
//! of the file is as in `ex02_perceptron_solved.rs`.

use annlab::exercises::prelude::*;

/// **2.1**, but updating only when y±·p < 0.
pub fn perceptron_update(
    w: &mut Array1<f64>,
    b: &mut f64,
    x: ArrayView1<f64>,
    y: usize,
    eta: f64,
) -> Result<bool, Unfinished> {
    let y_pm = if y == 1 { 1.0 } else { -1.0 };
    // p = w·x + b
    let mut p = *b;
    for (wj, xj) in w.iter().zip(x.iter()) {
        p += wj * xj;
    }
    if y_pm * p >= 0.0 {
        return Ok(false); // MISTAKE: a point on the boundary (p = 0) does not update
    }
    // wrong side or on the boundary: w ← w + η y± x, b ← b + η y±
    for (wj, xj) in w.iter_mut().zip(x.iter()) {
        *wj += eta * y_pm * xj;
    }
    *b += eta * y_pm;
    Ok(true)
}
