//! `TensorBoard`: every epoch's logs as scalars in TensorBoard event files, as Keras 3's
//! `keras.callbacks.TensorBoard(log_dir)` with its defaults
//! (`keras/src/callbacks/tensorboard.py`), and HOML's `run_logdir` to give each run its
//! own directory.

mod event;
mod record;
mod writer;

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::{Callback, Context, Logs};
use crate::error::ModelError;
use writer::{io_error, EventFileWriter};

/// Writes what Keras 3's `TensorBoard(log_dir)` writes with `update_freq="epoch"`:
///
/// - `log_dir/train/`: an event file created when training begins; at the end of each
///   epoch the scalar `epoch_{key}` for every log without the `val_` prefix
///   (`epoch_accuracy`, `epoch_loss`, in key order), then `epoch_learning_rate`, the
///   optimizer's rate for the next step (Keras's `_collect_learning_rate`), all at step
///   = the epoch (from 0);
/// - `log_dir/validation/`: an event file created at the first epoch that has `val_`
///   logs (Keras creates it at the first validation, so a `fit` without validation data
///   makes none); each epoch, first `evaluation_{name}_vs_iterations` at step = the
///   optimizer's iterations (Keras's `on_test_end`, which the validation inside its
///   `fit` runs), then `epoch_{name}` at step = the epoch, `name` being the key without
///   `val_`.
///
/// Each file starts with the `file_version: "brain.Event:2"` record; each scalar is one
/// `Event` record (TFRecord framing with masked CRC-32C) holding a `Summary.Value` with
/// `simple_value`, the float32 scalar every TensorBoard reader understands (TensorFlow 2
/// writes the same number as a scalar tensor with the `scalars` plugin's metadata, which
/// TensorBoard converts `simple_value` to when it loads a file). Files are flushed at the
/// end of every epoch, so a running `tensorboard --logdir` follows training, and closed
/// when training ends. Each `fit` writes new files, named as TensorFlow names them
/// (`events.out.tfevents.{seconds}.{host}.{pid}.{n}.v2`).
///
/// Not written: Keras's `keras` model-config summary (`write_graph`), histograms,
/// images, embeddings and profiles, which its defaults mostly leave off too. A directory
/// or file that cannot be created or written is an error naming it, which ends `fit`.
pub struct TensorBoard {
    log_dir: PathBuf,
    train: Option<EventFileWriter>,
    validation: Option<EventFileWriter>,
}

impl TensorBoard {
    /// Logs under `log_dir` (created when training begins), as
    /// `keras.callbacks.TensorBoard(log_dir)`.
    pub fn new(log_dir: impl Into<PathBuf>) -> Self {
        TensorBoard {
            log_dir: log_dir.into(),
            train: None,
            validation: None,
        }
    }

    /// The directory holding `train/` and `validation/`.
    pub fn log_dir(&self) -> &Path {
        &self.log_dir
    }

    /// The event file of the training logs, while training runs.
    pub fn train_file(&self) -> Option<&Path> {
        self.train.as_ref().map(EventFileWriter::path)
    }

    /// The event file of the validation logs, once validation has been logged and while
    /// training runs.
    pub fn validation_file(&self) -> Option<&Path> {
        self.validation.as_ref().map(EventFileWriter::path)
    }

    /// Closes both files, reporting the first error.
    fn close(&mut self) -> Result<(), ModelError> {
        let train = self.train.take().map_or(Ok(()), EventFileWriter::close);
        let validation = self
            .validation
            .take()
            .map_or(Ok(()), EventFileWriter::close);
        train.and(validation)
    }
}

/// The writer in `slot`, created in `dir` if there is none yet.
fn open<'w>(
    slot: &'w mut Option<EventFileWriter>,
    dir: &Path,
) -> Result<&'w mut EventFileWriter, ModelError> {
    match slot {
        Some(writer) => Ok(writer),
        None => Ok(slot.insert(EventFileWriter::create(dir)?)),
    }
}

impl Callback for TensorBoard {
    fn on_train_begin(&mut self, _ctx: &mut Context<'_>) -> Result<(), ModelError> {
        // files left open by a fit that ended in an error are closed; each fit has its own
        self.train = None;
        self.validation = None;
        open(&mut self.train, &self.log_dir.join("train"))?;
        Ok(())
    }

    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let step = epoch as i64;
        let learning_rate = ctx.optimizer().learning_rate();
        let iterations = ctx.optimizer().iterations() as i64;

        let train = open(&mut self.train, &self.log_dir.join("train"))?;
        let mut wrote_rate = false;
        for (key, value) in logs.iter().filter(|(k, _)| !k.starts_with("val_")) {
            // Keras overwrites a `learning_rate` log with the optimizer's rate
            let value = if key == "learning_rate" {
                wrote_rate = true;
                learning_rate
            } else {
                value as f32
            };
            train.scalar(step, &format!("epoch_{key}"), value)?;
        }
        if !wrote_rate {
            train.scalar(step, "epoch_learning_rate", learning_rate)?;
        }
        train.flush()?;

        let val: Vec<(&str, f32)> = logs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("val_").map(|name| (name, v as f32)))
            .collect();
        if !val.is_empty() {
            let validation =
                open(&mut self.validation, &self.log_dir.join("validation"))?;
            for &(name, value) in &val {
                let tag = format!("evaluation_{name}_vs_iterations");
                validation.scalar(iterations, &tag, value)?;
            }
            for &(name, value) in &val {
                validation.scalar(step, &format!("epoch_{name}"), value)?;
            }
            validation.flush()?;
        }
        Ok(())
    }

    fn on_train_end(
        &mut self,
        _logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.close()
    }
}

/// A new directory for one run under `root`, as HOML's `get_run_logdir`:
/// `root/run_%Y_%m_%d-%H_%M_%S` in local time (`root/run_2019_06_07-15_15_22`). The
/// directory is created here (with `root`), so two runs started within the same second
/// get two directories: the second is `…-15_15_22_1`, the next `…_2`.
pub fn run_logdir(root: impl AsRef<Path>) -> Result<PathBuf, ModelError> {
    let stamp = chrono::Local::now()
        .format("run_%Y_%m_%d-%H_%M_%S")
        .to_string();
    new_dir(root.as_ref(), &stamp)
}

/// Creates `root/name`, or `root/name_1`, `root/name_2`, … if taken.
fn new_dir(root: &Path, name: &str) -> Result<PathBuf, ModelError> {
    fs::create_dir_all(root).map_err(|e| io_error(root, e))?;
    for n in 0..10_000 {
        let dir = match n {
            0 => root.join(name),
            _ => root.join(format!("{name}_{n}")),
        };
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error(&dir, e)),
        }
    }
    Err(ModelError::Config {
        what: format!("run directory under {}", root.display()),
        why: format!("{name} and its 9,999 numbered successors all exist"),
    })
}

#[cfg(test)]
mod tests {
    use super::event::{Event, Kind, What};
    use super::*;
    use crate::callbacks::scripted::Script;
    use prost::Message;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("annlab-tb-{}-{name}", std::process::id()));
        fs::remove_dir_all(&dir).ok();
        dir
    }

    /// The events of a file, framing unchecked (the integration test checks it).
    fn events(path: &Path) -> Vec<Event> {
        let bytes = fs::read(path).unwrap();
        let mut rest = &bytes[..];
        let mut out = Vec::new();
        while !rest.is_empty() {
            let len = u64::from_le_bytes(rest[..8].try_into().unwrap()) as usize;
            out.push(Event::decode(&rest[12..12 + len]).unwrap());
            rest = &rest[12 + len + 4..];
        }
        out
    }

    fn scalars(events: &[Event]) -> Vec<(i64, String, f32)> {
        events
            .iter()
            .filter_map(|e| match &e.what {
                Some(What::Summary(s)) => {
                    let v = &s.value[0];
                    let Some(Kind::SimpleValue(x)) = v.kind else {
                        return None;
                    };
                    Some((e.step, v.tag.clone(), x))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_zero_scalar_keeps_its_simple_value_field() {
        let bytes = event::scalar(0.0, 0, "t", 0.0).encode_to_vec();
        // summary (5, len 10) → value (1, len 8) → tag "t" (1, len 1) · simple_value (2, fixed32 0)
        assert_eq!(bytes, [0x2a, 10, 0x0a, 8, 0x0a, 1, b't', 0x15, 0, 0, 0, 0]);
    }

    #[test]
    fn the_learning_rate_is_the_optimizers_written_once_even_when_logged() {
        let dir = temp_dir("lr");
        let mut tb = TensorBoard::new(&dir);
        let mut script = Script::new();
        tb.on_train_begin(&mut script.ctx(1)).unwrap();
        let logs: Logs = [("loss", 0.5), ("learning_rate", 9.0), ("val_loss", 0.25)]
            .into_iter()
            .collect();
        tb.on_epoch_end(0, &logs, &mut script.ctx(1)).unwrap();
        let (train, validation) = (
            tb.train_file().unwrap().to_owned(),
            tb.validation_file().unwrap().to_owned(),
        );
        tb.on_train_end(&logs, &mut script.ctx(1)).unwrap();
        let lr = script.optimizer.learning_rate();
        assert_eq!(
            scalars(&events(&train)),
            [
                (0, "epoch_learning_rate".into(), lr),
                (0, "epoch_loss".into(), 0.5)
            ]
        );
        assert_eq!(
            scalars(&events(&validation)),
            [
                (0, "evaluation_loss_vs_iterations".into(), 0.25),
                (0, "epoch_loss".into(), 0.25)
            ]
        );
        fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_taken_run_directory_name_gets_the_next_number() {
        let root = temp_dir("runs");
        let stamp = "run_2019_06_07-15_15_22";
        let dirs: Vec<PathBuf> = (0..3).map(|_| new_dir(&root, stamp).unwrap()).collect();
        let names: Vec<&str> = dirs
            .iter()
            .map(|d| d.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, [stamp, &format!("{stamp}_1"), &format!("{stamp}_2")]);
        assert!(dirs.iter().all(|d| d.is_dir()));
        fs::remove_dir_all(&root).ok();
    }
}
