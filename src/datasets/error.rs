//! What can go wrong while finding, downloading or reading a data set.
//!
//! Every message names the file (or URL) and says what to do about it, so a learner who
//! sees one knows the next command to type.

use std::path::{Path, PathBuf};
use thiserror::Error;

use super::fashion_mnist::{DATA_VAR, FILES};

/// The fix printed under every error about the Fashion-MNIST files.
pub const FIX: &str = "install the files with `apt-get install dataset-fashion-mnist` \
     (with ANNLAB_DATA unset), or set ANNLAB_DATA to a directory holding the four .gz files";

/// Loading a data set went wrong.
#[derive(Debug, Error)]
pub enum DataError {
    /// Some of the data files were in none of the places searched.
    #[error(
        "Fashion-MNIST not found: missing {missing}; looked in:\n{places}{download}\n\
         To fix: {FIX}",
        missing = .missing.join(", "),
        places = list_places(.searched),
        download = download_note(.download.as_deref())
    )]
    NotFound {
        /// The file names that were not found.
        missing: Vec<String>,
        /// Every directory searched, in search order.
        searched: Vec<PathBuf>,
        /// Why downloading them failed, if a download was tried.
        download: Option<String>,
    },
    /// The file does not start with the IDX magic number of its kind.
    #[error(
        "{}: wrong IDX magic number: expected {expected:#010x}, found {found:#010x}; \
         the file is not an IDX {kind} file. To fix: {FIX}",
        .file.display()
    )]
    Magic {
        file: PathBuf,
        kind: &'static str,
        expected: u32,
        found: u32,
    },
    /// The data after the header is not as long as the header says.
    #[error(
        "{}: truncated or corrupt: the header announces {expected} bytes of data, \
         found {found}. To fix: delete the file and {FIX}",
        .file.display()
    )]
    Truncated {
        file: PathBuf,
        expected: u64,
        found: u64,
    },
    /// The header announces more data than the gzip file can possibly hold.
    #[error(
        "{}: corrupt header: it announces {announced} bytes of data, but {compressed} bytes \
         of gzip inflate to at most {limit} (deflate's limit is 1032 to 1); nothing was \
         inflated. To fix: delete the file and {FIX}",
        .file.display()
    )]
    Announced {
        file: PathBuf,
        announced: u64,
        compressed: u64,
        limit: u64,
    },
    /// The memory for the data the header announces could not be allocated.
    #[error(
        "{}: cannot allocate the {bytes} bytes its header announces ({reason}); free some \
         memory, or check that this is the right file. To fix: {FIX}",
        .file.display()
    )]
    Memory {
        file: PathBuf,
        bytes: u64,
        reason: String,
    },
    /// The decompressed data goes on after the bytes the header announces.
    #[error(
        "{}: corrupt: the data goes on past the {expected} bytes the header announces. \
         To fix: delete the file and {FIX}",
        .file.display()
    )]
    TrailingData { file: PathBuf, expected: u64 },
    /// `$ANNLAB_DATA` is set but does not hold the four files; nothing else was searched.
    #[error(
        "Fashion-MNIST not found: {DATA_VAR} is set to {}, {why}; missing {missing}. \
         While {DATA_VAR} is set, it is the only place searched.\n\
         To fix: put the four files ({all}) in {}, or unset {DATA_VAR} to use the default \
         search (data/ in the project, then /usr/share/datasets/fashion-mnist, then a \
         download)",
        .dir.display(),
        .dir.display(),
        missing = .missing.join(", "),
        all = FILES.join(", ")
    )]
    DataVar {
        /// The value of `$ANNLAB_DATA`.
        dir: PathBuf,
        /// What is wrong with it: "which does not exist", "which is a file, …".
        why: String,
        /// The file names missing there.
        missing: Vec<String>,
    },
    /// A value built in code breaks the data type's invariant (see its constructor).
    #[error("invalid {what}: {why}")]
    Invalid { what: &'static str, why: String },
    /// The header's dimensions are not what this data set has.
    #[error("{}: bad dimensions: expected {expected}, found {found}. To fix: {FIX}",
        .file.display())]
    Dimensions {
        file: PathBuf,
        expected: String,
        found: String,
    },
    /// An image file and its label file disagree on the number of samples.
    #[error(
        "{} holds {images} images but {} holds {labels} labels; the two files must come \
         from the same set. To fix: {FIX}",
        .images_file.display(), .labels_file.display()
    )]
    CountMismatch {
        images_file: PathBuf,
        labels_file: PathBuf,
        images: usize,
        labels: usize,
    },
    /// A label is not one of the data set's classes.
    #[error(
        "{}: label {label} at index {index} is out of range 0..={max}. To fix: {FIX}",
        .file.display()
    )]
    LabelOutOfRange {
        file: PathBuf,
        index: usize,
        label: u8,
        max: u8,
    },
    /// The file is not valid gzip (or its compressed stream is damaged).
    #[error("{}: not a valid gzip file ({reason}). To fix: delete the file and {FIX}",
        .file.display())]
    Gzip { file: PathBuf, reason: String },
    /// A downloaded file does not have the published SHA-256; it was deleted.
    #[error(
        "{}: SHA-256 mismatch: expected {expected}, found {found}; the corrupt download \
         was deleted. To fix: run again, or {FIX}",
        .file.display()
    )]
    Checksum {
        file: PathBuf,
        expected: String,
        found: String,
    },
    /// Fetching a URL failed (network, HTTP status, interrupted transfer).
    #[error(
        "downloading {url} failed: {reason}. To fix: check the network and run again, \
             set ANNLAB_DATA_URL to a mirror, or {FIX}"
    )]
    Download { url: String, reason: String },
    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl DataError {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The message without its closing "To fix: …" advice, to nest in another error.
    pub fn without_fix(&self) -> String {
        let msg = self.to_string();
        match msg.find("To fix:") {
            Some(i) => msg[..i].trim_end().trim_end_matches('.').to_string(),
            None => msg,
        }
    }
}

/// One numbered line per searched place: `  1. /path`.
pub(super) fn list_places(places: &[PathBuf]) -> String {
    let lines: Vec<String> = places
        .iter()
        .enumerate()
        .map(|(i, p)| format!("  {}. {}", i + 1, p.display()))
        .collect();
    lines.join("\n")
}

/// The line saying why a download did not help, or nothing if none was tried.
fn download_note(reason: Option<&str>) -> String {
    match reason {
        Some(r) => format!("\nand downloading them failed: {r}"),
        None => String::new(),
    }
}
