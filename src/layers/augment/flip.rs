//! `RandomFlip(mode)`: mirrors each image left–right and/or top–bottom with
//! probability ½ while training.

use ndarray::{ArrayView2, ArrayViewMut2};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::sampler::ImageShape;
use super::{
    augmentation_layer_common, image_shape, input_shape_builder, per_sample, Base,
};
use crate::error::ModelError;
use crate::layers::{Layer, LayerConfig};

/// `RandomFlip(mode)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RandomFlipConfig {
    /// "horizontal", "vertical" or "horizontal_and_vertical".
    pub mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_shape: Option<Vec<usize>>,
}

/// The modes Keras accepts.
const MODES: &str = "\"horizontal\", \"vertical\", \"horizontal_and_vertical\"";

/// Flips each image with probability ½ (one draw u ~ U[0, 1) per image, flipped when
/// u ≤ ½, as Keras draws): "horizontal" reverses the columns (x ↦ w − 1 − x),
/// "vertical" the rows (y ↦ h − 1 − y), "horizontal_and_vertical" (Keras's default) both
/// at once for the images drawn, i.e. a half turn.
pub struct RandomFlip {
    mode: String,
    /// (columns, rows) reversed when flipping, set by `build`
    axes: (bool, bool),
    /// which images of the last training batch were flipped
    flips: Vec<bool>,
    scratch: Vec<f32>,
    base: Base,
}

impl RandomFlip {
    /// `RandomFlip::new("horizontal")`: left–right mirror images.
    pub fn new(mode: &str) -> Self {
        RandomFlip {
            mode: mode.to_string(),
            axes: (false, false),
            flips: Vec::new(),
            scratch: Vec::new(),
            base: Base::new(),
        }
    }

    /// Rebuilds the layer from its config.
    pub fn from_config(c: &RandomFlipConfig) -> Self {
        let mut layer = Self::new(&c.mode);
        layer.base.input_shape = c.input_shape.clone();
        layer
    }

    input_shape_builder!();
}

impl Default for RandomFlip {
    /// Keras's default mode, "horizontal_and_vertical".
    fn default() -> Self {
        RandomFlip::new("horizontal_and_vertical")
    }
}

/// out = src with its columns and/or rows reversed: out(y, x) = src(y', x') with
/// x' = w − 1 − x if `columns`, y' = h − 1 − y if `rows`. The map is its own inverse
/// (and adjoint), so the backward pass uses it too.
fn flip_image(
    src: &[f32],
    out: &mut [f32],
    shape: ImageShape,
    (columns, rows): (bool, bool),
) {
    let ImageShape { h, w, c } = shape;
    let row = w * c;
    for y in 0..h {
        let ys = if rows { h - 1 - y } else { y };
        let (from, to) = (&src[ys * row..][..row], &mut out[y * row..][..row]);
        if !columns {
            to.copy_from_slice(from);
        } else if c == 1 {
            for (o, &s) in to.iter_mut().zip(from.iter().rev()) {
                *o = s;
            }
        } else {
            for (o, s) in to.chunks_exact_mut(c).zip(from.chunks_exact(c).rev()) {
                o.copy_from_slice(s);
            }
        }
    }
}

impl Layer for RandomFlip {
    fn kind(&self) -> &'static str {
        "RandomFlip"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::RandomFlip(RandomFlipConfig {
            mode: self.mode.clone(),
            input_shape: self.base.input_shape.clone(),
        })
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        self.axes = match self.mode.as_str() {
            "horizontal" => (true, false),
            "vertical" => (false, true),
            "horizontal_and_vertical" => (true, true),
            other => {
                return Err(ModelError::Config {
                    what: "RandomFlip mode".into(),
                    why: format!("unknown mode {other:?}; known: {MODES}"),
                })
            }
        };
        self.base.shape = image_shape(self.kind(), input_shape)?;
        Ok(input_shape.to_vec())
    }

    augmentation_layer_common!();

    /// Training: per image u ~ U[0, 1), flipped when u ≤ ½. Inference: y = x.
    fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, training: bool) {
        let mut y = y;
        self.base.active = training;
        if !training {
            y.assign(&x);
            return;
        }
        let rng = &mut self.base.rng;
        self.flips.clear();
        self.flips
            .extend((0..x.nrows()).map(|_| rng.gen::<f32>() <= 0.5));
        let (flips, shape, axes) = (&self.flips, self.base.shape, self.axes);
        per_sample(x, y, &mut self.scratch, |xs, ys, i| {
            if flips[i] {
                flip_image(xs, ys, shape, axes);
            } else {
                ys.copy_from_slice(xs);
            }
        });
    }

    /// dL/dx += F·dL/dy for the images flipped in the last pass (F, a reversal, is its
    /// own transpose); not computed at a model's input (no `grad_x` asked).
    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        let Some(mut gx) = grad_x else { return };
        if !self.base.active || self.flips.len() != grad_y.nrows() {
            gx += &grad_y;
            return;
        }
        let (shape, axes) = (self.base.shape, self.axes);
        let g = grad_y.as_standard_layout();
        self.scratch.resize(shape.len(), 0.0);
        for (i, (g, mut gxr)) in g.rows().into_iter().zip(gx.rows_mut()).enumerate() {
            if self.flips[i] {
                let g = g.to_slice().expect("standard layout rows are contiguous");
                flip_image(g, &mut self.scratch, shape, axes);
                gxr += &ndarray::ArrayView1::from(&self.scratch[..]);
            } else {
                gxr += &g;
            }
        }
    }
}
