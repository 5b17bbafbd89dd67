//! The `Callback` trait: code that `fit` runs at fixed points of training, as Keras's
//! `keras.callbacks.Callback`.

use super::Logs;
use crate::error::ModelError;
use crate::model::Model;
use crate::optimizers::Optimizer;
use crate::train::FitState;

/// What a callback may touch while training runs: the model (to read or replace its
/// weights), the optimizer (to read or set its learning rate), and the flag that stops
/// training (Keras's `self.model.stop_training = True`).
pub struct Context<'a> {
    model: &'a mut dyn Model,
    optimizer: &'a mut dyn Optimizer,
    stop: &'a mut bool,
    fit_state: Option<FitState<'a>>,
    /// The `epochs` given to `fit`.
    pub epochs: usize,
    /// Batches per epoch.
    pub steps: usize,
}

impl<'a> Context<'a> {
    /// A context over a model being trained by `optimizer`.
    pub fn new(
        model: &'a mut dyn Model,
        optimizer: &'a mut dyn Optimizer,
        stop: &'a mut bool,
        epochs: usize,
        steps: usize,
    ) -> Self {
        Context {
            model,
            optimizer,
            stop,
            fit_state: None,
            epochs,
            steps,
        }
    }

    /// The same context, with what `fit` knows besides the model and optimizer (set by
    /// `fit`; a checkpoint that saves the whole model needs it).
    pub fn with_fit_state(mut self, state: FitState<'a>) -> Self {
        self.fit_state = Some(state);
        self
    }

    /// The loss, metrics and shuffle position of the `fit` running, when `fit` set them.
    pub fn fit_state(&self) -> Option<&FitState<'a>> {
        self.fit_state.as_ref()
    }

    /// The model being trained.
    pub fn model(&mut self) -> &mut dyn Model {
        self.model
    }

    /// The optimizer training it.
    pub fn optimizer(&mut self) -> &mut dyn Optimizer {
        self.optimizer
    }

    /// Asks `fit` to stop: after the current batch when called from a batch hook, after
    /// the current epoch (its `on_epoch_end` included) when called from an epoch hook.
    pub fn stop_training(&mut self) {
        *self.stop = true;
    }

    /// Whether some callback has asked training to stop.
    pub fn stopping(&self) -> bool {
        *self.stop
    }
}

// ANCHOR: trait
/// Code run by `fit` at Keras's hooks.
///
/// Contract, as Keras 3's `fit` calls its callbacks: `on_train_begin`; then for each
/// epoch `on_epoch_begin(epoch)`, `on_train_batch_begin(batch)` and
/// `on_train_batch_end(batch, logs)` around every batch (logs hold the running loss and
/// metrics of the epoch so far), and `on_epoch_end(epoch, logs)` with the epoch's
/// figures and, when `fit` has validation data, the `val_` figures; finally
/// `on_train_end(logs)` with the last epoch's logs. Epochs and batches count from 0.
/// `fit` runs the user's callbacks in the order given, then `History`, then the progress
/// bar (`ProgbarLogger`, when verbose), so a user's callback sees exactly the logs that
/// History records. When a callback calls `ctx.stop_training()`, `fit` finishes the
/// current batch, ends the epoch (validation and `on_epoch_end` included) and stops.
/// An error from a hook (a checkpoint that cannot be written) ends `fit` with that error.
/// Every hook does nothing unless implemented.
pub trait Callback {
    fn on_train_begin(&mut self, ctx: &mut Context<'_>) -> Result<(), ModelError> {
        let _ = ctx;
        Ok(())
    }
    fn on_train_end(
        &mut self,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let _ = (logs, ctx);
        Ok(())
    }
    fn on_epoch_begin(
        &mut self,
        epoch: usize,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let _ = (epoch, ctx);
        Ok(())
    }
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let _ = (epoch, logs, ctx);
        Ok(())
    }
    fn on_train_batch_begin(
        &mut self,
        batch: usize,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let _ = (batch, ctx);
        Ok(())
    }
    fn on_train_batch_end(
        &mut self,
        batch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let _ = (batch, logs, ctx);
        Ok(())
    }
}
// ANCHOR_END: trait
