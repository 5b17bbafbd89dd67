//! `Train`: Keras's `compile` / `fit` / `evaluate` / `predict` calls on any `Model` that
//! keeps a `Trainer`, so every kind of model trains with the same lines.

use ndarray::{Array2, ArrayBase, ArrayD, Data, Dimension};

use super::options::{AsTargets, Compile, Evaluation, Fit};
use super::trainer::{self, Trainer, TrainingState};
use crate::callbacks::History;
use crate::error::ModelError;
use crate::model::{Model, Sequential};
use crate::optimizers::{Optimizer, OptimizerState};
use crate::progress::Verbose;

/// Keras's training calls, for a model that keeps the `Trainer` that `compile` makes.
///
/// Contract: an implementor only hands out its trainer slot; `compile` fills it (and a
/// change of architecture, such as `Sequential::add`, should empty it), and `fit`,
/// `evaluate` and `loss_and_gradients` need it filled. The methods take the trainer out
/// of the model for the length of the call, so callbacks get the model on its own.
pub trait Train: Model + Sized {
    /// The trainer `compile` made, if any.
    fn trainer(&self) -> Option<&Trainer>;

    /// The slot `compile` fills.
    fn trainer_slot(&mut self) -> &mut Option<Trainer>;

    /// Chooses the loss, optimizer and metrics (building the model first).
    fn compile(&mut self, spec: Compile) -> Result<(), ModelError> {
        self.build()?;
        let trainer = Trainer::new(self, spec)?;
        *self.trainer_slot() = Some(trainer);
        Ok(())
    }

    /// Keras's `model.fit(x, y, ...)`; see `Trainer::fit`. Before any step, x, y and the
    /// validation data are checked: a batch of samples of the model's input shape, finite
    /// values (a NaN or ±inf is named by row and column), and targets that fit the loss
    /// and the output width (`losses::TargetKind`). A run that diverges is not an error:
    /// its losses are NaN, as in Keras (`TerminateOnNaN` stops it).
    fn fit<S, D, T>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &T,
        opts: Fit<'_>,
    ) -> Result<History, ModelError>
    where
        S: Data<Elem = f32>,
        D: Dimension,
        T: AsTargets + ?Sized,
    {
        let x = x.as_standard_layout();
        let y = y.as_targets()?;
        with_trainer(self, "fit", |t, m| t.fit(m, x.view().into_dyn(), y, opts))
    }

    /// Keras's `model.evaluate(x, y)`: loss and metrics over the whole set in batches of
    /// 32, weights frozen.
    fn evaluate<S, D, T>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &T,
        verbose: Verbose,
    ) -> Result<Evaluation, ModelError>
    where
        S: Data<Elem = f32>,
        D: Dimension,
        T: AsTargets + ?Sized,
    {
        let x = x.as_standard_layout();
        let y = y.as_targets()?;
        with_trainer(self, "evaluate", |t, m| {
            t.evaluate(m, x.view().into_dyn(), y, verbose)
        })
    }

    /// Keras's `model.predict(x)`: the outputs `[n, outputs]`, in batches of 32 (no
    /// compile needed). x is checked as `fit` checks it; an x of no rows gives no rows.
    fn predict<S, D>(&mut self, x: &ArrayBase<S, D>) -> Result<Array2<f32>, ModelError>
    where
        S: Data<Elem = f32>,
        D: Dimension,
    {
        let x = x.as_standard_layout();
        trainer::predict(self, x.view().into_dyn())
    }

    /// The mean loss over all of (x, y) as one batch and its gradient for every weight
    /// (in `get_weights` order and shapes), updating nothing.
    fn loss_and_gradients<S, D, T>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &T,
    ) -> Result<(f64, Vec<ArrayD<f32>>), ModelError>
    where
        S: Data<Elem = f32>,
        D: Dimension,
        T: AsTargets + ?Sized,
    {
        let x = x.as_standard_layout();
        let y = y.as_targets()?;
        with_trainer(self, "loss_and_gradients", |t, m| {
            t.loss_and_gradients(m, x.view().into_dyn(), y)
        })
    }

    /// The compiled optimizer (e.g. to read its `iterations`).
    fn optimizer(&self) -> Option<&dyn Optimizer> {
        self.trainer().map(Trainer::optimizer)
    }

    /// The compiled optimizer, writable (e.g. to set its learning rate).
    fn optimizer_mut(&mut self) -> Option<&mut dyn Optimizer> {
        self.trainer_slot().as_mut().map(Trainer::optimizer_mut)
    }

    /// The optimizer's state, to store beside the weights.
    fn optimizer_state(&self) -> Option<OptimizerState> {
        self.optimizer().map(|o| o.state())
    }

    /// Imports an optimizer state (checked against this model's weights), so training
    /// continues as the model that exported it would have.
    fn set_optimizer_state(&mut self, state: &OptimizerState) -> Result<(), ModelError> {
        with_trainer(self, "set_optimizer_state", |t, m| {
            t.set_optimizer_state(m, state)
        })
    }

    /// The optimizer's state and the shuffle's position: with the weights, all that
    /// `fit` continues from.
    fn training_state(&self) -> Option<TrainingState> {
        self.trainer().map(|t| t.state(self))
    }

    /// Imports a `training_state`, so the next `fit` continues exactly where the model
    /// that exported it would (with its weights set too).
    fn set_training_state(&mut self, state: &TrainingState) -> Result<(), ModelError> {
        with_trainer(self, "set_training_state", |t, m| t.set_state(m, state))
    }
}

/// Runs `f` with the trainer taken out of the model, and puts it back.
fn with_trainer<M: Train, R>(
    model: &mut M,
    what: &str,
    f: impl FnOnce(&mut Trainer, &mut M) -> Result<R, ModelError>,
) -> Result<R, ModelError> {
    model.build()?;
    let mut trainer = model.trainer_slot().take().ok_or_else(|| {
        ModelError::Usage(format!("call model.compile(...) before model.{what}(...)"))
    })?;
    let result = f(&mut trainer, model);
    *model.trainer_slot() = Some(trainer);
    result
}

impl Train for Sequential {
    fn trainer(&self) -> Option<&Trainer> {
        Sequential::trainer(self)
    }
    fn trainer_slot(&mut self) -> &mut Option<Trainer> {
        Sequential::trainer_slot(self)
    }
}

impl Train for crate::model::Functional {
    fn trainer(&self) -> Option<&Trainer> {
        crate::model::Functional::trainer(self)
    }
    fn trainer_slot(&mut self) -> &mut Option<Trainer> {
        crate::model::Functional::trainer_slot(self)
    }
}
