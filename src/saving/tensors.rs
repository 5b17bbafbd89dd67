//! The safetensors file itself: f32 tensors and string metadata to bytes and back, with
//! the `safetensors` crate doing all the parsing and bounds checks.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use safetensors::tensor::{Dtype, TensorView};
use safetensors::SafeTensors;

use super::SaveError;

/// One tensor: its name, shape and values (row-major).
pub(crate) type Tensor = (String, Vec<usize>, Vec<f32>);

/// What a file holds: its tensors, sorted by name, and its `__metadata__`.
pub(crate) struct TensorFile {
    pub tensors: Vec<Tensor>,
    pub metadata: HashMap<String, String>,
}

/// The file's bytes: the tensors as F32 little-endian, and the metadata (none if empty).
pub(crate) fn encode(
    tensors: &[Tensor],
    metadata: HashMap<String, String>,
    path: &str,
) -> Result<Vec<u8>, SaveError> {
    let format_error = |e: safetensors::SafeTensorError| SaveError::Format {
        path: path.to_string(),
        why: e.to_string(),
    };
    let bytes: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, _, values)| values.iter().flat_map(|v| v.to_le_bytes()).collect())
        .collect();
    let views = tensors
        .iter()
        .zip(&bytes)
        .map(|((name, shape, _), data)| {
            Ok((
                name.as_str(),
                TensorView::new(Dtype::F32, shape.clone(), data)?,
            ))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(format_error)?;
    let metadata = (!metadata.is_empty()).then_some(metadata);
    safetensors::serialize(views, metadata).map_err(format_error)
}

/// The bytes of a file.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, SaveError> {
    std::fs::read(path).map_err(|source| SaveError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Parses and checks a file's bytes: every tensor must be F32. The crate checks the header length against the file, the
/// header's JSON, and every tensor's byte range; a panic inside it (none is known) would
/// still come back as an error.
pub(crate) fn decode(bytes: &[u8], path: &str) -> Result<TensorFile, SaveError> {
    let format_error = |why: String| SaveError::Format {
        path: path.to_string(),
        why,
    };
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        let (_, header) = SafeTensors::read_metadata(bytes)?;
        let file = SafeTensors::deserialize(bytes)?;
        Ok::<_, safetensors::SafeTensorError>((header.metadata().clone(), file))
    }))
    .map_err(|_| format_error("the safetensors reader failed on it".into()))?
    .map_err(|e| format_error(e.to_string()))?;
    let (metadata, file) = parsed;
    let mut tensors = Vec::new();
    for (name, view) in file.tensors() {
        if view.dtype() != Dtype::F32 {
            return Err(SaveError::Dtype {
                path: path.to_string(),
                tensor: name,
                found: format!("{:?}", view.dtype()),
            });
        }
        let values = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        tensors.push((name, view.shape().to_vec(), values));
    }
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(TensorFile {
        tensors,
        metadata: metadata.unwrap_or_default(),
    })
}
