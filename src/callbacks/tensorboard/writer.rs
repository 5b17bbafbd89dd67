//! One event file: created in a directory under TensorFlow's name, opened by the
//! `file_version` record, then one record per scalar.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use prost::Message;

use super::event::{self, Event};
use super::record::write_record;
use crate::error::ModelError;

/// Numbers the files this process creates, as TensorFlow's `file_id_counter`.
static FILE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Seconds since the Unix epoch (0 on a clock set before 1970).
pub(crate) fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The machine's name as it may stand in a file name: `/proc/sys/kernel/hostname`, else
/// `$HOSTNAME` or `%COMPUTERNAME%`, else `localhost`; any character other than an ASCII
/// letter, digit, `-`, `_` or `.` becomes `_`.
pub(crate) fn hostname() -> String {
    let raw = fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default();
    let clean: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() || clean.chars().all(|c| c == '.') {
        "localhost".into()
    } else {
        clean
    }
}

/// `events.out.tfevents.{seconds:010}.{host}.{pid}.{n}.v2`, as TensorFlow 2's
/// `tf.summary.create_file_writer` names its files.
pub(crate) fn file_name(seconds: u64, host: &str, pid: u32, n: u64) -> String {
    format!("events.out.tfevents.{seconds:010}.{host}.{pid}.{n}.v2")
}

/// An open event file.
pub(crate) struct EventFileWriter {
    path: PathBuf,
    out: BufWriter<File>,
}

impl EventFileWriter {
    /// Creates `dir` (and its parents) and a new event file in it, and writes the
    /// `file_version` record. The file is created, never overwritten: a name already
    /// taken moves on to the next number.
    pub(crate) fn create(dir: &Path) -> Result<Self, ModelError> {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let wall_time = now();
        let seconds = wall_time as u64; // whole seconds, as in TensorFlow's names
        let host = hostname();
        let pid = std::process::id();
        loop {
            let n = FILE_COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(file_name(seconds, &host, pid, n));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    let mut writer = EventFileWriter {
                        path,
                        out: BufWriter::new(file),
                    };
                    // TensorFlow stamps the first record with whole seconds
                    writer.write(&event::file_version(seconds as f64))?;
                    writer.flush()?;
                    return Ok(writer);
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_error(&path, e)),
            }
        }
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `event` as one record (buffered until `flush`).
    pub(crate) fn write(&mut self, event: &Event) -> Result<(), ModelError> {
        write_record(&mut self.out, &event.encode_to_vec()).map_err(|e| self.error(e))
    }

    /// Appends the scalar `tag` = `value` at `step`, stamped with the time now.
    pub(crate) fn scalar(
        &mut self,
        step: i64,
        tag: &str,
        value: f32,
    ) -> Result<(), ModelError> {
        self.write(&event::scalar(now(), step, tag, value))
    }

    /// Hands what is buffered to the operating system, where TensorBoard reads it.
    pub(crate) fn flush(&mut self) -> Result<(), ModelError> {
        self.out.flush().map_err(|e| self.error(e))
    }

    /// Flushes, syncs and closes the file; an error the OS reports late is returned.
    pub(crate) fn close(mut self) -> Result<(), ModelError> {
        self.flush()?;
        self.out.get_ref().sync_all().map_err(|e| self.error(e))
    }

    fn error(&self, source: io::Error) -> ModelError {
        io_error(&self.path, source)
    }
}

pub(crate) fn io_error(path: &Path, source: io::Error) -> ModelError {
    ModelError::Io {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_tensorflow_2s() {
        assert_eq!(
            file_name(1_700_000_000, "box.lan", 4242, 7),
            "events.out.tfevents.1700000000.box.lan.4242.7.v2"
        );
        assert_eq!(
            file_name(5, "h", 1, 0),
            "events.out.tfevents.0000000005.h.1.0.v2"
        );
    }

    #[test]
    fn the_host_name_is_never_empty_and_safe_in_a_file_name() {
        let host = hostname();
        assert!(!host.is_empty());
        assert!(host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
    }
}
