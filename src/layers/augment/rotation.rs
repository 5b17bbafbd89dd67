//! `RandomRotation(factor)`: rotates each image about its centre by a random fraction
//! of a full turn while training.

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

/// `RandomRotation(factor, fill_mode=…, interpolation=…, fill_value=…)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomRotationConfig {
    pub factor: Factor,
    pub fill_mode: String,
    pub interpolation: String,
    pub fill_value: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_shape: Option<Vec<usize>>,
}

/// Rotates each image by θ = U[lower, upper)·2π about its centre (cx, cy) =
/// ((w − 1)/2, (h − 1)/2), counter-clockwise on screen for positive θ: output pixel
/// (x, y) reads the input at x' = cx + cos θ·(x − cx) − sin θ·(y − cy),
/// y' = cy + sin θ·(x − cx) + cos θ·(y − cy). The factor lies in [−1, 1] (a fraction of
/// a full turn); one number f means (−f, f).
pub struct RandomRotation {
    factor: Factor,
    /// (lower, upper) of the factor, set by `build`
    bounds: (f32, f32),
    resampling: Resampling,
    base: Base,
}

impl RandomRotation {
    /// `RandomRotation(0.1)` rotates by up to 36° either way; `RandomRotation((0.0,
    /// 0.25))` only counter-clockwise, by up to 90°.
    pub fn new(factor: impl Into<Factor>) -> Self {
        RandomRotation {
            factor: factor.into(),
            bounds: (0.0, 0.0),
            resampling: Resampling::new(),
            base: Base::new(),
        }
    }

    /// Rebuilds the layer from its config.
    pub fn from_config(c: &RandomRotationConfig) -> Self {
        let mut layer = Self::new(c.factor)
            .fill_mode(&c.fill_mode)
            .interpolation(&c.interpolation)
            .fill_value(c.fill_value);
        layer.base.input_shape = c.input_shape.clone();
        layer
    }

    resampling_builders!();

    input_shape_builder!();
}

impl Layer for RandomRotation {
    fn kind(&self) -> &'static str {
        "RandomRotation"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::RandomRotation(RandomRotationConfig {
            factor: self.factor,
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
        self.bounds = self.factor.checked(kind, "factor", in_range, "[-1, 1]")?;
        self.resampling.build(kind)?;
        self.base.shape = image_shape(kind, input_shape)?;
        Ok(input_shape.to_vec())
    }

    augmentation_layer_common!();

    /// Training: per sample θ = U[360·lower, 360·upper) degrees (drawn in degrees, as
    /// Keras does), and the rotation about the centre (see the type's documentation).
    /// Inference: y = x.
    fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, training: bool) {
        let (bounds, shape) = (self.bounds, self.base.shape);
        resampling_forward(
            &mut self.base,
            &mut self.resampling,
            x,
            y,
            training,
            |rng, n, out| {
                let (cx, cy) =
                    (0.5 * (shape.w as f64 - 1.0), 0.5 * (shape.h as f64 - 1.0));
                for _ in 0..n {
                    let degrees = uniform(rng, bounds.0 * 360.0, bounds.1 * 360.0);
                    let (sin, cos) = f64::from(degrees).to_radians().sin_cos();
                    // [a0 a1; b0 b1] = [cos −sin; sin cos]; a2, b2 keep the centre fixed
                    let (a0, a1, b0, b1) = (cos, -sin, sin, cos);
                    out.push(Affine {
                        a: [a0, a1, cx - cx * a0 - cy * a1],
                        b: [b0, b1, cy - cx * b0 - cy * b1],
                    });
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
