//! Fixture of tests/exercise_fixtures_c.rs, a mistake of exercise 6: Adam without bias
//! correction, α = lr (6.3 must fail). Only the mistaken function is here; the rest of
//! the file is as in `ex06_optimizers_solved.rs`.

use annlab::exercises::prelude::*;

/// **6.3**, but with α = lr at every step.
pub fn adam_step(
    w: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    t: u32,
    settings: &AdamSettings,
) -> Result<(), Unfinished> {
    let (b1, b2, eps) = (settings.beta_1, settings.beta_2, settings.epsilon);
    let _ = t;
    // the mistake: no bias correction, α = lr
    let alpha = settings.learning_rate;
    for i in 0..w.len() {
        m[i] = b1 * m[i] + (1.0 - b1) * g[i];
        v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
        w[i] -= alpha * m[i] / (v[i].sqrt() + eps);
    }
    Ok(())
}
