//! `OptimizerConfig`: an optimizer's class and settings as data (Keras's
//! `optimizer.get_config()` / `from_config`), so a saved model can rebuild the optimizer
//! it was compiled with. The state that training changes (step count, slots) is not
//! here: that is `OptimizerState`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::*;
use crate::error::ModelError;

/// One optimizer's settings, tagged by its Keras class name
/// (`{"Adam": {"beta_1": 0.9, …}}` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OptimizerSettings {
    SGD {
        momentum: f32,
        nesterov: bool,
    },
    Adagrad {
        initial_accumulator_value: f32,
        epsilon: f32,
    },
    RMSprop {
        rho: f32,
        momentum: f32,
        epsilon: f32,
        centered: bool,
    },
    Adam {
        beta_1: f32,
        beta_2: f32,
        epsilon: f32,
        amsgrad: bool,
    },
    Adadelta {
        rho: f32,
        epsilon: f32,
    },
    Nadam {
        beta_1: f32,
        beta_2: f32,
        epsilon: f32,
    },
    Adamax {
        beta_1: f32,
        beta_2: f32,
        epsilon: f32,
    },
}

/// A learning rate as data: a constant or one of the built-in schedules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LearningRateConfig {
    Constant(f32),
    ExponentialDecay {
        initial_learning_rate: f32,
        decay_steps: u64,
        decay_rate: f32,
        staircase: bool,
    },
    PiecewiseConstantDecay {
        boundaries: Vec<u64>,
        values: Vec<f32>,
    },
}

/// Everything that builds an optimizer afresh: class and settings, learning rate (or
/// schedule) and gradient clipping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptimizerConfig {
    pub settings: OptimizerSettings,
    pub learning_rate: LearningRateConfig,
    pub clip: Clip,
}

impl OptimizerConfig {
    /// The config of `optimizer`; an error for a learner's own optimizer or schedule,
    /// which annlab cannot rebuild from data.
    pub fn of(optimizer: &dyn Optimizer) -> Result<Self, ModelError> {
        let settings = optimizer.settings().ok_or_else(|| ModelError::Config {
            what: format!("optimizer {}", optimizer.name()),
            why: "it has no settings to save: implement Optimizer::settings, or save \
                  the weights only (save_weights)"
                .into(),
        })?;
        let base = optimizer.base();
        let learning_rate = match &base.lr {
            LearningRate::Constant(lr) => LearningRateConfig::Constant(*lr),
            LearningRate::Schedule(s) => {
                s.config().ok_or_else(|| ModelError::Config {
                    what: format!("learning-rate schedule {s:?}"),
                    why: "a schedule of your own cannot be saved: implement \
                      LearningRateSchedule::config, or save the weights only"
                        .into(),
                })?
            }
        };
        Ok(OptimizerConfig {
            settings,
            learning_rate,
            clip: base.clip,
        })
    }

    /// A fresh optimizer (no steps taken) with these settings, checked by `validate`.
    pub fn build(&self) -> Result<Box<dyn Optimizer>, ModelError> {
        use OptimizerSettings as S;
        let mut optimizer: Box<dyn Optimizer> = match self.settings {
            S::SGD { momentum, nesterov } => {
                Box::new(SGD::new().momentum(momentum).nesterov(nesterov))
            }
            S::Adagrad {
                initial_accumulator_value,
                epsilon,
            } => Box::new(
                Adagrad::new()
                    .initial_accumulator_value(initial_accumulator_value)
                    .epsilon(epsilon),
            ),
            S::RMSprop {
                rho,
                momentum,
                epsilon,
                centered,
            } => Box::new(
                RMSprop::new()
                    .rho(rho)
                    .momentum(momentum)
                    .epsilon(epsilon)
                    .centered(centered),
            ),
            S::Adam {
                beta_1,
                beta_2,
                epsilon,
                amsgrad,
            } => Box::new(
                Adam::new()
                    .beta_1(beta_1)
                    .beta_2(beta_2)
                    .epsilon(epsilon)
                    .amsgrad(amsgrad),
            ),
            S::Adadelta { rho, epsilon } => {
                Box::new(Adadelta::new().rho(rho).epsilon(epsilon))
            }
            S::Nadam {
                beta_1,
                beta_2,
                epsilon,
            } => Box::new(Nadam::new().beta_1(beta_1).beta_2(beta_2).epsilon(epsilon)),
            S::Adamax {
                beta_1,
                beta_2,
                epsilon,
            } => Box::new(Adamax::new().beta_1(beta_1).beta_2(beta_2).epsilon(epsilon)),
        };
        let base = optimizer.base_mut();
        base.lr = match &self.learning_rate {
            LearningRateConfig::Constant(lr) => LearningRate::Constant(*lr),
            LearningRateConfig::ExponentialDecay {
                initial_learning_rate,
                decay_steps,
                decay_rate,
                staircase,
            } => LearningRate::Schedule(Arc::new(
                ExponentialDecay::new(*initial_learning_rate, *decay_steps, *decay_rate)?
                    .staircase(*staircase),
            )),
            LearningRateConfig::PiecewiseConstantDecay { boundaries, values } => {
                LearningRate::Schedule(Arc::new(PiecewiseConstantDecay::new(
                    boundaries, values,
                )?))
            }
        };
        base.clip = self.clip;
        optimizer.validate()?;
        Ok(optimizer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every optimizer with settings away from Keras's defaults, a schedule or a clip.
    fn unusual() -> Vec<Box<dyn Optimizer>> {
        let decay = ExponentialDecay::new(0.1, 7, 0.5)
            .expect("valid")
            .staircase(true);
        let steps =
            PiecewiseConstantDecay::new(&[3, 9], &[0.3, 0.2, 0.1]).expect("valid");
        vec![
            Box::new(SGD::new().momentum(0.8).nesterov(true).clipnorm(1.5)),
            Box::new(Adagrad::new().initial_accumulator_value(0.2).epsilon(1e-6)),
            Box::new(
                RMSprop::new()
                    .rho(0.8)
                    .momentum(0.5)
                    .centered(true)
                    .clipvalue(2.0),
            ),
            Box::new(
                Adam::new()
                    .beta_1(0.8)
                    .beta_2(0.99)
                    .amsgrad(true)
                    .learning_rate(0.003),
            ),
            Box::new(Adadelta::new().rho(0.9).learning_rate_schedule(decay)),
            Box::new(Nadam::new().beta_2(0.98).epsilon(1e-5).global_clipnorm(3.0)),
            Box::new(Adamax::new().beta_1(0.7).learning_rate_schedule(steps)),
        ]
    }

    #[test]
    fn every_optimizer_is_rebuilt_from_its_config_through_json() {
        for optimizer in unusual() {
            let config = OptimizerConfig::of(optimizer.as_ref()).expect("saveable");
            let json = serde_json::to_string(&config).expect("serialises");
            let back: OptimizerConfig = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, config, "{json}");
            let rebuilt = back.build().expect("valid settings");
            assert_eq!(rebuilt.name(), optimizer.name());
            assert_eq!(
                OptimizerConfig::of(rebuilt.as_ref()).expect("saveable"),
                config
            );
        }
    }

    #[test]
    fn a_rebuilt_optimizer_steps_exactly_as_the_original() {
        use crate::layers::Param;
        for mut optimizer in unusual() {
            let mut rebuilt = OptimizerConfig::of(optimizer.as_ref())
                .and_then(|c| c.build())
                .expect("rebuilds");
            let (mut w, mut v) = ([1.0f32, -2.0, 3.5], [1.0f32, -2.0, 3.5]);
            for _ in 0..12 {
                for (opt, w) in [(&mut optimizer, &mut w), (&mut rebuilt, &mut v)] {
                    let mut g = [w[0] * 3.0, w[1], -w[2]];
                    opt.step(&mut [Param {
                        name: "kernel",
                        path: "dense/kernel",
                        value: w,
                        grad: &mut g,
                    }]);
                }
            }
            assert_eq!(w, v, "{}", optimizer.name());
        }
    }

    #[test]
    fn invalid_settings_in_a_config_are_an_error() {
        let mut config = OptimizerConfig::of(&Adam::new()).expect("saveable");
        config.settings = OptimizerSettings::Adam {
            beta_1: 1.0,
            beta_2: 0.999,
            epsilon: 1e-7,
            amsgrad: false,
        };
        let err = config.build().err().expect("β₁ = 1 is refused").to_string();
        assert!(err.contains("beta_1"), "{err}");
    }
}
