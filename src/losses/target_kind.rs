//! What each loss reads as targets, and the check that `fit`, `evaluate` and
//! `loss_and_gradients` make before any step: the targets given fit the loss and the
//! model's output width, or the call is an error saying which loss (or which targets)
//! to use instead, as Keras's messages do.

use ndarray::{ArrayView2, Axis};

use super::Targets;
use crate::error::ModelError;

/// The targets a loss reads, for a model with K outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// Integer class labels in 0..K (`sparse_categorical_crossentropy`).
    ClassLabels,
    /// Rows of K probabilities that sum to 1: one-hot, or smoothed
    /// (`categorical_crossentropy`). The softmax gradient softmax(z) − y is the
    /// derivative of the loss only when Σ_k y_k = 1.
    Distributions,
    /// K values in [0, 1], each the target of its own yes/no output
    /// (`binary_crossentropy`); with one output, the labels 0 and 1.
    Probabilities,
    /// K finite values (regression losses). Labels are read as the value itself with one
    /// output, as one-hot rows with several.
    Values,
}

/// How far a row of a categorical target may sum from 1 (f32 rounding of smoothed rows).
const SUM_TOLERANCE: f32 = 1e-3;

/// Checks that `y` fits a loss named `loss` that reads `kind`, on a model with `outputs`
/// outputs. `what` names the argument in the error (`"y for fit"`). `y` has already been
/// checked for its length and, when dense, for finite values.
pub fn check_targets(
    loss: &'static str,
    kind: TargetKind,
    y: &Targets,
    outputs: usize,
    what: &str,
) -> Result<(), ModelError> {
    let err = |expected: String, found: String, advice: &str| ModelError::Targets {
        what: what.to_string(),
        loss,
        problem: if advice.is_empty() {
            format!("{expected}, got {found}")
        } else {
            format!("{expected}, got {found}; {advice}")
        },
    };
    match (kind, y) {
        (TargetKind::ClassLabels, Targets::Labels(labels)) => {
            labels_below(labels, outputs)?;
            one_unit_per_class(outputs).map_err(|(e, f, a)| err(e, f, a))
        }
        (TargetKind::ClassLabels, Targets::Dense(d)) => {
            let expected = format!(
                "integer class labels in 0..={} (a Vec<usize> or Array1<usize>)",
                outputs.saturating_sub(1)
            );
            Err(if d.ncols() == 1 {
                err(
                    expected,
                    "a matrix of width 1 (a column of values)".into(),
                    "pass the classes as integer labels, e.g. \
                     y.column(0).mapv(|v| v as usize)",
                )
            } else if is_one_hot(*d) {
                err(
                    expected,
                    format!("a one-hot matrix of width {}", d.ncols()),
                    "use categorical_crossentropy for one-hot targets, or pass the labels \
                     (the index of the 1 in each row)",
                )
            } else {
                err(
                    expected,
                    format!("a matrix of width {} that is not one-hot", d.ncols()),
                    "pass the class of each sample as an integer label, or use a loss \
                     that reads these values (categorical_crossentropy for probabilities, \
                     mean_squared_error for regression)",
                )
            })
        }
        (TargetKind::Distributions, Targets::Labels(_)) => Err(err(
            format!(
                "one-hot rows of {} (one per output)",
                count(outputs, "probability", "probabilities")
            ),
            "integer class labels".into(),
            if outputs == 1 {
                "use sparse_categorical_crossentropy for integer labels, on an output of \
                 one softmax unit per class; for two classes on this one output, use \
                 binary_crossentropy with a sigmoid"
            } else {
                "use sparse_categorical_crossentropy for integer labels, or one-hot encode \
                 them"
            },
        )),
        (TargetKind::Distributions, Targets::Dense(d)) => {
            same_width(*d, outputs, ("probability", "probabilities"))
                .map_err(|(e, f, a)| err(e, f, &a))?;
            one_unit_per_class(outputs).map_err(|(e, f, a)| err(e, f, a))?;
            let expected = "rows of probabilities in [0, 1] that sum to 1 (one-hot or \
                            smoothed)";
            if let Some((i, k, v)) = outside_unit_interval(*d) {
                return Err(err(
                    expected.into(),
                    format!("{v} at row {i}, column {k}"),
                    "",
                ));
            }
            if let Some((i, sum)) = d
                .axis_iter(Axis(0))
                .map(|row| row.sum())
                .enumerate()
                .find(|(_, s)| (s - 1.0).abs() > SUM_TOLERANCE)
            {
                return Err(err(
                    expected.into(),
                    format!("row {i} summing to {sum}"),
                    "normalise each row so that it sums to 1",
                ));
            }
            Ok(())
        }
        (TargetKind::Probabilities, Targets::Labels(labels)) if outputs == 1 => {
            match labels.iter().enumerate().find(|(_, &l)| l > 1) {
                Some((index, label)) => Err(err(
                    "labels 0 or 1 (the target of its one output)".into(),
                    format!("label {label} at sample {index}"),
                    "for more than two classes, use sparse_categorical_crossentropy on \
                     Dense(classes, activation=softmax)",
                )),
                None => Ok(()),
            }
        }
        (TargetKind::Probabilities, Targets::Labels(_)) => Err(err(
            format!(
                "rows of {} in [0, 1], one yes/no target per output",
                count(outputs, "value", "values")
            ),
            "integer class labels".into(),
            "for one class per sample, use sparse_categorical_crossentropy with a softmax \
             output",
        )),
        (TargetKind::Probabilities, Targets::Dense(d)) => {
            same_width(*d, outputs, ("value in [0, 1]", "values in [0, 1]"))
                .map_err(|(e, f, a)| err(e, f, &a))?;
            match outside_unit_interval(*d) {
                Some((i, k, v)) => Err(err(
                    "values in [0, 1]".into(),
                    format!("{v} at row {i}, column {k}"),
                    "",
                )),
                None => Ok(()),
            }
        }
        // one output reads a label as the value itself
        (TargetKind::Values, Targets::Labels(_)) if outputs == 1 => Ok(()),
        // several read it as a one-hot row
        (TargetKind::Values, Targets::Labels(labels)) => labels_below(labels, outputs),
        (TargetKind::Values, Targets::Dense(d)) => {
            same_width(*d, outputs, ("value", "values")).map_err(|(e, f, a)| err(e, f, &a))
        }
    }
}

/// A categorical loss needs an output of one unit per class, at least 2: over one unit a
/// softmax is always 1 and the loss teaches nothing. Else (expected, found, advice).
fn one_unit_per_class(outputs: usize) -> Result<(), (String, String, &'static str)> {
    if outputs >= 2 {
        return Ok(());
    }
    Err((
        "a model output of one unit per class (at least 2)".into(),
        format!("an output of {}", count(outputs, "unit", "units")),
        "for two classes on one sigmoid unit, use binary_crossentropy with labels 0 and 1; \
         else end the model in Dense(classes, activation=softmax)",
    ))
}

/// Every label below `classes`, or the first that is not.
fn labels_below(labels: &[usize], classes: usize) -> Result<(), ModelError> {
    match labels.iter().enumerate().find(|(_, &l)| l >= classes) {
        Some((index, &label)) => Err(ModelError::LabelOutOfRange {
            label,
            index,
            classes,
        }),
        None => Ok(()),
    }
}

/// Rows of `outputs` values, or (expected, found, advice) for the error; `values` is
/// what each is, singular and plural.
fn same_width(
    d: ArrayView2<f32>,
    outputs: usize,
    (value, values): (&str, &str),
) -> Result<(), (String, String, String)> {
    if d.ncols() == outputs {
        return Ok(());
    }
    Err((
        format!(
            "rows of {}, one per output of the model",
            count(outputs, value, values)
        ),
        format!("rows of {}", count(d.ncols(), "value", "values")),
        format!(
            "the last layer has {}: give targets of that width, or end the model in \
             Dense({})",
            count(outputs, "unit", "units"),
            d.ncols()
        ),
    ))
}

/// `1 value`, `3 values`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first (row, column, value) outside [0, 1].
fn outside_unit_interval(d: ArrayView2<f32>) -> Option<(usize, usize, f32)> {
    d.indexed_iter()
        .find(|(_, &v)| !(0.0..=1.0).contains(&v))
        .map(|((i, k), &v)| (i, k, v))
}

/// Every row holds one 1 and otherwise 0s.
fn is_one_hot(d: ArrayView2<f32>) -> bool {
    d.ncols() > 1
        && d.axis_iter(Axis(0)).all(|row| {
            row.iter().all(|&v| v == 0.0 || v == 1.0)
                && row.iter().filter(|&&v| v == 1.0).count() == 1
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn check(kind: TargetKind, y: &Targets, outputs: usize) -> Result<(), String> {
        check_targets("the_loss", kind, y, outputs, "y").map_err(|e| e.to_string())
    }

    #[test]
    fn class_labels_must_name_an_output_and_may_not_be_dense() {
        assert!(check(TargetKind::ClassLabels, &Targets::Labels(&[0, 2]), 3).is_ok());
        let err =
            check(TargetKind::ClassLabels, &Targets::Labels(&[0, 3]), 3).unwrap_err();
        assert!(err.contains("label 3 at sample 1"), "{err}");
        let one_hot = array![[0.0f32, 1.0], [1.0, 0.0]];
        let err = check(TargetKind::ClassLabels, &Targets::Dense(one_hot.view()), 2)
            .unwrap_err();
        assert_eq!(
            err,
            "y: the_loss expects integer class labels in 0..=1 (a Vec<usize> or \
             Array1<usize>), got a one-hot matrix of width 2; use categorical_crossentropy \
             for one-hot targets, or pass the labels (the index of the 1 in each row)"
        );
    }

    #[test]
    fn categorical_targets_need_two_outputs_at_least() {
        let err =
            check(TargetKind::ClassLabels, &Targets::Labels(&[0, 0]), 1).unwrap_err();
        assert!(err.contains("got an output of 1 unit;"), "{err}");
        let y = array![[1.0f32], [1.0]];
        let err =
            check(TargetKind::Distributions, &Targets::Dense(y.view()), 1).unwrap_err();
        assert!(err.contains("binary_crossentropy"), "{err}");
    }

    #[test]
    fn distributions_are_rows_of_probabilities_summing_to_one() {
        let ok = array![[0.0f32, 1.0], [0.25, 0.75]];
        assert!(check(TargetKind::Distributions, &Targets::Dense(ok.view()), 2).is_ok());
        let off = array![[0.0f32, 1.0], [0.5, 0.25]];
        let err =
            check(TargetKind::Distributions, &Targets::Dense(off.view()), 2).unwrap_err();
        assert!(err.contains("row 1 summing to 0.75"), "{err}");
        let err =
            check(TargetKind::Distributions, &Targets::Labels(&[1, 0]), 2).unwrap_err();
        assert!(err.contains("got integer class labels"), "{err}");
    }

    #[test]
    fn probabilities_take_zero_one_labels_on_one_output_only() {
        assert!(check(TargetKind::Probabilities, &Targets::Labels(&[0, 1]), 1).is_ok());
        let err =
            check(TargetKind::Probabilities, &Targets::Labels(&[0, 1]), 2).unwrap_err();
        assert!(err.contains("rows of 2 values in [0, 1]"), "{err}");
        let y = array![[0.5f32], [1.5]];
        let err =
            check(TargetKind::Probabilities, &Targets::Dense(y.view()), 1).unwrap_err();
        assert!(err.contains("1.5 at row 1, column 0"), "{err}");
    }

    #[test]
    fn values_take_any_label_on_one_output_and_need_the_output_width() {
        assert!(check(TargetKind::Values, &Targets::Labels(&[0, 7]), 1).is_ok());
        let err = check(TargetKind::Values, &Targets::Labels(&[0, 7]), 3).unwrap_err();
        assert!(err.contains("label 7"), "{err}");
        let y = array![[0.5f32, 2.0]];
        let err = check(TargetKind::Values, &Targets::Dense(y.view()), 3).unwrap_err();
        assert!(
            err.contains("rows of 3 values") && err.contains("rows of 2 values"),
            "{err}"
        );
    }
}
