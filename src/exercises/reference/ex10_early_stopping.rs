//! Reference for `exercises/ex10_early_stopping.rs`: the library's `EarlyStopping`,
//! watching `val_loss`.
use annlab::prelude::*;

/// Stops training once `val_loss` has not improved for `patience` epochs.
pub struct EarlyStopping(annlab::callbacks::EarlyStopping);

impl EarlyStopping {
    pub fn new(patience: usize, restore_best_weights: bool) -> Self {
        EarlyStopping(
            annlab::callbacks::EarlyStopping::new()
                .patience(patience)
                .restore_best_weights(restore_best_weights),
        )
    }
}

impl Callback for EarlyStopping {
    fn on_train_begin(&mut self, ctx: &mut Context<'_>) -> Result<(), ModelError> {
        self.0.on_train_begin(ctx)
    }
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.0.on_epoch_end(epoch, logs, ctx)
    }
    fn on_train_end(
        &mut self,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.0.on_train_end(logs, ctx)
    }
}
