//! Cross-entropy losses. Probabilities are clipped to [ε, 1 − ε] with ε = 1e-7, as Keras
//! does; after a softmax output the exact log-softmax form is used instead.

use ndarray::{ArrayView2, ArrayViewMut2, Axis, Zip};

use super::{Loss, TargetKind, Targets};

/// Keras's `epsilon()`.
pub const EPSILON: f32 = 1e-7;

fn clip(p: f32) -> f32 {
    p.clamp(EPSILON, 1.0 - EPSILON)
}

/// ∂/∂p of −log(clip(p)): −1/p inside the clip range, 0 where clipping holds it constant,
/// NaN for a NaN p (clip(NaN) is NaN: no range holds it constant).
fn dneglog(p: f32) -> f32 {
    if (EPSILON..=1.0 - EPSILON).contains(&p) {
        -1.0 / p
    } else if p.is_nan() {
        p
    } else {
        0.0
    }
}

/// Mean over rows of −Σ_k y_k log p_k (y read as one-hot when labels are given).
fn categorical_value(y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
    let (batch, outputs) = y_pred.dim();
    let mut total = 0.0f64;
    for (i, row) in y_pred.axis_iter(Axis(0)).enumerate() {
        if let Targets::Labels(l) = y_true {
            total -= f64::from(clip(row[l[i]]).ln());
        } else {
            for (k, &p) in row.iter().enumerate() {
                total -= f64::from(y_true.value(i, k, outputs) * clip(p).ln());
            }
        }
    }
    total / batch as f64
}

fn categorical_gradient(
    y_pred: ArrayView2<f32>,
    y_true: &Targets,
    mut grad: ArrayViewMut2<f32>,
) {
    let (batch, outputs) = y_pred.dim();
    let scale = 1.0 / batch as f32;
    for ((i, k), g) in grad.indexed_iter_mut() {
        *g = scale * y_true.value(i, k, outputs) * dneglog(y_pred[[i, k]]);
    }
}

// ANCHOR: softmax_ce
/// Cross-entropy of softmax(z), per row:
/// log Σ_j e^{z_j} − Σ_k y_k z_k (with Σ_k y_k = 1), shifted by max z.
/// Gradient: ∂/∂z = (softmax(z) − y) / B.
fn softmax_ce(
    z: ArrayView2<f32>,
    y_true: &Targets,
    mut grad: Option<ArrayViewMut2<f32>>,
) -> f64 {
    let (batch, outputs) = z.dim();
    let mut total = 0.0f64;
    for (i, row) in z.axis_iter(Axis(0)).enumerate() {
        let max = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let sum_exp: f32 = row.iter().map(|&v| (v - max).exp()).sum();
        let log_sum = max + sum_exp.ln(); // log Σ e^{z}
        let mut row_loss = 0.0f64;
        for (k, &zk) in row.iter().enumerate() {
            let y = y_true.value(i, k, outputs);
            if y != 0.0 {
                row_loss += f64::from(y * (log_sum - zk));
            }
        }
        total += row_loss;
        if let Some(g) = grad.as_mut() {
            let scale = 1.0 / batch as f32;
            for (k, &zk) in row.iter().enumerate() {
                let p = (zk - log_sum).exp(); // softmax(z)_k
                g[[i, k]] = (p - y_true.value(i, k, outputs)) * scale;
            }
        }
    }
    total / batch as f64
}
// ANCHOR_END: softmax_ce

/// `sparse_categorical_crossentropy`: integer labels against class probabilities.
pub struct SparseCategoricalCrossentropy;

impl Loss for SparseCategoricalCrossentropy {
    fn name(&self) -> &'static str {
        "sparse_categorical_crossentropy"
    }
    fn wants_labels(&self) -> bool {
        true
    }
    fn target_kind(&self) -> TargetKind {
        TargetKind::ClassLabels
    }
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        categorical_value(y_pred, y_true)
    }
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        grad: ArrayViewMut2<f32>,
    ) {
        categorical_gradient(y_pred, y_true, grad)
    }
    fn has_softmax_logits(&self) -> bool {
        true
    }

    fn softmax_logits(
        &self,
        z: ArrayView2<f32>,
        y: &Targets,
        g: Option<ArrayViewMut2<f32>>,
    ) -> Option<f64> {
        Some(softmax_ce(z, y, g))
    }
}

/// `categorical_crossentropy`: one-hot rows against class probabilities.
pub struct CategoricalCrossentropy;

impl Loss for CategoricalCrossentropy {
    fn name(&self) -> &'static str {
        "categorical_crossentropy"
    }
    fn target_kind(&self) -> TargetKind {
        TargetKind::Distributions
    }
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        categorical_value(y_pred, y_true)
    }
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        grad: ArrayViewMut2<f32>,
    ) {
        categorical_gradient(y_pred, y_true, grad)
    }
    fn has_softmax_logits(&self) -> bool {
        true
    }

    fn softmax_logits(
        &self,
        z: ArrayView2<f32>,
        y: &Targets,
        g: Option<ArrayViewMut2<f32>>,
    ) -> Option<f64> {
        Some(softmax_ce(z, y, g))
    }
}

// ANCHOR: sigmoid_bce
/// Binary cross-entropy of σ(z), per element: max(z, 0) − z·y + log(1 + e^{−|z|}), the
/// overflow-free form of −[y log σ(z) + (1−y) log(1 − σ(z))]; mean over B·K elements.
/// Gradient: ∂/∂z = (σ(z) − y) / (B·K).
fn sigmoid_bce(
    z: ArrayView2<f32>,
    y_true: &Targets,
    mut grad: Option<ArrayViewMut2<f32>>,
) -> f64 {
    let (batch, outputs) = z.dim();
    let scale = 1.0 / (batch * outputs) as f32;
    let mut total = 0.0f64;
    for ((i, k), &zk) in z.indexed_iter() {
        let y = y_true.value(i, k, outputs);
        total += f64::from(zk.max(0.0) - zk * y + (-zk.abs()).exp().ln_1p());
        if let Some(g) = grad.as_mut() {
            g[[i, k]] = (crate::activations::sigmoid(zk) - y) * scale;
        }
    }
    total * f64::from(scale)
}
// ANCHOR_END: sigmoid_bce

/// `binary_crossentropy`: mean over outputs of −[y log p + (1−y) log(1−p)], then over rows.
pub struct BinaryCrossentropy;

impl Loss for BinaryCrossentropy {
    fn name(&self) -> &'static str {
        "binary_crossentropy"
    }
    fn target_kind(&self) -> TargetKind {
        TargetKind::Probabilities
    }
    fn has_sigmoid_logits(&self) -> bool {
        true
    }
    fn sigmoid_logits(
        &self,
        z: ArrayView2<f32>,
        y: &Targets,
        g: Option<ArrayViewMut2<f32>>,
    ) -> Option<f64> {
        Some(sigmoid_bce(z, y, g))
    }
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        let (batch, outputs) = y_pred.dim();
        let mut total = 0.0f64;
        for ((i, k), &p) in y_pred.indexed_iter() {
            let y = y_true.value(i, k, outputs);
            let p = clip(p);
            total -= f64::from(y * p.ln() + (1.0 - y) * (1.0 - p).ln());
        }
        total / (batch * outputs) as f64
    }
    /// ∂/∂p = (−y/p + (1−y)/(1−p)) / (B·K) inside the clip range.
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        mut grad: ArrayViewMut2<f32>,
    ) {
        let (batch, outputs) = y_pred.dim();
        let scale = 1.0 / (batch * outputs) as f32;
        Zip::indexed(&mut grad)
            .and(&y_pred)
            .for_each(|(i, k), g, &p| {
                let y = y_true.value(i, k, outputs);
                *g = scale * (y * dneglog(p) - (1.0 - y) * dneglog(1.0 - p));
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activations::Activation;
    use crate::gradcheck::{
        check_loss, check_sigmoid_logits, check_softmax_logits, random_matrix,
    };
    use approx::assert_abs_diff_eq;
    use ndarray::{array, Array2};
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn sparse_ce_of_a_uniform_prediction_is_log_of_the_class_count() {
        // −log(1/4) = log 4 = 1.3863
        let p = Array2::from_elem((2, 4), 0.25f32);
        let v = SparseCategoricalCrossentropy.value(p.view(), &Targets::Labels(&[0, 3]));
        assert_abs_diff_eq!(v, 4f64.ln(), epsilon = 1e-6);
    }

    #[test]
    fn confident_wrong_prediction_gives_a_finite_loss_through_the_logits() {
        // softmax([100, −100]) puts 1 − e^{−200} on class 0; the label is 1.
        // Exact: log(e^{100} + e^{−100}) − (−100) ≈ 200. Through probabilities it would be
        // −log(0) = inf.
        let z = array![[100.0f32, -100.0]];
        let mut g = Array2::zeros((1, 2));
        let v = SparseCategoricalCrossentropy
            .softmax_logits(z.view(), &Targets::Labels(&[1]), Some(g.view_mut()))
            .expect("has a logits path");
        assert_abs_diff_eq!(v, 200.0, epsilon = 1e-3);
        assert_abs_diff_eq!(
            g.as_slice().expect("standard layout"),
            &[1.0f32, -1.0][..],
            epsilon = 1e-6
        );
    }

    #[test]
    fn logits_path_equals_the_probability_path_when_probabilities_are_moderate() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let z = random_matrix(3, 5, -2.0, 2.0, &mut rng);
        let mut p = z.clone();
        Activation::Softmax.forward_inplace(p.view_mut());
        let t = Targets::Labels(&[4, 0, 2]);
        let exact = SparseCategoricalCrossentropy
            .softmax_logits(z.view(), &t, None)
            .expect("has a logits path");
        assert_abs_diff_eq!(
            exact,
            SparseCategoricalCrossentropy.value(p.view(), &t),
            epsilon = 1e-5
        );
    }

    #[test]
    fn a_confidently_wrong_sigmoid_keeps_its_gradient_through_the_logits() {
        // σ(40) rounds to 1 in f32; the label is 0. Through the clipped probability the
        // loss is −log(1e-7) = 16.1 with zero gradient; from the logit it is exactly 40
        // with gradient σ(40) − 0 = 1.
        let z = array![[40.0f32]];
        let y = array![[0.0f32]];
        let mut g = Array2::zeros((1, 1));
        let v = BinaryCrossentropy
            .sigmoid_logits(z.view(), &Targets::Dense(y.view()), Some(g.view_mut()))
            .unwrap();
        assert_abs_diff_eq!(v, 40.0, epsilon = 1e-4);
        assert_abs_diff_eq!(g[[0, 0]], 1.0, epsilon = 1e-6);
    }

    #[test]
    fn binary_ce_of_one_half_is_log_two() {
        let p = Array2::from_elem((3, 1), 0.5f32);
        let y = array![[0.0f32], [1.0], [1.0]];
        let v = BinaryCrossentropy.value(p.view(), &Targets::Dense(y.view()));
        assert_abs_diff_eq!(v, 2f64.ln(), epsilon = 1e-6);
    }

    proptest! {
        #[test]
        fn crossentropy_gradients_match_finite_differences(
            batch in 1usize..4, classes in 2usize..6, seed in 0u64..1000,
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let labels: Vec<usize> =
                (0..batch).map(|i| (i * 7 + seed as usize) % classes).collect();
            let z = random_matrix(batch, classes, -3.0, 3.0, &mut rng);
            // The probability path divides by p: its finite differences need p well above
            // the step (the truncation error grows as h²/p³), so softmax(z/2) ≥ 0.012
            // feeds it; the logits path takes z itself.
            let mut p = z.mapv(|v| v / 2.0);
            Activation::Softmax.forward_inplace(p.view_mut());
            let onehot = Array2::from_shape_fn((batch, classes), |(i, k)| {
                f32::from(u8::from(labels[i] == k))
            });
            let sparse = Targets::Labels(&labels);
            let dense = Targets::Dense(onehot.view());
            for (loss, t) in [
                (&SparseCategoricalCrossentropy as &dyn Loss, &sparse),
                (&CategoricalCrossentropy, &dense),
            ] {
                check_loss(loss, &p, t).map_err(TestCaseError::fail)?;
                check_softmax_logits(loss, &z, t).map_err(TestCaseError::fail)?;
            }
            let probs = random_matrix(batch, classes, 0.05, 0.95, &mut rng);
            let y01 = random_matrix(batch, classes, 0.0, 1.0, &mut rng).mapv(f32::round);
            check_loss(&BinaryCrossentropy, &probs, &Targets::Dense(y01.view()))
                .map_err(TestCaseError::fail)?;
            check_sigmoid_logits(&BinaryCrossentropy, &z, &Targets::Dense(y01.view()))
                .map_err(TestCaseError::fail)?;
        }
    }
}
