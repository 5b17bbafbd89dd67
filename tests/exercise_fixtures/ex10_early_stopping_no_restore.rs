//! Fixture of tests/exercise_fixtures_a.rs, a mistake of exercise 10: an `EarlyStopping`
//! that never puts the kept weights back at the end of training. Only the mistaken
//! `on_train_end` is written out: the struct wraps the one of
//! `ex10_early_stopping_solved.rs`, whose fields and `on_epoch_end` are used as they are.

use annlab::callbacks::{Callback, Context, Logs};
use annlab::error::ModelError;

use crate::ex10_solved;

/// **10.1**, but never restoring the best epoch's weights.
pub struct EarlyStopping(ex10_solved::EarlyStopping);

impl EarlyStopping {
    /// The solved callback, with this `patience`.
    pub fn new(patience: usize, restore_best_weights: bool) -> Self {
        EarlyStopping(ex10_solved::EarlyStopping::new(
            patience,
            restore_best_weights,
        ))
    }
}

impl Callback for EarlyStopping {
    /// As in the solved file.
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.0.on_epoch_end(epoch, logs, ctx)
    }

    /// Keeps the weights of the last epoch, even with `restore_best_weights`.
    fn on_train_end(
        &mut self,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let _ = logs;
        // restored whether or not training stopped early (Keras 3)
        let _ = ctx; // MISTAKE: the kept weights are never put back
        Ok(())
    }
}
