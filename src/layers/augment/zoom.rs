//! `RandomZoom(height_factor, width_factor)`: scales each image about its centre by a
//! random factor while training.

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

/// `RandomZoom(height_factor, width_factor=None, fill_mode=…, interpolation=…,
/// fill_value=…)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomZoomConfig {
    pub height_factor: Factor,
    /// `None`: the width is scaled as the height (one draw for both).
    pub width_factor: Option<Factor>,
    pub fill_mode: String,
    pub interpolation: String,
    pub fill_value: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_shape: Option<Vec<usize>>,
}

/// Scales each image about its centre: with zy = 1 + U[h_lower, h_upper) and
/// zx = 1 + U[w_lower, w_upper) (zx = zy without a width factor), output pixel (x, y)
/// reads the input at x' = zx·x + (w − 1)/2·(1 − zx), y' = zy·y + (h − 1)/2·(1 − zy).
/// As in Keras 3, a **positive factor zooms out** (the output shows more of the image,
/// smaller) and a negative one zooms in. Factors lie in (−1, 1]; one number f means
/// (−f, f).
pub struct RandomZoom {
    height_factor: Factor,
    width_factor: Option<Factor>,
    /// (lower, upper) of each factor, set by `build`
    height: (f32, f32),
    width: Option<(f32, f32)>,
    resampling: Resampling,
    base: Base,
}

impl RandomZoom {
    /// `RandomZoom(0.2)` zooms in or out by up to 20 %, keeping the aspect ratio;
    /// `RandomZoom((-0.3, -0.1))` only zooms in. `width_factor` scales the width
    /// separately.
    pub fn new(height_factor: impl Into<Factor>) -> Self {
        RandomZoom {
            height_factor: height_factor.into(),
            width_factor: None,
            height: (0.0, 0.0),
            width: None,
            resampling: Resampling::new(),
            base: Base::new(),
        }
    }

    /// Rebuilds the layer from its config.
    pub fn from_config(c: &RandomZoomConfig) -> Self {
        let mut layer = Self::new(c.height_factor)
            .fill_mode(&c.fill_mode)
            .interpolation(&c.interpolation)
            .fill_value(c.fill_value);
        layer.width_factor = c.width_factor;
        layer.base.input_shape = c.input_shape.clone();
        layer
    }

    /// Scales the width by its own draw from this factor (Keras's `width_factor`).
    pub fn width_factor(mut self, factor: impl Into<Factor>) -> Self {
        self.width_factor = Some(factor.into());
        self
    }

    resampling_builders!();

    input_shape_builder!();
}

impl Layer for RandomZoom {
    fn kind(&self) -> &'static str {
        "RandomZoom"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::RandomZoom(RandomZoomConfig {
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
        // Keras refuses −1 (a zoom of 0) and beyond
        let in_range = |v: f32| v > -1.0 && v <= 1.0;
        self.height =
            self.height_factor
                .checked(kind, "height_factor", in_range, "(-1, 1]")?;
        self.width = match self.width_factor {
            Some(f) => Some(f.checked(kind, "width_factor", in_range, "(-1, 1]")?),
            None => None,
        };
        self.resampling.build(kind)?;
        self.base.shape = image_shape(kind, input_shape)?;
        Ok(input_shape.to_vec())
    }

    augmentation_layer_common!();

    /// Training: per sample zy = 1 + U[h_lower, h_upper), then (for the whole batch, as
    /// Keras draws) zx = 1 + U[w_lower, w_upper), or zx = zy without a width factor;
    /// the scaling about the centre (see the type's documentation). Inference: y = x.
    fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, training: bool) {
        let (height, width, shape) = (self.height, self.width, self.base.shape);
        resampling_forward(
            &mut self.base,
            &mut self.resampling,
            x,
            y,
            training,
            |rng, n, out| {
                let (cx, cy) =
                    ((shape.w as f64 - 1.0) / 2.0, (shape.h as f64 - 1.0) / 2.0);
                for _ in 0..n {
                    let zy = f64::from(uniform(rng, 1.0 + height.0, 1.0 + height.1));
                    out.push(Affine {
                        a: [zy, 0.0, cx * (1.0 - zy)],
                        b: [0.0, zy, cy * (1.0 - zy)],
                    });
                }
                if let Some(width) = width {
                    for t in out.iter_mut() {
                        let zx = f64::from(uniform(rng, 1.0 + width.0, 1.0 + width.1));
                        t.a = [zx, 0.0, cx * (1.0 - zx)];
                    }
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
