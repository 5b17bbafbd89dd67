//! The errors a user can cause: every one says what was wrong and what to do.

use thiserror::Error;

/// Building, compiling, training or saving a model went wrong.
#[derive(Debug, Error)]
pub enum ModelError {
    /// A layer cannot take the shape the previous layer gives it.
    #[error("layer {layer} ({kind}) cannot take input of shape {found}: it expects {expected}")]
    Shape {
        layer: String,
        kind: &'static str,
        expected: String,
        found: String,
    },
    /// The data given to fit/evaluate/predict does not match the model.
    #[error("{what}: expected {expected}, found {found}")]
    Data {
        what: String,
        expected: String,
        found: String,
    },
    /// A class label is not below the number of model outputs.
    #[error(
        "label {label} at sample {index} is out of range: the model has {classes} outputs, \
         so labels must be 0..={max}",
        max = classes.saturating_sub(1)
    )]
    LabelOutOfRange {
        label: usize,
        index: usize,
        classes: usize,
    },
    /// Targets that do not fit the compiled loss or the model's output (integer labels
    /// for a one-hot loss, one-hot rows for a sparse loss, values out of range, …).
    #[error("{what}: {loss} expects {problem}")]
    Targets {
        what: String,
        /// The compiled loss's Keras name.
        loss: &'static str,
        /// What it expects, what it got, and what to do instead: `integer class labels…,
        /// got a one-hot matrix of width 10; use categorical_crossentropy…`.
        problem: String,
    },
    /// A NaN or infinite value in the data: it would turn every weight it reaches NaN.
    #[error(
        "{what}: found {value} at row {row}, column {column}{}; fit, evaluate and predict \
         need finite values (a NaN or ±inf spreads to every weight it reaches): drop or \
         impute that sample",
        in_sample_suffix(.in_sample)
    )]
    NonFinite {
        what: String,
        value: f32,
        /// The sample (row of x or y) holding it…
        row: usize,
        /// …and its column once each sample is flattened.
        column: usize,
        /// The index within the sample, e.g. `(1, 0)`, when samples have several axes.
        in_sample: Option<String>,
    },
    /// An optimizer, loss, metric or activation name that annlab does not know.
    #[error("unknown {what} {name:?}; known: {known}")]
    UnknownName {
        what: &'static str,
        name: String,
        known: String,
    },
    /// A method was called in the wrong order (e.g. fit before compile).
    #[error("{0}")]
    Usage(String),
    /// A configuration value outside its valid range.
    #[error("invalid {what}: {why}")]
    Config { what: String, why: String },
    /// A tensor, a model's parameters or a batch's buffers beyond annlab's size limit
    /// (`layers::MAX_ELEMENTS` f32 values), or memory the system refused.
    #[error("{what} is too large: {why}")]
    TooLarge { what: String, why: String },
    /// Saving or loading a model or its weights failed.
    #[error(transparent)]
    Save(Box<crate::saving::SaveError>),

    /// An exercise body the learner has not written yet (`exercises::not_done`).
    #[error(transparent)]
    Unfinished(#[from] crate::exercises::Unfinished),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl From<crate::saving::SaveError> for ModelError {
    fn from(e: crate::saving::SaveError) -> Self {
        ModelError::Save(Box::new(e))
    }
}

fn in_sample_suffix(index: &Option<String>) -> String {
    index
        .as_ref()
        .map_or(String::new(), |i| format!(" (index {i} within the sample)"))
}

/// Formats a shape as Keras prints it, e.g. `(None, 784)` or `(28, 28)`.
pub fn shape_str(shape: &[usize], batch: bool) -> String {
    let mut parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    if batch {
        parts.insert(0, "None".into());
    }
    if parts.len() == 1 {
        format!("({},)", parts[0])
    } else {
        format!("({})", parts.join(", "))
    }
}
