//! `LambdaCallback`: a callback made of closures, as Keras's
//! `keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: ...)`.

use super::{Callback, Context, Logs};
use crate::error::ModelError;

/// A closure of an epoch or batch index and its logs.
type StepFn<'a> = Box<dyn FnMut(usize, &Logs) + 'a>;
type TrainBeginFn<'a> = Box<dyn FnMut() + 'a>;
type TrainEndFn<'a> = Box<dyn FnMut(&Logs) + 'a>;

/// Runs the closures it is given at their hooks; the others do nothing. The closures
/// may borrow the caller's variables (`'a`), e.g. to push every epoch's loss into a
/// `Vec` that the caller reads once `fit` has returned and the callback is dropped.
/// Like Keras's lambdas they see the hook's arguments, not the model.
#[derive(Default)]
pub struct LambdaCallback<'a> {
    on_train_begin: Option<TrainBeginFn<'a>>,
    on_train_end: Option<TrainEndFn<'a>>,
    on_epoch_begin: Option<Box<dyn FnMut(usize) + 'a>>,
    on_epoch_end: Option<StepFn<'a>>,
    on_train_batch_end: Option<StepFn<'a>>,
}

impl<'a> LambdaCallback<'a> {
    /// A callback with no closures yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// `on_train_begin=lambda logs: ...`
    pub fn on_train_begin(mut self, f: impl FnMut() + 'a) -> Self {
        self.on_train_begin = Some(Box::new(f));
        self
    }
    /// `on_train_end=lambda logs: ...`, with the last epoch's logs.
    pub fn on_train_end(mut self, f: impl FnMut(&Logs) + 'a) -> Self {
        self.on_train_end = Some(Box::new(f));
        self
    }
    /// `on_epoch_begin=lambda epoch, logs: ...` (0-based epoch).
    pub fn on_epoch_begin(mut self, f: impl FnMut(usize) + 'a) -> Self {
        self.on_epoch_begin = Some(Box::new(f));
        self
    }
    /// `on_epoch_end=lambda epoch, logs: ...` (0-based epoch, the epoch's logs).
    pub fn on_epoch_end(mut self, f: impl FnMut(usize, &Logs) + 'a) -> Self {
        self.on_epoch_end = Some(Box::new(f));
        self
    }
    /// `on_train_batch_end=lambda batch, logs: ...` (running means of the epoch).
    pub fn on_train_batch_end(mut self, f: impl FnMut(usize, &Logs) + 'a) -> Self {
        self.on_train_batch_end = Some(Box::new(f));
        self
    }
}

impl Callback for LambdaCallback<'_> {
    fn on_train_begin(&mut self, _ctx: &mut Context<'_>) -> Result<(), ModelError> {
        if let Some(f) = self.on_train_begin.as_mut() {
            f();
        }
        Ok(())
    }
    fn on_train_end(
        &mut self,
        logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if let Some(f) = self.on_train_end.as_mut() {
            f(logs);
        }
        Ok(())
    }
    fn on_epoch_begin(
        &mut self,
        epoch: usize,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if let Some(f) = self.on_epoch_begin.as_mut() {
            f(epoch);
        }
        Ok(())
    }
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if let Some(f) = self.on_epoch_end.as_mut() {
            f(epoch, logs);
        }
        Ok(())
    }
    fn on_train_batch_end(
        &mut self,
        batch: usize,
        logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if let Some(f) = self.on_train_batch_end.as_mut() {
            f(batch, logs);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::scripted::Script;

    #[test]
    fn each_closure_runs_at_its_hook_with_its_arguments() {
        let mut calls: Vec<String> = Vec::new();
        let calls_cell = std::cell::RefCell::new(&mut calls);
        let mut cb = LambdaCallback::new()
            .on_train_begin(|| calls_cell.borrow_mut().push("begin".into()))
            .on_epoch_begin(|e| calls_cell.borrow_mut().push(format!("epoch {e}")))
            .on_epoch_end(|e, logs| {
                let loss = logs.get("val_loss").unwrap_or(f64::NAN);
                calls_cell.borrow_mut().push(format!("end {e} {loss}"));
            })
            .on_train_end(|logs| {
                let n = logs.len();
                calls_cell.borrow_mut().push(format!("train_end {n} keys"));
            });
        Script::new()
            .run(&mut cb, "val_loss", &[0.5, 0.25])
            .unwrap();
        drop(cb);
        assert_eq!(
            calls,
            [
                "begin",
                "epoch 0",
                "end 0 0.5",
                "epoch 1",
                "end 1 0.25",
                "train_end 2 keys"
            ]
        );
    }

    #[test]
    fn a_batch_closure_sees_every_batch() {
        let mut seen = Vec::new();
        let mut cb = LambdaCallback::new().on_train_batch_end(|b, logs| {
            seen.push((b, logs.get("loss")));
        });
        let mut script = Script::new();
        let logs: Logs = [("loss", 0.5)].into_iter().collect();
        for batch in 0..3 {
            Callback::on_train_batch_end(&mut cb, batch, &logs, &mut script.ctx(1))
                .unwrap();
        }
        drop(cb);
        assert_eq!(seen, [(0, Some(0.5)), (1, Some(0.5)), (2, Some(0.5))]);
    }
}
