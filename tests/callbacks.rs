//! The trainer's callbacks: Keras's hooks in Keras's order, a callback that stops
//! training or replaces the weights, and the logs a callback sees being exactly the
//! ones `History` records and the bar prints.

use std::io::Write;
use std::sync::{Arc, Mutex};

use annlab::callbacks::ProgbarLogger;
use annlab::prelude::*;

mod common;
use common::linear_rule_data as data;

fn compiled(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Dense::new(8).activation(Activation::Relu).input_shape(&[4]));
    model.add(Dense::new(2).activation(Activation::Softmax));
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer_name("adam")
                .metrics(&["accuracy"]),
        )
        .unwrap();
    model
}

/// Stops training at the end of epoch `stop_after` (0-based) and keeps every hook call
/// and every epoch's logs.
#[derive(Default)]
struct Recorder {
    stop_after: Option<usize>,
    calls: Vec<String>,
    epoch_logs: Vec<Logs>,
    batches: usize,
}

impl Callback for Recorder {
    fn on_train_begin(&mut self, ctx: &mut Context<'_>) -> Result<(), ModelError> {
        self.calls.push(format!(
            "train_begin {} epochs {} steps",
            ctx.epochs, ctx.steps
        ));
        Ok(())
    }
    fn on_epoch_begin(
        &mut self,
        epoch: usize,
        _: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.calls.push(format!("epoch_begin {epoch}"));
        Ok(())
    }
    fn on_train_batch_end(
        &mut self,
        _batch: usize,
        logs: &Logs,
        _: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        assert!(logs.get("loss").is_some_and(f64::is_finite));
        self.batches += 1;
        Ok(())
    }
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.calls.push(format!("epoch_end {epoch}"));
        self.epoch_logs.push(logs.clone());
        if self.stop_after == Some(epoch) {
            ctx.stop_training();
        }
        Ok(())
    }
    fn on_train_end(
        &mut self,
        logs: &Logs,
        _: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.calls.push("train_end".into());
        assert_eq!(Some(logs), self.epoch_logs.last());
        Ok(())
    }
}

#[test]
fn a_callback_that_stops_after_epoch_three_gets_three_epochs_of_history() {
    let (x, y) = data();
    let mut model = compiled(1);
    let mut recorder = Recorder {
        stop_after: Some(2),
        ..Recorder::default()
    };
    let history = model
        .fit(
            &x,
            &y,
            Fit::new(10)
                .batch_size(16)
                .validation_data(&x, &y)
                .verbose(0)
                .callback(&mut recorder),
        )
        .unwrap();
    assert_eq!(history.epochs(), 3);
    assert_eq!(
        recorder.calls,
        [
            "train_begin 10 epochs 4 steps",
            "epoch_begin 0",
            "epoch_end 0",
            "epoch_begin 1",
            "epoch_end 1",
            "epoch_begin 2",
            "epoch_end 2",
            "train_end"
        ]
    );
    assert_eq!(recorder.batches, 12);
    assert_eq!(model.optimizer().unwrap().iterations(), 12);
    // The callback saw exactly what History recorded, key for key, bit for bit.
    for key in history.keys() {
        let seen: Vec<u64> = recorder
            .epoch_logs
            .iter()
            .map(|l| l.get(key).expect("same keys").to_bits())
            .collect();
        let recorded: Vec<u64> = history
            .get(key)
            .unwrap()
            .iter()
            .map(|v| v.to_bits())
            .collect();
        assert_eq!(seen, recorded, "{key}");
    }
    let keys: Vec<&str> = recorder.epoch_logs[0].keys().collect();
    assert_eq!(keys, ["accuracy", "loss", "val_accuracy", "val_loss"]);
    assert_eq!(history.keys(), keys);
}

#[test]
fn stopping_from_a_batch_hook_ends_the_epoch_after_that_batch() {
    struct StopAtBatch(usize);
    impl Callback for StopAtBatch {
        fn on_train_batch_end(
            &mut self,
            batch: usize,
            _: &Logs,
            ctx: &mut Context<'_>,
        ) -> Result<(), ModelError> {
            if batch == self.0 {
                ctx.stop_training();
            }
            Ok(())
        }
    }
    let (x, y) = data();
    let mut model = compiled(2);
    let history = model
        .fit(
            &x,
            &y,
            Fit::new(5)
                .batch_size(8)
                .verbose(0)
                .callback(&mut StopAtBatch(2)),
        )
        .unwrap();
    // Keras ends the epoch (on_epoch_end included) after the batch that asked to stop.
    assert_eq!(history.epochs(), 1);
    assert_eq!(model.optimizer().unwrap().iterations(), 3);
}

#[test]
fn a_callback_can_replace_the_weights_when_training_ends() {
    /// Keeps the weights of the first epoch and puts them back at the end.
    #[derive(Default)]
    struct RestoreFirst(Vec<ndarray::ArrayD<f32>>);
    impl Callback for RestoreFirst {
        fn on_epoch_end(
            &mut self,
            epoch: usize,
            _: &Logs,
            ctx: &mut Context<'_>,
        ) -> Result<(), ModelError> {
            if epoch == 0 {
                self.0 = ctx.model().get_weights();
            }
            Ok(())
        }
        fn on_train_end(
            &mut self,
            _: &Logs,
            ctx: &mut Context<'_>,
        ) -> Result<(), ModelError> {
            ctx.model().set_weights(&self.0)
        }
    }
    let (x, y) = data();
    let mut once = compiled(3);
    once.fit(&x, &y, Fit::new(1).verbose(0)).unwrap();
    let mut model = compiled(3);
    let mut restore = RestoreFirst::default();
    model
        .fit(&x, &y, Fit::new(4).verbose(0).callback(&mut restore))
        .unwrap();
    assert_eq!(model.optimizer().unwrap().iterations(), 8);
    // Same seed, same first epoch: the restored weights are those of one epoch.
    assert_eq!(model.get_weights(), once.get_weights());
}

#[test]
fn an_error_from_a_callback_ends_fit_with_that_error() {
    struct Fails;
    impl Callback for Fails {
        fn on_epoch_end(
            &mut self,
            _: usize,
            _: &Logs,
            _: &mut Context<'_>,
        ) -> Result<(), ModelError> {
            Err(ModelError::Usage("disk full".into()))
        }
    }
    let (x, y) = data();
    let mut model = compiled(4);
    let err = model
        .fit(&x, &y, Fit::new(3).verbose(0).callback(&mut Fails))
        .unwrap_err();
    assert_eq!(err.to_string(), "disk full");
    // the model keeps its trainer and can train again
    assert!(model.fit(&x, &y, Fit::new(1).verbose(0)).is_ok());
}

#[test]
fn a_callback_can_lower_the_learning_rate_between_epochs() {
    struct Halve;
    impl Callback for Halve {
        fn on_epoch_end(
            &mut self,
            _: usize,
            _: &Logs,
            ctx: &mut Context<'_>,
        ) -> Result<(), ModelError> {
            let lr = ctx.optimizer().learning_rate();
            ctx.optimizer().set_learning_rate(lr / 2.0)
        }
    }
    let (x, y) = data();
    let mut model = compiled(5);
    model
        .fit(&x, &y, Fit::new(3).verbose(0).callback(&mut Halve))
        .unwrap();
    assert_eq!(model.optimizer().unwrap().learning_rate(), 0.001 / 8.0);
}

/// A writer the test reads back.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);
impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("sink").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_progress_bar_is_a_callback_printing_keras_3_lines() {
    let (x, y) = data();
    let mut model = compiled(6);
    let sink = Sink::default();
    let mut bar = ProgbarLogger::to_writer(1, Box::new(sink.clone()), false);
    let history = model
        .fit(
            &x,
            &y,
            Fit::new(2)
                .batch_size(16)
                .validation_data(&x, &y)
                .verbose(0)
                .callback(&mut bar),
        )
        .unwrap();
    let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0], "Epoch 1/2");
    let expected = format!(
        " - accuracy: {:.4} - loss: {:.4} - val_accuracy: {:.4} - val_loss: {:.4}",
        history.get("accuracy").unwrap()[1],
        history.get("loss").unwrap()[1],
        history.get("val_accuracy").unwrap()[1],
        history.get("val_loss").unwrap()[1],
    );
    assert!(
        lines[3].starts_with("4/4 ━━━━━━━━━━━━━━━━━━━━ "),
        "{}",
        lines[3]
    );
    assert!(lines[3].ends_with(&expected), "{}\n{expected}", lines[3]);
}
