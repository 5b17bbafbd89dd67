//! Fixture of tests/exercise_fixtures_b.rs, a mistake of exercise 9: the kept units are
//! not scaled by 1/(1 − rate). Only the mistaken function is here; the rest of the file
//! is as in `ex09_dropout_solved.rs`.

use annlab::exercises::prelude::*;

/// **9.1**, but with the mask [u ≥ r], not divided by 1 − r.
pub fn dropout_forward(
    x: ArrayView2<f32>,
    rate: f32,
    u: ArrayView2<f32>,
    training: bool,
) -> Result<(Array2<f32>, Array2<f32>), Unfinished> {
    if !training || rate == 0.0 {
        return Ok((x.to_owned(), Array2::ones(x.dim())));
    }
    // mask = [u ≥ rate] / (1 − rate), y = x ⊙ mask
    let keep = 1.0; // the mistake: no 1/(1 − rate)
    let mut mask = Array2::zeros(x.dim());
    Zip::from(&mut mask).and(&u).for_each(|m, &u| {
        if u >= rate {
            *m = keep;
        }
    });
    let y = &x * &mask;
    Ok((y, mask))
}
