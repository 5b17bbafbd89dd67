//! `SaveError`: what went wrong saving or loading a file, with the path and what to do.

use thiserror::Error;

use crate::error::ModelError;

/// Saving or loading a model or its weights went wrong.
#[derive(Debug, Error)]
pub enum SaveError {
    /// The file could not be read or written.
    #[error(
        "{path}: {source} (when saving, the previous file, if any, is left as it was)"
    )]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a complete safetensors file.
    #[error(
        "{path} is not a readable safetensors file: {why}; it may be truncated or \
         written by another program — save the model again"
    )]
    Format { path: String, why: String },
    /// A tensor is stored in another type than f32.
    #[error(
        "{path}: tensor {tensor} is {found}, expected F32; annlab stores weights as f32"
    )]
    Dtype {
        path: String,
        tensor: String,
        found: String,
    },
    /// The model has weights the file does not hold.
    #[error(
        "{path} lacks the model's weights {names:?}: it was saved from another \
         architecture — build the model the file was saved from"
    )]
    Missing { path: String, names: Vec<String> },
    /// The file holds tensors the model has no weight for.
    #[error(
        "{path} holds tensors the model has no weight for: {names:?} — it was saved from \
         another architecture; build the model the file was saved from"
    )]
    Extra { path: String, names: Vec<String> },
    /// The metadata of a whole-model file is missing or wrong.
    #[error("{path}: {why}")]
    Metadata { path: String, why: String },
    /// The model refused what the file holds (a shape that does not fit, an optimizer
    /// state of another class), or cannot be saved (a schedule of the learner's own).
    #[error("{path}: {source}")]
    Model {
        path: String,
        #[source]
        source: ModelError,
    },
}

impl SaveError {
    /// Wraps a model's error with the file's path.
    pub(crate) fn model(path: &str) -> impl FnOnce(ModelError) -> SaveError + '_ {
        move |source| SaveError::Model {
            path: path.to_string(),
            source,
        }
    }
}
