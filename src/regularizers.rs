//! Weight regularizers, as `keras.regularizers`: a penalty on a layer's weights that
//! training adds to the loss.
//!
//! ```
//! use annlab::prelude::*;
//! use annlab::regularizers::{l1_l2, l2};
//!
//! let mut model = Sequential::new(42);
//! model.add(Dense::new(100).activation(Activation::Relu).input_shape(&[784])
//!     .kernel_regularizer(l2(1e-3)));                 // + 0.001·Σ W²
//! model.add(Dense::new(10).activation(Activation::Softmax)
//!     .kernel_regularizer(l1_l2(1e-4, 1e-3)));        // + 1e-4·Σ|W| + 1e-3·Σ W²
//! # Ok::<(), annlab::error::ModelError>(())
//! ```
//!
//! With Keras 3's semantics: a regularized tensor w adds
//!
//! - penalty(w) = l1·Σ|wᵢ| + l2·Σwᵢ² to the loss of every batch, in `fit` and in
//!   `evaluate` (so `val_loss` too), computed from the weights before the batch's update
//!   (Keras reads them in the forward pass);
//! - ∂penalty/∂wᵢ = l1·sign(wᵢ) + 2·l2·wᵢ to the gradient, with sign(0) = 0 (as
//!   TensorFlow's and JAX's gradient of |x| at 0).
//!
//! Keras sums the penalty in the weights' dtype, f32; annlab sums it in f64, as it
//! computes every loss, so that a layer of 78,400 weights loses no digits to the sum
//! (the two agree to f32's precision, about 1e-7 relative). The per-output losses of a
//! model with several outputs (`<output>_loss`) exclude the penalty, as in Keras; the
//! total `loss` includes it once.

use serde::{Deserialize, Serialize};

use crate::error::ModelError;

/// l1·Σ|w| + l2·Σw²: Keras's `L1L2(l1, l2)`; `l1(λ)` and `l2(λ)` are the cases with one
/// factor 0. Both factors are finite and ≥ 0 (checked when the layer is built).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Regularizer {
    #[serde(default)]
    pub l1: f32,
    #[serde(default)]
    pub l2: f32,
}

/// `keras.regularizers.l1(λ)`: λ·Σ|w|. Keras's default, for `kernel_regularizer="l1"`,
/// is λ = 0.01.
pub fn l1(lambda: f32) -> Regularizer {
    Regularizer {
        l1: lambda,
        l2: 0.0,
    }
}

/// `keras.regularizers.l2(λ)`: λ·Σw². Keras's default, for `kernel_regularizer="l2"`,
/// is λ = 0.01.
pub fn l2(lambda: f32) -> Regularizer {
    Regularizer {
        l1: 0.0,
        l2: lambda,
    }
}

/// `keras.regularizers.l1_l2(l1, l2)`: l1·Σ|w| + l2·Σw². (Keras's `L1L2()` defaults
/// both to 0, its `l1_l2()` function both to 0.01: give them explicitly.)
pub fn l1_l2(l1: f32, l2: f32) -> Regularizer {
    Regularizer { l1, l2 }
}

impl Regularizer {
    /// Keras's `validate_float_arg`: each factor finite and ≥ 0; otherwise a
    /// `ModelError::Config` naming `what` (`"dense_1 kernel_regularizer"`) and the factor.
    pub fn validate(&self, what: &str) -> Result<(), ModelError> {
        for (name, value) in [("l1", self.l1), ("l2", self.l2)] {
            if !value.is_finite() || value < 0.0 {
                return Err(ModelError::Config {
                    what: what.to_string(),
                    why: format!(
                        "{name} must be a finite number ≥ 0 (a penalty factor), got {value}"
                    ),
                });
            }
        }
        Ok(())
    }

    /// penalty(w) = l1·Σ|wᵢ| + l2·Σwᵢ², summed in f64. A term whose factor is 0 is not
    /// computed (as Keras skips it), so a non-finite weight does not make it NaN.
    pub fn penalty(&self, w: &[f32]) -> f64 {
        let mut total = 0.0;
        if self.l1 != 0.0 {
            let sum: f64 = w.iter().map(|&v| f64::from(v).abs()).sum();
            total += f64::from(self.l1) * sum;
        }
        if self.l2 != 0.0 {
            let sum: f64 = w.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
            total += f64::from(self.l2) * sum;
        }
        total
    }

    /// grad += ∂penalty/∂w = l1·sign(w) + 2·l2·w, elementwise in f32 (sign(0) = 0).
    pub fn add_gradient(&self, w: &[f32], grad: &mut [f32]) {
        let (l1, two_l2) = (self.l1, 2.0 * self.l2);
        for (g, &v) in grad.iter_mut().zip(w) {
            let sign = if v > 0.0 {
                1.0
            } else if v < 0.0 {
                -1.0
            } else {
                0.0
            };
            *g += l1 * sign + two_l2 * v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::{compare, numerical_gradient};

    #[test]
    fn the_penalty_is_l1_times_the_sum_of_magnitudes_plus_l2_times_the_sum_of_squares() {
        let w = [1.0f32, -2.0, 0.5, 0.0];
        // Σ|w| = 3.5, Σw² = 1 + 4 + 0.25 = 5.25
        assert_eq!(l1(0.1).penalty(&w), f64::from(0.1f32) * 3.5);
        assert_eq!(l2(0.01).penalty(&w), f64::from(0.01f32) * 5.25);
        let both = l1_l2(0.1, 0.01).penalty(&w);
        assert!((both - (0.35 + 0.0525)).abs() < 1e-8, "{both}");
        assert_eq!(Regularizer::default().penalty(&w), 0.0);
    }

    #[test]
    fn the_gradient_is_l1_sign_plus_twice_l2_w_with_sign_of_zero_zero() {
        let w = [1.0f32, -2.0, 0.5, 0.0];
        let mut grad = [10.0f32; 4];
        l1_l2(0.1, 0.01).add_gradient(&w, &mut grad);
        // 10 + 0.1·sign(w) + 0.02·w
        let expected = [
            10.0 + 0.1 + 0.02,
            10.0 - 0.1 - 0.04,
            10.0 + 0.1 + 0.01,
            10.0,
        ];
        for (g, e) in grad.iter().zip(expected) {
            assert!((g - e).abs() < 1e-6, "{grad:?}");
        }
    }

    #[test]
    fn the_gradient_matches_finite_differences_away_from_zero() {
        // every |w| > h = 1e-2, so no difference straddles |w|'s kink at 0
        let mut w = vec![0.7f32, -0.3, 0.05, -1.2, 2.0];
        let reg = l1_l2(0.3, 0.2);
        let mut analytic = vec![0.0f32; w.len()];
        reg.add_gradient(&w, &mut analytic);
        let numeric = numerical_gradient(&mut w, 1e-2, |v| reg.penalty(v));
        compare("l1_l2 gradient", &analytic, &numeric).unwrap();
    }

    #[test]
    fn a_negative_or_non_finite_factor_is_a_clear_error() {
        let err = l2(-1e-3).validate("dense kernel_regularizer").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid dense kernel_regularizer: l2 must be a finite number ≥ 0 (a penalty \
             factor), got -0.001"
        );
        let err = l1(f32::NAN).validate("dense bias_regularizer").unwrap_err();
        assert!(
            err.to_string().contains("l1 must be a finite number"),
            "{err}"
        );
        assert!(l1_l2(f32::INFINITY, 0.0).validate("x").is_err());
        assert!(l1_l2(0.0, 0.0).validate("x").is_ok());
    }

    #[test]
    fn a_regularizer_reads_and_writes_keras_s_config_keys() {
        let json = serde_json::to_string(&l1_l2(1e-4, 1e-3)).unwrap();
        assert_eq!(json, r#"{"l1":0.0001,"l2":0.001}"#);
        let back: Regularizer = serde_json::from_str(r#"{"l2":0.001}"#).unwrap();
        assert_eq!(back, l2(1e-3));
    }
}
