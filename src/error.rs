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
