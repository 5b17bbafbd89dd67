//! Saving and loading: a model's weights (`save_weights` / `load_weights`) and the whole
//! model (`save_model` / `load_model`), as Keras's `model.save_weights`, `model.save`
//! and `keras.models.load_model`.
//!
//! Both write one [safetensors](https://huggingface.co/docs/safetensors) file, read and
//! written with the `safetensors` crate (the format's reference implementation): an
//! 8-byte little-endian header length, a JSON header naming every tensor with its dtype,
//! shape and byte range, then the raw f32 little-endian data. Tensors are named by
//! their Keras weight paths (`dense/kernel` `[784, 100]`, `dense/bias` `[100]`).
//!
//! A whole model is the same file with more in it: the optimizer's slots as tensors
//! named `optimizer/<weight path>/<slot>` (`optimizer/dense/kernel/velocity`), and the
//! header's `__metadata__` holding JSON with the architecture (layer configs), the
//! compile settings (loss, optimizer class and settings, metrics) and the rest of the
//! training state (step count, learning rate, shuffle and dropout generator positions).
//! Why one safetensors file rather than a zip of JSON and weight files as Keras's
//! `.keras`: the same file still loads in numpy or PyTorch
//! (`safetensors.numpy.load_file`) with every tensor named as in Keras, there is one
//! format and one parser to trust instead of two, and the safetensors header is
//! bounds-checked before any byte of data is read, so a damaged file is an error, not a
//! crash.
//!
//! Every save is atomic (`atomic.rs`): a failure half-way leaves the previous file as
//! it was. Every load checks everything (names, dtypes, shapes, metadata) before it
//! changes the model.

mod atomic;
mod error;
#[doc(hidden)]
pub mod fuzz;
mod model_file;
mod tensors;
mod weights;

pub use error::SaveError;
pub use model_file::{
    load_functional, load_model, save_model, save_model_from_context, CompileConfig,
    ModelFile, Rebuild, FORMAT,
};
#[doc(hidden)]
pub use model_file::{
    load_functional_from_bytes, load_model_from_bytes, save_model_to_bytes,
};
#[doc(hidden)]
pub use weights::load_weights_from_bytes;
pub use weights::{load_weights, save_weights};
