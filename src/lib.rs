//! annlab — the neural-network core behind the course chapters.
//!
//! Keras's `Sequential` API in Rust on ndarray: layers, activations, losses, metrics,
//! optimizers, training with `History`, a progress bar and `summary()`, datasets, and a
//! finite-difference gradient checker that tests every differentiable piece.

pub mod activations;
pub mod callbacks;
pub mod datasets;
pub mod descent;
pub mod error;
pub mod gradcheck;
pub mod layers;
pub mod losses;
pub mod metrics;
pub mod model;
pub mod models;
pub mod neurons;
pub mod optimizers;
pub mod plot;
pub mod prelude;
pub mod progress;
pub mod regularizers;
pub mod report;
pub mod saving;
pub mod simd;
pub mod summary;
pub mod train;
pub mod tuning;
