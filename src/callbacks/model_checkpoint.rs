//! `ModelCheckpoint`: saves the model (or its weights) at the end of every epoch, or
//! only when a monitored figure improves — Keras 3's `keras.callbacks.ModelCheckpoint`
//! (`keras/src/callbacks/model_checkpoint.py`) with `save_freq="epoch"`.

use std::path::{Path, PathBuf};

use super::{Callback, Context, Logs, Mode, Monitor};
use crate::error::ModelError;
use crate::saving::{save_model_from_context, save_weights};

/// The file name ending that makes a checkpoint save the weights only.
pub const WEIGHTS_SUFFIX: &str = ".weights.safetensors";

/// `ModelCheckpoint(filepath, monitor="val_loss", mode="auto", save_best_only=False)`.
///
/// Which file it writes, decided by the path as Keras decides between `.weights.h5` and
/// `.keras`: a path ending in `.weights.safetensors` gets the weights only
/// (`save_weights`, reload with `load_weights`); any other path gets the whole model
/// (`save_model`: architecture, weights, compile settings, optimizer and training
/// state; reload with `load_model`). `{epoch}` or `{epoch:02d}` in the path becomes the
/// 1-based epoch, as in Keras. Every write is atomic: a crash mid-save leaves the
/// previous checkpoint whole.
///
/// With `save_best_only`, it writes only when `monitor` strictly improves on the best
/// seen so far (none at first, so the first epoch writes unless its figure is NaN, which
/// never improves on anything): lower for
/// `Mode::Min`, higher for `Mode::Max`; `Mode::Auto` decides from the name as
/// `EarlyStopping` does (the shared `Monitor`). An epoch whose logs lack `monitor`
/// writes nothing (Keras warns and skips). Without `save_best_only`, it writes every
/// epoch.
#[derive(Debug, Clone)]
pub struct ModelCheckpoint {
    path: PathBuf,
    monitor: Monitor,
    save_best_only: bool,
    best: Option<f64>,
    best_epoch: Option<usize>,
    writes: usize,
}

impl ModelCheckpoint {
    /// Saves to `path` every epoch, monitoring `val_loss` in mode `auto`.
    pub fn new(path: impl AsRef<Path>) -> Self {
        ModelCheckpoint {
            path: path.as_ref().to_path_buf(),
            monitor: Monitor::new("val_loss", Mode::Auto, 0.0),
            save_best_only: false,
            best: None,
            best_epoch: None,
            writes: 0,
        }
    }
    /// Writes only when `monitor` improves.
    pub fn save_best_only(mut self, save_best_only: bool) -> Self {
        self.save_best_only = save_best_only;
        self
    }
    /// The log key watched (`"val_loss"`, `"val_accuracy"`, …).
    pub fn monitor(mut self, monitor: &str) -> Self {
        self.monitor = Monitor::new(monitor, self.monitor.mode(), 0.0);
        self
    }
    /// Which way `monitor` should go; `Mode::Auto` decides from its name, as
    /// `EarlyStopping` does, and a name it cannot read is an error when training begins.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.monitor = Monitor::new(self.monitor.key(), mode, 0.0);
        self
    }
    /// Whether the path makes it save the weights only.
    pub fn weights_only(&self) -> bool {
        self.path.to_string_lossy().ends_with(WEIGHTS_SUFFIX)
    }
    /// How many times it has written the file.
    pub fn writes(&self) -> usize {
        self.writes
    }
    /// The best figure of `monitor` seen so far.
    pub fn best(&self) -> Option<f64> {
        self.best
    }
    /// The 0-based epoch of `best`.
    pub fn best_epoch(&self) -> Option<usize> {
        self.best_epoch
    }

    /// The path of this epoch's file (`{epoch}` filled in, 1-based).
    fn path_for(&self, epoch: usize) -> PathBuf {
        let shown = self.path.to_string_lossy();
        let filled = shown
            .replace("{epoch:02d}", &format!("{:02}", epoch + 1))
            .replace("{epoch}", &(epoch + 1).to_string());
        PathBuf::from(filled)
    }

    fn save(&mut self, epoch: usize, ctx: &mut Context<'_>) -> Result<(), ModelError> {
        let path = self.path_for(epoch);
        if self.weights_only() {
            save_weights(ctx.model(), &path)?;
        } else {
            save_model_from_context(ctx, &path)?;
        }
        self.writes += 1;
        Ok(())
    }
}

impl Callback for ModelCheckpoint {
    fn on_train_begin(&mut self, _ctx: &mut Context<'_>) -> Result<(), ModelError> {
        self.monitor.direction().map(|_| ())
    }

    // ANCHOR: on_epoch_end
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let current = logs.get(self.monitor.key());
        let improved = match current {
            Some(current) => self.monitor.is_improvement(current, self.best)?,
            None => false,
        };
        if improved {
            self.best = current;
            self.best_epoch = Some(epoch);
        }
        if improved || !self.save_best_only {
            self.save(epoch, ctx)?;
        }
        Ok(())
    }
    // ANCHOR_END: on_epoch_end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activations::Activation;
    use crate::layers::{Dense, Dropout};
    use crate::model::{Model, Sequential};
    use crate::optimizers::{Adam, Optimizer, SGD};
    use crate::saving::{load_model, load_weights};
    use crate::train::{Compile, Fit, Train};
    use ndarray::{Array2, ArrayD};

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("annlab-checkpoint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir.join(name)
    }

    fn tiny() -> Sequential {
        let mut model = Sequential::new(42);
        model.add(
            Dense::new(2)
                .activation(Activation::Softmax)
                .input_shape(&[3]),
        );
        model.build().expect("builds");
        model
    }

    /// Every weight set to `value`, so each epoch's weights can be told apart.
    fn mark(model: &mut Sequential, value: f32) {
        let marked: Vec<ArrayD<f32>> = model
            .get_weights()
            .iter()
            .map(|w| ArrayD::from_elem(w.shape(), value))
            .collect();
        model.set_weights(&marked).expect("same shapes");
    }

    /// Drives `cb` over epochs with `key` taking `values`, the weights marked with the
    /// epoch number; returns the epochs at which the file was written.
    fn script(cb: &mut ModelCheckpoint, key: &str, values: &[f64]) -> Vec<usize> {
        let mut model = tiny();
        let mut optimizer: Box<dyn Optimizer> = Box::new(SGD::new());
        let mut stop = false;
        let mut written = Vec::new();
        let epochs = values.len();
        cb.on_train_begin(&mut Context::new(
            &mut model,
            optimizer.as_mut(),
            &mut stop,
            epochs,
            1,
        ))
        .expect("valid settings");
        for (epoch, &v) in values.iter().enumerate() {
            mark(&mut model, epoch as f32);
            let mut logs = Logs::new();
            logs.set(key, v);
            let before = cb.writes();
            let mut ctx =
                Context::new(&mut model, optimizer.as_mut(), &mut stop, epochs, 1);
            cb.on_epoch_end(epoch, &logs, &mut ctx).expect("saves");
            if cb.writes() > before {
                written.push(epoch);
            }
        }
        written
    }

    /// The mark of the weights in a weights file.
    fn reloaded_mark(path: &Path) -> f32 {
        let mut model = tiny();
        load_weights(&mut model, path).expect("reloads");
        let w = model.get_weights();
        assert!(w.iter().all(|t| t.iter().all(|&v| v == w[0][[0, 0]])));
        w[0][[0, 0]]
    }

    #[test]
    fn save_best_only_writes_only_on_strict_improvement_and_keeps_the_best_epoch() {
        // val_loss 1.0, 0.9, 0.95, 0.9 (equal: not better), 0.85 → writes at 0, 1, 4
        let path = scratch("best.weights.safetensors");
        let mut cb = ModelCheckpoint::new(&path).save_best_only(true);
        let written = script(&mut cb, "val_loss", &[1.0, 0.9, 0.95, 0.9, 0.85]);
        assert_eq!(written, [0, 1, 4]);
        assert_eq!(
            (cb.writes(), cb.best_epoch(), cb.best()),
            (3, Some(4), Some(0.85))
        );
        assert_eq!(reloaded_mark(&path), 4.0);
    }

    #[test]
    fn the_file_reloads_to_the_best_epoch_when_later_epochs_are_worse() {
        let path = scratch("early-best.weights.safetensors");
        let mut cb = ModelCheckpoint::new(&path).save_best_only(true);
        let written = script(&mut cb, "val_loss", &[0.5, 0.4, 0.45, 0.6, 0.41]);
        assert_eq!(written, [0, 1]);
        assert_eq!(reloaded_mark(&path), 1.0);
    }

    #[test]
    fn auto_mode_maximises_an_accuracy_and_min_mode_can_be_forced() {
        let values = [0.80, 0.85, 0.78, 0.86];
        let path = scratch("acc.weights.safetensors");
        let mut auto = ModelCheckpoint::new(&path)
            .save_best_only(true)
            .monitor("val_accuracy");
        assert_eq!(script(&mut auto, "val_accuracy", &values), [0, 1, 3]);
        let mut min = ModelCheckpoint::new(&path)
            .save_best_only(true)
            .monitor("val_accuracy")
            .mode(Mode::Min);
        assert_eq!(script(&mut min, "val_accuracy", &values), [0, 2]);
        assert_eq!(reloaded_mark(&path), 2.0);
    }

    #[test]
    fn without_save_best_only_every_epoch_writes_and_epoch_fills_the_path() {
        let path = scratch("every-{epoch:02d}.weights.safetensors");
        let mut cb = ModelCheckpoint::new(&path);
        assert_eq!(script(&mut cb, "val_loss", &[1.0, 2.0, 3.0]), [0, 1, 2]);
        assert_eq!(reloaded_mark(&scratch("every-02.weights.safetensors")), 1.0);
        assert_eq!(reloaded_mark(&scratch("every-03.weights.safetensors")), 2.0);
    }

    #[test]
    fn an_epoch_without_the_monitored_key_writes_nothing_when_saving_the_best() {
        let mut cb = ModelCheckpoint::new(scratch("none.weights.safetensors"))
            .save_best_only(true);
        assert!(script(&mut cb, "loss", &[1.0, 0.5]).is_empty());
        assert_eq!(cb.best(), None);
    }

    #[test]
    fn auto_mode_on_a_name_it_cannot_read_is_an_error_when_training_begins() {
        let mut cb = ModelCheckpoint::new(scratch("x.safetensors")).monitor("val_f1");
        let (mut model, mut opt, mut stop) = (tiny(), SGD::new(), false);
        let err = cb
            .on_train_begin(&mut Context::new(&mut model, &mut opt, &mut stop, 1, 1))
            .expect_err("unreadable name")
            .to_string();
        assert!(err.contains("val_f1") && err.contains("Mode::Min"), "{err}");
    }

    #[test]
    fn a_whole_model_checkpoint_in_fit_loads_and_continues_exactly() {
        // Dense(6, relu) → Dropout(0.2) → Dense(2, softmax); the checkpoint written at
        // the end of epoch 3 is the model after fit(3), training state included.
        let x = Array2::from_shape_fn((40, 3), |(i, j)| {
            ((i * 5 + j * 3) % 11) as f32 / 5.5 - 1.0
        });
        let y: Vec<usize> = x
            .rows()
            .into_iter()
            .map(|r| usize::from(r[0] > r[1]))
            .collect();
        let mut model = Sequential::new(42);
        model.add(Dense::new(6).activation(Activation::Relu).input_shape(&[3]));
        model.add(Dropout::new(0.2));
        model.add(Dense::new(2).activation(Activation::Softmax));
        let spec = Compile::new("sparse_categorical_crossentropy")
            .optimizer(Adam::new())
            .metrics(&["accuracy"]);
        model.compile(spec).expect("compiles");
        let path = scratch("whole.safetensors");
        let mut cb = ModelCheckpoint::new(&path);
        assert!(!cb.weights_only());
        let with_checkpoint = Fit::new(3).batch_size(8).verbose(0).callback(&mut cb);
        model.fit(&x, &y, with_checkpoint).expect("fits");
        assert_eq!(cb.writes(), 3);

        let mut loaded = load_model(&path).expect("a whole model");
        assert_eq!(loaded.get_weights(), model.get_weights());
        let fit = || Fit::new(2).batch_size(8).verbose(0);
        let a = model.fit(&x, &y, fit()).expect("continues");
        let b = loaded.fit(&x, &y, fit()).expect("continues");
        assert_eq!(a.get("loss"), b.get("loss"));
        assert_eq!(loaded.get_weights(), model.get_weights());
    }
}
