//! What `fit`, `evaluate` and `predict` take: one array or a tuple of arrays for x (one
//! per model input, as Keras's `model.fit((X_A, X_B), …)`), and one target array or a
//! tuple of them for y (one per model output).

use ndarray::{ArrayBase, ArrayViewD, CowArray, Data, Dimension, IxDyn};
use smallvec::SmallVec;

use super::options::AsTargets;
use crate::error::ModelError;
use crate::losses::Targets;

/// One array per model input, each in standard layout (copied only when it was not).
pub type InputArrays<'a> = SmallVec<[CowArray<'a, f32, IxDyn>; 2]>;

/// One target set per model output.
pub type TargetList<'a> = SmallVec<[Targets<'a>; 2]>;

/// x for `fit`, `evaluate` and `predict`: `&x` for a model with one input, `(&x_a, &x_b)`
/// for a model with two (in the order of the model's inputs).
pub trait IntoInputs<'a> {
    /// The arrays, in input order.
    fn into_inputs(self) -> InputArrays<'a>;
}

impl<'a, S, D> IntoInputs<'a> for &'a ArrayBase<S, D>
where
    S: Data<Elem = f32>,
    D: Dimension,
{
    fn into_inputs(self) -> InputArrays<'a> {
        let view: ArrayViewD<'a, f32> = self.view().into_dyn();
        let mut list = InputArrays::new();
        list.push(if view.is_standard_layout() {
            CowArray::from(view)
        } else {
            CowArray::from(view.as_standard_layout().into_owned())
        });
        list
    }
}

impl<'a, A: IntoInputs<'a>, B: IntoInputs<'a>> IntoInputs<'a> for (A, B) {
    fn into_inputs(self) -> InputArrays<'a> {
        let mut list = self.0.into_inputs();
        list.extend(self.1.into_inputs());
        list
    }
}

impl<'a, A: IntoInputs<'a>, B: IntoInputs<'a>, C: IntoInputs<'a>> IntoInputs<'a> for (A, B, C) {
    fn into_inputs(self) -> InputArrays<'a> {
        let mut list = self.0.into_inputs();
        list.extend(self.1.into_inputs());
        list.extend(self.2.into_inputs());
        list
    }
}

/// y for `fit` and `evaluate`: `&y` (labels or dense rows) for a model with one output,
/// `(&y_main, &y_aux)` for a model with two (in the order of the model's outputs).
pub trait IntoTargets<'a> {
    /// The targets, in output order.
    fn into_targets(self) -> Result<TargetList<'a>, ModelError>;
}

impl<'a, T: AsTargets + ?Sized> IntoTargets<'a> for &'a T {
    fn into_targets(self) -> Result<TargetList<'a>, ModelError> {
        let mut list = TargetList::new();
        list.push(self.as_targets()?);
        Ok(list)
    }
}

impl<'a, A: IntoTargets<'a>, B: IntoTargets<'a>> IntoTargets<'a> for (A, B) {
    fn into_targets(self) -> Result<TargetList<'a>, ModelError> {
        let mut list = self.0.into_targets()?;
        list.extend(self.1.into_targets()?);
        Ok(list)
    }
}

impl<'a, A: IntoTargets<'a>, B: IntoTargets<'a>, C: IntoTargets<'a>> IntoTargets<'a>
    for (A, B, C)
{
    fn into_targets(self) -> Result<TargetList<'a>, ModelError> {
        let mut list = self.0.into_targets()?;
        list.extend(self.1.into_targets()?);
        list.extend(self.2.into_targets()?);
        Ok(list)
    }
}
