//! `save_weights` / `load_weights`: a model's tensors by their Keras paths, in one
//! safetensors file.

use std::collections::HashMap;
use std::path::Path;

use ndarray::{ArrayD, IxDyn};

use super::atomic::write_atomic;
use super::tensors::{self, Tensor};
use super::SaveError;
use crate::error::ModelError;
use crate::model::Model;

// ANCHOR: save_weights
/// Keras's `model.save_weights(path)`: every weight as an f32 tensor named by its path
/// (`dense/kernel` `[784, 100]`, `dense/bias` `[100]`), written atomically.
pub fn save_weights(model: &dyn Model, path: impl AsRef<Path>) -> Result<(), SaveError> {
    let path = path.as_ref();
    let bytes =
        tensors::encode(&weight_tensors(model, path)?, HashMap::new(), &show(path))?;
    write_atomic(path, &bytes)
}

/// Keras's `model.load_weights(path)`: every weight of the model must be in the file
/// with its shape, and every tensor of the file must be a weight of the model
/// (`optimizer/…` tensors of a whole-model file aside); nothing changes unless all fit.
pub fn load_weights(
    model: &mut dyn Model,
    path: impl AsRef<Path>,
) -> Result<(), SaveError> {
    let path = path.as_ref();
    load_weights_from_bytes(model, &tensors::read_bytes(path)?, &show(path))
}
// ANCHOR_END: save_weights

/// [`load_weights`] from a file's bytes in memory; `name` names the file in errors. The
/// entry point of the `model_file` fuzz target.
#[doc(hidden)]
pub fn load_weights_from_bytes(
    model: &mut dyn Model,
    bytes: &[u8],
    name: &str,
) -> Result<(), SaveError> {
    let file = tensors::decode(bytes, name)?;
    let weights: Vec<Tensor> = file
        .tensors
        .into_iter()
        .filter(|(name, _, _)| !name.starts_with(OPTIMIZER_PREFIX))
        .collect();
    set_weights_from(model, weights, name)
}

/// The prefix of the optimizer's slot tensors in a whole-model file.
pub(crate) const OPTIMIZER_PREFIX: &str = "optimizer/";

/// The path as it appears in messages.
pub(crate) fn show(path: &Path) -> String {
    path.display().to_string()
}

/// The model's weights as tensors; an unbuilt model has none to save.
pub(crate) fn weight_tensors(
    model: &dyn Model,
    path: &Path,
) -> Result<Vec<Tensor>, SaveError> {
    let weights = model.named_weights();
    if weights.is_empty() {
        return Err(SaveError::Model {
            path: show(path),
            source: ModelError::Usage(
                "the model has no weights yet: build or compile it before saving".into(),
            ),
        });
    }
    Ok(weights
        .into_iter()
        .map(|(name, value)| {
            (
                name,
                value.shape().to_vec(),
                value.iter().copied().collect(),
            )
        })
        .collect())
}

/// Checks names (missing, extra) here and shapes in `set_named_weights`, then writes
/// every weight — or none.
pub(crate) fn set_weights_from(
    model: &mut dyn Model,
    tensors: Vec<Tensor>,
    path: &str,
) -> Result<(), SaveError> {
    model.build().map_err(SaveError::model(path))?;
    let known: Vec<String> = model.all_weights().into_iter().map(|w| w.name).collect();
    let missing: Vec<String> = known
        .iter()
        .filter(|k| !tensors.iter().any(|t| &t.0 == *k))
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(SaveError::Missing {
            path: path.to_string(),
            names: missing,
        });
    }
    let extra: Vec<String> = tensors
        .iter()
        .filter(|t| !known.contains(&t.0))
        .map(|t| t.0.clone())
        .collect();
    if !extra.is_empty() {
        return Err(SaveError::Extra {
            path: path.to_string(),
            names: extra,
        });
    }
    let arrays = tensors
        .into_iter()
        .map(|(name, shape, values)| {
            // the reader checked that the bytes match the shape
            let array = ArrayD::from_shape_vec(IxDyn(&shape), values).map_err(|e| {
                SaveError::Format {
                    path: path.to_string(),
                    why: format!("tensor {name}: {e}"),
                }
            })?;
            Ok((name, array))
        })
        .collect::<Result<Vec<_>, SaveError>>()?;
    model
        .set_named_weights(&arrays)
        .map_err(SaveError::model(path))
}
