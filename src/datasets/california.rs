//! California housing: the 20,640 block groups of the 1990 US census that scikit-learn's
//! `fetch_california_housing()` returns, with HOML's split and scaling.
//!
//! The project ships StatLib's `cal_housing.data` gzipped as `data/cal_housing.data.gz`
//! (source, licence and checksums in `data/cal_housing.md`). Loading it checks the
//! SHA-256 of the decompressed bytes, so a damaged or different file is an error, never
//! silently different figures.
//!
//! ```no_run
//! use annlab::datasets::california::{fetch_california_housing, homl_sets};
//! let housing = fetch_california_housing()?; // data [20640, 8], target [20640]
//! let sets = homl_sets(&housing)?; // 11,610 / 3,870 / 5,160 rows, scaled, f32
//! assert_eq!(sets.train.x.dim(), (11_610, 8));
//! # Ok::<(), annlab::datasets::california::CaliforniaError>(())
//! ```
//!
//! **Precision.** scikit-learn parses the file and derives the features in float64;
//! annlab does the same (Rust's `f64` parsing is correctly rounded, as numpy's), keeps
//! f64 through the split and `StandardScaler`, and converts to f32 only at the end, as
//! Keras does when it is handed float64 arrays. So the f32 inputs equal
//! `np.float32(scaler.transform(X))` of the Python cells.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use ndarray::{Array1, Array2, Axis};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::error::list_places;
use super::fashion_mnist::DATA_VAR;
use super::model_selection::{train_test_split, SplitError, DEFAULT_TEST_SIZE};
use super::scaler::{ScalerError, StandardScaler};

/// The file the project ships, gzipped.
pub const FILE_NAME: &str = "cal_housing.data.gz";

/// The same file uncompressed, as it is inside StatLib's and scikit-learn's archives.
pub const PLAIN_FILE_NAME: &str = "cal_housing.data";

/// The project's copy: `data/cal_housing.data.gz` in the crate's directory.
pub const DEFAULT_PATH: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/data/cal_housing.data.gz");

/// SHA-256 of the decompressed `cal_housing.data`, checked on every load.
pub const SHA256: &str =
    "a2b44dcc7e1c9091b43c4f458b25cbd1f7e8068d08edd26bc4703108d3fa6214";

/// Number of block groups (rows).
pub const ROWS: usize = 20_640;

/// The file's nine columns, in file order.
pub const FILE_COLUMNS: [&str; 9] = [
    "longitude",
    "latitude",
    "housing_median_age",
    "total_rooms",
    "total_bedrooms",
    "population",
    "households",
    "median_income",
    "median_house_value",
];

/// scikit-learn's `housing.feature_names`, in its order.
pub const FEATURE_NAMES: [&str; 8] = [
    "MedInc",
    "HouseAge",
    "AveRooms",
    "AveBedrms",
    "Population",
    "AveOccup",
    "Latitude",
    "Longitude",
];

/// scikit-learn's `housing.target_names[0]`: median house value in 100,000 USD.
pub const TARGET_NAME: &str = "MedHouseVal";

/// What to do about any problem with the file.
pub const FIX: &str =
    "restore the project's copy with `git checkout data/cal_housing.data.gz`, \
     or set ANNLAB_DATA to a directory holding cal_housing.data.gz (or the plain \
     cal_housing.data from scikit-learn's cal_housing.tgz)";

/// Loading or preparing California housing failed: which file, what was wrong, what to do.
#[derive(Debug, Error)]
pub enum CaliforniaError {
    /// The file is in none of the places searched.
    #[error(
        "California housing not found{env}: looked for\n{places}\nTo fix: {FIX}",
        env = env_note(.data_dir.as_deref()),
        places = list_places(.searched)
    )]
    NotFound {
        /// `$ANNLAB_DATA` when it was set (then the only place searched).
        data_dir: Option<PathBuf>,
        /// Every path tried, in order.
        searched: Vec<PathBuf>,
    },
    /// The file exists but could not be read.
    #[error("{}: cannot read the California housing file ({source}). To fix: {FIX}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A `.gz` file that is not valid gzip.
    #[error("{}: not a valid gzip file ({reason}). To fix: {FIX}", .path.display())]
    Gzip { path: PathBuf, reason: String },
    /// The decompressed bytes are not StatLib's file.
    #[error(
        "{}: corrupt or not StatLib's cal_housing.data: the SHA-256 of its data is {found}, \
         expected {expected}. To fix: {FIX}",
        .path.display()
    )]
    Checksum {
        path: PathBuf,
        expected: String,
        found: String,
    },
    /// A line of the text is malformed.
    #[error("{path}:{line}: {what}")]
    Parse {
        path: String,
        line: usize,
        what: String,
    },
    /// HOML's split could not be made.
    #[error("splitting California housing: {0}")]
    Split(#[from] SplitError),
    /// Scaling the split failed.
    #[error("scaling California housing: {0}")]
    Scale(#[from] ScalerError),
}

/// `" in $ANNLAB_DATA = dir"` when the variable chose the directory.
fn env_note(data_dir: Option<&Path>) -> String {
    data_dir.map_or(String::new(), |d| {
        format!(
            " in ${DATA_VAR} = {} (the only place searched when it is set)",
            d.display()
        )
    })
}

/// The data set as scikit-learn's `fetch_california_housing()` returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaliforniaHousing {
    /// `[20640, 8]`: the features of [`FEATURE_NAMES`], rows in file order.
    pub data: Array2<f64>,
    /// `[20640]`: median house value in 100,000 USD.
    pub target: Array1<f64>,
}

/// The file [`fetch_california_housing`] reads, given `$ANNLAB_DATA` (`data_dir`).
///
/// With `data_dir` set (and not empty), only that directory is searched, for
/// `cal_housing.data.gz` and then `cal_housing.data`; otherwise the project's
/// `data/cal_housing.data.gz`.
pub fn locate(data_dir: Option<&OsStr>) -> Result<PathBuf, CaliforniaError> {
    let (data_dir, searched) = match data_dir.filter(|d| !d.is_empty()) {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            let searched = vec![dir.join(FILE_NAME), dir.join(PLAIN_FILE_NAME)];
            (Some(dir), searched)
        }
        None => (None, vec![PathBuf::from(DEFAULT_PATH)]),
    };
    match searched.iter().find(|p| p.is_file()) {
        Some(path) => Ok(path.clone()),
        None => Err(CaliforniaError::NotFound { data_dir, searched }),
    }
}

/// `fetch_california_housing()`: finds the file (see [`locate`]), checks it and derives
/// scikit-learn's eight features.
pub fn fetch_california_housing() -> Result<CaliforniaHousing, CaliforniaError> {
    let path = locate(std::env::var_os(DATA_VAR).as_deref())?;
    load_from(&path)
}

/// Loads one file: gunzipped if its name ends in `.gz`, its SHA-256 checked against
/// [`SHA256`], then parsed by [`parse_cal_housing`].
pub fn load_from(path: &Path) -> Result<CaliforniaHousing, CaliforniaError> {
    let io = |source| CaliforniaError::Io {
        path: path.to_path_buf(),
        source,
    };
    let stored = std::fs::read(path).map_err(io)?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::with_capacity(2_100_000);
        GzDecoder::new(stored.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| CaliforniaError::Gzip {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        out
    } else {
        stored
    };
    let found = hex(&Sha256::digest(&bytes));
    if found != SHA256 {
        return Err(CaliforniaError::Checksum {
            path: path.to_path_buf(),
            expected: SHA256.to_string(),
            found,
        });
    }
    let shown = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| CaliforniaError::Parse {
        path: shown.clone(),
        line: 0,
        what: format!("not UTF-8 text: {e}"),
    })?;
    parse_cal_housing(&text, &shown)
}

/// Lowercase hex of a digest.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ANCHOR: features
/// Parses the text of `cal_housing.data` (nine comma-separated numbers per line, no
/// header; `path` names it in errors) and derives scikit-learn's features in f64:
///
/// ```text
/// MedInc = median_income          HouseAge = housing_median_age
/// AveRooms = total_rooms / households     AveBedrms = total_bedrooms / households
/// Population = population         AveOccup = population / households
/// Latitude, Longitude             target = median_house_value / 100000
/// ```
pub fn parse_cal_housing(
    text: &str,
    path: &str,
) -> Result<CaliforniaHousing, CaliforniaError> {
    let error = |line: usize, what: String| CaliforniaError::Parse {
        path: path.to_string(),
        line,
        what,
    };
    let mut data = Vec::with_capacity(ROWS * 8);
    let mut target = Vec::with_capacity(ROWS);
    let rows = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
    for (line, row) in rows.filter(|(_, l)| !l.is_empty()) {
        let mut v = [0.0f64; 9];
        let mut fields = row.split(',');
        for (column, name) in FILE_COLUMNS.iter().enumerate() {
            let field = fields.next().map(str::trim).ok_or_else(|| {
                error(
                    line,
                    format!("expected 9 comma-separated columns, found {column}"),
                )
            })?;
            v[column] = field
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| {
                    error(line, format!("{name}: {field:?} is not a number"))
                })?;
        }
        if fields.next().is_some() {
            let found = row.split(',').count();
            let what = format!("expected 9 comma-separated columns, found {found}");
            return Err(error(line, what));
        }
        let [lon, lat, age, rooms, bedrooms, population, households, income, value] = v;
        if households <= 0.0 {
            let what = format!("households: {households} (the averages divide by it)");
            return Err(error(line, what));
        }
        data.extend([
            income,
            age,
            rooms / households,
            bedrooms / households,
            population,
            population / households,
            lat,
            lon,
        ]);
        target.push(value / 100_000.0);
    }
    if target.is_empty() {
        return Err(error(1, "no data rows".into()));
    }
    let data = Array2::from_shape_vec((target.len(), 8), data)
        .map_err(|e| error(0, format!("internal shape error: {e}")))?;
    Ok(CaliforniaHousing {
        data,
        target: Array1::from(target),
    })
}
// ANCHOR_END: features

/// HOML's three sets before scaling, f64, rows in the order scikit-learn returns them.
#[derive(Debug, Clone, PartialEq)]
pub struct HousingSplit {
    /// `[11610, 8]`
    pub x_train: Array2<f64>,
    /// `[3870, 8]`
    pub x_valid: Array2<f64>,
    /// `[5160, 8]`
    pub x_test: Array2<f64>,
    pub y_train: Array1<f64>,
    pub y_valid: Array1<f64>,
    pub y_test: Array1<f64>,
}

impl CaliforniaHousing {
    /// Number of block groups.
    pub fn len(&self) -> usize {
        self.target.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.target.is_empty()
    }

    // ANCHOR: homl_split
    /// HOML's split: 25 % test, then 25 % of the rest for validation, both with
    /// `random_state=42` → 11,610 / 3,870 / 5,160 rows.
    pub fn homl_split(&self) -> Result<HousingSplit, SplitError> {
        let (x_train_full, x_test, y_train_full, y_test) =
            train_test_split(&self.data, &self.target, DEFAULT_TEST_SIZE, 42)?;
        let (x_train, x_valid, y_train, y_valid) =
            train_test_split(&x_train_full, &y_train_full, DEFAULT_TEST_SIZE, 42)?;
        Ok(HousingSplit {
            x_train,
            x_valid,
            x_test,
            y_train,
            y_valid,
            y_test,
        })
    }
    // ANCHOR_END: homl_split
}

/// One set ready for a Keras-like model: f32 inputs and targets as a column.
#[derive(Debug, Clone, PartialEq)]
pub struct HousingSet {
    /// `[n, 8]` standardised features.
    pub x: Array2<f32>,
    /// `[n, 1]` median house value in 100,000 USD.
    pub y: Array2<f32>,
}

impl HousingSet {
    /// f64 features and targets → f32 (round to nearest, as numpy's `astype(float32)`),
    /// the targets as a column `[n, 1]`.
    fn from_f64(x: &Array2<f64>, y: &Array1<f64>) -> Self {
        HousingSet {
            x: x.mapv(|v| v as f32),
            y: y.mapv(|v| v as f32).insert_axis(Axis(1)),
        }
    }
}

/// HOML's training, validation and test sets, scaled, and the scaler fitted on train.
#[derive(Debug, Clone)]
pub struct HousingSets {
    pub train: HousingSet,
    pub valid: HousingSet,
    pub test: HousingSet,
    /// Fitted on the training set only.
    pub scaler: StandardScaler,
}

// ANCHOR: homl_sets
/// The HOML cells that prepare the data, on `housing`:
///
/// ```python
/// X_train_full, X_test, y_train_full, y_test = train_test_split(
///     housing.data, housing.target, random_state=42)
/// X_train, X_valid, y_train, y_valid = train_test_split(
///     X_train_full, y_train_full, random_state=42)
/// scaler = StandardScaler()
/// X_train = scaler.fit_transform(X_train)
/// X_valid = scaler.transform(X_valid)
/// X_test = scaler.transform(X_test)
/// ```
///
/// then everything to f32, as Keras takes it.
pub fn homl_sets(housing: &CaliforniaHousing) -> Result<HousingSets, CaliforniaError> {
    let split = housing.homl_split()?;
    let mut scaler = StandardScaler::new();
    let x_train = scaler.fit_transform(&split.x_train)?;
    let x_valid = scaler.transform(&split.x_valid)?;
    let x_test = scaler.transform(&split.x_test)?;
    Ok(HousingSets {
        train: HousingSet::from_f64(&x_train, &split.y_train),
        valid: HousingSet::from_f64(&x_valid, &split.y_valid),
        test: HousingSet::from_f64(&x_test, &split.y_test),
        scaler,
    })
}
// ANCHOR_END: homl_sets

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = "-122.23,37.88,41,880,129,322,126,8.3252,452600";

    #[test]
    fn a_row_becomes_scikit_learns_eight_features_and_target() {
        let housing =
            parse_cal_housing(&format!("{ROW}\n\n{ROW}\n"), "t").expect("valid");
        assert_eq!(housing.len(), 2);
        let expected = [
            8.3252,
            41.0,
            880.0 / 126.0,
            129.0 / 126.0,
            322.0,
            322.0 / 126.0,
            37.88,
            -122.23,
        ];
        assert_eq!(housing.data.row(1).to_vec(), expected);
        assert_eq!(housing.target[0], 4.526);
    }

    #[test]
    fn a_malformed_line_is_an_error_naming_file_line_and_column() {
        let bad = [
            ("1,2,3", "t:2: expected 9 comma-separated columns, found 3"),
            (
                "1,2,3,4,5,6,7,8,9,10",
                "t:2: expected 9 comma-separated columns, found 10",
            ),
            (
                "1,2,x,4,5,6,7,8,9",
                "t:2: housing_median_age: \"x\" is not a number",
            ),
            (
                "1,2,3,4,5,6,7,nan,9",
                "t:2: median_income: \"nan\" is not a number",
            ),
            ("1,2,3,4,5,6,0,8,9", "t:2: households: 0"),
        ];
        for (row, start) in bad {
            let text = format!("{ROW}\n{row}\n");
            let message = parse_cal_housing(&text, "t").unwrap_err().to_string();
            assert!(message.starts_with(start), "{message}");
        }
        assert!(parse_cal_housing("\n", "t").is_err());
    }

    #[test]
    fn with_annlab_data_set_only_that_directory_is_searched() {
        let dir = std::env::temp_dir()
            .join(format!("annlab-cal-locate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let err = locate(Some(dir.as_os_str())).unwrap_err();
        let CaliforniaError::NotFound { searched, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(searched, &[dir.join(FILE_NAME), dir.join(PLAIN_FILE_NAME)]);
        let message = err.to_string();
        assert!(message.contains("$ANNLAB_DATA ="), "{message}");
        assert!(message.contains("git checkout data/cal_housing.data.gz"));
        // The plain file is found when the .gz is not there.
        std::fs::write(dir.join(PLAIN_FILE_NAME), ROW).expect("write");
        assert_eq!(
            locate(Some(dir.as_os_str())).expect("found"),
            dir.join(PLAIN_FILE_NAME)
        );
        std::fs::remove_dir_all(&dir).ok();
        // Unset or empty: the project's copy.
        assert_eq!(locate(None).expect("shipped"), PathBuf::from(DEFAULT_PATH));
        let empty = OsStr::new("");
        assert_eq!(
            locate(Some(empty)).expect("shipped"),
            PathBuf::from(DEFAULT_PATH)
        );
    }
}
