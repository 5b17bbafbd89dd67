//! `RandomBrightness(factor, value_range)`: adds a random fraction of the value range
//! to each image while training.

use ndarray::{ArrayView2, ArrayViewMut2, Zip};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{
    augmentation_layer_common, image_shape, input_shape_builder, uniform, Base, Factor,
};
use crate::error::ModelError;
use crate::layers::{Layer, LayerConfig};

/// `RandomBrightness(factor, value_range=(0, 255))`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomBrightnessConfig {
    pub factor: Factor,
    pub value_range: (f32, f32),
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_shape: Option<Vec<usize>>,
}

/// Per image δ = U[lower, upper)·(v_max − v_min), then y = clip(x + δ, v_min, v_max)
/// for every pixel and channel. The factor lies in [−1, 1]; one number f means (−f, f).
/// `value_range` (Keras's default (0, 255)) must have v_min < v_max (Keras sorts a
/// reversed pair; annlab refuses it, as it is most likely a mistake).
pub struct RandomBrightness {
    factor: Factor,
    value_range: (f32, f32),
    /// (lower, upper) of the factor, set by `build`
    bounds: (f32, f32),
    /// δ of each image of the last training batch
    deltas: Vec<f32>,
    base: Base,
}

impl RandomBrightness {
    /// `RandomBrightness::new(0.2)`: brighter or darker by up to 20 % of the value range
    /// (0 – 255 unless `value_range` says otherwise).
    pub fn new(factor: impl Into<Factor>) -> Self {
        RandomBrightness {
            factor: factor.into(),
            value_range: (0.0, 255.0),
            bounds: (0.0, 0.0),
            deltas: Vec::new(),
            base: Base::new(),
        }
    }

    /// Rebuilds the layer from its config.
    pub fn from_config(c: &RandomBrightnessConfig) -> Self {
        let mut layer = Self::new(c.factor).value_range(c.value_range.0, c.value_range.1);
        layer.base.input_shape = c.input_shape.clone();
        layer
    }

    /// The range of the pixel values, `(0.0, 1.0)` for scaled images.
    pub fn value_range(mut self, lower: f32, upper: f32) -> Self {
        self.value_range = (lower, upper);
        self
    }

    input_shape_builder!();
}

impl Layer for RandomBrightness {
    fn kind(&self) -> &'static str {
        "RandomBrightness"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::RandomBrightness(RandomBrightnessConfig {
            factor: self.factor,
            value_range: self.value_range,
            input_shape: self.base.input_shape.clone(),
        })
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        let kind = self.kind();
        self.bounds = self.factor.checked(
            kind,
            "factor",
            |v| (-1.0..=1.0).contains(&v),
            "[-1, 1]",
        )?;
        let (lo, hi) = self.value_range;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(ModelError::Config {
                what: "RandomBrightness value_range".into(),
                why: format!(
                    "must be two finite numbers (lower, upper) with lower < upper, got ({lo}, {hi})"
                ),
            });
        }
        self.base.shape = image_shape(kind, input_shape)?;
        Ok(input_shape.to_vec())
    }

    augmentation_layer_common!();

    /// Training: per image δ = U[lower, upper)·(v_max − v_min), y = clip(x + δ, v_min,
    /// v_max). Inference: y = x (not clipped either, as in Keras).
    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, training: bool) {
        self.base.active = training;
        if !training {
            y.assign(&x);
            return;
        }
        let ((lower, upper), (lo, hi)) = (self.bounds, self.value_range);
        let rng = &mut self.base.rng;
        self.deltas.clear();
        self.deltas
            .extend((0..x.nrows()).map(|_| uniform(rng, lower, upper) * (hi - lo)));
        for ((xr, mut yr), &delta) in
            x.rows().into_iter().zip(y.rows_mut()).zip(&self.deltas)
        {
            Zip::from(&mut yr)
                .and(&xr)
                .for_each(|y, &x| *y = (x + delta).clamp(lo, hi));
        }
    }

    /// dL/dx += dL/dy where x + δ lies inside the value range (0 where clipped); not
    /// computed at a model's input (no `grad_x` asked).
    fn backward(
        &mut self,
        x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        let Some(mut gx) = grad_x else { return };
        if !self.base.active || self.deltas.len() != x.nrows() {
            gx += &grad_y;
            return;
        }
        let (lo, hi) = self.value_range;
        for (((xr, g), mut gxr), &delta) in x
            .rows()
            .into_iter()
            .zip(grad_y.rows())
            .zip(gx.rows_mut())
            .zip(&self.deltas)
        {
            Zip::from(&mut gxr).and(&xr).and(&g).for_each(|gx, &x, &g| {
                if (lo..=hi).contains(&(x + delta)) {
                    *gx += g;
                }
            });
        }
    }
}
