//! scikit-learn's `train_test_split` for any table: rows `[n, d]` and targets `[n]`,
//! shuffled exactly as `train_test_split(X, y, test_size=t, random_state=seed)` shuffles
//! them.
//!
//! scikit-learn (`sklearn/model_selection/_split.py`) hands the work to `ShuffleSplit`,
//! whose `_iter_indices` does, for `n` samples and a float `test_size` t:
//!
//! ```text
//! n_test  = ceil(t · n)            # _validate_shuffle_split
//! n_train = n − n_test             # train_size None
//! permutation = RandomState(seed).permutation(n)
//! test  = permutation[:n_test]
//! train = permutation[n_test : n_test + n_train]
//! ```
//!
//! and `train_test_split` returns `X[train], X[test], y[train], y[test]` in that order.
//! The permutation is numpy's, reproduced bit for bit by [`numpy_permutation`], so the
//! rows land in the same sets and the same order as in Python.

use ndarray::{Array1, Array2, ArrayBase, Axis, Data, Ix1, Ix2};
use thiserror::Error;

use super::split::numpy_permutation;

/// scikit-learn's default `test_size` when neither it nor `train_size` is given.
pub const DEFAULT_TEST_SIZE: f64 = 0.25;

/// A split that scikit-learn would refuse, with the numbers that make it impossible.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SplitError {
    /// `test_size` is not a fraction strictly between 0 and 1.
    #[error("test_size = {test_size} must be a fraction strictly between 0 and 1")]
    TestSize { test_size: f64 },
    /// One of the two sets would hold no rows.
    #[error(
        "with n_samples = {n_samples} and test_size = {test_size} the {which} set would be \
         empty ({n_train} train, {n_test} test rows); use more samples or another test_size"
    )]
    Empty {
        n_samples: usize,
        test_size: f64,
        n_train: usize,
        n_test: usize,
        which: &'static str,
    },
    /// `x` and `y` do not have one target per row.
    #[error("x has {x_rows} rows but y has {y_len} targets: they must have one target per row")]
    Lengths { x_rows: usize, y_len: usize },
}

/// The row indices `(train, test)` of `train_test_split(test_size=test_size,
/// random_state=random_state)` on `n_samples` rows: test = the first ⌈t·n⌉ entries of
/// numpy's `RandomState(random_state).permutation(n_samples)`, train = the rest, both in
/// permutation order.
pub fn shuffle_split(
    n_samples: usize,
    test_size: f64,
    random_state: u32,
) -> Result<(Vec<usize>, Vec<usize>), SplitError> {
    if !(test_size > 0.0 && test_size < 1.0) {
        return Err(SplitError::TestSize { test_size });
    }
    // ceil(test_size · n_samples) in f64, as Python's math.ceil of the float product.
    let n_test = (test_size * n_samples as f64).ceil() as usize;
    let n_train = n_samples.saturating_sub(n_test);
    if n_train == 0 || n_test == 0 {
        let which = if n_train == 0 { "train" } else { "test" };
        return Err(SplitError::Empty {
            n_samples,
            test_size,
            n_train,
            n_test,
            which,
        });
    }
    let permutation = numpy_permutation(n_samples, random_state);
    let (test, train) = permutation.split_at(n_test);
    Ok((train.to_vec(), test.to_vec()))
}

/// What [`train_test_split`] returns: `(x_train, x_test, y_train, y_test)`, as Python.
pub type TrainTest<A, B> = (Array2<A>, Array2<A>, Array1<B>, Array1<B>);

// ANCHOR: train_test_split
/// `X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size,
/// random_state=random_state)`: the rows of `x` `[n, d]` and the entries of `y` `[n]`
/// taken at the indices of [`shuffle_split`], in that order.
pub fn train_test_split<A, B, S, T>(
    x: &ArrayBase<S, Ix2>,
    y: &ArrayBase<T, Ix1>,
    test_size: f64,
    random_state: u32,
) -> Result<TrainTest<A, B>, SplitError>
where
    A: Clone,
    B: Clone,
    S: Data<Elem = A>,
    T: Data<Elem = B>,
{
    let (x_rows, y_len) = (x.nrows(), y.len());
    if x_rows != y_len {
        return Err(SplitError::Lengths { x_rows, y_len });
    }
    let (train, test) = shuffle_split(x_rows, test_size, random_state)?;
    Ok((
        x.select(Axis(0), &train),
        x.select(Axis(0), &test),
        y.select(Axis(0), &train),
        y.select(Axis(0), &test),
    ))
}
// ANCHOR_END: train_test_split

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1, Array2};

    #[test]
    fn ten_rows_split_as_numpy_permutes_them() {
        // np.random.RandomState(42).permutation(10) = [8 1 5 0 7 2 9 4 3 6];
        // ceil(0.25 · 10) = 3 test rows.
        let (train, test) = shuffle_split(10, 0.25, 42).expect("valid split");
        assert_eq!(test, [8, 1, 5]);
        assert_eq!(train, [0, 7, 2, 9, 4, 3, 6]);
    }

    #[test]
    fn rows_and_targets_travel_together() {
        let x = Array2::from_shape_fn((10, 2), |(i, j)| (10 * i + j) as f64);
        let y = Array1::from_shape_fn(10, |i| i as u8);
        let (x_train, x_test, y_train, y_test) =
            train_test_split(&x, &y, DEFAULT_TEST_SIZE, 42).expect("valid split");
        assert_eq!(y_test, array![8, 1, 5]);
        assert_eq!(x_test.row(0).to_vec(), [80.0, 81.0]);
        assert_eq!(x_train.dim(), (7, 2));
        assert_eq!(x_train.row(6).to_vec(), [60.0, 61.0]);
        assert_eq!(y_train[6], 6);
    }

    #[test]
    fn a_test_size_outside_zero_to_one_is_an_error() {
        for t in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
            let err = shuffle_split(10, t, 42).unwrap_err();
            assert!(matches!(err, SplitError::TestSize { .. }), "{t}: {err}");
        }
    }

    #[test]
    fn a_split_leaving_an_empty_set_is_an_error_naming_it() {
        let err = shuffle_split(1, 0.25, 42).unwrap_err().to_string();
        assert!(err.contains("the train set would be empty"), "{err}");
        let err = shuffle_split(0, 0.25, 42).unwrap_err().to_string();
        assert!(err.contains("n_samples = 0"), "{err}");
    }

    #[test]
    fn rows_and_targets_of_different_lengths_are_an_error() {
        let x = Array2::<f64>::zeros((4, 2));
        let y = Array1::<f64>::zeros(3);
        let err = train_test_split(&x, &y, 0.25, 42).unwrap_err();
        assert_eq!(
            err,
            SplitError::Lengths {
                x_rows: 4,
                y_len: 3
            }
        );
    }
}
