//! annlab — the neural-network core behind the course chapters.
//!
//! Keras's `Sequential` API in Rust on ndarray: layers, activations, losses, metrics,
//! optimizers, training with `History`, a progress bar and `summary()`, datasets, and a
//! finite-difference gradient checker that tests every differentiable piece.
//!
//! # A model in a second
//!
//! The Keras cells a learner knows, line by line: build, `compile`, `fit`, `evaluate`.
//! Here a small network learns the three iris species from their four measurements
//! (the table ships with the crate), in about a second of a release build:
//!
//! ```
//! use annlab::datasets::iris::load_iris;
//! use annlab::prelude::*;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let iris = load_iris()?; //                 150 flowers: 4 measurements, 3 species
//! let x = iris.features().mapv(|v| v as f32); // [150, 4]
//! let y = iris.target().to_vec(); //            species 0, 1, 2
//!
//! let mut model = Sequential::new(42); //       42: the seed of every random draw
//! model.add(Dense::new(16).activation(Activation::Relu).input_shape(&[4]));
//! model.add(Dense::new(3).activation(Activation::Softmax));
//! model.compile(
//!     Compile::new("sparse_categorical_crossentropy")
//!         .optimizer(Adam::new().learning_rate(0.01))
//!         .metrics(&["accuracy"]),
//! )?;
//! println!("{}", model.summary()?); //          Keras 3's table: 115 parameters
//!
//! let history = model.fit(&x, &y, Fit::new(100).batch_size(16).verbose(0))?;
//! let evaluation = model.evaluate(&x, &y, 0)?;
//! let accuracy = evaluation.metric("accuracy").unwrap_or(0.0);
//! assert!(history.epochs() == 100 && accuracy > 0.9, "accuracy {accuracy}");
//! # Ok(())
//! # }
//! ```
//!
//! # Where things are
//!
//! - [`model`]: the [`Model`](model::Model) trait, [`Sequential`](model::Sequential) and
//!   the functional API ([`Functional`](model::Functional)); [`train`] gives every model Keras's
//!   `compile` / `fit` / `evaluate` / `predict` ([`train::Compile`], [`train::Fit`]).
//! - [`layers`] (`Dense`, `Flatten`, `Dropout`, `BatchNormalization`, the augmentation
//!   layers), [`activations`], [`losses`], [`metrics`], [`optimizers`] (Keras 3's update
//!   rules), [`regularizers`].
//! - [`callbacks`]: `History`, `EarlyStopping`, `ModelCheckpoint`, `ReduceLROnPlateau`,
//!   `CSVLogger`, `LambdaCallback`, TensorBoard logs, and the trait for your own.
//! - [`datasets`]: Fashion-MNIST, iris, California housing and the books' splits;
//!   [`saving`]: weights and whole models in safetensors; [`plot`]: figures as SVG and
//!   PNG ([`callbacks::History::plot`] in one line); [`tuning`]: scikit-learn-style
//!   search; [`gradcheck`]: finite differences.
//! - [`prelude`] imports what a chapter uses.
//!
//! The chapters (`cargo run --release --bin ch03_mlp`) are the books' notebooks, graded
//! by `cargo test --release`; the book (`book/`) reads them beside the text. Always
//! build with `--release`: a debug build trains about 6× slower, and `fit` says so.

// the reference exercise files use `annlab::` paths, as a learner's file does
extern crate self as annlab;

pub mod activations;
pub mod callbacks;
pub mod datasets;
pub mod descent;
pub mod error;
pub mod exercises;
pub(crate) mod gemm;
pub mod gradcheck;
pub mod layers;
pub mod losses;
pub mod metrics;
pub mod model;
pub mod models;
pub mod neurons;
pub mod optimizers;
pub(crate) mod parallel;
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
