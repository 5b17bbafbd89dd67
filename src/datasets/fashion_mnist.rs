//! Fashion-MNIST: 70,000 grey 28×28 pictures of clothes in 10 classes (Zalando, 2017).
//!
//! Keras's `keras.datasets.fashion_mnist.load_data()` in Rust:
//!
//! ```no_run
//! let data = annlab::datasets::fashion_mnist::load()?;
//! assert_eq!(data.train_images.shape(), &[60_000, 28, 28]);
//! # Ok::<(), annlab::datasets::DataError>(())
//! ```

use super::download::{self, OFFICIAL_FILES};
use super::{idx, DataError};
use ndarray::{Array1, Array3};
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

/// Environment variable naming a directory that holds the four files.
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
#[derive(Debug, Clone)]
pub struct FashionMnist {
    /// `[60000, 28, 28]` training pixels.
    pub train_images: Array3<u8>,
    /// `[60000]` training labels.
    pub train_labels: Array1<u8>,
    /// `[10000, 28, 28]` test pixels.
    pub test_images: Array3<u8>,
    /// `[10000]` test labels.
    pub test_labels: Array1<u8>,
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
}

/// The project's own data directory, `<crate root>/data`.
pub fn project_data_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
}

/// The directories [`load`] searches, in order: `$ANNLAB_DATA` (if set), the project
/// data directory, then [`SYSTEM_DIR`].
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os(DATA_VAR).filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    dirs.push(project_data_dir());
    dirs.push(PathBuf::from(SYSTEM_DIR));
    dirs
}

/// Loads Fashion-MNIST from the first of [`search_dirs`] that holds all four files,
/// downloading them into [`project_data_dir`] if none does.
pub fn load() -> Result<FashionMnist, DataError> {
    let url = download::base_url();
    let dir = project_data_dir();
    let fetch = Download {
        base_url: &url,
        dir: &dir,
        files: &OFFICIAL_FILES,
    };
    load_searching(&search_dirs(), Some(fetch))
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
    match download::download_files(fetch.base_url, fetch.dir, fetch.files) {
        Ok(()) => load_from(fetch.dir),
        Err(e) => Err(not_found(Some(e.without_fix()))),
    }
}

/// Loads the four files from `dir`, checking shapes, counts and labels.
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
    // The training images are 85 % of the work: decode them on a second thread.
    let (train_images, rest) = std::thread::scope(|s| {
        let big = s.spawn(|| read_images(&train_x));
        let rest = (|| {
            Ok((
                read_labels(&train_y)?,
                read_images(&test_x)?,
                read_labels(&test_y)?,
            ))
        })();
        let big = big.join().unwrap_or_else(|_| {
            Err(DataError::Gzip {
                file: train_x.clone(),
                reason: "the decoding thread panicked".into(),
            })
        });
        (big, rest)
    });
    let train_images = train_images?;
    let (train_labels, test_images, test_labels) = rest?;
    check_counts(&train_images, &train_labels, &train_x, &train_y)?;
    check_counts(&test_images, &test_labels, &test_x, &test_y)?;
    Ok(FashionMnist {
        train_images,
        train_labels,
        test_images,
        test_labels,
    })
}

/// Reads an images file and checks that the images are 28×28.
fn read_images(path: &Path) -> Result<Array3<u8>, DataError> {
    let x = idx::read_images(path)?;
    let (n, rows, cols) = x.dim();
    if (rows, cols) != (SIDE, SIDE) {
        return Err(DataError::Dimensions {
            file: path.to_path_buf(),
            expected: format!("[n, {SIDE}, {SIDE}]"),
            found: format!("[{n}, {rows}, {cols}]"),
        });
    }
    Ok(x)
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

/// Fails unless there is one label per image.
fn check_counts(
    x: &Array3<u8>,
    y: &Array1<u8>,
    x_file: &Path,
    y_file: &Path,
) -> Result<(), DataError> {
    if x.len_of(ndarray::Axis(0)) == y.len() {
        return Ok(());
    }
    Err(DataError::CountMismatch {
        images_file: x_file.to_path_buf(),
        labels_file: y_file.to_path_buf(),
        images: x.len_of(ndarray::Axis(0)),
        labels: y.len(),
    })
}
