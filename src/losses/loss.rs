//! The `Loss` trait, the `Targets` it compares with, and lookup by Keras name.

use super::*;
use ndarray::{ArrayView2, ArrayViewMut2};

use crate::error::ModelError;

/// What a batch's predictions are compared with: integer class labels (`[batch]`, as
/// Keras's sparse losses take) or dense rows (`[batch, outputs]`: one-hot, 0/1, values).
///
/// Either form can be read as the other: labels as one-hot rows (or, with one output,
/// as the value itself), dense rows as the arg-max label (or, with one output, y > 0.5).
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a> {
    Labels(&'a [usize]),
    Dense(ArrayView2<'a, f32>),
}

impl Targets<'_> {
    /// Number of samples.
    pub fn len(&self) -> usize {
        match self {
            Targets::Labels(l) => l.len(),
            Targets::Dense(d) => d.nrows(),
        }
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Target value of sample `i`, output `k`, for a model with `outputs` outputs.
    pub fn value(&self, i: usize, k: usize, outputs: usize) -> f32 {
        match self {
            Targets::Labels(l) if outputs == 1 => l[i] as f32,
            Targets::Labels(l) => f32::from(u8::from(l[i] == k)),
            Targets::Dense(d) => d[[i, k]],
        }
    }

    /// The samples `range` alone, in the same form.
    pub fn rows(&self, range: std::ops::Range<usize>) -> Targets<'_> {
        match self {
            Targets::Labels(l) => Targets::Labels(&l[range]),
            Targets::Dense(d) => Targets::Dense(d.slice(ndarray::s![range, ..])),
        }
    }

    /// Class label of sample `i`.
    pub fn label(&self, i: usize) -> usize {
        match self {
            Targets::Labels(l) => l[i],
            Targets::Dense(d) if d.ncols() == 1 => usize::from(d[[i, 0]] > 0.5),
            Targets::Dense(d) => argmax(d.row(i).iter().copied()),
        }
    }
}

/// Index of the largest value (the first one on ties, as numpy's argmax).
pub fn argmax(values: impl Iterator<Item = f32>) -> usize {
    let mut best = (0, f32::NEG_INFINITY);
    for (i, v) in values.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

/// A loss: the mean over the batch of a per-sample loss, and its gradient.
///
/// Contract: `value` returns (1/B) Σ_b ℓ(ŷ_b, y_b); `gradient` writes ∂value/∂ŷ (so it
/// already carries the 1/B). A loss that Keras computes from the logits of the output
/// layer implements `softmax_logits` (cross-entropies) or `sigmoid_logits` (binary
/// cross-entropy); a model whose last layer ends in that activation then uses it, which
/// is exact and keeps a gradient even for confident wrong predictions.
pub trait Loss {
    /// The Keras name, e.g. `"sparse_categorical_crossentropy"`.
    fn name(&self) -> &'static str;

    /// Whether the loss reads integer labels (true) or dense rows (false) naturally.
    fn wants_labels(&self) -> bool {
        false
    }

    /// The targets the loss reads, which `fit` and `evaluate` check the targets given
    /// against: class labels when `wants_labels`, else any values (a regression loss).
    fn target_kind(&self) -> TargetKind {
        if self.wants_labels() {
            TargetKind::ClassLabels
        } else {
            TargetKind::Values
        }
    }

    /// Mean loss over the batch.
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64;

    /// ∂value/∂y_pred, written into `grad` `[batch, outputs]`.
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        grad: ArrayViewMut2<f32>,
    );

    /// Whether `softmax_logits` is implemented (returns `Some`).
    fn has_softmax_logits(&self) -> bool {
        false
    }

    /// For a softmax output with logits z: the mean loss, and ∂loss/∂z into `grad` when
    /// given. `None` when the loss has no such path.
    fn softmax_logits(
        &self,
        z: ArrayView2<f32>,
        y_true: &Targets,
        grad: Option<ArrayViewMut2<f32>>,
    ) -> Option<f64> {
        let _ = (z, y_true, grad);
        None
    }

    /// Whether `sigmoid_logits` is implemented (returns `Some`).
    fn has_sigmoid_logits(&self) -> bool {
        false
    }

    /// For a sigmoid output with logits z: the mean loss, and ∂loss/∂z into `grad` when
    /// given. `None` when the loss has no such path.
    fn sigmoid_logits(
        &self,
        z: ArrayView2<f32>,
        y_true: &Targets,
        grad: Option<ArrayViewMut2<f32>>,
    ) -> Option<f64> {
        let _ = (z, y_true, grad);
        None
    }
}

/// Σᵢ wᵢ·ℓᵢ over the rows of a batch, in f64, where ℓᵢ = `value(row i)` is sample i's
/// own loss (the mean of a batch of one) and `value_of` computes a batch's mean loss.
/// Divided by the batch size B, it is Keras 3's "sum_over_batch_size" reduction with
/// `sample_weight`; with every wᵢ = 1 it equals the batch's `value` for the losses that
/// sum their per-sample losses in row order (all but those averaging several outputs
/// element by element, where only the rounding differs).
pub fn weighted_sum(
    y_pred: ArrayView2<f32>,
    y_true: &Targets,
    weights: &[f32],
    value_of: impl Fn(ArrayView2<f32>, &Targets) -> f64,
) -> f64 {
    let mut sum = 0.0f64;
    for (i, &w) in weights.iter().enumerate().take(y_pred.nrows()) {
        let row = y_pred.slice(ndarray::s![i..i + 1, ..]);
        sum += f64::from(w) * value_of(row, &y_true.rows(i..i + 1));
    }
    sum
}

/// The losses known by name.
pub const NAMES: [&str; 9] = [
    "sparse_categorical_crossentropy",
    "categorical_crossentropy",
    "binary_crossentropy",
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "cosine_similarity",
    "huber",
];

/// Looks a loss up by its Keras name; Keras's short names `"mse"`, `"mae"`, `"mape"`,
/// `"msle"` and `"huber_loss"` are accepted too.
pub fn from_name(name: &str) -> Result<Box<dyn Loss>, ModelError> {
    Ok(match name {
        "sparse_categorical_crossentropy" => Box::new(SparseCategoricalCrossentropy),
        "categorical_crossentropy" => Box::new(CategoricalCrossentropy),
        "binary_crossentropy" => Box::new(BinaryCrossentropy),
        "mean_squared_error" | "mse" => Box::new(MeanSquaredError),
        "mean_absolute_error" | "mae" => Box::new(MeanAbsoluteError),
        "mean_absolute_percentage_error" | "mape" => {
            Box::new(MeanAbsolutePercentageError)
        }
        "mean_squared_logarithmic_error" | "msle" => {
            Box::new(MeanSquaredLogarithmicError)
        }
        "cosine_similarity" => Box::new(CosineSimilarity),
        "huber" | "huber_loss" => Box::new(Huber::default()),
        _ => {
            return Err(ModelError::UnknownName {
                what: "loss",
                name: name.into(),
                known: NAMES.join(", "),
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_loss_name_resolves_to_a_loss_reporting_that_name() {
        for &name in &NAMES {
            assert_eq!(from_name(name).expect("known").name(), name);
        }
        assert_eq!(
            from_name("mae").expect("alias").name(),
            "mean_absolute_error"
        );
    }

    #[test]
    fn an_unknown_loss_name_is_an_error_listing_the_known_ones() {
        let err = from_name("hinge").err().expect("unknown").to_string();
        assert!(err.contains("\"hinge\"") && err.contains("huber"), "{err}");
    }
}
