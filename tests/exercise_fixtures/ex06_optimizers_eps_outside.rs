//! Fixture of tests/exercise_fixtures_c.rs, a mistake of exercise 6: RMSprop with ε
//! outside the square root (6.2 must fail). Only the mistaken function is here; the rest
//! of the file is as in `ex06_optimizers_solved.rs`.

use annlab::exercises::prelude::*;

/// **6.2**, but w −= lr·g / (√s + ε).
pub fn rmsprop_step(
    w: &mut [f32],
    g: &[f32],
    s: &mut [f32],
    settings: &RmspropSettings,
) -> Result<(), Unfinished> {
    let (lr, rho, eps) = (settings.learning_rate, settings.rho, settings.epsilon);
    for i in 0..w.len() {
        s[i] = rho * s[i] + (1.0 - rho) * g[i] * g[i];
        // the mistake: ε outside the square root, as Adam has it
        w[i] -= lr * g[i] / (s[i].sqrt() + eps);
    }
    Ok(())
}
