//! Fashion-MNIST: 70,000 grey 28×28 pictures of clothes in 10 classes (Zalando, 2017).
//!
//! Keras's `keras.datasets.fashion_mnist.load_data()` in Rust:
//!
//! ```no_run
//! let data = annlab::datasets::fashion_mnist::load()?;
//! assert_eq!(data.train_images().shape(), &[60_000, 28, 28]);
//! # Ok::<(), annlab::datasets::DataError>(())
//! ```

use super::download::{self, OFFICIAL_FILES};
use super::{idx, DataError};
use crate::progress::Verbose;
use ndarray::{Array1, Array3};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The ten class names, indexed by label.
pub const CLASS_NAMES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// Side length of every image, in pixels.
pub const SIDE: usize = 28;

/// Environment variable naming the directory that holds the four files; when set, the
/// only place [`load`] looks.
pub const DATA_VAR: &str = "ANNLAB_DATA";

/// Where Debian's `dataset-fashion-mnist` package installs the files.
pub const SYSTEM_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// The four file names: train images, train labels, test images, test labels.
pub const FILES: [&str; 4] = [
    OFFICIAL_FILES[0].0,
    OFFICIAL_FILES[1].0,
    OFFICIAL_FILES[2].0,
    OFFICIAL_FILES[3].0,
];

/// The whole data set as stored: pixels 0–255 and labels 0–9.
///
/// Its fields are private: [`FashionMnist::new`] checks that every image is 28×28,
/// that there is one label per image and that every label names a class, so the splits
/// ([`hg_split`](super::hg_split), [`homl_split`](super::homl_split)) can rely on it.
#[derive(Debug, Clone)]
pub struct FashionMnist {
    /// `[60000, 28, 28]` training pixels.
    train_images: Array3<u8>,
    /// `[60000]` training labels.
    train_labels: Array1<u8>,
    /// `[10000, 28, 28]` test pixels.
    test_images: Array3<u8>,
    /// `[10000]` test labels.
    test_labels: Array1<u8>,
}

impl FashionMnist {
    /// A data set from its four arrays: `[n, 28, 28]` images with `[n]` labels 0–9, for
    /// the training and the test set. Fails with [`DataError::Invalid`] saying which
    /// array breaks which rule.
    pub fn new(
        train_images: Array3<u8>,
        train_labels: Array1<u8>,
        test_images: Array3<u8>,
        test_labels: Array1<u8>,
    ) -> Result<Self, DataError> {
        check_set("training", &train_images, &train_labels)?;
        check_set("test", &test_images, &test_labels)?;
        Ok(FashionMnist {
            train_images,
            train_labels,
            test_images,
            test_labels,
        })
    }

    /// `[n_train, 28, 28]` training pixels, 0–255.
    pub fn train_images(&self) -> &Array3<u8> {
        &self.train_images
    }

    /// `[n_train]` training labels, 0–9.
    pub fn train_labels(&self) -> &Array1<u8> {
        &self.train_labels
    }

    /// `[n_test, 28, 28]` test pixels, 0–255.
    pub fn test_images(&self) -> &Array3<u8> {
        &self.test_images
    }

    /// `[n_test]` test labels, 0–9.
    pub fn test_labels(&self) -> &Array1<u8> {
        &self.test_labels
    }
}

/// One set's rules: 28×28 images, one label per image, labels 0–9.
fn check_set(
    set: &str,
    images: &Array3<u8>,
    labels: &Array1<u8>,
) -> Result<(), DataError> {
    let invalid = |why: String| DataError::Invalid {
        what: "FashionMnist",
        why,
    };
    let (n, rows, cols) = images.dim();
    if (rows, cols) != (SIDE, SIDE) {
        return Err(invalid(format!(
            "the {set} images are [{n}, {rows}, {cols}], expected [n, {SIDE}, {SIDE}]"
        )));
    }
    if labels.len() != n {
        return Err(invalid(format!(
            "{n} {set} images but {} {set} labels: there must be one label per image",
            labels.len()
        )));
    }
    let max = (CLASS_NAMES.len() - 1) as u8;
    if let Some((index, label)) = labels.iter().enumerate().find(|(_, &l)| l > max) {
        return Err(invalid(format!(
            "{set} label {label} at index {index} is out of range 0..={max}"
        )));
    }
    Ok(())
}

/// Where to download the files if no searched directory holds them.
#[derive(Debug, Clone, Copy)]
pub struct Download<'a> {
    /// Base URL the file names are appended to.
    pub base_url: &'a str,
    /// Directory the files are saved into (and then loaded from).
    pub dir: &'a Path,
    /// `(file name, sha256)` of each file.
    pub files: &'a [(&'a str, &'a str)],
    /// 0: download silently; 1: a progress bar per file on stderr.
    pub verbose: Verbose,
}

/// The project's own data directory, `<crate root>/data`.
pub fn project_data_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
}

/// Where Keras's `fashion_mnist.load_data()` keeps the same four files:
/// `$KERAS_HOME/datasets/fashion-mnist`, else `~/.keras/datasets/fashion-mnist` (the home
/// directory from `$HOME`, or `%USERPROFILE%` on Windows). None without a home directory.
pub fn keras_cache_dir() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    keras_cache_dir_from(std::env::var_os("KERAS_HOME").as_deref(), home.as_deref())
}

/// [`keras_cache_dir`] given the values of `$KERAS_HOME` and of the home directory
/// (None or empty: unset).
pub fn keras_cache_dir_from(
    keras_home: Option<&OsStr>,
    home: Option<&OsStr>,
) -> Option<PathBuf> {
    let base = match (keras_home.filter(|d| !d.is_empty()), home) {
        (Some(k), _) => PathBuf::from(k),
        (None, Some(h)) if !h.is_empty() => Path::new(h).join(".keras"),
        _ => return None,
    };
    Some(base.join("datasets").join("fashion-mnist"))
}

/// The directories [`load`] searches, in order, given the value of `$ANNLAB_DATA`:
/// that directory alone if it is set (and not empty); otherwise the project data
/// directory, then [`SYSTEM_DIR`], then Keras's cache ([`keras_cache_dir`]).
pub fn search_dirs(data_var: Option<&OsStr>) -> Vec<PathBuf> {
    search_dirs_with(data_var, keras_cache_dir())
}

/// [`search_dirs`] with Keras's cache directory given rather than read from the
/// environment.
pub fn search_dirs_with(
    data_var: Option<&OsStr>,
    keras_cache: Option<PathBuf>,
) -> Vec<PathBuf> {
    match data_var.filter(|d| !d.is_empty()) {
        Some(dir) => vec![PathBuf::from(dir)],
        None => [project_data_dir(), PathBuf::from(SYSTEM_DIR)]
            .into_iter()
            .chain(keras_cache)
            .collect(),
    }
}

/// Loads Fashion-MNIST. If `$ANNLAB_DATA` is set, from that directory only (see
/// [`load_from_data_var`]); otherwise from the first of [`search_dirs`] that holds all
/// four files, downloading them into [`project_data_dir`] if none does — with a
/// progress bar on stderr, as Keras's `load_data()` shows one ([`load_verbose`]`(0)`
/// downloads silently).
pub fn load() -> Result<FashionMnist, DataError> {
    load_verbose(1)
}

/// [`load`], with `verbose` 0 for a silent download, 1 for a progress bar on stderr.
pub fn load_verbose(verbose: Verbose) -> Result<FashionMnist, DataError> {
    load_with_data_var(std::env::var_os(DATA_VAR).as_deref(), verbose)
}

/// [`load_verbose`] with the value of `$ANNLAB_DATA` given rather than read from the
/// environment (`None` or empty: unset).
pub fn load_with_data_var(
    data_var: Option<&OsStr>,
    verbose: Verbose,
) -> Result<FashionMnist, DataError> {
    if let Some(dir) = data_var.filter(|d| !d.is_empty()) {
        return load_from_data_var(Path::new(dir));
    }
    let url = download::base_url();
    let dir = project_data_dir();
    let fetch = Download {
        base_url: &url,
        dir: &dir,
        files: &OFFICIAL_FILES,
        verbose,
    };
    load_searching(&search_dirs(None), Some(fetch))
}

/// Loads from `dir`, the value of `$ANNLAB_DATA`, and nowhere else: a path that does
/// not exist, is not a directory or lacks some of the four files is a
/// [`DataError::DataVar`] naming the missing files, never a quiet fall-back to another
/// copy of the data.
pub fn load_from_data_var(dir: &Path) -> Result<FashionMnist, DataError> {
    let error = |why: String, missing: Vec<String>| DataError::DataVar {
        dir: dir.to_path_buf(),
        why,
        missing,
    };
    let all = || FILES.iter().map(|f| f.to_string()).collect();
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(error("which does not exist".into(), all()))
        }
        Err(e) => return Err(error(format!("which cannot be read ({e})"), all())),
        Ok(m) if !m.is_dir() => {
            return Err(error("which is a file, not a directory".into(), all()))
        }
        Ok(_) => {}
    }
    let missing: Vec<String> = FILES
        .iter()
        .filter(|f| !dir.join(f).is_file())
        .map(|f| f.to_string())
        .collect();
    if !missing.is_empty() {
        let held = FILES.len() - missing.len();
        let why = format!("a directory holding {held} of the {} files", FILES.len());
        return Err(error(why, missing));
    }
    load_from(dir)
}

/// Loads from the first of `dirs` that holds all four files; if none does, downloads
/// them as `download` says, or fails with [`DataError::NotFound`] listing every
/// directory searched.
pub fn load_searching(
    dirs: &[PathBuf],
    download: Option<Download>,
) -> Result<FashionMnist, DataError> {
    let complete = |dir: &Path| FILES.iter().all(|f| dir.join(f).is_file());
    if let Some(dir) = dirs.iter().find(|d| complete(d)) {
        return load_from(dir);
    }
    let mut missing: Vec<String> = FILES
        .iter()
        .filter(|f| !dirs.iter().any(|d| d.join(f).is_file()))
        .map(|f| f.to_string())
        .collect();
    if missing.is_empty() {
        missing.push("the four files together in one directory".into());
    }
    let not_found = |download| DataError::NotFound {
        missing: missing.clone(),
        searched: dirs.to_vec(),
        download,
    };
    let Some(fetch) = download else {
        return Err(not_found(None));
    };
    match download::download_files(fetch.base_url, fetch.dir, fetch.files, fetch.verbose)
    {
        Ok(()) => load_from(fetch.dir),
        Err(e) => Err(not_found(Some(e.without_fix()))),
    }
}

/// Loads the four files from `dir`, checking shapes, counts and labels.
///
/// The labels are read first: they are small, and their counts let each images
/// header be checked (28×28, one image per label) before any pixel is inflated.
pub fn load_from(dir: &Path) -> Result<FashionMnist, DataError> {
    let missing: Vec<String> = FILES
        .iter()
        .filter(|f| !dir.join(f).is_file())
        .map(|f| f.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(DataError::NotFound {
            missing,
            searched: vec![dir.to_path_buf()],
            download: None,
        });
    }
    let [train_x, train_y, test_x, test_y] = FILES.map(|f| dir.join(f));
    let train_labels = read_labels(&train_y)?;
    let test_labels = read_labels(&test_y)?;
    // The training images are 85 % of the work: decode them on a second thread.
    let (train_images, test_images) = std::thread::scope(|s| {
        let big = s.spawn(|| read_images(&train_x, &train_y, train_labels.len()));
        let test = read_images(&test_x, &test_y, test_labels.len());
        let big = big.join().unwrap_or_else(|_| {
            Err(DataError::Gzip {
                file: train_x.clone(),
                reason: "the decoding thread panicked".into(),
            })
        });
        (big, test)
    });
    FashionMnist::new(train_images?, train_labels, test_images?, test_labels)
}

/// Reads an images file whose header must announce `labels` images of 28×28; `y_file`
/// names the labels file in a count mismatch.
fn read_images(
    path: &Path,
    y_file: &Path,
    labels: usize,
) -> Result<Array3<u8>, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    idx::parse_images_checked(&bytes, path, |[n, rows, cols]| {
        if (rows, cols) != (SIDE, SIDE) {
            return Err(DataError::Dimensions {
                file: path.to_path_buf(),
                expected: format!("[n, {SIDE}, {SIDE}]"),
                found: format!("[{n}, {rows}, {cols}]"),
            });
        }
        if n != labels {
            return Err(DataError::CountMismatch {
                images_file: path.to_path_buf(),
                labels_file: y_file.to_path_buf(),
                images: n,
                labels,
            });
        }
        Ok(())
    })
}

/// Reads a labels file and checks that every label names a class.
fn read_labels(path: &Path) -> Result<Array1<u8>, DataError> {
    let y = idx::read_labels(path)?;
    let max = (CLASS_NAMES.len() - 1) as u8;
    if let Some((index, &label)) = y.iter().enumerate().find(|(_, &l)| l > max) {
        return Err(DataError::LabelOutOfRange {
            file: path.to_path_buf(),
            index,
            label,
            max,
        });
    }
    Ok(y)
}
