//! The resampling that `RandomTranslation`, `RandomRotation` and `RandomZoom` share: an
//! affine map from output pixels to input coordinates, bilinear (or nearest)
//! interpolation, and a fill mode for coordinates outside the image — Keras 3's
//! `ops.image.affine_transform` as its jax backend computes it (with
//! `jax.scipy.ndimage.map_coordinates`).
//!
//! Conventions (Keras's):
//! - an image is `h × w × c`, row-major (`(y·w + x)·c + k`), pixel centres at integer
//!   coordinates: x = 0 … w − 1 across, y = 0 … h − 1 down;
//! - the transform `[a0, a1, a2, b0, b1, b2]` maps the output pixel (x, y) to the input
//!   point x' = a0·x + a1·y + a2, y' = b0·x + b1·y + b2 (output → input, so every
//!   output pixel gets exactly one value);
//! - bilinear: with x₀ = ⌊x'⌋, u = x' − x₀ (and y₀, v likewise), the value is
//!   (1−v)·[(1−u)·I(y₀, x₀) + u·I(y₀, x₀+1)] + v·[(1−u)·I(y₀+1, x₀) + u·I(y₀+1, x₀+1)];
//!   nearest: I(round(y'), round(x')), halves rounded away from zero;
//! - every integer index outside 0 … n − 1 is moved back by the fill mode *before*
//!   interpolating (jax's index fixers): reflect `(d c b a | a b c d | d c b a)`, i.e.
//!   period 2n with i ↦ 2n − 1 − i on the mirrored half; wrap `i mod n`; nearest
//!   `clamp(i, 0, n − 1)`; constant: the tap reads `fill_value` instead.
//!
//! Each output pixel is a fixed linear combination of (at most) four input pixels, so
//! the layer is linear in its input: `adjoint` adds Sᵀ·g for the gradient.

use crate::error::ModelError;

/// An image's height, width and channels (a `(28, 28)` sample is one channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ImageShape {
    pub h: usize,
    pub w: usize,
    pub c: usize,
}

impl ImageShape {
    /// Values in one image: h·w·c.
    pub fn len(&self) -> usize {
        self.h * self.w * self.c
    }
}

/// x' = a0·x + a1·y + a2, y' = b0·x + b1·y + b2 (output pixel → input point).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Affine {
    pub a: [f64; 3],
    pub b: [f64; 3],
}

#[cfg(test)]
impl Affine {
    /// The identity map.
    pub const IDENTITY: Affine = Affine {
        a: [1.0, 0.0, 0.0],
        b: [0.0, 1.0, 0.0],
    };
}

/// Where points outside the image take their values from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Fill {
    Reflect,
    Wrap,
    Nearest,
    Constant(f32),
}

/// The fill-mode names Keras accepts.
pub(crate) const FILL_MODES: &str = "\"reflect\", \"wrap\", \"constant\", \"nearest\"";
/// The interpolation names Keras accepts.
pub(crate) const INTERPOLATIONS: &str = "\"bilinear\", \"nearest\"";

impl Fill {
    /// Keras's `fill_mode` name (with `fill_value` for "constant").
    pub fn from_name(kind: &str, name: &str, fill_value: f32) -> Result<Fill, ModelError> {
        Ok(match name {
            "reflect" => Fill::Reflect,
            "wrap" => Fill::Wrap,
            "nearest" => Fill::Nearest,
            "constant" if fill_value.is_finite() => Fill::Constant(fill_value),
            "constant" => {
                return Err(ModelError::Config {
                    what: format!("{kind} fill_value"),
                    why: format!("must be a finite number, got {fill_value}"),
                })
            }
            other => {
                return Err(ModelError::Config {
                    what: format!("{kind} fill_mode"),
                    why: format!("unknown fill_mode {other:?}; known: {FILL_MODES}"),
                })
            }
        })
    }

    /// The index `i` (any integer) moved into 0 … n − 1, or `None` (constant fill).
    #[inline]
    fn fix(self, i: i64, n: usize) -> Option<usize> {
        let n = n as i64;
        if (0..n).contains(&i) {
            return Some(i as usize);
        }
        match self {
            // period 2n: 0 … n−1 as is, n … 2n−1 mirrored to n−1 … 0
            Fill::Reflect => {
                let m = i.rem_euclid(2 * n);
                Some(if m < n { m } else { 2 * n - 1 - m } as usize)
            }
            Fill::Wrap => Some(i.rem_euclid(n) as usize),
            Fill::Nearest => Some(i.clamp(0, n - 1) as usize),
            Fill::Constant(_) => None,
        }
    }
}

/// Bilinear or nearest-neighbour interpolation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Interpolation {
    Bilinear,
    Nearest,
}

impl Interpolation {
    /// Keras's `interpolation` name.
    pub fn from_name(kind: &str, name: &str) -> Result<Interpolation, ModelError> {
        match name {
            "bilinear" => Ok(Interpolation::Bilinear),
            "nearest" => Ok(Interpolation::Nearest),
            other => Err(ModelError::Config {
                what: format!("{kind} interpolation"),
                why: format!("unknown interpolation {other:?}; known: {INTERPOLATIONS}"),
            }),
        }
    }
}

/// The (up to) four input pixels an output pixel reads: pixel index y·w + x (`None`:
/// outside the image under constant fill) and weight.
type Taps = [(Option<usize>, f32); 4];

/// The taps of the output pixel (x, y) under `t`.
#[inline]
fn taps(t: &Affine, x: f64, y: f64, shape: ImageShape, fill: Fill, interp: Interpolation) -> Taps {
    let xi = t.a[0] * x + t.a[1] * y + t.a[2];
    let yi = t.b[0] * x + t.b[1] * y + t.b[2];
    let at = |row: i64, col: i64| -> Option<usize> {
        Some(fill.fix(row, shape.h)? * shape.w + fill.fix(col, shape.w)?)
    };
    match interp {
        Interpolation::Bilinear => {
            let (x0, y0) = (xi.floor(), yi.floor());
            // weights of the upper neighbours; the lower ones get 1 − u, 1 − v
            let (u, v) = ((xi - x0) as f32, (yi - y0) as f32);
            let (x0, y0) = (x0 as i64, y0 as i64);
            [
                (at(y0, x0), (1.0 - v) * (1.0 - u)),
                (at(y0, x0 + 1), (1.0 - v) * u),
                (at(y0 + 1, x0), v * (1.0 - u)),
                (at(y0 + 1, x0 + 1), v * u),
            ]
        }
        Interpolation::Nearest => {
            // f64::round rounds halves away from zero, as jax's lax.round does
            let tap = at(yi.round() as i64, xi.round() as i64);
            [(tap, 1.0), (tap, 0.0), (tap, 0.0), (tap, 0.0)]
        }
    }
}

/// out = the image `src` resampled through `t`; both `h·w·c` values, row-major.
pub(crate) fn sample(
    src: &[f32],
    out: &mut [f32],
    shape: ImageShape,
    t: &Affine,
    fill: Fill,
    interp: Interpolation,
) {
    let c = shape.c;
    let fill_value = match fill {
        Fill::Constant(v) => v,
        _ => 0.0,
    };
    for y in 0..shape.h {
        for x in 0..shape.w {
            let taps = taps(t, x as f64, y as f64, shape, fill, interp);
            let o = (y * shape.w + x) * c;
            for k in 0..c {
                let mut v = 0.0f32;
                for &(tap, weight) in &taps {
                    v += weight * tap.map_or(fill_value, |p| src[p * c + k]);
                }
                out[o + k] = v;
            }
        }
    }
}

/// grad_src += Sᵀ·grad_out, S being `sample`'s linear map through `t` (each output
/// pixel's gradient goes back to the input pixels it read, times their weights; a
/// constant fill reads no input and passes nothing back).
pub(crate) fn adjoint(
    grad_out: &[f32],
    grad_src: &mut [f32],
    shape: ImageShape,
    t: &Affine,
    fill: Fill,
    interp: Interpolation,
) {
    let c = shape.c;
    for y in 0..shape.h {
        for x in 0..shape.w {
            let taps = taps(t, x as f64, y as f64, shape, fill, interp);
            let o = (y * shape.w + x) * c;
            for k in 0..c {
                let g = grad_out[o + k];
                for &(tap, weight) in &taps {
                    if let Some(p) = tap {
                        grad_src[p * c + k] += weight * g;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflect_mirrors_about_the_edge_of_the_last_pixel() {
        // (d c b a | a b c d | d c b a) for n = 4
        let fixed: Vec<usize> = (-5..10).map(|i| Fill::Reflect.fix(i, 4).unwrap()).collect();
        assert_eq!(fixed, [3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1]);
        assert_eq!(Fill::Wrap.fix(-1, 4), Some(3));
        assert_eq!(Fill::Nearest.fix(9, 4), Some(3));
        assert_eq!(Fill::Constant(0.0).fix(4, 4), None);
    }

    #[test]
    fn the_identity_transform_copies_the_image() {
        let shape = ImageShape { h: 3, w: 4, c: 2 };
        let src: Vec<f32> = (0..24).map(|v| v as f32 * 0.5).collect();
        let mut out = vec![0.0; 24];
        sample(
            &src,
            &mut out,
            shape,
            &Affine::IDENTITY,
            Fill::Reflect,
            Interpolation::Bilinear,
        );
        assert_eq!(out, src);
    }

    #[test]
    fn a_half_pixel_shift_averages_neighbours() {
        // one row 0, 1, 2, 3 read at x − 0.5: x' = −0.5 → (I(−1) + I(0)) / 2 = 0 (reflect)
        let shape = ImageShape { h: 1, w: 4, c: 1 };
        let t = Affine {
            a: [1.0, 0.0, -0.5],
            b: [0.0, 1.0, 0.0],
        };
        let mut out = vec![0.0; 4];
        sample(
            &[0.0, 1.0, 2.0, 3.0],
            &mut out,
            shape,
            &t,
            Fill::Reflect,
            Interpolation::Bilinear,
        );
        assert_eq!(out, [0.0, 0.5, 1.5, 2.5]);
    }
}
