//! `TerminateOnNaN`: stops training at the first batch whose running loss is NaN or
//! infinite, as Keras 3's `keras.callbacks.TerminateOnNaN`
//! (`keras/src/callbacks/terminate_on_nan.py`).

use super::{Callback, Context, Logs};
use crate::error::ModelError;

/// Watches the running `loss` after every training batch. When it is NaN or ±∞ it asks
/// `fit` to stop — the batch loop ends there, and the epoch's validation and
/// `on_epoch_end` still run, as in Keras — and records where (`terminated_at`). Keras
/// prints `Batch {batch}: Invalid loss, terminating training`; a library does not print,
/// so the chapter reads `terminated_at` instead. With `raise_error(true)` the NaN is an
/// error that ends `fit` at once (Keras's `raise_error=True`).
#[derive(Debug, Clone, Default)]
pub struct TerminateOnNaN {
    raise_error: bool,
    epoch: usize,
    terminated_at: Option<(usize, usize)>,
}

impl TerminateOnNaN {
    /// Stops cleanly on a NaN loss (Keras's default `raise_error=False`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes a NaN loss an error instead of a clean stop.
    pub fn raise_error(mut self, raise: bool) -> Self {
        self.raise_error = raise;
        self
    }

    /// The 0-based (epoch, batch) whose loss was invalid, if training was stopped.
    pub fn terminated_at(&self) -> Option<(usize, usize)> {
        self.terminated_at
    }
}

impl Callback for TerminateOnNaN {
    fn on_train_begin(&mut self, _ctx: &mut Context<'_>) -> Result<(), ModelError> {
        self.terminated_at = None;
        Ok(())
    }

    fn on_epoch_begin(
        &mut self,
        epoch: usize,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.epoch = epoch;
        Ok(())
    }

    fn on_train_batch_end(
        &mut self,
        batch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let Some(loss) = logs.get("loss") else {
            return Ok(());
        };
        if loss.is_finite() {
            return Ok(());
        }
        if self.raise_error {
            return Err(ModelError::Data {
                what: format!("the loss at epoch {} batch {batch}", self.epoch),
                expected: "a finite value".into(),
                found: format!("{loss}: lower the learning rate or check the data"),
            });
        }
        self.terminated_at = Some((self.epoch, batch));
        ctx.stop_training();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::scripted::Script;

    /// Batch-end hooks of epoch 1 with these running losses; the batches run.
    fn batches(cb: &mut TerminateOnNaN, script: &mut Script, losses: &[f64]) -> usize {
        cb.on_train_begin(&mut script.ctx(2)).unwrap();
        cb.on_epoch_begin(1, &mut script.ctx(2)).unwrap();
        for (batch, &loss) in losses.iter().enumerate() {
            let logs: Logs = [("loss", loss)].into_iter().collect();
            cb.on_train_batch_end(batch, &logs, &mut script.ctx(2))
                .unwrap();
            if script.stop {
                return batch + 1;
            }
        }
        losses.len()
    }

    #[test]
    fn a_nan_loss_stops_training_after_that_batch_and_is_recorded() {
        let (mut cb, mut script) = (TerminateOnNaN::new(), Script::new());
        let run = batches(&mut cb, &mut script, &[0.7, 0.6, f64::NAN, 0.5]);
        assert_eq!(run, 3);
        assert_eq!(cb.terminated_at(), Some((1, 2)));
    }

    #[test]
    fn an_infinite_loss_stops_too_and_finite_losses_never_do() {
        let (mut cb, mut script) = (TerminateOnNaN::new(), Script::new());
        assert_eq!(batches(&mut cb, &mut script, &[0.7, 0.6, 0.5]), 3);
        assert_eq!(cb.terminated_at(), None);
        assert_eq!(batches(&mut cb, &mut script, &[f64::INFINITY]), 1);
        assert_eq!(cb.terminated_at(), Some((1, 0)));
    }

    #[test]
    fn with_raise_error_a_nan_loss_is_an_error_naming_the_batch() {
        let mut cb = TerminateOnNaN::new().raise_error(true);
        let mut script = Script::new();
        let logs: Logs = [("loss", f64::NAN)].into_iter().collect();
        let err = cb
            .on_train_batch_end(4, &logs, &mut script.ctx(1))
            .unwrap_err()
            .to_string();
        assert!(err.contains("batch 4") && err.contains("NaN"), "{err}");
    }
}
