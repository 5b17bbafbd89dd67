//! Augmentation layers, Keras 3's image preprocessing layers: each draws a random
//! transform per sample and per batch while training (`fit`), and copies its input
//! unchanged otherwise (`predict`, `evaluate`).
//!
//! - `RandomFlip(mode)`: mirror left–right and/or top–bottom with probability ½;
//! - `RandomTranslation(height_factor, width_factor)`: shift by a fraction of the size;
//! - `RandomRotation(factor)`: rotate about the centre by a fraction of 2π;
//! - `RandomZoom(height_factor, width_factor)`: scale about the centre;
//! - `RandomBrightness(factor, value_range)`: add a fraction of the value range.
//!
//! They take samples of shape `(h, w)` (one channel) or `(h, w, c)`, stored flat
//! row-major as every annlab batch is, and give the same shape. The three geometric
//! layers share one resampler (`sampler`: bilinear interpolation, `fill_mode`
//! "reflect" by Keras's defaults). Each layer draws from its own generator, which the
//! model seeds from its seed (`Layer::set_generator`), so the same seed augments the
//! same way bit for bit. Settings are checked at `build`, as `Dense` and `Dropout` do:
//! a bad one is a `ModelError::Config` naming the layer and the setting.
//!
//! Gradient: every one of these maps is linear in its input for a fixed draw (flip and
//! resampling: a fixed weighted sum of input pixels; brightness: x + δ, clipped), so
//! `backward` adds the exact dL/dx of the last forward pass when the model asks for it
//! (at a model's input it does not, and nothing is computed).

mod brightness;
mod flip;
mod rotation;
mod sampler;
mod translation;
mod zoom;

pub use brightness::{RandomBrightness, RandomBrightnessConfig};
pub use flip::{RandomFlip, RandomFlipConfig};
pub use rotation::{RandomRotation, RandomRotationConfig};
pub use translation::{RandomTranslation, RandomTranslationConfig};
pub use zoom::{RandomZoom, RandomZoomConfig};

use ndarray::{ArrayView2, ArrayViewMut2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{elements, within_limit};
use crate::error::{shape_str, ModelError};
use sampler::{Affine, Fill, ImageShape, Interpolation};

/// A factor as Keras takes it: one number f, meaning the range (−|f|, |f|), or a
/// `(lower, upper)` pair (sorted, as Keras sorts it). In JSON: `0.1` or `[0.1, 0.2]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Factor {
    Single(f32),
    Range(f32, f32),
}

impl From<f32> for Factor {
    fn from(f: f32) -> Self {
        Factor::Single(f)
    }
}

impl From<(f32, f32)> for Factor {
    fn from((lower, upper): (f32, f32)) -> Self {
        Factor::Range(lower, upper)
    }
}

impl Factor {
    /// (lower, upper): (−|f|, |f|) for one number, the sorted pair otherwise.
    pub fn bounds(self) -> (f32, f32) {
        match self {
            Factor::Single(f) => (-f.abs(), f.abs()),
            Factor::Range(a, b) => (a.min(b), a.max(b)),
        }
    }

    /// The bounds, after checking that every number given is finite and passes `ok`
    /// (`range` says what `ok` accepts, for the error).
    fn checked(
        self,
        kind: &str,
        name: &str,
        ok: impl Fn(f32) -> bool,
        range: &str,
    ) -> Result<(f32, f32), ModelError> {
        let given = match self {
            Factor::Single(f) => vec![f],
            Factor::Range(a, b) => vec![a, b],
        };
        if let Some(bad) = given.iter().find(|&&v| !v.is_finite() || !ok(v)) {
            return Err(ModelError::Config {
                what: format!("{kind} {name}"),
                why: format!(
                    "must be a number or a (lower, upper) pair of numbers in {range}, got {bad}"
                ),
            });
        }
        Ok(self.bounds())
    }
}

/// The image shape of a sample: `(h, w)` is one channel, `(h, w, c)` is c channels.
fn image_shape(
    kind: &'static str,
    input_shape: &[usize],
) -> Result<ImageShape, ModelError> {
    let shape = match *input_shape {
        [h, w] => ImageShape { h, w, c: 1 },
        [h, w, c] => ImageShape { h, w, c },
        _ => ImageShape::default(),
    };
    if shape.len() == 0 {
        return Err(super::shape_error(
            kind,
            "an image (height, width) or (height, width, channels), none of them 0"
                .into(),
            input_shape,
        ));
    }
    within_limit(
        elements(input_shape),
        || format!("{kind} input {}", shape_str(input_shape, false)),
        "each sample would hold",
    )?;
    Ok(shape)
}

/// u ~ U[lower, upper): lower + (upper − lower)·U[0, 1), as Keras's `random.uniform`
/// (exactly `lower` when the range is one number).
fn uniform(rng: &mut ChaCha8Rng, lower: f32, upper: f32) -> f32 {
    lower + (upper - lower) * rng.gen::<f32>()
}

/// What every augmentation layer keeps: its declared input shape, the image shape it
/// was built for, its generator, and whether the last forward pass transformed.
struct Base {
    input_shape: Option<Vec<usize>>,
    shape: ImageShape,
    /// seeded by the model (`set_generator`), so that the same seed draws the same
    rng: ChaCha8Rng,
    /// whether the last forward pass was a training one (and its draws apply)
    active: bool,
}

impl Base {
    fn new() -> Self {
        Base {
            input_shape: None,
            shape: ImageShape::default(),
            rng: ChaCha8Rng::seed_from_u64(0),
            active: false,
        }
    }
}

/// The `Layer` methods every augmentation layer shares (a `base: Base` field): the
/// declared input shape, no parameters, output size = input size, the generator.
macro_rules! augmentation_layer_common {
    () => {
        fn declared_input_shape(&self) -> Option<&[usize]> {
            self.base.input_shape.as_deref()
        }

        fn planned_param_count(&self, _input_shape: &[usize]) -> Option<u128> {
            Some(0)
        }

        fn output_size(&self) -> usize {
            self.base.shape.len()
        }

        fn set_generator(&mut self, rng: rand_chacha::ChaCha8Rng) {
            self.base.rng = rng;
        }

        fn generator_position(&self) -> Option<u128> {
            Some(self.base.rng.get_word_pos())
        }

        fn set_generator_position(&mut self, position: u128) {
            self.base.rng.set_word_pos(position);
        }
    };
}
use augmentation_layer_common;

/// `input_shape(&[28, 28])`, the builder every augmentation layer has (a `base: Base`
/// field): declares the input shape, for the first layer of a model.
macro_rules! input_shape_builder {
    () => {
        /// Declares the input shape, for the first layer of a model.
        pub fn input_shape(mut self, shape: &[usize]) -> Self {
            self.base.input_shape = Some(shape.to_vec());
            self
        }
    };
}
use input_shape_builder;

/// The builders of the layers that resample an image (a `resampling` field):
/// translation, rotation and zoom.
macro_rules! resampling_builders {
    () => {
        /// "reflect" (the default), "wrap", "constant" or "nearest".
        pub fn fill_mode(mut self, mode: &str) -> Self {
            self.resampling.fill_mode = mode.to_string();
            self
        }

        /// "bilinear" (the default) or "nearest".
        pub fn interpolation(mut self, interpolation: &str) -> Self {
            self.resampling.interpolation = interpolation.to_string();
            self
        }

        /// The value outside the image for `fill_mode("constant")` (0 by default).
        pub fn fill_value(mut self, value: f32) -> Self {
            self.resampling.fill_value = value;
            self
        }
    };
}
use resampling_builders;

/// Applies `f(input row, output row, sample index)` to every sample of a batch, the
/// rows as contiguous slices (copied through `scratch` only if a view is not).
fn per_sample(
    x: ArrayView2<f32>,
    mut y: ArrayViewMut2<f32>,
    scratch: &mut Vec<f32>,
    mut f: impl FnMut(&[f32], &mut [f32], usize),
) {
    let x = x.as_standard_layout();
    for (i, (xr, mut yr)) in x.rows().into_iter().zip(y.rows_mut()).enumerate() {
        let xs = xr.to_slice().expect("standard layout rows are contiguous");
        match yr.as_slice_mut() {
            Some(ys) => f(xs, ys, i),
            None => {
                scratch.resize(xs.len(), 0.0);
                f(xs, scratch, i);
                yr.assign(&ndarray::ArrayView1::from(&scratch[..]));
            }
        }
    }
}

/// The settings and per-batch transforms of a resampling layer (translation, rotation,
/// zoom): Keras's `fill_mode`, `interpolation` and `fill_value`, checked at `build`.
struct Resampling {
    fill_mode: String,
    interpolation: String,
    fill_value: f32,
    fill: Fill,
    interp: Interpolation,
    /// the transform of each sample of the last training batch
    transforms: Vec<Affine>,
    scratch: Vec<f32>,
    /// the sampler's per-axis taps (scratch)
    table: Vec<sampler::Axis1>,
}

impl Resampling {
    /// Keras's defaults: reflect, bilinear, fill value 0.
    fn new() -> Self {
        Resampling {
            fill_mode: "reflect".into(),
            interpolation: "bilinear".into(),
            fill_value: 0.0,
            fill: Fill::Reflect,
            interp: Interpolation::Bilinear,
            transforms: Vec::new(),
            scratch: Vec::new(),
            table: Vec::new(),
        }
    }

    /// Parses the names (an unknown one is an error listing the known ones).
    fn build(&mut self, kind: &str) -> Result<(), ModelError> {
        self.fill = Fill::from_name(kind, &self.fill_mode, self.fill_value)?;
        self.interp = Interpolation::from_name(kind, &self.interpolation)?;
        Ok(())
    }

    /// y = each sample resampled through its transform in `transforms`.
    fn forward(&mut self, shape: ImageShape, x: ArrayView2<f32>, y: ArrayViewMut2<f32>) {
        let (transforms, fill, interp) = (&self.transforms, self.fill, self.interp);
        let table = &mut self.table;
        per_sample(x, y, &mut self.scratch, |xs, ys, i| {
            sampler::sample(xs, ys, shape, &transforms[i], fill, interp, table)
        });
    }

    /// dL/dx += Sᵢᵀ·dL/dyᵢ for every sample i (the adjoint of its resampling).
    fn backward(
        &self,
        shape: ImageShape,
        grad_y: ArrayView2<f32>,
        gx: ArrayViewMut2<f32>,
    ) {
        let mut gx = gx;
        let g = grad_y.as_standard_layout();
        for (i, (gr, mut gxr)) in g.rows().into_iter().zip(gx.rows_mut()).enumerate() {
            let gs = gr.to_slice().expect("standard layout rows are contiguous");
            match gxr.as_slice_mut() {
                Some(out) => sampler::adjoint(
                    gs,
                    out,
                    shape,
                    &self.transforms[i],
                    self.fill,
                    self.interp,
                ),
                None => {
                    let mut tmp = gxr.to_vec();
                    sampler::adjoint(
                        gs,
                        &mut tmp,
                        shape,
                        &self.transforms[i],
                        self.fill,
                        self.interp,
                    );
                    gxr.assign(&ndarray::ArrayView1::from(&tmp[..]));
                }
            }
        }
    }
}

/// The layer-level forward of a resampling layer: a copy outside training, otherwise
/// `draw` fills one transform per sample and the resampler applies them.
fn resampling_forward(
    base: &mut Base,
    resampling: &mut Resampling,
    x: ArrayView2<f32>,
    mut y: ArrayViewMut2<f32>,
    training: bool,
    draw: impl FnOnce(&mut ChaCha8Rng, usize, &mut Vec<Affine>),
) {
    base.active = training;
    if !training {
        y.assign(&x);
        return;
    }
    resampling.transforms.clear();
    draw(&mut base.rng, x.nrows(), &mut resampling.transforms);
    resampling.forward(base.shape, x, y);
}

/// The layer-level backward of a resampling layer: nothing without `grad_x` (a layer at
/// the model's input), dL/dy itself outside training, the adjoint otherwise.
fn resampling_backward(
    base: &Base,
    resampling: &Resampling,
    grad_y: ArrayView2<f32>,
    grad_x: Option<ArrayViewMut2<f32>>,
) {
    let Some(mut gx) = grad_x else { return };
    if base.active && resampling.transforms.len() == grad_y.nrows() {
        resampling.backward(base.shape, grad_y, gx);
    } else {
        gx += &grad_y;
    }
}
