//! What can go wrong when a user feeds data to a neuron, a TLU or the perceptron.

use thiserror::Error;

/// A neuron, perceptron layer or `Perceptron` was given something it cannot use.
#[derive(Debug, Error, PartialEq)]
pub enum NeuronError {
    /// An input or label array has the wrong shape.
    #[error("{what}: expected {expected}, found {found}")]
    Shape {
        what: String,
        expected: String,
        found: String,
    },
    /// A class label other than 0 or 1 for a binary classifier.
    #[error("label {label} at sample {index}: this classifier is binary, labels must be 0 or 1")]
    Label { index: usize, label: usize },
    /// A NaN or infinite input value.
    #[error("{what} at sample {index} is not a finite number; clean the data first")]
    NonFinite { what: String, index: usize },
    /// A hyperparameter outside its valid range.
    #[error("invalid {what}: {why}")]
    Config { what: String, why: String },
    /// `predict` before `fit`.
    #[error("this Perceptron is not fitted yet: call fit before predict or score")]
    NotFitted,
}
