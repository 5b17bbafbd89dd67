//! Checks of `exercises/ex06_optimizers.rs`.
use crate::exercises::{AdamSettings, Checked, RmspropSettings, SgdSettings, Unfinished};

/// The learner's `sgd_step(w, g, velocity, settings)`.
pub type SgdStep =
    fn(&mut [f32], &[f32], &mut [f32], &SgdSettings) -> Result<(), Unfinished>;
/// The learner's `rmsprop_step(w, g, s, settings)`.
pub type RmspropStep =
    fn(&mut [f32], &[f32], &mut [f32], &RmspropSettings) -> Result<(), Unfinished>;
/// The learner's `adam_step(w, g, m, v, t, settings)`.
pub type AdamStep = fn(
    &mut [f32],
    &[f32],
    &mut [f32],
    &mut [f32],
    u32,
    &AdamSettings,
) -> Result<(), Unfinished>;

/// 6.1: Keras's SGD with momentum and Nesterov momentum.
pub fn sgd(f: SgdStep) -> Checked {
    f(&mut [0.0], &[0.0], &mut [0.0], &SgdSettings::default())?;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}

/// 6.2: Keras's RMSprop.
pub fn rmsprop(f: RmspropStep) -> Checked {
    f(&mut [0.0], &[0.0], &mut [0.0], &RmspropSettings::default())?;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}

/// 6.3: Keras's Adam.
pub fn adam(f: AdamStep) -> Checked {
    f(
        &mut [0.0],
        &[0.0],
        &mut [0.0],
        &mut [0.0],
        1,
        &AdamSettings::default(),
    )?;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}
