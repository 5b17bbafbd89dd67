//! scikit-learn's `StandardScaler`: each column shifted to mean 0 and divided by its
//! population standard deviation, with the mean and deviation learnt on the training set
//! only and reused for the validation and test sets.
//!
//! For a fitted table x `[n, d]`, column j:
//!
//! ```text
//! mean_j  = (1/n) Σ_i x_ij
//! var_j   = (1/n) Σ_i (x_ij − mean_j)²        population variance (ddof = 0)
//! scale_j = √var_j
//! transform: z_ij = (x_ij − mean_j) / scale_j
//! ```
//!
//! Everything is f64, as scikit-learn computes on float64 data. One difference: where
//! scikit-learn silently keeps a constant column unscaled (`scale_ = 1`), annlab refuses
//! to fit it, since a feature that never varies cannot be standardised and is almost
//! always a mistake in the data.

use ndarray::{Array1, Array2, ArrayBase, Axis, Data, Ix2};
use thiserror::Error;

/// Fitting or applying a scaler failed: which column or width, and what to do.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScalerError {
    /// `fit` was given no rows.
    #[error("StandardScaler.fit: x has no rows; fit on a non-empty training set")]
    Empty,
    /// A value is NaN or infinite.
    #[error("StandardScaler: x[{row}, {column}] = {value} is not a finite number")]
    NonFinite {
        row: usize,
        column: usize,
        value: f64,
    },
    /// A column has the same value in every row.
    #[error(
        "StandardScaler.fit: column {column} is constant ({value} in all {rows} rows, to \
         rounding), so its standard deviation is 0 and it cannot be standardised; drop \
         the column"
    )]
    ZeroVariance {
        column: usize,
        value: f64,
        rows: usize,
    },
    /// `transform` was given a table of another width than the one fitted.
    #[error(
        "StandardScaler.transform: x has {found} columns, but the scaler was fitted on {fitted}"
    )]
    Width { fitted: usize, found: usize },
    /// `transform` was called before `fit`.
    #[error("StandardScaler.transform: the scaler is not fitted yet; call fit or fit_transform on the training set first")]
    NotFitted,
}

/// scikit-learn's `StandardScaler()`: `fit` on the training set, then `transform` any set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StandardScaler {
    /// (mean_, scale_) once fitted, each `[d]`.
    fitted: Option<(Array1<f64>, Array1<f64>)>,
}

/// The first non-finite value of `x`, as an error naming its row and column.
fn check_finite<S: Data<Elem = f64>>(x: &ArrayBase<S, Ix2>) -> Result<(), ScalerError> {
    match x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((row, column), &value)) => {
            Err(ScalerError::NonFinite { row, column, value })
        }
        None => Ok(()),
    }
}

impl StandardScaler {
    /// An unfitted scaler.
    pub fn new() -> Self {
        Self::default()
    }

    // ANCHOR: fit
    /// Learns each column's mean and population standard deviation from `x` `[n, d]`.
    pub fn fit<S: Data<Elem = f64>>(
        &mut self,
        x: &ArrayBase<S, Ix2>,
    ) -> Result<(), ScalerError> {
        let n = x.nrows();
        if n == 0 {
            return Err(ScalerError::Empty);
        }
        check_finite(x)?;
        // mean [d]. Two passes, as scikit-learn's _incremental_mean_and_var: with
        // t = x − mean, var = (Σt² − (Σt)²/n) / n; the correction (Σt)²/n removes the
        // rounding of mean.
        let mean = x.sum_axis(Axis(0)) / n as f64;
        let t = x - &mean; // [n, d]
        let correction = t.sum_axis(Axis(0)).mapv(|s| s * s / n as f64);
        let var = ((&t * &t).sum_axis(Axis(0)) - correction) / n as f64;
        // A column is constant when var is within the rounding error of the two-pass
        // algorithm (scikit-learn's _is_constant_feature, after Chan, Golub and LeVeque):
        // var ≤ n·ε·var + (n·mean·ε)².
        let (nf, eps) = (n as f64, f64::EPSILON);
        let constant =
            |(&v, &m): (&f64, &f64)| v <= nf * eps * v + (nf * m * eps).powi(2);
        if let Some(column) = var.iter().zip(&mean).position(constant) {
            return Err(ScalerError::ZeroVariance {
                column,
                value: x[[0, column]],
                rows: n,
            });
        }
        let scale = var.mapv(f64::sqrt);
        self.fitted = Some((mean, scale));
        Ok(())
    }
    // ANCHOR_END: fit

    /// z = (x − mean_) / scale_, column by column, for `x` `[m, d]`.
    pub fn transform<S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
    ) -> Result<Array2<f64>, ScalerError> {
        let (mean, scale) = self.fitted.as_ref().ok_or(ScalerError::NotFitted)?;
        if x.ncols() != mean.len() {
            return Err(ScalerError::Width {
                fitted: mean.len(),
                found: x.ncols(),
            });
        }
        check_finite(x)?;
        Ok((x - mean) / scale)
    }

    /// `fit(x)` then `transform(x)`.
    pub fn fit_transform<S: Data<Elem = f64>>(
        &mut self,
        x: &ArrayBase<S, Ix2>,
    ) -> Result<Array2<f64>, ScalerError> {
        self.fit(x)?;
        self.transform(x)
    }

    /// `mean_`: each column's mean on the fitted set, `[d]`; `None` before `fit`.
    pub fn mean(&self) -> Option<&Array1<f64>> {
        self.fitted.as_ref().map(|(mean, _)| mean)
    }

    /// `scale_`: each column's population standard deviation, `[d]`; `None` before `fit`.
    pub fn scale(&self) -> Option<&Array1<f64>> {
        self.fitted.as_ref().map(|(_, scale)| scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_fitted_set_comes_out_with_mean_zero_and_population_deviation_one() {
        let x = array![[1.0, 10.0], [2.0, 10.0], [3.0, 40.0], [6.0, 20.0]];
        let mut scaler = StandardScaler::new();
        let z = scaler.fit_transform(&x).expect("fits");
        // column 0: mean 3, var (4 + 1 + 0 + 9)/4 = 3.5 (population, not 14/3)
        assert_eq!(scaler.mean(), Some(&array![3.0, 20.0]));
        let scale = scaler.scale().expect("fitted");
        assert!((scale[0] - 3.5f64.sqrt()).abs() < 1e-15);
        assert!((scale[1] - 150.0f64.sqrt()).abs() < 1e-13);
        for column in z.columns() {
            let mean = column.sum() / 4.0;
            let var = column.mapv(|v| (v - mean).powi(2)).sum() / 4.0;
            assert!(mean.abs() < 1e-15 && (var - 1.0).abs() < 1e-14, "{column}");
        }
    }

    #[test]
    fn other_sets_are_scaled_with_the_training_figures() {
        let mut scaler = StandardScaler::new();
        scaler.fit(&array![[0.0], [2.0]]).expect("fits"); // mean 1, scale 1
        let z = scaler
            .transform(&array![[5.0], [-1.0]])
            .expect("same width");
        assert_eq!(z, array![[4.0], [-2.0]]);
    }

    #[test]
    fn a_constant_column_is_an_error_naming_it() {
        let x = array![[1.0, 7.0], [2.0, 7.0]];
        let err = StandardScaler::new().fit(&x).unwrap_err();
        assert_eq!(
            err,
            ScalerError::ZeroVariance {
                column: 1,
                value: 7.0,
                rows: 2
            }
        );
        assert!(err.to_string().contains("column 1 is constant"));
        // 0.1 is not exact in binary, so the mean of three 0.1s is off by rounding and
        // the computed variance is not exactly 0: still constant.
        let err = StandardScaler::new()
            .fit(&array![[0.1], [0.1], [0.1]])
            .unwrap_err();
        assert!(matches!(err, ScalerError::ZeroVariance { column: 0, .. }));
    }

    #[test]
    fn a_width_other_than_the_fitted_one_is_an_error() {
        let mut scaler = StandardScaler::new();
        scaler.fit(&array![[0.0, 1.0], [2.0, 3.0]]).expect("fits");
        let err = scaler.transform(&array![[1.0, 2.0, 3.0]]).unwrap_err();
        assert_eq!(
            err,
            ScalerError::Width {
                fitted: 2,
                found: 3
            }
        );
    }

    #[test]
    fn a_nan_in_x_is_an_error_naming_row_and_column() {
        let x = array![[0.0, 1.0], [2.0, f64::NAN]];
        let err = StandardScaler::new().fit(&x).unwrap_err();
        assert!(matches!(
            err,
            ScalerError::NonFinite {
                row: 1,
                column: 1,
                ..
            }
        ));
        let mut scaler = StandardScaler::new();
        scaler.fit(&array![[0.0], [2.0]]).expect("fits");
        let err = scaler.transform(&array![[f64::INFINITY]]).unwrap_err();
        assert!(err.to_string().contains("x[0, 0] = inf"), "{err}");
    }

    #[test]
    fn transform_before_fit_and_fit_on_nothing_are_errors() {
        let scaler = StandardScaler::new();
        assert_eq!(
            scaler.transform(&array![[1.0]]).unwrap_err(),
            ScalerError::NotFitted
        );
        let empty = Array2::<f64>::zeros((0, 3));
        assert_eq!(
            StandardScaler::new().fit(&empty).unwrap_err(),
            ScalerError::Empty
        );
    }
}
