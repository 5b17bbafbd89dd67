//! Iris: Fisher's (1936) 150 flowers, 50 of each of three species, four measurements in
//! centimetres. The repository keeps them in `data/iris.csv` (source and licence in
//! `data/iris.md`), the same 150 rows as scikit-learn's `load_iris()`.
//!
//! ```text
//! sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species
//! 5.1,3.5,1.4,0.2,setosa
//! ```

use std::io::Read;
use std::path::Path;

use ndarray::{s, Array2};
use thiserror::Error;

/// The file `load_iris` reads: `data/iris.csv` in the crate's directory.
pub const DEFAULT_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");

/// The header line the file must start with.
pub const HEADER: &str =
    "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species";

/// Column names as scikit-learn's `iris.feature_names`.
pub const FEATURE_NAMES: [&str; 4] = [
    "sepal length (cm)",
    "sepal width (cm)",
    "petal length (cm)",
    "petal width (cm)",
];

/// Species names in target order, as scikit-learn's `iris.target_names`.
pub const TARGET_NAMES: [&str; 3] = ["setosa", "versicolor", "virginica"];

/// The largest file read as iris CSV: the real one is 4 KB, so anything past 16 MiB is
/// another kind of file (and reading a device such as `/dev/zero` must end).
pub const MAX_BYTES: u64 = 16 << 20;

/// The advice under an error about the repository's own `data/iris.csv`.
const SHIPPED_FIX: &str = "data/iris.csv ships with the repository and is damaged or \
     missing: restore it with `git checkout data/iris.csv`";

/// What an iris CSV file holds, for the advice under an error about a learner's file.
const FORMAT: &str = "an iris CSV file is UTF-8 text: the header line \
     sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species, then one line \
     per flower with four positive lengths in cm and a species (setosa, versicolor or \
     virginica)";

/// Reading or checking the iris file failed: which file, which line, what was wrong,
/// and what to do (`fix`), which depends on whether the file is the repository's
/// `data/iris.csv` or the learner's own.
#[derive(Debug, Error)]
pub enum IrisError {
    /// The file could not be read at all.
    #[error("{path}: cannot read the iris data ({source}). To fix: {fix}")]
    Io {
        path: String,
        source: std::io::Error,
        fix: String,
    },
    /// The file is larger than any iris CSV file.
    #[error(
        "{path}: larger than {MAX_BYTES} bytes, so not an iris CSV file. To fix: {fix}"
    )]
    TooLarge { path: String, fix: String },
    /// The file is not UTF-8 text.
    #[error(
        "{path}: not UTF-8 text (byte {offset} is not valid UTF-8), so not an iris CSV \
         file. To fix: {fix}"
    )]
    NotText {
        path: String,
        offset: usize,
        fix: String,
    },
    /// A line of the file is malformed.
    #[error("{path}:{line}: {what}. To fix: {fix}")]
    Parse {
        path: String,
        line: usize,
        what: String,
        fix: String,
    },
    /// Arrays given to [`Iris::new`] break its rules.
    #[error("invalid Iris: {why}")]
    Invalid { why: String },
}

/// The iris measurements and species.
///
/// Its fields are private: [`Iris::new`] checks `[n, 4]` finite positive measurements,
/// one species per flower and species 0–2, so [`Iris::petals`] and the perceptron can
/// rely on them.
#[derive(Clone, Debug, PartialEq)]
pub struct Iris {
    /// `[n_samples, 4]`: sepal length, sepal width, petal length, petal width (cm)
    features: Array2<f64>,
    /// species index per sample: 0 setosa, 1 versicolor, 2 virginica
    target: Vec<usize>,
}

impl Iris {
    /// Flowers from `[n, 4]` measurements (sepal length, sepal width, petal length,
    /// petal width, in cm: finite and positive) and `n` species indices 0–2; fails with
    /// [`IrisError::Invalid`] naming the first value that breaks a rule.
    pub fn new(features: Array2<f64>, target: Vec<usize>) -> Result<Self, IrisError> {
        let invalid = |why: String| IrisError::Invalid { why };
        let (n, columns) = features.dim();
        if columns != FEATURE_NAMES.len() {
            return Err(invalid(format!(
                "features are [{n}, {columns}], expected [n, 4]: {FEATURE_NAMES:?}"
            )));
        }
        if target.len() != n {
            return Err(invalid(format!(
                "{n} flowers but {} species: there must be one species per flower",
                target.len()
            )));
        }
        if let Some((i, t)) = target.iter().enumerate().find(|(_, &t)| t >= 3) {
            return Err(invalid(format!(
                "species {t} at index {i} is out of range 0..=2 ({TARGET_NAMES:?})"
            )));
        }
        let bad = features
            .indexed_iter()
            .find(|(_, v)| !(v.is_finite() && **v > 0.0));
        if let Some(((row, column), value)) = bad {
            return Err(invalid(format!(
                "flower {row}, {}: {value} is not a positive length",
                FEATURE_NAMES[column]
            )));
        }
        Ok(Iris { features, target })
    }

    /// `[n_samples, 4]` measurements: sepal length, sepal width, petal length, petal
    /// width (cm) — scikit-learn's `iris.data`.
    pub fn features(&self) -> &Array2<f64> {
        &self.features
    }

    /// Species index per flower: 0 setosa, 1 versicolor, 2 virginica — `iris.target`.
    pub fn target(&self) -> &[usize] {
        &self.target
    }

    /// Number of flowers.
    pub fn len(&self) -> usize {
        self.target.len()
    }

    /// True if there are no flowers.
    pub fn is_empty(&self) -> bool {
        self.target.is_empty()
    }

    /// Petal length and width, `[n_samples, 2]` — HOML's `iris.data[:, (2, 3)]`.
    pub fn petals(&self) -> Array2<f64> {
        self.features.slice(s![.., 2..4]).to_owned()
    }

    /// 1 where the species is `species`, else 0 — HOML's `(iris.target == 0)`.
    pub fn is_species(&self, species: usize) -> Vec<usize> {
        self.target
            .iter()
            .map(|&t| usize::from(t == species))
            .collect()
    }
}

/// Loads `data/iris.csv` from the repository.
pub fn load_iris() -> Result<Iris, IrisError> {
    load_iris_from(Path::new(DEFAULT_PATH))
}

/// Loads and validates an iris CSV file (at most [`MAX_BYTES`]).
pub fn load_iris_from(path: &Path) -> Result<Iris, IrisError> {
    let shown = path.display().to_string();
    let io_error = |source: std::io::Error| {
        let fix = if is_shipped(&shown) {
            SHIPPED_FIX.to_string()
        } else if source.kind() == std::io::ErrorKind::NotFound {
            "check the path; the repository's own iris data is data/iris.csv, which \
             load_iris reads"
                .to_string()
        } else {
            "check that the path names a readable iris CSV file".to_string()
        };
        IrisError::Io {
            path: shown.clone(),
            source,
            fix,
        }
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(IrisError::TooLarge {
            fix: fix_for(&shown),
            path: shown,
        });
    }
    parse_iris_bytes(&bytes, &shown)
}

/// Parses the bytes of an iris CSV file: they must be UTF-8 text (a byte-order mark is
/// skipped), then as [`parse_iris`].
pub fn parse_iris_bytes(bytes: &[u8], path: &str) -> Result<Iris, IrisError> {
    let text = std::str::from_utf8(bytes).map_err(|e| IrisError::NotText {
        path: path.to_string(),
        offset: e.valid_up_to(),
        fix: fix_for(path),
    })?;
    parse_iris(text.strip_prefix('\u{feff}').unwrap_or(text), path)
}

/// True for the repository's own `data/iris.csv`.
fn is_shipped(path: &str) -> bool {
    Path::new(path) == Path::new(DEFAULT_PATH)
}

/// The advice for a file that is not iris CSV: restore the shipped file, or what the
/// format is.
fn fix_for(path: &str) -> String {
    if is_shipped(path) {
        SHIPPED_FIX.to_string()
    } else {
        format!("give a file in the iris format: {FORMAT}")
    }
}

// ANCHOR: parse
/// Parses iris CSV text; `path` names the source in error messages. Checks the header,
/// five columns per row, finite positive measurements and a known species.
pub fn parse_iris(text: &str, path: &str) -> Result<Iris, IrisError> {
    let error = |line: usize, what: String| IrisError::Parse {
        path: path.to_string(),
        line,
        what,
        fix: fix_for(path),
    };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end()));
    match lines.next() {
        Some((_, header)) if header == HEADER => {}
        Some((line, found)) => {
            return Err(error(
                line,
                format!("expected the header {HEADER:?}, found {found:?}"),
            ))
        }
        None => return Err(error(1, "the file is empty".into())),
    }
    let mut values = Vec::new();
    let mut target = Vec::new();
    for (line, row) in lines.filter(|(_, l)| !l.is_empty()) {
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if fields.len() != 5 {
            let what =
                format!("expected 5 comma-separated columns, found {}", fields.len());
            return Err(error(line, what));
        }
        for (column, field) in fields[..4].iter().enumerate() {
            let value: f64 = field.parse().map_err(|_| {
                error(
                    line,
                    format!("{}: {field:?} is not a number", FEATURE_NAMES[column]),
                )
            })?;
            if !(value.is_finite() && value > 0.0) {
                let what = format!(
                    "{}: {value} is not a positive length",
                    FEATURE_NAMES[column]
                );
                return Err(error(line, what));
            }
            values.push(value);
        }
        let species = fields[4];
        // UCI's files spell the species "Iris-setosa"; scikit-learn's "setosa".
        let name = species.strip_prefix("Iris-").unwrap_or(species);
        let index = TARGET_NAMES
            .iter()
            .position(|&n| n == name)
            .ok_or_else(|| {
                error(
                    line,
                    format!("unknown species {species:?}; known: {TARGET_NAMES:?}"),
                )
            })?;
        target.push(index);
    }
    if target.is_empty() {
        return Err(error(2, "no data rows after the header".into()));
    }
    let features = Array2::from_shape_vec((target.len(), 4), values)
        .map_err(|e| error(0, format!("internal shape error: {e}")))?;
    Iris::new(features, target)
}
// ANCHOR_END: parse

/// The body of the `iris` fuzz target (`fuzz/fuzz_targets/iris.rs`), also run on the
/// committed corpus by `tests/fuzz_corpus.rs`: parses `data` as an iris CSV file of the
/// learner's own. Returns whether it parsed.
///
/// # Panics
/// On purpose, when the library breaks its contract: an error that does not name the
/// file or give advice, git advice for a file that is not the repository's, or flowers
/// whose arrays disagree.
#[doc(hidden)]
pub fn fuzz_target(data: &[u8]) -> bool {
    match parse_iris_bytes(data, "fuzz-iris.csv") {
        Ok(iris) => {
            let n = iris.len();
            assert_eq!(iris.features().dim(), (n, 4));
            assert_eq!(iris.petals().dim(), (n, 2));
            assert_eq!(iris.is_species(2).len(), n);
            assert!(Iris::new(iris.features().clone(), iris.target().to_vec()).is_ok());
            true
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("fuzz-iris.csv"), "no file named: {msg}");
            assert!(
                msg.contains("To fix: give a file in the iris format"),
                "{msg}"
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_header(rows: &str) -> String {
        format!("{HEADER}\n{rows}")
    }

    #[test]
    fn two_rows_parse_with_their_species() {
        let text =
            with_header("5.1,3.5,1.4,0.2,setosa\n6.3,3.3,6.0,2.5,Iris-virginica\n");
        let iris = parse_iris(&text, "t.csv").expect("valid");
        assert_eq!(iris.target(), [0, 2]);
        assert_eq!(iris.features()[[1, 2]], 6.0);
        assert_eq!(iris.petals().row(0).to_vec(), [1.4, 0.2]);
        assert_eq!(iris.is_species(0), [1, 0]);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let bad = [
            (
                "5.1,3.5,1.4,setosa\n",
                "t.csv:2: expected 5 comma-separated columns, found 4",
            ),
            (
                "5.1,3.5,x,0.2,setosa\n",
                "t.csv:2: petal length (cm): \"x\" is not a number",
            ),
            (
                "5.1,3.5,1.4,0.2,setosa\n5,3,1,-1,setosa\n",
                "t.csv:3: petal width (cm): -1",
            ),
            (
                "5.1,3.5,1.4,0.2,rose\n",
                "t.csv:2: unknown species \"rose\"",
            ),
        ];
        for (rows, start) in bad {
            let message = parse_iris(&with_header(rows), "t.csv")
                .unwrap_err()
                .to_string();
            assert!(message.starts_with(start), "{message}");
        }
    }

    #[test]
    fn a_wrong_header_or_no_rows_is_an_error() {
        assert!(parse_iris("a,b,c\n1,2,3", "t.csv").is_err());
        assert!(parse_iris(HEADER, "t.csv").is_err());
        assert!(parse_iris("", "t.csv").is_err());
    }

    #[test]
    fn a_missing_file_of_ones_own_says_to_check_the_path_not_to_git_checkout() {
        let err = load_iris_from(Path::new("/nonexistent/iris.csv")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("check the path"), "{msg}");
        assert!(!msg.contains("git checkout"), "{msg}");
    }

    #[test]
    fn a_non_utf8_file_of_ones_own_is_not_text_with_the_format_as_advice() {
        // Latin-1 "é" (0xe9) in a species name, as a spreadsheet might save it.
        let mut bytes = format!("{HEADER}\n5.1,3.5,1.4,0.2,setos").into_bytes();
        bytes.push(0xe9);
        let err = parse_iris_bytes(&bytes, "mine.csv").unwrap_err();
        let msg = err.to_string();
        let offset = bytes.len() - 1;
        assert!(
            matches!(err, IrisError::NotText { offset: o, .. } if o == offset),
            "{msg}"
        );
        assert!(msg.starts_with("mine.csv: not UTF-8 text"), "{msg}");
        assert!(msg.contains("the header line sepal_length_cm"), "{msg}");
        assert!(!msg.contains("git checkout"), "{msg}");
    }

    #[test]
    fn only_the_shipped_file_gets_the_git_checkout_advice() {
        let bad_rows = with_header("5.1,3.5,1.4,0.2,rose\n");
        for (bytes, line) in [(&b"\xff\xfe"[..], None), (bad_rows.as_bytes(), Some(2))] {
            let shipped = parse_iris_bytes(bytes, DEFAULT_PATH)
                .unwrap_err()
                .to_string();
            assert!(shipped.contains("git checkout data/iris.csv"), "{shipped}");
            let mine = parse_iris_bytes(bytes, "mine.csv").unwrap_err();
            if let Some(line) = line {
                assert!(matches!(mine, IrisError::Parse { line: l, .. } if l == line));
            }
            let mine = mine.to_string();
            assert!(!mine.contains("git checkout"), "{mine}");
            assert!(mine.contains("iris format"), "{mine}");
        }
    }

    #[test]
    fn a_byte_order_mark_before_the_header_is_skipped() {
        let text = format!("\u{feff}{}", with_header("5.1,3.5,1.4,0.2,setosa\n"));
        let iris = parse_iris_bytes(text.as_bytes(), "bom.csv").expect("valid");
        assert_eq!(iris.target(), [0]);
    }

    #[test]
    fn a_file_larger_than_any_iris_csv_is_refused_without_reading_it_all() {
        // /dev/zero never ends: the reader stops after MAX_BYTES + 1 bytes.
        let zero = Path::new("/dev/zero");
        if !zero.exists() {
            return;
        }
        let err = load_iris_from(zero).unwrap_err();
        assert!(matches!(err, IrisError::TooLarge { .. }), "{err}");
        assert!(err.to_string().contains("iris format"), "{err}");
    }

    #[test]
    fn iris_new_refuses_arrays_that_break_its_rules() {
        let two = Array2::from_elem((2, 4), 1.0);
        let cases = [
            (
                Array2::from_elem((2, 3), 1.0),
                vec![0, 1],
                "expected [n, 4]",
            ),
            (two.clone(), vec![0], "2 flowers but 1 species"),
            (two.clone(), vec![0, 3], "species 3 at index 1"),
            (
                Array2::from_elem((1, 4), f64::NAN),
                vec![0],
                "NaN is not a positive",
            ),
        ];
        for (features, target, needle) in cases {
            let err = Iris::new(features, target).unwrap_err().to_string();
            assert!(err.contains(needle), "{needle:?} not in {err}");
        }
        let iris = Iris::new(two, vec![2, 0]).expect("valid");
        assert_eq!(iris.petals().dim(), (2, 2));
    }

    #[test]
    fn the_fuzz_target_accepts_the_shipped_file() {
        let bytes = std::fs::read(DEFAULT_PATH).expect("data/iris.csv");
        assert!(fuzz_target(&bytes));
        assert!(!fuzz_target(b"\xff"));
    }
}
