//! Comparing a learner's numbers with the expected ones, so that a failed check names
//! the first entry that differs and both values:
//! `dL/dW[3, 7]: yours 0.0123, finite differences 0.0456`.

use ndarray::{Array, ArrayViewD, Dimension, NdIndex};

use super::grade::{Checked, Verdict};

/// How close is close enough: |yours − expected| ≤ atol + rtol·max(|yours|, |expected|).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tol {
    pub atol: f64,
    pub rtol: f64,
}

impl Tol {
    /// For values computed by another order of f32 operations (a different summation
    /// order moves the last bits, never more).
    pub const F32: Tol = Tol {
        atol: 1e-6,
        rtol: 1e-5,
    };
    /// For an analytic gradient against central finite differences
    /// (`gradcheck::ATOL`, `gradcheck::RTOL`).
    pub const FINITE_DIFFERENCES: Tol = Tol {
        atol: crate::gradcheck::ATOL,
        rtol: crate::gradcheck::RTOL,
    };

    fn accepts(self, yours: f64, expected: f64) -> bool {
        (yours - expected).abs()
            <= self.atol + self.rtol * yours.abs().max(expected.abs())
    }
}

/// Central differences, in f64, of `loss` with respect to every entry of `param`:
/// (L(p + h·eᵢ) − L(p − h·eᵢ)) / 2h, each entry restored afterwards. The expected
/// gradients of the checks (f64 throughout, so the comparison measures the learner's
/// f32 arithmetic and not the differences' own rounding; `gradcheck::numerical_gradient`
/// is its f32 counterpart for the library's layers).
pub fn central_differences<D>(
    param: &mut Array<f64, D>,
    h: f64,
    loss: impl Fn(&Array<f64, D>) -> f64,
) -> Array<f64, D>
where
    D: Dimension,
    D::Pattern: NdIndex<D>,
{
    let mut grad = Array::zeros(param.raw_dim());
    for index in ndarray::indices_of(&*param) {
        let orig = param[index.clone()];
        param[index.clone()] = orig + h;
        let up = loss(param);
        param[index.clone()] = orig - h;
        let down = loss(param);
        param[index.clone()] = orig;
        grad[index] = (up - down) / (2.0 * h);
    }
    grad
}

/// `[3, 7]` for a 2-D index, `[3]` for a 1-D one.
pub fn index_str(index: &[usize]) -> String {
    let parts: Vec<String> = index.iter().map(|i| i.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

/// Checks that `yours` has the `expected` shape; `meaning` says what the axes are,
/// e.g. `"[n_inputs, units]"`.
pub fn shape(what: &str, yours: &[usize], expected: &[usize], meaning: &str) -> Checked {
    if yours == expected {
        return Ok(());
    }
    let swapped = yours.len() == 2
        && expected.len() == 2
        && yours[0] == expected[1]
        && yours[1] == expected[0];
    let hint = if swapped { " — transposed?" } else { "" };
    Err(Verdict::Wrong(format!(
        "{what} has shape {}, expected {} {meaning}{hint}",
        index_str(yours),
        index_str(expected)
    )))
}

/// Checks `yours` against `expected` entry by entry: the shapes first, then every
/// value (a non-finite value of yours always fails). `against` names where the
/// expected values come from: `"finite differences"`, `"Keras"`, `"expected"`.
pub fn close(
    what: &str,
    yours: ArrayViewD<'_, f32>,
    expected: ArrayViewD<'_, f64>,
    against: &str,
    tol: Tol,
) -> Checked {
    shape(what, yours.shape(), expected.shape(), "")?;
    for ((index, &y), &e) in yours.indexed_iter().zip(expected.iter()) {
        let y = f64::from(y);
        if !y.is_finite() || !tol.accepts(y, e) {
            return Err(Verdict::Wrong(format!(
                "{what}{}: yours {}, {against} {}",
                index_str(index.slice()),
                number(y),
                number(e)
            )));
        }
    }
    Ok(())
}

/// Checks one number.
pub fn close_scalar(
    what: &str,
    yours: f64,
    expected: f64,
    against: &str,
    tol: Tol,
) -> Checked {
    if yours.is_finite() && tol.accepts(yours, expected) {
        Ok(())
    } else {
        Err(Verdict::Wrong(format!(
            "{what}: yours {}, {against} {}",
            number(yours),
            number(expected)
        )))
    }
}

/// A number with enough digits to see the difference: 6 significant digits.
pub fn number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor();
    if (-4.0..6.0).contains(&magnitude) {
        let decimals = (5.0 - magnitude).max(0.0) as usize;
        format!("{x:.decimals$}")
    } else {
        format!("{x:.5e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_differing_entry_is_named_with_both_numbers() {
        let yours = array![[0.0f32, 1.0], [2.0, 0.0123]];
        let expected = array![[0.0f64, 1.0], [2.0, 0.0456]];
        let err = close(
            "dL/dW",
            yours.view().into_dyn(),
            expected.view().into_dyn(),
            "finite differences",
            Tol::FINITE_DIFFERENCES,
        )
        .unwrap_err();
        assert_eq!(
            err,
            Verdict::Wrong(
                "dL/dW[1, 1]: yours 0.0123000, finite differences 0.0456000".into()
            )
        );
    }

    #[test]
    fn a_transposed_shape_is_called_transposed() {
        let err = shape("dL/dW", &[3, 4], &[4, 3], "[n_inputs, units]").unwrap_err();
        assert_eq!(
            err,
            Verdict::Wrong(
                "dL/dW has shape [3, 4], expected [4, 3] [n_inputs, units] — transposed?"
                    .into()
            )
        );
    }
}
