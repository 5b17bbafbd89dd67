//! Checks of `exercises/ex06_optimizers.rs`: the learner's step, run for five steps
//! on a tensor of four weights, against the library's Keras-identical optimizer driven
//! with the same gradients. After every step the weights and the state (velocity,
//! running mean of g², m and v) must agree with Keras's to the last bits of f32.
//!
//! The gradients mix sizes on purpose: entries near 1, one of about 1e-4 (where
//! √(s + ε) and √s + ε differ by a factor of ten: s ≈ 1e-9 next to ε = 1e-7), and one
//! that stays 0 for four steps (0/√s without ε is NaN) before a large one.
use crate::exercises::{
    close_scalar, AdamSettings, Checked, RmspropSettings, SgdSettings, Tol, Unfinished,
    Verdict,
};
use crate::layers::Param;
use crate::optimizers::{Adam, Optimizer, RMSprop, SGD};

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

/// The weights before the first step, `[4]`.
const W0: [f32; 4] = [1.0, -0.5, 0.25, 2.0];

/// The gradient of each of the five steps, `[5][4]`: entry 2 is tiny (|g| ≈ 1e-4),
/// entry 3 is zero until a large gradient at step 5.
const GRADS: [[f32; 4]; 5] = [
    [0.5, -1.2, 1e-4, 0.0],
    [0.3, 2.0, -1e-4, 0.0],
    [-0.8, 0.1, 2e-4, 0.0],
    [1.5, -0.4, -5e-5, 0.0],
    [0.0, 0.7, 1e-4, 3.0],
];

/// One step of the library's `optimizer` on the tensor `w` (its path is `"w"`).
fn keras_step(optimizer: &mut dyn Optimizer, w: &mut [f32], g: &[f32]) {
    let mut grad = g.to_vec();
    optimizer.step(&mut [Param {
        name: "kernel",
        path: "w",
        value: w,
        grad: &mut grad,
    }]);
}

/// The optimizer's state slot `slot` of the tensor `w` (zeros before it exists).
fn keras_slot(optimizer: &dyn Optimizer, slot: &str) -> Vec<f32> {
    let name = format!("w/{slot}");
    optimizer
        .state()
        .tensors
        .into_iter()
        .find(|(n, _)| *n == name)
        .map_or_else(|| vec![0.0; W0.len()], |(_, values)| values)
}

/// `yours` against `keras` entry by entry, e.g.
/// `w[2] after step 3: yours 0.996840, Keras 0.999900 (SGD lr 0.1, momentum 0.9)`.
fn agree(
    name: &str,
    step: usize,
    yours: &[f32],
    keras: &[f32],
    settings: &str,
) -> Checked {
    for (i, (&y, &k)) in yours.iter().zip(keras).enumerate() {
        let what = format!("{name}[{i}] after step {step}");
        close_scalar(&what, f64::from(y), f64::from(k), "Keras", Tol::F32).map_err(
            |verdict| match verdict {
                Verdict::Wrong(message) => {
                    Verdict::Wrong(format!("{message} ({settings})"))
                }
                other => other,
            },
        )?;
    }
    Ok(())
}

/// The SGD settings checked: plain, momentum, Nesterov momentum.
fn sgd_settings() -> [SgdSettings; 3] {
    [
        SgdSettings::default(),
        SgdSettings {
            learning_rate: 0.1,
            momentum: 0.9,
            nesterov: false,
        },
        SgdSettings {
            learning_rate: 0.05,
            momentum: 0.8,
            nesterov: true,
        },
    ]
}

/// 6.1: Keras's SGD with momentum and Nesterov momentum, five steps per setting.
pub fn sgd(f: SgdStep) -> Checked {
    for settings in sgd_settings() {
        let label = format!(
            "SGD lr {}, momentum {}{}",
            settings.learning_rate,
            settings.momentum,
            if settings.nesterov { ", Nesterov" } else { "" }
        );
        let mut keras = SGD::new()
            .learning_rate(settings.learning_rate)
            .momentum(settings.momentum)
            .nesterov(settings.nesterov);
        let (mut w, mut velocity) = (W0, [0.0f32; 4]);
        let mut keras_w = W0;
        for (step, g) in (1..).zip(&GRADS) {
            f(&mut w, g, &mut velocity, &settings)?;
            keras_step(&mut keras, &mut keras_w, g);
            // with μ = 0 Keras keeps no velocity: only the weights are compared
            if settings.momentum != 0.0 {
                let keras_velocity = keras_slot(&keras, "momentum");
                agree("velocity", step, &velocity, &keras_velocity, &label)?;
            }
            agree("w", step, &w, &keras_w, &label)?;
        }
    }
    Ok(())
}

/// The RMSprop settings checked: Keras's defaults, then other ρ, learning rate and ε.
fn rmsprop_settings() -> [RmspropSettings; 2] {
    [
        RmspropSettings::default(),
        RmspropSettings {
            learning_rate: 0.01,
            rho: 0.5,
            epsilon: 1e-6,
        },
    ]
}

/// 6.2: Keras's RMSprop, five steps per setting.
pub fn rmsprop(f: RmspropStep) -> Checked {
    for settings in rmsprop_settings() {
        let label = format!(
            "RMSprop lr {}, rho {}, epsilon {:e}",
            settings.learning_rate, settings.rho, settings.epsilon
        );
        let mut keras = RMSprop::new()
            .learning_rate(settings.learning_rate)
            .rho(settings.rho)
            .epsilon(settings.epsilon);
        let (mut w, mut s) = (W0, [0.0f32; 4]);
        let mut keras_w = W0;
        for (step, g) in (1..).zip(&GRADS) {
            f(&mut w, g, &mut s, &settings)?;
            keras_step(&mut keras, &mut keras_w, g);
            agree("s", step, &s, &keras_slot(&keras, "velocity"), &label)?;
            agree("w", step, &w, &keras_w, &label)?;
        }
    }
    Ok(())
}

/// The Adam settings checked: Keras's defaults, then other β₁, β₂, learning rate, ε.
fn adam_settings() -> [AdamSettings; 2] {
    [
        AdamSettings::default(),
        AdamSettings {
            learning_rate: 0.02,
            beta_1: 0.8,
            beta_2: 0.95,
            epsilon: 1e-6,
        },
    ]
}

/// 6.3: Keras's Adam, five steps (t = 1…5) per setting.
pub fn adam(f: AdamStep) -> Checked {
    for settings in adam_settings() {
        let label = format!(
            "Adam lr {}, beta_1 {}, beta_2 {}, epsilon {:e}",
            settings.learning_rate, settings.beta_1, settings.beta_2, settings.epsilon
        );
        let mut keras = Adam::new()
            .learning_rate(settings.learning_rate)
            .beta_1(settings.beta_1)
            .beta_2(settings.beta_2)
            .epsilon(settings.epsilon);
        let (mut w, mut m, mut v) = (W0, [0.0f32; 4], [0.0f32; 4]);
        let mut keras_w = W0;
        for (t, g) in (1u32..).zip(&GRADS) {
            f(&mut w, g, &mut m, &mut v, t, &settings)?;
            keras_step(&mut keras, &mut keras_w, g);
            let step = t as usize;
            agree("m", step, &m, &keras_slot(&keras, "momentum"), &label)?;
            agree("v", step, &v, &keras_slot(&keras, "velocity"), &label)?;
            agree("w", step, &w, &keras_w, &label)?;
        }
    }
    Ok(())
}
