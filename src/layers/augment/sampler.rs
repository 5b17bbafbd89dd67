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
    pub fn from_name(
        kind: &str,
        name: &str,
        fill_value: f32,
    ) -> Result<Fill, ModelError> {
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

/// An index outside the image under constant fill (the tap reads `fill_value`).
const OUTSIDE: usize = usize::MAX;

/// Interpolation along one axis: the input point p = scale·i + offset of output index
/// i reads (1 − t)·I[lo] + t·I[hi] (indices already fixed by the fill mode, `OUTSIDE`
/// under constant fill). Nearest: lo = hi = round(p), t = 0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Axis1 {
    lo: usize,
    hi: usize,
    t: f32,
}

/// The axis taps of the input coordinate `p` on an axis of `n` pixels.
#[inline]
fn axis_taps(p: f64, n: usize, fill: Fill, interp: Interpolation) -> Axis1 {
    let fix = |i: i64| fill.fix(i, n).unwrap_or(OUTSIDE);
    match interp {
        Interpolation::Bilinear => {
            let lo = p.floor();
            let i = lo as i64;
            Axis1 {
                lo: fix(i),
                hi: fix(i + 1),
                t: (p - lo) as f32,
            }
        }
        Interpolation::Nearest => {
            // f64::round rounds halves away from zero, as jax's lax.round does
            let i = fix(p.round() as i64);
            Axis1 {
                lo: i,
                hi: i,
                t: 0.0,
            }
        }
    }
}

/// The four taps of an output pixel: pixel indices y·w + x (`OUTSIDE` for the fill
/// value) and weights (1−v)(1−u), (1−v)u, v(1−u), vu for (y₀,x₀), (y₀,x₁), (y₁,x₀),
/// (y₁,x₁), u and v the upper weights along x and y.
#[inline]
fn pixel_taps(ax: Axis1, ay: Axis1, w: usize) -> ([usize; 4], [f32; 4]) {
    let at = |r: usize, c: usize| {
        if r == OUTSIDE || c == OUTSIDE {
            OUTSIDE
        } else {
            r * w + c
        }
    };
    let (u, v) = (ax.t, ay.t);
    (
        [
            at(ay.lo, ax.lo),
            at(ay.lo, ax.hi),
            at(ay.hi, ax.lo),
            at(ay.hi, ax.hi),
        ],
        [(1.0 - v) * (1.0 - u), (1.0 - v) * u, v * (1.0 - u), v * u],
    )
}

/// The axis taps of the output pixel (x, y) under `t`: x' = a0·x + a1·y + a2 on the x
/// axis and y' = b0·x + b1·y + b2 on the y axis.
#[inline]
fn point_taps(
    t: &Affine,
    x: usize,
    y: usize,
    shape: ImageShape,
    fill: Fill,
    interp: Interpolation,
) -> (Axis1, Axis1) {
    let (x, y) = (x as f64, y as f64);
    let xi = t.a[0] * x + t.a[1] * y + t.a[2];
    let yi = t.b[0] * x + t.b[1] * y + t.b[2];
    (
        axis_taps(xi, shape.w, fill, interp),
        axis_taps(yi, shape.h, fill, interp),
    )
}

/// out = the image `src` resampled through `t`; both `h·w·c` values, row-major.
/// `table` is scratch space (kept by the caller, so that no pass allocates).
///
/// An axis-aligned transform (a1 = b0 = 0: translation, zoom) is separable: x' depends
/// on x only and y' on y only, so the axis taps are computed once per column and once
/// per row (w + h instead of w·h), with the same arithmetic as the general path, which
/// computes them per pixel.
pub(crate) fn sample(
    src: &[f32],
    out: &mut [f32],
    shape: ImageShape,
    t: &Affine,
    fill: Fill,
    interp: Interpolation,
    table: &mut Vec<Axis1>,
) {
    let separable = t.a[1] == 0.0 && t.b[0] == 0.0;
    sample_with(src, out, shape, t, (fill, interp), table, separable);
}

/// `sample`, separable or not as told (the test compares the two).
fn sample_with(
    src: &[f32],
    out: &mut [f32],
    shape: ImageShape,
    t: &Affine,
    (fill, interp): (Fill, Interpolation),
    table: &mut Vec<Axis1>,
    separable: bool,
) {
    let ImageShape { h, w, c } = shape;
    let fill_value = match fill {
        Fill::Constant(v) => v,
        _ => 0.0,
    };
    let read = |p: usize, k: usize| {
        if p == OUTSIDE {
            fill_value
        } else {
            src[p * c + k]
        }
    };
    // v = Σ weight·I over the four taps, in tap order
    let mut write = |o: usize, (taps, weights): ([usize; 4], [f32; 4])| {
        for k in 0..c {
            let mut v = 0.0f32;
            for (&p, &weight) in taps.iter().zip(&weights) {
                v += weight * read(p, k);
            }
            out[o * c + k] = v;
        }
    };
    if separable {
        table.clear();
        // columns: x' = a0·x + a1·0 + a2; rows: y' = b0·0 + b1·y + b2 (as the general path)
        table.extend((0..w).map(|x| point_taps(t, x, 0, shape, fill, interp).0));
        table.extend((0..h).map(|y| point_taps(t, 0, y, shape, fill, interp).1));
        let (columns, rows) = table.split_at(w);
        if c == 1 && !matches!(fill, Fill::Constant(_)) {
            // the common case (one channel, every tap inside after fixing), with the
            // same products and sums as `write` without its per-tap checks
            for (y, &ay) in rows.iter().enumerate() {
                let (r0, r1) = (&src[ay.lo * w..][..w], &src[ay.hi * w..][..w]);
                let v = ay.t;
                for (o, &ax) in out[y * w..][..w].iter_mut().zip(columns) {
                    let u = ax.t;
                    let mut sum = 0.0f32;
                    sum += (1.0 - v) * (1.0 - u) * r0[ax.lo];
                    sum += (1.0 - v) * u * r0[ax.hi];
                    sum += v * (1.0 - u) * r1[ax.lo];
                    sum += v * u * r1[ax.hi];
                    *o = sum;
                }
            }
            return;
        }
        for (y, &ay) in rows.iter().enumerate() {
            for (x, &ax) in columns.iter().enumerate() {
                write(y * w + x, pixel_taps(ax, ay, w));
            }
        }
    } else {
        for y in 0..h {
            for x in 0..w {
                let (ax, ay) = point_taps(t, x, y, shape, fill, interp);
                write(y * w + x, pixel_taps(ax, ay, w));
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
    let ImageShape { h, w, c } = shape;
    for y in 0..h {
        for x in 0..w {
            let (ax, ay) = point_taps(t, x, y, shape, fill, interp);
            let (taps, weights) = pixel_taps(ax, ay, w);
            let o = (y * w + x) * c;
            for k in 0..c {
                let g = grad_out[o + k];
                for (&p, &weight) in taps.iter().zip(&weights) {
                    if p != OUTSIDE {
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
        let fixed: Vec<usize> =
            (-5..10).map(|i| Fill::Reflect.fix(i, 4).unwrap()).collect();
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
            &mut Vec::new(),
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
            &mut Vec::new(),
        );
        assert_eq!(out, [0.0, 0.5, 1.5, 2.5]);
    }

    #[test]
    fn the_separable_path_gives_the_general_path_bit_for_bit() {
        for c in [1, 2] {
            separable_and_general_agree(ImageShape { h: 6, w: 9, c });
        }
    }

    fn separable_and_general_agree(shape: ImageShape) {
        let n = shape.len();
        let src: Vec<f32> = (0..n).map(|v| ((v * 37) % 101) as f32 / 7.0).collect();
        let shifts = Affine {
            a: [1.0, 0.0, 2.7],
            b: [0.0, 1.0, -4.3],
        };
        let zoom = Affine {
            a: [1.3, 0.0, 4.0 * -0.3],
            b: [0.0, 0.8, 2.5 * 0.2],
        };
        for t in [shifts, zoom] {
            for fill in [
                Fill::Reflect,
                Fill::Wrap,
                Fill::Nearest,
                Fill::Constant(0.5),
            ] {
                for interp in [Interpolation::Bilinear, Interpolation::Nearest] {
                    let mut table = Vec::new();
                    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
                    sample_with(
                        &src,
                        &mut a,
                        shape,
                        &t,
                        (fill, interp),
                        &mut table,
                        true,
                    );
                    sample_with(
                        &src,
                        &mut b,
                        shape,
                        &t,
                        (fill, interp),
                        &mut table,
                        false,
                    );
                    assert_eq!(a, b, "{fill:?} {interp:?}");
                }
            }
        }
    }
}
