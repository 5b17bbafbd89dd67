//! The checks `fit`, `evaluate`, `predict` and `loss_and_gradients` make on their data
//! before any step: x's shape against the model's input, finite values, and targets
//! against the loss. Each failure is an error saying what is wrong and what to do.

use ndarray::ArrayView2;

use crate::error::{shape_str, ModelError};
use crate::simd;

/// The error for an x whose shape `found` is not a batch of samples of shape `input`:
/// a single sample given without its batch axis gets told how to add it.
pub(crate) fn shape_error(input: &[usize], found: &[usize], what: &str) -> ModelError {
    let batch = shape_str(input, true);
    if found == input {
        let one: Vec<usize> = std::iter::once(1).chain(input.iter().copied()).collect();
        return ModelError::Data {
            what: what.to_string(),
            expected: format!("a batch of shape {batch}"),
            found: format!(
                "a single sample of shape {}; add the batch axis with \
                 x.insert_axis(Axis(0)) (or reshape it to {})",
                shape_str(input, false),
                shape_str(&one, false)
            ),
        };
    }
    ModelError::Data {
        what: what.to_string(),
        expected: format!(
            "a batch of shape {batch} (samples of shape {})",
            shape_str(input, false)
        ),
        found: format!("an array of shape {}", shape_str(found, false)),
    }
}

/// Checks that every value of `m` `[n, features]` is finite; otherwise the error names
/// the first NaN or ±∞ by row and column (and, for samples of several axes `sample`, its
/// index within the sample). One pass over the data.
pub(crate) fn check_finite(
    m: ArrayView2<f32>,
    sample: &[usize],
    what: &str,
) -> Result<(), ModelError> {
    let columns = m.ncols();
    let first = match m.as_slice() {
        Some(values) => {
            simd::first_non_finite(values).map(|i| (i / columns, i % columns))
        }
        None => m
            .indexed_iter()
            .find(|(_, v)| !v.is_finite())
            .map(|(index, _)| index),
    };
    let Some((row, column)) = first else {
        return Ok(());
    };
    let in_sample = (sample.len() > 1).then(|| {
        // the column, unravelled in row-major order over the sample's axes
        let mut index = vec![0; sample.len()];
        let mut rest = column;
        for (i, &d) in index.iter_mut().zip(sample).rev() {
            *i = rest % d;
            rest /= d;
        }
        shape_str(&index, false)
    });
    Err(ModelError::NonFinite {
        what: what.to_string(),
        value: m[[row, column]],
        row,
        column,
        in_sample,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn a_non_finite_value_is_named_by_row_column_and_index_within_the_sample() {
        let mut m = Array2::<f32>::zeros((3, 6));
        assert!(check_finite(m.view(), &[2, 3], "x").is_ok());
        m[[2, 5]] = f32::INFINITY;
        let err = check_finite(m.view(), &[2, 3], "x")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "x: found inf at row 2, column 5 (index (1, 2) within the sample)"
            ),
            "{err}"
        );
        // a strided view is searched too
        let err = check_finite(m.t(), &[3], "x").unwrap_err().to_string();
        assert!(err.contains("inf at row 5, column 2;"), "{err}");
    }

    #[test]
    fn a_single_sample_is_told_to_add_the_batch_axis() {
        let err = shape_error(&[28, 28], &[28, 28], "x").to_string();
        assert_eq!(
            err,
            "x: expected a batch of shape (None, 28, 28), found a single sample of shape \
             (28, 28); add the batch axis with x.insert_axis(Axis(0)) (or reshape it to \
             (1, 28, 28))"
        );
        let err = shape_error(&[4], &[12, 5], "x").to_string();
        assert_eq!(
            err,
            "x: expected a batch of shape (None, 4) (samples of shape (4,)), found an array \
             of shape (12, 5)"
        );
    }
}
