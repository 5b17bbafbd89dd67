//! `RandomTranslation(height_factor, width_factor)`: shifts each image by a random
//! fraction of its height and width while training.

use ndarray::{ArrayView2, ArrayViewMut2};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::sampler::Affine;
use super::{
    augmentation_layer_common, image_shape, input_shape_builder, resampling_backward,
    resampling_builders, resampling_forward, uniform, Base, Factor, Resampling,
};
use crate::error::ModelError;
use crate::layers::{Layer, LayerConfig};

/// `RandomTranslation(height_factor, width_factor, fill_mode=…, interpolation=…,
/// fill_value=…)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomTranslationConfig {
    pub height_factor: Factor,
    pub width_factor: Factor,
    pub fill_mode: String,
    pub interpolation: String,
    pub fill_value: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_shape: Option<Vec<usize>>,
}

/// Shifts each image by (dy, dx) = (U[h_lower, h_upper)·h, U[w_lower, w_upper)·w)
/// pixels, down and right for positive values: output pixel (x, y) reads the input at
/// (x − dx, y − dy). Factors lie in [−1, 1]; one number f means (−f, f).
pub struct RandomTranslation {
    height_factor: Factor,
    width_factor: Factor,
    /// (lower, upper) of each factor, set by `build`
    height: (f32, f32),
    width: (f32, f32),
    resampling: Resampling,
    base: Base,
}

impl RandomTranslation {
    /// `RandomTranslation(0.1, 0.1)` shifts by up to 10 % of the height and width either
    /// way; `RandomTranslation((0.0, 0.2), 0.0)` only downwards.
    pub fn new(
        height_factor: impl Into<Factor>,
        width_factor: impl Into<Factor>,
    ) -> Self {
        RandomTranslation {
            height_factor: height_factor.into(),
            width_factor: width_factor.into(),
            height: (0.0, 0.0),
            width: (0.0, 0.0),
            resampling: Resampling::new(),
            base: Base::new(),
        }
    }

    /// Rebuilds the layer from its config.
    pub fn from_config(c: &RandomTranslationConfig) -> Self {
        let mut layer = Self::new(c.height_factor, c.width_factor)
            .fill_mode(&c.fill_mode)
            .interpolation(&c.interpolation)
            .fill_value(c.fill_value);
        layer.base.input_shape = c.input_shape.clone();
        layer
    }

    resampling_builders!();

    input_shape_builder!();
}

impl Layer for RandomTranslation {
    fn kind(&self) -> &'static str {
        "RandomTranslation"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::RandomTranslation(RandomTranslationConfig {
            height_factor: self.height_factor,
            width_factor: self.width_factor,
            fill_mode: self.resampling.fill_mode.clone(),
            interpolation: self.resampling.interpolation.clone(),
            fill_value: self.resampling.fill_value,
            input_shape: self.base.input_shape.clone(),
        })
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        let kind = self.kind();
        let in_range = |v: f32| (-1.0..=1.0).contains(&v);
        self.height =
            self.height_factor
                .checked(kind, "height_factor", in_range, "[-1, 1]")?;
        self.width =
            self.width_factor
                .checked(kind, "width_factor", in_range, "[-1, 1]")?;
        self.resampling.build(kind)?;
        self.base.shape = image_shape(kind, input_shape)?;
        Ok(input_shape.to_vec())
    }

    augmentation_layer_common!();

    /// Training: per sample dy = U[h_lower, h_upper)·h, then (for the whole batch, as
    /// Keras draws) dx = U[w_lower, w_upper)·w; transform x' = x − dx, y' = y − dy.
    /// Inference: y = x.
    fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, training: bool) {
        let (height, width, shape) = (self.height, self.width, self.base.shape);
        resampling_forward(
            &mut self.base,
            &mut self.resampling,
            x,
            y,
            training,
            |rng, n, out| {
                for _ in 0..n {
                    let dy = uniform(rng, height.0, height.1) * shape.h as f32;
                    out.push(Affine {
                        a: [1.0, 0.0, 0.0],
                        b: [0.0, 1.0, -f64::from(dy)],
                    });
                }
                for t in out.iter_mut() {
                    let dx = uniform(rng, width.0, width.1) * shape.w as f32;
                    t.a[2] = -f64::from(dx);
                }
            },
        );
    }

    /// dL/dx += Sᵀ·dL/dy for the last draw (not computed at a model's input, where the
    /// model asks for no input gradient).
    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        resampling_backward(&self.base, &self.resampling, grad_y, grad_x);
    }
}
