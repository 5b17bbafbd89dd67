//! The `Optimizer` trait and lookup of optimizers by Keras name.

use super::*;
use crate::error::ModelError;
use crate::layers::Param;

// ANCHOR: trait
/// Updates a model's parameters from their gradients, one training step at a time.
///
/// Contract: `step` is called once per batch with every trainable tensor of the model,
/// in the same order each time, so the position of a tensor in `params` identifies it
/// and the optimizer keeps its per-parameter state (moments, accumulators) by position,
/// created as zeros (or the optimizer's initial value) on the first step. `step` may
/// rewrite `grad` (clipping). Figures follow Keras 3's update rules in f32.
pub trait Optimizer {
    /// The Keras class name, e.g. `"RMSprop"`.
    fn name(&self) -> &'static str;

    /// The learning rate the next step will use.
    fn learning_rate(&self) -> f32;

    /// Number of steps taken so far (Keras's `optimizer.iterations`).
    fn iterations(&self) -> u64;

    /// Applies one update to every parameter.
    fn step(&mut self, params: &mut [Param<'_>]);

    /// Checks the settings (a rate in [0, 1], a positive learning rate, …), as Keras's
    /// constructors do; `compile` calls it so a bad value is an error, not a divergence.
    fn validate(&self) -> Result<(), ModelError> {
        Ok(())
    }
}
// ANCHOR_END: trait

/// A boxed optimizer (what `from_name` returns) is an optimizer too.
impl<O: Optimizer + ?Sized> Optimizer for Box<O> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn learning_rate(&self) -> f32 {
        (**self).learning_rate()
    }
    fn iterations(&self) -> u64 {
        (**self).iterations()
    }
    fn step(&mut self, params: &mut [Param<'_>]) {
        (**self).step(params)
    }
    fn validate(&self) -> Result<(), ModelError> {
        (**self).validate()
    }
}

/// `Ok` when `lo ≤ value ≤ hi`, else a `Config` error naming the setting.
pub(crate) fn in_range(what: &str, value: f32, lo: f32, hi: f32) -> Result<(), ModelError> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(ModelError::Config {
            what: what.into(),
            why: format!("must be in [{lo}, {hi}], got {value}"),
        })
    }
}

/// Checks that a decay rate β lies in [0, 1): at β = 1 Adam's bias correction 1 − βᵗ
/// is 0 and the step divides by it.
pub(crate) fn below_one(what: &str, value: f32) -> Result<(), ModelError> {
    if (0.0..1.0).contains(&value) {
        Ok(())
    } else {
        Err(ModelError::Config {
            what: what.into(),
            why: format!("must be in [0, 1), got {value}"),
        })
    }
}

/// The optimizers known by name.
pub const NAMES: [&str; 7] = [
    "sgd", "adagrad", "rmsprop", "adam", "adadelta", "nadam", "adamax",
];

/// Looks an optimizer up by its Keras name (any case), with Keras's default settings.
pub fn from_name(name: &str) -> Result<Box<dyn Optimizer>, ModelError> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "sgd" => Box::new(SGD::new()),
        "adagrad" => Box::new(Adagrad::new()),
        "rmsprop" => Box::new(RMSprop::new()),
        "adam" => Box::new(Adam::new()),
        "adadelta" => Box::new(Adadelta::new()),
        "nadam" => Box::new(Nadam::new()),
        "adamax" => Box::new(Adamax::new()),
        _ => {
            return Err(ModelError::UnknownName {
                what: "optimizer",
                name: name.into(),
                known: NAMES.join(", "),
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `epochs` × 3 steps on two tensors with the gradients of L = ½‖w‖² (g = w).
    fn train(opt: &mut dyn Optimizer, w: &mut [[f32; 2]; 2], epochs: usize) {
        for _ in 0..epochs {
            for _ in 0..3 {
                let (mut g0, mut g1) = (w[0], w[1]);
                let (w0, w1) = w.split_at_mut(1);
                opt.step(&mut [
                    Param {
                        name: "kernel",
                        value: &mut w0[0],
                        grad: &mut g0,
                    },
                    Param {
                        name: "bias",
                        value: &mut w1[0],
                        grad: &mut g1,
                    },
                ]);
            }
        }
    }

    #[test]
    fn every_name_builds_the_optimizer_of_that_keras_class() {
        let classes: Vec<&str> = NAMES
            .iter()
            .map(|n| from_name(n).expect("known").name())
            .collect();
        assert_eq!(
            classes,
            ["SGD", "Adagrad", "RMSprop", "Adam", "Adadelta", "Nadam", "Adamax"]
        );
        assert_eq!(from_name("Adam").expect("any case").name(), "Adam");
    }

    #[test]
    fn an_unknown_name_is_an_error_listing_the_known_ones() {
        let err = from_name("adamw").err().expect("unknown").to_string();
        assert!(err.contains("\"adamw\""), "{err}");
        assert!(
            err.contains("sgd, adagrad, rmsprop, adam, adadelta, nadam, adamax"),
            "{err}"
        );
    }

    #[test]
    fn state_survives_across_epochs_for_every_optimizer() {
        // Two epochs of three steps with one optimizer must equal six steps in a row,
        // and differ from restarting with a fresh optimizer (which would reset the
        // moments/accumulators and the step count t).
        for &name in &NAMES {
            let mut opt = from_name(name).expect("known");
            let mut w = [[1.0f32, -2.0], [0.5, 3.0]];
            train(opt.as_mut(), &mut w, 1);
            train(opt.as_mut(), &mut w, 1);
            assert_eq!(opt.iterations(), 6, "{name}");

            let mut straight = [[1.0f32, -2.0], [0.5, 3.0]];
            train(from_name(name).expect("known").as_mut(), &mut straight, 2);
            assert_eq!(
                w, straight,
                "{name}: two epochs differ from six straight steps"
            );

            let mut restarted = [[1.0f32, -2.0], [0.5, 3.0]];
            train(from_name(name).expect("known").as_mut(), &mut restarted, 1);
            train(from_name(name).expect("known").as_mut(), &mut restarted, 1);
            // plain SGD has no state: restarting it changes nothing
            if name == "sgd" {
                assert_eq!(w, restarted);
            } else {
                assert_ne!(
                    w, restarted,
                    "{name}: a restarted optimizer gave the same weights"
                );
            }
        }
    }
}
