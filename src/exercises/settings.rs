//! The small types the exercises' signatures share.

use ndarray::{Array1, Array2};

/// What `dense_backward` returns: the gradients of the loss with respect to the
/// kernel `[n_inputs, units]`, the bias `[units]` and the input `[batch, n_inputs]`.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseGrads {
    pub kernel: Array2<f32>,
    pub bias: Array1<f32>,
    pub x: Array2<f32>,
}

/// `keras.optimizers.SGD(learning_rate, momentum, nesterov)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SgdSettings {
    pub learning_rate: f32,
    pub momentum: f32,
    pub nesterov: bool,
}

impl Default for SgdSettings {
    /// Keras's defaults: 0.01, no momentum, not Nesterov.
    fn default() -> Self {
        SgdSettings {
            learning_rate: 0.01,
            momentum: 0.0,
            nesterov: false,
        }
    }
}

/// `keras.optimizers.RMSprop(learning_rate, rho, epsilon)` (no momentum, not centered).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RmspropSettings {
    pub learning_rate: f32,
    pub rho: f32,
    pub epsilon: f32,
}

impl Default for RmspropSettings {
    /// Keras's defaults: 0.001, ρ 0.9, ε 1e-7.
    fn default() -> Self {
        RmspropSettings {
            learning_rate: 0.001,
            rho: 0.9,
            epsilon: 1e-7,
        }
    }
}

/// `keras.optimizers.Adam(learning_rate, beta_1, beta_2, epsilon)` (not AMSGrad).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamSettings {
    pub learning_rate: f32,
    pub beta_1: f32,
    pub beta_2: f32,
    pub epsilon: f32,
}

impl Default for AdamSettings {
    /// Keras's defaults: 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
    fn default() -> Self {
        AdamSettings {
            learning_rate: 0.001,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
        }
    }
}
