//! scikit-learn's `KFold(n_splits)` without shuffling: the folds of a cross-validation,
//! contiguous blocks of rows in order, as `RandomizedSearchCV(cv=3)` makes them for a
//! regressor.

use super::error::TuningError;

/// `KFold(n_splits, shuffle=False)` (`sklearn/model_selection/_split.py`,
/// `KFold._iter_test_indices`): n rows cut into `n_splits` contiguous test blocks, the
/// first `n mod n_splits` of them one row longer,
///
/// ```text
/// size_k = ⌊n / n_splits⌋ + (1 if k < n mod n_splits else 0)
/// test_k = [start_k, start_k + size_k),  start_k = Σ_{j<k} size_j
/// train_k = every other row, in order
/// ```
///
/// so the test blocks partition the rows, and every row is tested exactly once. 11,610
/// rows in 3 folds: tests [0, 3870), [3870, 7740), [7740, 11610), each trained on the other
/// 7,740 rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KFold {
    n_splits: usize,
}

/// One fold: the rows to train on and the rows to score on, both ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

impl KFold {
    /// `KFold(n_splits)`; fewer than 2 splits is an error, as in scikit-learn.
    pub fn new(n_splits: usize) -> Result<Self, TuningError> {
        if n_splits < 2 {
            return Err(TuningError::TooFewFolds { n_splits });
        }
        Ok(KFold { n_splits })
    }

    /// The number of folds.
    pub fn n_splits(&self) -> usize {
        self.n_splits
    }

    /// The folds of `n_samples` rows; more folds than rows is an error, as in
    /// scikit-learn.
    pub fn split(&self, n_samples: usize) -> Result<Vec<Fold>, TuningError> {
        let k = self.n_splits;
        if k > n_samples {
            return Err(TuningError::MoreFoldsThanRows {
                n_splits: k,
                n_samples,
            });
        }
        let (base, extra) = (n_samples / k, n_samples % k);
        let mut start = 0;
        Ok((0..k)
            .map(|fold| {
                let size = base + usize::from(fold < extra);
                let end = start + size;
                let train = (0..start).chain(end..n_samples).collect();
                let test = (start..end).collect();
                start = end;
                Fold { train, test }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[(len(train), len(test), test[0], test[-1])]` of scikit-learn 1.9.1
    /// (`keras/ch13_sklearn.py`).
    fn shape(folds: &[Fold]) -> Vec<(usize, usize, usize, usize)> {
        folds
            .iter()
            .map(|f| {
                (
                    f.train.len(),
                    f.test.len(),
                    f.test[0],
                    f.test[f.test.len() - 1],
                )
            })
            .collect()
    }

    #[test]
    fn uneven_rows_give_the_first_folds_one_more_row_as_scikit_learn() {
        let ten = KFold::new(3).unwrap().split(10).unwrap();
        assert_eq!(shape(&ten), [(6, 4, 0, 3), (7, 3, 4, 6), (7, 3, 7, 9)]);
        assert_eq!(ten[1].train[..2], [0, 1]);
        assert_eq!(ten[2].train[5..], [5, 6]);
        let seven = KFold::new(3).unwrap().split(7).unwrap();
        assert_eq!(shape(&seven), [(4, 3, 0, 2), (5, 2, 3, 4), (5, 2, 5, 6)]);
        let leave_one_out = KFold::new(5).unwrap().split(5).unwrap();
        assert_eq!(leave_one_out[3].train, [0, 1, 2, 4]);
    }

    #[test]
    fn fewer_than_two_folds_or_more_folds_than_rows_is_an_error_as_scikit_learns() {
        for k in [0, 1] {
            let e = KFold::new(k).unwrap_err().to_string();
            assert!(e.contains("n_splits=2 or more"), "{e}");
        }
        let e = KFold::new(4).unwrap().split(3).unwrap_err().to_string();
        assert_eq!(
            e,
            "cannot have number of splits n_splits=4 greater than the number of samples: \
             n_samples=3"
        );
    }
}
