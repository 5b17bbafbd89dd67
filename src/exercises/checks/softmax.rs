//! Checks of `exercises/ex03_softmax_crossentropy.rs`: softmax, the sparse categorical
//! cross-entropy, and the gradient of the two together with respect to the logits.
//!
//! The expected values are computed here in f64 from the definitions, independently
//! of the library: softmax(z)ᵢₖ = e^(zᵢₖ − mᵢ) / Σⱼ e^(zᵢⱼ − mᵢ) with mᵢ = maxⱼ zᵢⱼ;
//! the loss, mean over i of −ln clip(pᵢ\[labelᵢ\], ε, 1 − ε) with Keras's ε = 1e-7;
//! the gradient, by central differences of L(z) = mean over i of
//! −ln softmax(z)ᵢ\[labelᵢ\].

use ndarray::{array, Array2, ArrayView2, Axis};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::exercises::{
    central_differences, close, close_scalar, hint, shape, Checked, Tol, Unfinished,
    Verdict,
};
use crate::gradcheck::random_matrix;

/// Keras's `epsilon()`: probabilities are clipped to [ε, 1 − ε] before the logarithm.
const EPSILON: f32 = 1e-7;

/// The learner's `softmax(z)`: `[batch, classes]` → `[batch, classes]`.
pub type Softmax = fn(ArrayView2<f32>) -> Result<Array2<f32>, Unfinished>;
/// The learner's `sparse_categorical_crossentropy(probabilities, labels)`.
pub type Crossentropy = fn(ArrayView2<f32>, &[usize]) -> Result<f32, Unfinished>;
/// The learner's `softmax_crossentropy_gradient(logits, labels)`: `[batch, classes]`.
pub type Gradient = fn(ArrayView2<f32>, &[usize]) -> Result<Array2<f32>, Unfinished>;

/// Softmax of each row of `z`, in f64, shifted by the row's maximum so that logits
/// like 1000 do not overflow: `[batch, classes]` → `[batch, classes]`.
fn softmax64(z: ArrayView2<f32>) -> Array2<f64> {
    let mut p = z.mapv(f64::from);
    for mut row in p.rows_mut() {
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row.mapv_inplace(|v| v / sum);
    }
    p
}

/// L(z) = mean over the rows i of −ln softmax(z)ᵢ\[labelᵢ\] = mean of
/// (m + ln Σⱼ e^(zᵢⱼ − m)) − zᵢ\[labelᵢ\], in f64, for the finite differences.
fn loss64(z: &Array2<f64>, labels: &[usize]) -> f64 {
    let total: f64 = z
        .axis_iter(Axis(0))
        .zip(labels)
        .map(|(row, &label)| {
            let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            let log_sum = max + row.iter().map(|&v| (v - max).exp()).sum::<f64>().ln();
            log_sum - row[label]
        })
        .sum();
    total / labels.len() as f64
}

/// Central differences of [`loss64`] at `z`, entry by entry: `[batch, classes]`.
fn finite_differences(z: ArrayView2<f32>, labels: &[usize]) -> Array2<f64> {
    central_differences(&mut z.mapv(f64::from), 1e-5, |z| loss64(z, labels))
}

/// Seeded logits in [−3, 3): `[4, 5]`, and one label per row.
fn logits() -> (Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(31);
    (random_matrix(4, 5, -3.0, 3.0, &mut rng), vec![2, 0, 4, 1])
}

/// Checks `softmax(z)` of a `[batch, classes]` batch: its shape, each row's sum, each
/// value against the f64 softmax.
fn softmax_of(f: Softmax, z: ArrayView2<f32>, case: &str) -> Checked {
    let p = f(z)?;
    shape("softmax(z)", p.shape(), z.shape(), "[batch, classes]")?;
    for (i, row) in p.axis_iter(Axis(0)).enumerate() {
        let sum: f64 = row.iter().map(|&v| f64::from(v)).sum();
        hint(
            close_scalar(
                &format!("Σ softmax(z)[{i}, k] over k, {case}"),
                sum,
                1.0,
                "expected",
                Tol::F32,
            ),
            "divide each e^z by its row's sum",
        )?;
    }
    let expected = softmax64(z);
    close(
        "softmax(z)",
        p.view().into_dyn(),
        expected.view().into_dyn(),
        "expected",
        Tol::F32,
    )
    .map_err(|v| match v {
        Verdict::Wrong(msg) => Verdict::Wrong(format!("{msg}, {case}")),
        other => other,
    })
}

/// 3.1: rows of probabilities, stable for large logits.
///
/// Random logits `[4, 5]` against the f64 softmax (Tol::F32) with rows summing to 1;
/// logits `[1000, 1001, 999]` and `[−1000, −1001, −999]`, whose e^z overflows or
/// underflows in f32 unless each row is first shifted by its maximum; a row of equal
/// logits, which gives the uniform distribution.
pub fn softmax(f: Softmax) -> Checked {
    let (z, _) = logits();
    softmax_of(f, z.view(), "for random logits")?;

    let large = array![[1000.0f32, 1001.0, 999.0], [-1000.0, -1001.0, -999.0]];
    let p = f(large.view())?;
    shape("softmax(z)", p.shape(), large.shape(), "[batch, classes]")?;
    if let Some(((i, j), v)) = p.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(Verdict::Wrong(format!(
            "softmax([[1000, 1001, 999], [-1000, -1001, -999]])[{i}, {j}] is {v}: e^1000 \
             overflows and e^-1000 underflows in f32; subtract each row's maximum first"
        )));
    }
    softmax_of(
        f,
        large.view(),
        "for logits [[1000, 1001, 999], [-1000, -1001, -999]]",
    )?;

    let equal = array![[2.5f32, 2.5, 2.5, 2.5], [-7.0, -7.0, -7.0, -7.0]];
    let p = f(equal.view())?;
    shape("softmax(z)", p.shape(), equal.shape(), "[batch, classes]")?;
    hint(
        close(
            "softmax(z)",
            p.view().into_dyn(),
            Array2::from_elem((2, 4), 0.25f64).view().into_dyn(),
            "expected",
            Tol::F32,
        ),
        "equal logits give equal probabilities, 1/4 each",
    )
}

/// The expected loss, mean of −ln clip(p\[label\], ε, 1 − ε): clipped in f32 as Keras
/// does, the logarithm taken in f64.
fn crossentropy64(probabilities: ArrayView2<f32>, labels: &[usize]) -> f64 {
    let total: f64 = probabilities
        .axis_iter(Axis(0))
        .zip(labels)
        .map(|(row, &label)| -f64::from(row[label].clamp(EPSILON, 1.0 - EPSILON)).ln())
        .sum();
    total / labels.len() as f64
}

/// 3.2: the mean of −ln p\[label\], clipped as Keras clips.
///
/// Softmax rows of random logits `[4, 5]` with four labels (a sum instead of the mean is
/// 4 times too large); then probabilities with a 0 and a 1 in them: −ln 0 is infinite,
/// Keras clips p to [1e-7, 1 − 1e-7] and gets −ln 1e-7 ≈ 16.118.
pub fn crossentropy(f: Crossentropy) -> Checked {
    let (z, labels) = logits();
    let p = softmax64(z.view()).mapv(|v| v as f32);
    let loss = f(p.view(), &labels)?;
    close_scalar(
        "loss for softmax rows of random logits [4, 5], labels [2, 0, 4, 1]",
        f64::from(loss),
        crossentropy64(p.view(), &labels),
        "expected",
        Tol::F32,
    )?;

    let one_row = array![[0.0f32, 0.5, 0.5]];
    let loss = f(one_row.view(), &[0])?;
    hint(
        close_scalar(
            "loss for p = [[0, 0.5, 0.5]], label 0",
            f64::from(loss),
            crossentropy64(one_row.view(), &[0]),
            "expected",
            Tol::F32,
        ),
        "clip p to [1e-7, 1 − 1e-7] before the logarithm, as Keras does",
    )?;

    let clipped = array![[0.0f32, 0.5, 0.5], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]];
    let labels = [0, 1, 2];
    let loss = f(clipped.view(), &labels)?;
    hint(
        close_scalar(
            "loss for p = [[0, 0.5, 0.5], [0, 1, 0], [0.2, 0.3, 0.5]], labels [0, 1, 2]",
            f64::from(loss),
            crossentropy64(clipped.view(), &labels),
            "expected",
            Tol::F32,
        ),
        "the mean over the batch of −ln clip(p[label], 1e-7, 1 − 1e-7)",
    )
}

/// Checks the gradient for one batch of logits against finite differences.
fn gradient_at(f: Gradient, z: ArrayView2<f32>, labels: &[usize], case: &str) -> Checked {
    let grad = f(z, labels)?;
    shape("dL/dz", grad.shape(), z.shape(), "[batch, classes]")?;
    let expected = finite_differences(z, labels);
    close(
        "dL/dz",
        grad.view().into_dyn(),
        expected.view().into_dyn(),
        "finite differences",
        Tol::FINITE_DIFFERENCES,
    )
    .map_err(|v| match v {
        Verdict::Wrong(msg) => Verdict::Wrong(format!("{msg}, {case}")),
        other => other,
    })
}

/// 3.3: dL/dz of softmax + cross-entropy against finite differences.
///
/// L(z) = mean over the batch of −ln softmax(z)\[label\]; its gradient
/// (softmax(z) − onehot(labels)) / batch is compared with central differences of L
/// computed here in f64: random logits `[4, 5]`, then logits `[1000, 1001, 999]` where
/// only a shifted softmax stays finite.
pub fn gradient(f: Gradient) -> Checked {
    let (z, labels) = logits();
    gradient_at(
        f,
        z.view(),
        &labels,
        "for random logits [4, 5], labels [2, 0, 4, 1]",
    )?;
    let large = array![[1000.0f32, 1001.0, 999.0], [-1000.0, -1001.0, -999.0]];
    gradient_at(
        f,
        large.view(),
        &[1, 0],
        "for logits [[1000, 1001, 999], [-1000, -1001, -999]], labels [1, 0]",
    )
}
