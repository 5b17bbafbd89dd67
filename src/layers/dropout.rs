//! `Dropout`: while training, zero each input with probability `rate` and scale the
//! kept ones by 1/(1 − rate) (inverted dropout), so inference needs no rescaling.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Zip};
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{elements, within_limit, DropoutConfig, Layer, LayerConfig};
use crate::error::{shape_str, ModelError};

/// `Dropout(rate)`: no parameters; acts only inside `fit`.
pub struct Dropout {
    rate: f32,
    size: usize,
    /// The layer's own generator, seeded by the model (`set_generator`), so that the
    /// same seed draws the same masks run after run.
    rng: ChaCha8Rng,
    /// mask of the last training forward pass: 0 (dropped) or 1/(1 − rate) (kept),
    /// [batch, size]
    mask: Array2<f32>,
    /// whether the last forward pass was in training mode (and `mask` applies)
    masked: bool,
    /// reuse `mask` instead of drawing a new one (for gradient checks)
    frozen: bool,
}

impl Dropout {
    /// Drops each input with probability `rate`, which must lie in [0, 1).
    pub fn new(rate: f32) -> Self {
        Dropout {
            rate,
            size: 0,
            rng: ChaCha8Rng::seed_from_u64(0),
            mask: Array2::zeros((0, 0)),
            masked: false,
            frozen: false,
        }
    }

    /// The drop probability.
    pub fn rate(&self) -> f32 {
        self.rate
    }

    /// Keeps the mask of the last training pass for every later one (a gradient check
    /// needs the same mask in every forward pass).
    pub fn freeze_mask(&mut self, frozen: bool) {
        self.frozen = frozen;
    }
}

impl Layer for Dropout {
    fn kind(&self) -> &'static str {
        "Dropout"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::Dropout(DropoutConfig { rate: self.rate })
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        if !(0.0..1.0).contains(&self.rate) {
            return Err(ModelError::Config {
                what: "Dropout rate".into(),
                why: format!(
                    "must be in [0, 1) (the share of inputs dropped), got {}",
                    self.rate
                ),
            });
        }
        self.size = within_limit(
            elements(input_shape),
            || format!("Dropout input {}", shape_str(input_shape, false)),
            "each sample would hold",
        )?;
        Ok(input_shape.to_vec())
    }

    fn planned_param_count(&self, _input_shape: &[usize]) -> Option<u128> {
        Some(0)
    }

    fn output_size(&self) -> usize {
        self.size
    }

    fn set_generator(&mut self, rng: ChaCha8Rng) {
        self.rng = rng;
    }

    fn generator_position(&self) -> Option<u128> {
        Some(self.rng.get_word_pos())
    }

    fn set_generator_position(&mut self, position: u128) {
        self.rng.set_word_pos(position);
    }

    // ANCHOR: forward
    /// Training: m = [u ≥ rate] / (1 − rate) with u ~ U[0, 1) per input, y = x ⊙ m.
    /// Inference: y = x.
    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, training: bool) {
        self.masked = training && self.rate > 0.0;
        if !self.masked {
            y.assign(&x);
            return;
        }
        if !self.frozen || self.mask.dim() != x.dim() {
            if self.mask.dim() != x.dim() {
                self.mask = Array2::zeros(x.dim());
            }
            let (rate, scale) = (self.rate, 1.0 / (1.0 - self.rate));
            for m in self.mask.iter_mut() {
                *m = if self.rng.gen::<f32>() >= rate {
                    scale
                } else {
                    0.0
                };
            }
        }
        Zip::from(&mut y)
            .and(&x)
            .and(&self.mask)
            .for_each(|y, &x, &m| *y = x * m);
    }
    // ANCHOR_END: forward

    /// dL/dx += m ⊙ dL/dy (the same mask as the forward pass; 1 outside training).
    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        let Some(mut gx) = grad_x else { return };
        if self.masked {
            Zip::from(&mut gx)
                .and(&grad_y)
                .and(&self.mask)
                .for_each(|gx, &g, &m| *gx += g * m);
        } else {
            gx += &grad_y;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::check_layer_training;
    use ndarray::Array2;

    fn built(rate: f32, size: usize, seed: u64) -> Dropout {
        let mut layer = Dropout::new(rate);
        layer
            .build(&[size], &mut ChaCha8Rng::seed_from_u64(0))
            .unwrap();
        layer.set_generator(ChaCha8Rng::seed_from_u64(seed));
        layer
    }

    #[test]
    fn dropout_scales_kept_units_and_drops_about_rate_of_them() {
        let mut layer = built(0.3, 1000, 1);
        let x = Array2::from_elem((20, 1000), 2.0f32);
        let mut y = Array2::zeros((20, 1000));
        layer.forward(x.view(), y.view_mut(), true);
        let kept = y.iter().filter(|&&v| v != 0.0).count();
        // 20,000 draws at p = 0.7: mean 14,000, sd ≈ 65; 5 sd either side
        assert!((13_675..=14_325).contains(&kept), "{kept}");
        // kept units are 2 / 0.7
        assert!(y.iter().all(|&v| v == 0.0 || v == 2.0 / 0.7));
    }

    #[test]
    fn dropout_is_the_identity_outside_training() {
        let mut layer = built(0.5, 4, 1);
        let x = Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f32);
        let mut y = Array2::zeros((3, 4));
        layer.forward(x.view(), y.view_mut(), false);
        assert_eq!(y, x);
    }

    #[test]
    fn the_same_generator_draws_the_same_masks() {
        let x = Array2::from_elem((8, 16), 1.0f32);
        let run = |seed| {
            let mut layer = built(0.3, 16, seed);
            let mut y = Array2::zeros((8, 16));
            layer.forward(x.view(), y.view_mut(), true);
            y
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn a_rate_outside_zero_to_one_is_a_clear_error() {
        for rate in [-0.1, 1.0, f32::NAN] {
            let err = Dropout::new(rate)
                .build(&[4], &mut ChaCha8Rng::seed_from_u64(0))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("Dropout rate") && err.contains("[0, 1)"),
                "{err}"
            );
        }
    }

    #[test]
    fn dropout_backward_matches_finite_differences_with_a_fixed_mask() {
        let mut layer = built(0.4, 6, 3);
        layer.freeze_mask(true);
        check_layer_training(&mut layer, 4, 6, 5).unwrap();
    }
}
