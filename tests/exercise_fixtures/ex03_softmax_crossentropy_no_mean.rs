//! Fixture of tests/exercise_fixtures_b.rs, a mistake of exercise 3: the gradient of
//! softmax + cross-entropy is not divided by the batch size. Only the mistaken function
//! is here; the rest of the file is as in `ex03_softmax_crossentropy_solved.rs`, whose
//! `softmax` it calls.

use annlab::exercises::prelude::*;

use crate::ex03_solved::softmax;

/// **3.3**, but without the 1/batch of the mean.
pub fn softmax_crossentropy_gradient(
    logits: ArrayView2<f32>,
    labels: &[usize],
) -> Result<Array2<f32>, Unfinished> {
    // softmax(z) − onehot(labels)  (the mistake: no division by the batch size)
    let mut g = softmax(logits)?;
    for (i, &label) in labels.iter().enumerate() {
        g[[i, label]] -= 1.0;
    }
    Ok(g)
}
