//! Checks of `exercises/ex05_activations.rs`: the derivatives of relu and the sigmoid,
//! written in terms of the layer's output y = f(z), as Keras and
//! `Activation::backward` write them.
//!
//! The check picks z, computes y = f(z) itself, and hands y and G = dL/dy to the
//! learner; the answer dL/dz = f′(z) ⊙ G is compared with central differences in f64 of
//! L(z) = Σ G ⊙ f(z). The z are kept at least 0.1 away from relu's kink at 0, so that
//! no difference step crosses it.

use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::exercises::{close, hint, shape, Checked, Tol, Unfinished};
use crate::gradcheck::random_matrix;

/// The learner's `relu_backward(y, grad_y)` or `sigmoid_backward(y, grad_y)`.
pub type Backward =
    fn(ArrayView2<f32>, ArrayView2<f32>) -> Result<Array2<f32>, Unfinished>;

/// z `[3, 4]`, seeded, with 0.1 ≤ |z| < 3; and G = dL/dy `[3, 4]` in [−1, 1).
fn inputs(seed: u64) -> (Array2<f32>, Array2<f32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = Array2::from_shape_fn((3, 4), |_| {
        let magnitude: f32 = rng.gen_range(0.1..3.0);
        if rng.gen_bool(0.5) {
            magnitude
        } else {
            -magnitude
        }
    });
    let g = random_matrix(3, 4, -1.0, 1.0, &mut rng);
    (z, g)
}

/// Central differences of L(z) = Σ G ⊙ f(z) in f64, entry by entry: since L is a sum of
/// one term per entry, ∂L/∂zᵢⱼ = (f(zᵢⱼ + h) − f(zᵢⱼ − h)) / 2h · Gᵢⱼ.
fn differences(z: &Array2<f32>, g: &Array2<f32>, f: fn(f64) -> f64) -> Array2<f64> {
    const H: f64 = 1e-4;
    let mut grad = Array2::zeros(z.dim());
    ndarray::Zip::from(&mut grad)
        .and(z)
        .and(g)
        .for_each(|d, &z, &g| {
            let (z, g) = (f64::from(z), f64::from(g));
            *d = (f(z + H) * g - f(z - H) * g) / (2.0 * H);
        });
    grad
}

/// Runs the learner's backward on y = f(z) and compares with the differences; `why`
/// ends a failed comparison's message.
fn check(
    backward: Backward,
    f32_f: fn(f32) -> f32,
    f64_f: fn(f64) -> f64,
    seed: u64,
    why: &str,
) -> Checked {
    let (z, g) = inputs(seed);
    let y = z.mapv(f32_f);
    let grad_z = backward(y.view(), g.view())?;
    shape("dL/dz", grad_z.shape(), z.shape(), "[batch, units]")?;
    let expected = differences(&z, &g, f64_f);
    let checked = close(
        "dL/dz",
        grad_z.view().into_dyn(),
        expected.view().into_dyn(),
        "finite differences",
        Tol::FINITE_DIFFERENCES,
    );
    hint(checked, why)
}

/// 5.1: dL/dz of relu from y = max(0, z): G where y > 0, 0 elsewhere.
pub fn relu(f: Backward) -> Checked {
    check(
        f,
        |z| z.max(0.0),
        |z| z.max(0.0),
        51,
        "relu′ is 1 where y > 0 and 0 where y = 0, times G",
    )
}

/// 5.2: dL/dz of the sigmoid from y = σ(z): y(1 − y) ⊙ G.
pub fn sigmoid(f: Backward) -> Checked {
    check(
        f,
        |z| 1.0 / (1.0 + (-z).exp()),
        |z| 1.0 / (1.0 + (-z).exp()),
        52,
        "σ′(z) = y(1 − y) with y = σ(z) the output you are given, times G",
    )
}
