//! Iris: Fisher's (1936) 150 flowers, 50 of each of three species, four measurements in
//! centimetres. The repository keeps them in `data/iris.csv` (source and licence in
//! `data/iris.md`), the same 150 rows as scikit-learn's `load_iris()`.
//!
//! ```text
//! sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species
//! 5.1,3.5,1.4,0.2,setosa
//! ```

use std::path::Path;

use ndarray::{s, Array2};
use thiserror::Error;

/// The file `load_iris` reads: `data/iris.csv` in the crate's directory.
pub const DEFAULT_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");

/// The header line the file must start with.
pub const HEADER: &str = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species";

/// Column names as scikit-learn's `iris.feature_names`.
pub const FEATURE_NAMES: [&str; 4] = [
    "sepal length (cm)",
    "sepal width (cm)",
    "petal length (cm)",
    "petal width (cm)",
];

/// Species names in target order, as scikit-learn's `iris.target_names`.
pub const TARGET_NAMES: [&str; 3] = ["setosa", "versicolor", "virginica"];

/// Reading or checking the iris file failed: which file, which line, what was wrong.
#[derive(Debug, Error)]
pub enum IrisError {
    /// The file could not be read at all.
    #[error(
        "{path}: cannot read the iris data ({source}); it ships with the repository as \
         data/iris.csv — restore it with `git checkout data/iris.csv`"
    )]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// A line of the file is malformed.
    #[error("{path}:{line}: {what}")]
    Parse {
        path: String,
        line: usize,
        what: String,
    },
}

/// The iris measurements and species.
#[derive(Clone, Debug, PartialEq)]
pub struct Iris {
    /// `[n_samples, 4]`: sepal length, sepal width, petal length, petal width (cm)
    pub features: Array2<f64>,
    /// species index per sample: 0 setosa, 1 versicolor, 2 virginica
    pub target: Vec<usize>,
}

impl Iris {
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

/// Loads and validates an iris CSV file.
pub fn load_iris_from(path: &Path) -> Result<Iris, IrisError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| IrisError::Io {
        path: shown.clone(),
        source,
    })?;
    parse_iris(&text, &shown)
}

// ANCHOR: parse
/// Parses iris CSV text; `path` names the source in error messages. Checks the header,
/// five columns per row, finite positive measurements and a known species.
pub fn parse_iris(text: &str, path: &str) -> Result<Iris, IrisError> {
    let error = |line: usize, what: String| IrisError::Parse {
        path: path.to_string(),
        line,
        what,
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
            let what = format!("expected 5 comma-separated columns, found {}", fields.len());
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
    Ok(Iris { features, target })
}
// ANCHOR_END: parse

#[cfg(test)]
mod tests {
    use super::*;

    fn with_header(rows: &str) -> String {
        format!("{HEADER}\n{rows}")
    }

    #[test]
    fn two_rows_parse_with_their_species() {
        let text = with_header("5.1,3.5,1.4,0.2,setosa\n6.3,3.3,6.0,2.5,Iris-virginica\n");
        let iris = parse_iris(&text, "t.csv").expect("valid");
        assert_eq!(iris.target, [0, 2]);
        assert_eq!(iris.features[[1, 2]], 6.0);
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
    fn a_missing_file_says_how_to_restore_it() {
        let err = load_iris_from(Path::new("/nonexistent/iris.csv")).unwrap_err();
        assert!(err.to_string().contains("git checkout data/iris.csv"));
    }
}
