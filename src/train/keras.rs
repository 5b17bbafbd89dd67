//! `Train`: Keras's `compile` / `fit` / `evaluate` / `predict` calls on any `Model` that
//! keeps a `Trainer`, so every kind of model trains with the same lines.

use ndarray::{Array2, ArrayD, ArrayViewD, CowArray, IxDyn};

use super::inputs::{IntoInputs, IntoTargets};
use super::options::{Compile, Evaluate, Evaluation, Fit};
use super::predict;
use super::trainer::{Trainer, TrainingState};
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

    /// Keras's `model.fit(x, y, ...)`; see `Trainer::fit`. x is one array, or a tuple
    /// with one per input (`(&x_a, &x_b)`); y likewise per output. Before any step, x, y
    /// and the validation data are checked: a batch of samples of each input's shape,
    /// finite values (a NaN or ±inf is named by row and column), and targets that fit
    /// each output's loss and width (`losses::TargetKind`). A run that diverges is not an
    /// error: its losses are NaN, as in Keras (`TerminateOnNaN` stops it).
    fn fit<'a>(
        &mut self,
        x: impl IntoInputs<'a>,
        y: impl IntoTargets<'a>,
        opts: Fit<'_>,
    ) -> Result<History, ModelError> {
        let xs = x.into_inputs();
        let ys = y.into_targets()?;
        with_trainer(self, "fit", |t, m| t.fit(m, &views(&xs), ys, opts))
    }

    /// Keras's `model.evaluate(x, y)`: loss and metrics over the whole set in batches of
    /// 32, weights frozen. `loss` includes the weight regularizers' penalty, as in Keras.
    /// With several outputs, `loss` is the weighted total (plus the penalty, once) and
    /// the metrics begin with each output's own loss (without it).
    fn evaluate<'a>(
        &mut self,
        x: impl IntoInputs<'a>,
        y: impl IntoTargets<'a>,
        verbose: Verbose,
    ) -> Result<Evaluation, ModelError> {
        let xs = x.into_inputs();
        let ys = y.into_targets()?;
        with_trainer(self, "evaluate", |t, m| {
            t.evaluate(m, &views(&xs), ys, verbose)
        })
    }

    /// Keras's `model.evaluate(x, y, batch_size=…, verbose=…, sample_weight=w)`:
    /// `model.evaluate_with(&x, &y, Evaluate::new().sample_weight(&w))`. With sample
    /// weights each batch's loss is Σ wᵢ·ℓᵢ / B (Keras 3's "sum_over_batch_size"), the
    /// penalty is added once, unweighted, and `Compile::weighted_metrics` weigh the
    /// samples while plain metrics do not, as in Keras 3.
    fn evaluate_with<'a>(
        &mut self,
        x: impl IntoInputs<'a>,
        y: impl IntoTargets<'a>,
        opts: Evaluate,
    ) -> Result<Evaluation, ModelError> {
        let xs = x.into_inputs();
        let ys = y.into_targets()?;
        with_trainer(self, "evaluate", |t, m| {
            t.evaluate_with(m, &views(&xs), ys, opts)
        })
    }

    /// Keras's `model.predict(x)` for a model with one output: `[n, width]`, in batches
    /// of 32 (no compile needed). x is checked as `fit` checks it; an x of no rows gives
    /// no rows. A model with several outputs takes `predict_all`.
    fn predict<'a>(&mut self, x: impl IntoInputs<'a>) -> Result<Array2<f32>, ModelError> {
        let xs = x.into_inputs();
        predict::predict(self, &views(&xs))
    }

    /// Keras's `model.predict(x)` for any model: one array `[n, width]` per output, in
    /// output order (`let [main, aux] = …` in HOML's model with an auxiliary output).
    fn predict_all<'a>(
        &mut self,
        x: impl IntoInputs<'a>,
    ) -> Result<Vec<Array2<f32>>, ModelError> {
        let xs = x.into_inputs();
        predict::predict_all(self, &views(&xs))
    }

    /// The mean loss over all of (x, y) as one batch (Σ wᵢ·lossᵢ over the outputs, plus
    /// the weight regularizers' penalty) and its gradient for every weight (in
    /// `get_weights` order and shapes), updating nothing.
    fn loss_and_gradients<'a>(
        &mut self,
        x: impl IntoInputs<'a>,
        y: impl IntoTargets<'a>,
    ) -> Result<(f64, Vec<ArrayD<f32>>), ModelError> {
        let xs = x.into_inputs();
        let ys = y.into_targets()?;
        with_trainer(self, "loss_and_gradients", |t, m| {
            t.loss_and_gradients(m, &views(&xs), ys)
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

/// Views of the input arrays.
fn views<'v>(xs: &'v [CowArray<'_, f32, IxDyn>]) -> Vec<ArrayViewD<'v, f32>> {
    xs.iter().map(|x| x.view()).collect()
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
