//! `TuningError`: what can go wrong in a search, said with the numbers that make it so and
//! what to do instead.

use thiserror::Error;

use crate::error::ModelError;

/// A search, a cross-validation or a learning-rate finder that cannot run as asked.
#[derive(Debug, Error)]
pub enum TuningError {
    /// A list to choose from holds nothing.
    #[error(
        "parameter {name:?} has an empty list of values: give at least one value to choose from"
    )]
    EmptyChoice { name: String },
    /// A log-uniform range that is empty, reversed or not positive.
    #[error(
        "parameter {name:?}: a log-uniform (reciprocal) range needs 0 < low < high, both \
         finite, got low = {low}, high = {high}"
    )]
    LogUniformRange { name: String, low: f64, high: f64 },
    /// The same parameter named twice.
    #[error("parameter {name:?} is given twice: name each parameter once")]
    DuplicateName { name: String },
    /// `n_iter` of 0: a search of no candidates has no best.
    #[error("n_iter = 0: a randomized search needs at least one candidate")]
    NoCandidates,
    /// Fewer than two folds: k-fold cross-validation needs a train and a test part.
    #[error(
        "k-fold cross-validation requires at least one train/test split by setting \
         n_splits=2 or more, got n_splits={n_splits}"
    )]
    TooFewFolds { n_splits: usize },
    /// More folds than rows: some fold would be empty.
    #[error(
        "cannot have number of splits n_splits={n_splits} greater than the number of \
         samples: n_samples={n_samples}"
    )]
    MoreFoldsThanRows { n_splits: usize, n_samples: usize },
    /// x and y do not have one target row per sample.
    #[error(
        "{what}: x has {x_rows} rows but y has {y_rows}: give one target row per sample"
    )]
    Lengths {
        what: &'static str,
        x_rows: usize,
        y_rows: usize,
    },
    /// A parameter that the model-building function reads is missing or of the wrong kind.
    #[error("parameter {name:?}: expected {expected}, found {found}")]
    Param {
        name: String,
        expected: &'static str,
        found: String,
    },
    /// A setting out of its range (the learning-rate finder's rates, a batch size of 0, …).
    #[error("invalid {what}: {why}")]
    Config { what: String, why: String },
    /// `predict` or `score` before `fit`.
    #[error("call fit(...) before {0}(...): the regressor holds no trained model yet")]
    NotFitted(&'static str),
    /// Building, compiling or training one of the models failed.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A fit inside a search failed: which candidate and fold, and why.
    #[error("candidate {candidate} ({params}), fold {fold}: {source}")]
    Fit {
        candidate: usize,
        fold: usize,
        params: String,
        #[source]
        source: Box<TuningError>,
    },
}
