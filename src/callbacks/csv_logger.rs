//! `CSVLogger`: every epoch's logs as a row of a CSV file, as Keras 3's
//! `keras.callbacks.CSVLogger` (`keras/src/callbacks/csv_logger.py`; see
//! `book/src/reference.md`, "CSVLogger").

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use super::{Callback, Context, Logs};
use crate::error::ModelError;

/// Writes `epoch` and then the epoch logs' keys, sorted, one row per epoch, as Keras:
///
/// - the columns are fixed at the first epoch: the sorted keys, and when none starts
///   with `val_`, `val_` + each key too (those then read `NA`);
/// - `epoch` is 0-based; a value is Python's `str(float)`, the shortest text that reads
///   back to the same f64 (`0.09449999779462814`, `1e-05`); a missing one is `NA`;
/// - rows end in `\r\n` (Python's `csv` "excel" dialect) and are flushed one by one.
///
/// `CSVLogger::new(path)` creates (or with `append`, extends) the file when training
/// begins, as Keras opens it in `on_train_begin`; `to_writer` writes to any
/// `std::io::Write` — a `Vec<u8>` in a test.
pub struct CSVLogger<'a> {
    path: Option<PathBuf>,
    out: Option<Box<dyn Write + 'a>>,
    separator: String,
    append: bool,
    keys: Option<Vec<String>>,
    write_header: bool,
}

impl CSVLogger<'static> {
    /// Logs to the file at `path`, created (truncated) when training begins.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        CSVLogger {
            path: Some(path.into()),
            out: None,
            separator: ",".into(),
            append: false,
            keys: None,
            write_header: true,
        }
    }
}

impl<'a> CSVLogger<'a> {
    /// Logs to `out`; the header is written at the start of every `fit` (of the first
    /// only, with `append`).
    pub fn to_writer(out: impl Write + 'a) -> Self {
        CSVLogger {
            path: None,
            out: Some(Box::new(out)),
            separator: ",".into(),
            append: false,
            keys: None,
            write_header: true,
        }
    }

    /// The column separator (`","` by default).
    pub fn separator(mut self, separator: &str) -> Self {
        self.separator = separator.to_string();
        self
    }

    /// Adds to an existing file instead of replacing it; the header is written only if
    /// the file's first line is empty.
    pub fn append(mut self, append: bool) -> Self {
        self.append = append;
        self
    }

    fn io_error(&self, source: std::io::Error) -> ModelError {
        let path = self
            .path
            .as_ref()
            .map_or("CSVLogger's writer".into(), |p| p.display().to_string());
        ModelError::Io { path, source }
    }

    /// Writes one row: the fields quoted as Python's `csv` would, if needed.
    fn write_row(&mut self, fields: &[String]) -> Result<(), ModelError> {
        let quoted: Vec<String> =
            fields.iter().map(|f| quote(f, &self.separator)).collect();
        let line = quoted.join(&self.separator) + "\r\n";
        let result = match self.out.as_mut() {
            Some(out) => out.write_all(line.as_bytes()).and_then(|()| out.flush()),
            None => Ok(()),
        };
        result.map_err(|e| self.io_error(e))
    }
}

/// A field as Python's `csv` writes it: in double quotes, quotes doubled, when it holds
/// the separator, a quote or a line break.
fn quote(field: &str, separator: &str) -> String {
    if field.contains(separator) || field.contains(['"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Python's `repr(float)`: the shortest digits that read back to `v`, in positional
/// notation when the decimal exponent e has −4 ≤ e < 16 (`0.0001`, `100.0`), else as
/// `1e-05`, `1.5e+16`; `nan`, `inf`, `-inf`.
pub fn python_repr(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's {:e} gives the same shortest digits: "9.449999779462814e-2"
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent is an integer");
    if (-4..16).contains(&exp) {
        let text = format!("{v}"); // positional, shortest
        if text.contains('.') {
            text
        } else {
            text + ".0"
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    }
}

impl Callback for CSVLogger<'_> {
    fn on_train_begin(&mut self, _ctx: &mut Context<'_>) -> Result<(), ModelError> {
        self.keys = None;
        if let Some(path) = self.path.clone() {
            let mut header = true;
            if self.append && path.exists() {
                let mut first = String::new();
                let file = File::open(&path).map_err(|e| self.io_error(e))?;
                BufReader::new(file)
                    .read_line(&mut first)
                    .map_err(|e| self.io_error(e))?;
                header = first.is_empty();
            }
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                .append(self.append)
                .truncate(!self.append)
                .open(&path)
                .map_err(|e| self.io_error(e))?;
            self.out = Some(Box::new(file));
            self.write_header = header;
        } else {
            // a writer: a header per fit, unless appending after one already written
            self.write_header = !self.append || self.write_header;
        }
        Ok(())
    }

    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if self.keys.is_none() {
            let mut keys: Vec<String> = logs.keys().map(String::from).collect();
            if !keys.iter().any(|k| k.starts_with("val_")) {
                let val: Vec<String> = keys.iter().map(|k| format!("val_{k}")).collect();
                keys.extend(val);
            }
            if self.write_header {
                let mut header = vec!["epoch".to_string()];
                header.extend(keys.iter().cloned());
                self.write_row(&header)?;
                if self.path.is_none() {
                    self.write_header = false;
                }
            }
            self.keys = Some(keys);
        }
        let keys = self.keys.as_deref().unwrap_or_default();
        let mut row = vec![epoch.to_string()];
        row.extend(
            keys.iter()
                .map(|k| logs.get(k).map_or("NA".into(), python_repr)),
        );
        self.write_row(&row)
    }

    fn on_train_end(
        &mut self,
        _logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if self.path.is_some() {
            self.out = None; // closes the file, as Keras does
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::scripted::Script;

    #[test]
    fn floats_print_as_python_repr_prints_them() {
        assert_eq!(python_repr(f64::from(0.0945f32)), "0.09449999779462814");
        assert_eq!(python_repr(f64::from(0.001f32)), "0.0010000000474974513");
        assert_eq!(python_repr(1e-5), "1e-05");
        assert_eq!(python_repr(0.0001), "0.0001");
        assert_eq!(python_repr(2.0), "2.0");
        assert_eq!(python_repr(1.5e16), "1.5e+16");
        assert_eq!(python_repr(-0.5), "-0.5");
        assert_eq!(python_repr(f64::NAN), "nan");
    }

    /// Two epochs of fit-like logs through the hooks.
    fn drive(logger: &mut CSVLogger<'_>, epochs: &[Logs]) {
        let mut script = Script::new();
        logger.on_train_begin(&mut script.ctx(2)).unwrap();
        for (epoch, logs) in epochs.iter().enumerate() {
            logger
                .on_epoch_end(epoch, logs, &mut script.ctx(2))
                .unwrap();
        }
        logger
            .on_train_end(epochs.last().unwrap(), &mut script.ctx(2))
            .unwrap();
    }

    fn logs(pairs: &[(&str, f32)]) -> Logs {
        pairs.iter().map(|&(k, v)| (k, f64::from(v))).collect()
    }

    #[test]
    fn rows_hold_epoch_then_sorted_keys_as_keras_writes_them() {
        let epochs = [
            logs(&[
                ("loss", 2.3645787),
                ("accuracy", 0.0945),
                ("val_loss", 2.3001633),
            ]),
            logs(&[("loss", 0.5), ("accuracy", 0.25), ("val_loss", 0.75)]),
        ];
        let mut buf = Vec::new();
        drive(&mut CSVLogger::to_writer(&mut buf), &epochs);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "epoch,accuracy,loss,val_loss\r\n\
             0,0.09449999779462814,2.3645787239074707,2.3001632690429688\r\n\
             1,0.25,0.5,0.75\r\n"
        );
    }

    #[test]
    fn without_validation_the_val_columns_are_added_and_read_na() {
        let mut buf = Vec::new();
        let mut logger = CSVLogger::to_writer(&mut buf).separator(";");
        drive(&mut logger, &[logs(&[("loss", 0.5), ("accuracy", 0.75)])]);
        drop(logger);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "epoch;accuracy;loss;val_accuracy;val_loss\r\n0;0.75;0.5;NA;NA\r\n"
        );
    }

    #[test]
    fn a_file_is_replaced_by_each_fit_unless_appending_which_keeps_one_header() {
        let dir = std::env::temp_dir().join(format!("annlab-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("log.csv");
        let epoch = [logs(&[("loss", 0.5)])];
        drive(&mut CSVLogger::new(&path), &epoch);
        drive(&mut CSVLogger::new(&path), &epoch);
        let once = "epoch,loss,val_loss\r\n0,0.5,NA\r\n";
        assert_eq!(std::fs::read_to_string(&path).unwrap(), once);
        drive(&mut CSVLogger::new(&path).append(true), &epoch);
        let twice = format!("{once}0,0.5,NA\r\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), twice);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_file_that_cannot_be_created_is_an_error_naming_it() {
        let path = std::env::temp_dir().join("annlab-no-such-dir/sub/log.csv");
        let mut logger = CSVLogger::new(&path);
        let err = logger
            .on_train_begin(&mut Script::new().ctx(1))
            .unwrap_err()
            .to_string();
        assert!(err.contains("annlab-no-such-dir"), "{err}");
    }
}
