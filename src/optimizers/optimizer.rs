//! The `Optimizer` trait and lookup of optimizers by Keras name.

use super::*;
use crate::error::ModelError;
use crate::layers::Param;

// ANCHOR: trait
/// Updates a model's parameters from their gradients, one training step at a time.
///
/// Contract: `step` is called once per batch with every trainable tensor of the model.
/// The optimizer keeps its per-parameter state (moments, accumulators) keyed by each
/// tensor's path (`"dense/kernel"`), created as zeros (or the optimizer's initial value)
/// on the first step; paths must be unique, and an empty path is keyed by position.
/// `step` may rewrite `grad` (clipping). Figures follow Keras 3's update rules in f32.
/// The learning rate can be read and set between steps, and the whole state (step
/// count and every slot) exported and imported: an optimizer that imports another's
/// state continues bit for bit as the other would.
pub trait Optimizer {
    /// The Keras class name, e.g. `"RMSprop"`.
    fn name(&self) -> &'static str;

    /// The step counter, learning rate and clipping every optimizer shares.
    fn base(&self) -> &Base;

    /// The shared part, writable.
    fn base_mut(&mut self) -> &mut Base;

    /// The per-parameter state, each slot with its Keras name (`"velocity"`, …).
    fn slots(&self) -> Vec<(&'static str, &Slots)>;

    /// The per-parameter state, writable.
    fn slots_mut(&mut self) -> Vec<(&'static str, &mut Slots)>;

    /// Applies one update to every parameter.
    fn step(&mut self, params: &mut [Param<'_>]);

    /// The class's settings as data (`OptimizerConfig` adds the learning rate and
    /// clipping): what a saved model rebuilds the optimizer from. `None` for an
    /// optimizer that cannot be rebuilt from data, such as a learner's own.
    fn settings(&self) -> Option<OptimizerSettings> {
        None
    }

    /// Checks the settings (a rate in [0, 1], a positive learning rate, …), as Keras's
    /// constructors do; `compile` calls it so a bad value is an error, not a divergence.
    fn validate(&self) -> Result<(), ModelError> {
        Ok(())
    }

    /// The learning rate the next step will use.
    fn learning_rate(&self) -> f32 {
        self.base().learning_rate()
    }

    /// Sets a constant learning rate for the next steps (as a callback such as
    /// ReduceLROnPlateau does). An optimizer driven by a schedule refuses, as Keras does.
    fn set_learning_rate(&mut self, lr: f32) -> Result<(), ModelError> {
        self.base_mut().set_learning_rate(lr)
    }

    /// Number of steps taken so far (Keras's `optimizer.iterations`).
    fn iterations(&self) -> u64 {
        self.base().iterations
    }

    /// State kept outside the slots, as exact scalars (Nadam's momentum product).
    fn scalars(&self) -> Vec<(&'static str, f64)> {
        Vec::new()
    }

    /// Restores a scalar named by `scalars`; `false` for a name it does not keep.
    fn set_scalar(&mut self, name: &str, value: f64) -> bool {
        let _ = (name, value);
        false
    }

    /// Everything the next steps depend on: the step count, the learning rate, the
    /// scalars and every slot tensor, named `"<parameter path>/<slot>"`.
    fn state(&self) -> OptimizerState {
        let mut tensors = Vec::new();
        for (slot, slots) in self.slots() {
            for (path, buf) in slots.entries() {
                tensors.push((format!("{path}/{slot}"), buf.clone()));
            }
        }
        tensors.sort_by(|a, b| a.0.cmp(&b.0));
        OptimizerState {
            optimizer: self.name().to_string(),
            iterations: self.iterations(),
            learning_rate: match &self.base().lr {
                LearningRate::Constant(lr) => Some(*lr),
                LearningRate::Schedule(_) => None,
            },
            scalars: self
                .scalars()
                .into_iter()
                .map(|(n, v)| (n.to_string(), v))
                .collect(),
            tensors,
        }
    }

    /// Replaces the state with one exported by `state` from an optimizer of the same
    /// class. A state of another class, or a name this optimizer does not keep, is an
    /// error; slot lengths are checked against the parameters on the next step's
    /// caller (`Train::set_optimizer_state` checks them against the model).
    fn set_state(&mut self, state: &OptimizerState) -> Result<(), ModelError> {
        if state.optimizer != self.name() {
            return Err(ModelError::Config {
                what: "optimizer state".into(),
                why: format!(
                    "it was saved from {}, and this optimizer is {}",
                    state.optimizer,
                    self.name()
                ),
            });
        }
        if let Some(lr) = state.learning_rate {
            non_negative("learning_rate of the optimizer state", lr)?;
        }
        for (name, value) in &state.scalars {
            if !self.set_scalar(name, *value) {
                return Err(unknown_state(name, self.name()));
            }
        }
        let mut slots = self.slots_mut();
        for (_, s) in slots.iter_mut() {
            s.clear();
        }
        for (name, value) in &state.tensors {
            let (path, slot) = name
                .rsplit_once('/')
                .ok_or_else(|| unknown_state(name, state.optimizer.as_str()))?;
            let target = slots
                .iter_mut()
                .find(|(n, _)| *n == slot)
                .ok_or_else(|| unknown_state(name, state.optimizer.as_str()))?;
            target.1.insert(path, value.clone());
        }
        drop(slots);
        let base = self.base_mut();
        base.iterations = state.iterations;
        if let Some(lr) = state.learning_rate {
            if let LearningRate::Constant(_) = base.lr {
                base.lr = LearningRate::Constant(lr);
            }
        }
        Ok(())
    }
}
// ANCHOR_END: trait

fn unknown_state(name: &str, optimizer: &str) -> ModelError {
    ModelError::Config {
        what: "optimizer state".into(),
        why: format!("{optimizer} keeps no state named {name:?}"),
    }
}

/// An optimizer's exported state: what `Optimizer::state` returns and `set_state` takes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OptimizerState {
    /// The Keras class name of the optimizer that exported it.
    pub optimizer: String,
    pub iterations: u64,
    /// The constant learning rate (none when a schedule sets it).
    pub learning_rate: Option<f32>,
    pub scalars: Vec<(String, f64)>,
    /// `("dense/kernel/velocity", values)`, sorted by name.
    pub tensors: Vec<(String, Vec<f32>)>,
}

/// A boxed optimizer (what `from_name` returns) is an optimizer too.
impl<O: Optimizer + ?Sized> Optimizer for Box<O> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn base(&self) -> &Base {
        (**self).base()
    }
    fn base_mut(&mut self) -> &mut Base {
        (**self).base_mut()
    }
    fn slots(&self) -> Vec<(&'static str, &Slots)> {
        (**self).slots()
    }
    fn slots_mut(&mut self) -> Vec<(&'static str, &mut Slots)> {
        (**self).slots_mut()
    }
    fn step(&mut self, params: &mut [Param<'_>]) {
        (**self).step(params)
    }
    fn settings(&self) -> Option<OptimizerSettings> {
        (**self).settings()
    }
    fn validate(&self) -> Result<(), ModelError> {
        (**self).validate()
    }
    fn learning_rate(&self) -> f32 {
        (**self).learning_rate()
    }
    fn set_learning_rate(&mut self, lr: f32) -> Result<(), ModelError> {
        (**self).set_learning_rate(lr)
    }
    fn iterations(&self) -> u64 {
        (**self).iterations()
    }
    fn scalars(&self) -> Vec<(&'static str, f64)> {
        (**self).scalars()
    }
    fn set_scalar(&mut self, name: &str, value: f64) -> bool {
        (**self).set_scalar(name, value)
    }
    fn state(&self) -> OptimizerState {
        (**self).state()
    }
    fn set_state(&mut self, state: &OptimizerState) -> Result<(), ModelError> {
        (**self).set_state(state)
    }
}

/// `Ok` when `lo ≤ value ≤ hi` (never for NaN), else a `Config` error naming the setting.
pub(crate) fn in_range(
    what: &str,
    value: f32,
    lo: f32,
    hi: f32,
) -> Result<(), ModelError> {
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

/// `Ok` when `value` is finite and ≥ 0 (a learning rate, an initial accumulator), else a
/// `Config` error naming the setting in plain words.
pub(crate) fn non_negative(what: &str, value: f32) -> Result<(), ModelError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(ModelError::Config {
            what: what.into(),
            why: format!("must be zero or positive, and finite, got {value}"),
        })
    }
}

/// `Ok` when `value` is finite and > 0 (an ε, a clip threshold, a decay rate), else a
/// `Config` error naming the setting in plain words.
pub(crate) fn positive(what: &str, value: f32) -> Result<(), ModelError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(ModelError::Config {
            what: what.into(),
            why: format!("must be positive and finite, got {value}"),
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
                        path: "dense/kernel",
                        value: &mut w0[0],
                        grad: &mut g0,
                    },
                    Param {
                        name: "bias",
                        path: "dense/bias",
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

    #[test]
    fn every_optimizer_continues_bit_for_bit_from_an_imported_state() {
        for &name in &NAMES {
            let mut straight = from_name(name).expect("known");
            let mut w = [[1.0f32, -2.0], [0.5, 3.0]];
            train(straight.as_mut(), &mut w, 2);

            let mut first = from_name(name).expect("known");
            let mut v = [[1.0f32, -2.0], [0.5, 3.0]];
            train(first.as_mut(), &mut v, 1);
            let state = first.state();
            let json = serde_json::to_string(&state).expect("serialises");
            let state: OptimizerState = serde_json::from_str(&json).expect("reads back");
            let mut second = from_name(name).expect("known");
            second.set_state(&state).expect("same class");
            train(second.as_mut(), &mut v, 1);
            assert_eq!(w, v, "{name}");
            assert_eq!(second.iterations(), 6, "{name}");
        }
    }

    #[test]
    fn the_learning_rate_can_be_set_unless_a_schedule_drives_it() {
        let mut opt = from_name("adam").expect("known");
        opt.set_learning_rate(0.01).expect("constant rate");
        assert_eq!(opt.learning_rate(), 0.01);
        assert!(opt.set_learning_rate(-1.0).is_err());
        let mut scheduled = SGD::new()
            .learning_rate_schedule(ExponentialDecay::new(0.1, 10, 0.5).expect("valid"));
        let err = scheduled.set_learning_rate(0.5).unwrap_err().to_string();
        assert!(err.contains("schedule"), "{err}");
    }
}
