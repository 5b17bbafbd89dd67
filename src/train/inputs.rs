//! What `fit`, `evaluate` and `predict` take as x and y: one array, as for a
//! `Sequential`, or a tuple with one array per input (or per output), as Keras's
//! `model.fit((X_train_A, X_train_B), (y_train, y_train))` for a functional model with two
//! inputs and two outputs.

use ndarray::{
    Array2, ArrayBase, ArrayView2, ArrayViewD, Axis, CowArray, Data, Dimension, Ix2,
    IxDyn,
};

use super::checks;
use crate::error::{shape_str, ModelError};
use crate::losses::Targets;
use crate::model::Model;

/// Anything `fit` and `evaluate` take as targets: integer labels or dense rows.
pub trait AsTargets {
    /// The targets as a view; labels must be contiguous in memory.
    fn as_targets(&self) -> Result<Targets<'_>, ModelError>;
}

fn labels<'a>(slice: Option<&'a [usize]>) -> Result<Targets<'a>, ModelError> {
    slice.map(Targets::Labels).ok_or_else(|| ModelError::Data {
        what: "labels".into(),
        expected: "a contiguous array of labels".into(),
        found: "a strided view: pass labels.to_vec() or labels.as_standard_layout()"
            .into(),
    })
}

impl AsTargets for ndarray::Array1<usize> {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        labels(self.as_slice())
    }
}
impl AsTargets for Vec<usize> {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        Ok(Targets::Labels(self))
    }
}
impl AsTargets for [usize] {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        Ok(Targets::Labels(self))
    }
}
impl AsTargets for Array2<f32> {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        Ok(Targets::Dense(self.view()))
    }
}
impl AsTargets for ArrayView2<'_, f32> {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        Ok(Targets::Dense(self.view()))
    }
}

/// x for a model: one array per input, in the order of the model's `inputs()`.
///
/// Implemented for `&array` (one input), for tuples `(&a, &b)` and `(&a, &b, &c)`, and for
/// a `Vec` of views. Arrays that are not in standard layout are copied once.
pub trait IntoInputs<'a> {
    /// The arrays, each in standard layout, `[n, per-sample shape…]`.
    fn into_inputs(self) -> Vec<CowArray<'a, f32, IxDyn>>;
}

fn standard<'a, S, D>(x: &'a ArrayBase<S, D>) -> CowArray<'a, f32, IxDyn>
where
    S: Data<Elem = f32>,
    D: Dimension,
{
    x.as_standard_layout().into_dyn()
}

impl<'a, S, D> IntoInputs<'a> for &'a ArrayBase<S, D>
where
    S: Data<Elem = f32>,
    D: Dimension,
{
    fn into_inputs(self) -> Vec<CowArray<'a, f32, IxDyn>> {
        vec![standard(self)]
    }
}

impl<'a, S1, D1, S2, D2> IntoInputs<'a> for (&'a ArrayBase<S1, D1>, &'a ArrayBase<S2, D2>)
where
    S1: Data<Elem = f32>,
    D1: Dimension,
    S2: Data<Elem = f32>,
    D2: Dimension,
{
    fn into_inputs(self) -> Vec<CowArray<'a, f32, IxDyn>> {
        vec![standard(self.0), standard(self.1)]
    }
}

impl<'a, S1, D1, S2, D2, S3, D3> IntoInputs<'a>
    for (
        &'a ArrayBase<S1, D1>,
        &'a ArrayBase<S2, D2>,
        &'a ArrayBase<S3, D3>,
    )
where
    S1: Data<Elem = f32>,
    D1: Dimension,
    S2: Data<Elem = f32>,
    D2: Dimension,
    S3: Data<Elem = f32>,
    D3: Dimension,
{
    fn into_inputs(self) -> Vec<CowArray<'a, f32, IxDyn>> {
        vec![standard(self.0), standard(self.1), standard(self.2)]
    }
}

impl<'a> IntoInputs<'a> for Vec<ArrayViewD<'a, f32>> {
    fn into_inputs(self) -> Vec<CowArray<'a, f32, IxDyn>> {
        self.into_iter()
            .map(|x| {
                if x.is_standard_layout() {
                    CowArray::from(x)
                } else {
                    CowArray::from(x.as_standard_layout().into_owned())
                }
            })
            .collect()
    }
}

/// y for a model: one set of targets per output, in the order of the model's
/// `outputs()`.
///
/// Implemented for `&targets` (one output; labels or dense rows, see `AsTargets`) and
/// for tuples `(&y1, &y2)` and `(&y1, &y2, &y3)`.
pub trait IntoTargets<'a> {
    /// The targets, one per output.
    fn into_targets(self) -> Result<Vec<Targets<'a>>, ModelError>;
}

impl<'a, T: AsTargets + ?Sized> IntoTargets<'a> for &'a T {
    fn into_targets(self) -> Result<Vec<Targets<'a>>, ModelError> {
        Ok(vec![self.as_targets()?])
    }
}

impl<'a, T1, T2> IntoTargets<'a> for (&'a T1, &'a T2)
where
    T1: AsTargets + ?Sized,
    T2: AsTargets + ?Sized,
{
    fn into_targets(self) -> Result<Vec<Targets<'a>>, ModelError> {
        Ok(vec![self.0.as_targets()?, self.1.as_targets()?])
    }
}

impl<'a, T1, T2, T3> IntoTargets<'a> for (&'a T1, &'a T2, &'a T3)
where
    T1: AsTargets + ?Sized,
    T2: AsTargets + ?Sized,
    T3: AsTargets + ?Sized,
{
    fn into_targets(self) -> Result<Vec<Targets<'a>>, ModelError> {
        Ok(vec![
            self.0.as_targets()?,
            self.1.as_targets()?,
            self.2.as_targets()?,
        ])
    }
}

/// x as one matrix `[n, features]`: each input's array `[n, d1, d2, …]` viewed as
/// `[n, d1·d2·…]` after checking that its samples have the input's shape and that every
/// value is finite, then (for several inputs) placed side by side in the order of the
/// model's `inputs()`. One input is borrowed, never copied.
pub(super) fn as_matrix<'x>(
    model: &dyn Model,
    xs: &[ArrayViewD<'x, f32>],
    what: &str,
) -> Result<CowArray<'x, f32, Ix2>, ModelError> {
    let inputs = model.inputs();
    if xs.len() != inputs.len() {
        let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
        return Err(ModelError::Data {
            what: what.to_string(),
            expected: format!(
                "one array per input ({}: {}), e.g. (&x_a, &x_b)",
                inputs.len(),
                names.join(", ")
            ),
            found: format!("{} array{}", xs.len(), if xs.len() == 1 { "" } else { "s" }),
        });
    }
    let mut matrices = Vec::with_capacity(xs.len());
    for (x, input) in xs.iter().zip(&inputs) {
        let what = if inputs.len() == 1 {
            what.to_string()
        } else {
            format!("{what} (input {})", input.name)
        };
        let matrix = input_matrix(x.clone(), &input.shape, &what)?;
        if let Some(first) = matrices.first().map(|m: &ArrayView2<f32>| m.nrows()) {
            if matrix.nrows() != first {
                return Err(ModelError::Data {
                    what,
                    expected: format!("{first} samples, as the first input has"),
                    found: format!("{} samples", matrix.nrows()),
                });
            }
        }
        matrices.push(matrix);
    }
    if matrices.len() == 1 {
        return Ok(CowArray::from(matrices.remove(0)));
    }
    let shape = [
        matrices[0].nrows(),
        matrices.iter().map(|m| m.ncols()).sum::<usize>(),
    ];
    let size = || {
        format!(
            "{what}, its inputs side by side {}",
            shape_str(&shape, false)
        )
    };
    crate::layers::within_limit(crate::layers::elements(&shape), size, "it would hold")?;
    let joined =
        ndarray::concatenate(Axis(1), &matrices).map_err(|e| ModelError::Data {
            what: what.to_string(),
            expected: "inputs with the same number of samples".into(),
            found: e.to_string(),
        })?;
    Ok(CowArray::from(joined))
}

/// One input's array `[n, d1, d2, …]` viewed as `[n, d1·d2·…]`, checked against the
/// input's per-sample shape and for finite values.
fn input_matrix<'x>(
    x: ArrayViewD<'x, f32>,
    input: &[usize],
    what: &str,
) -> Result<ArrayView2<'x, f32>, ModelError> {
    let shape = x.shape();
    if shape.len() < 2 || &shape[1..] != input {
        return Err(checks::shape_error(input, shape, what));
    }
    let (n, features) = (shape[0], input.iter().product::<usize>());
    let x = x
        .into_shape_with_order((n, features))
        .map_err(|e| ModelError::Data {
            what: what.to_string(),
            expected: "a contiguous array".into(),
            found: e.to_string(),
        })?;
    checks::check_finite(x, input, what)?;
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    #[test]
    fn one_array_is_one_input_and_a_pair_is_two() {
        let a = Array2::<f32>::zeros((3, 5));
        let b = Array2::<f32>::ones((3, 6));
        let one = (&a).into_inputs();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].shape(), &[3, 5]);
        let b = b.view();
        let two = (&a, &b).into_inputs();
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].shape(), &[3, 6]);
    }

    #[test]
    fn a_transposed_input_is_read_in_standard_layout() {
        let a = array![[1.0f32, 2.0], [3.0, 4.0]];
        let t = a.t();
        let x = (&t).into_inputs();
        assert!(x[0].is_standard_layout());
        assert_eq!(x[0].as_slice().unwrap(), &[1.0, 3.0, 2.0, 4.0]);
    }

    #[test]
    fn a_pair_of_targets_gives_one_per_output() {
        let labels = vec![0usize, 1, 2];
        let dense = Array2::<f32>::zeros((3, 1));
        let ys = (&labels, &dense).into_targets().unwrap();
        assert_eq!(ys.len(), 2);
        assert!(matches!(ys[0], Targets::Labels(_)));
        assert!(matches!(ys[1], Targets::Dense(_)));
    }
}
