//! What `Sequential` and `Functional` share around their layers: the per-layer batch
//! buffers and the positions of the layers' random generators.

use ndarray::Array2;

use crate::error::ModelError;
use crate::layers::{try_zeros, Layer};

/// Per layer, an output buffer and a gradient buffer of `[batch, width]`, allocated
/// fallibly: `layers` gives each layer's name (for the error) and width. The caller's
/// `prepare_batch` has checked every size against `MAX_ELEMENTS`.
pub(super) type Buffers = (Vec<Array2<f32>>, Vec<Array2<f32>>);

pub(super) fn try_batch_buffers<'a>(
    batch: usize,
    layers: impl Iterator<Item = (&'a str, usize)>,
) -> Result<Buffers, ModelError> {
    let (mut acts, mut grads) = (Vec::new(), Vec::new());
    for (name, width) in layers {
        let what = format!("the batch buffers of layer {name}");
        for buffers in [&mut acts, &mut grads] {
            let values = try_zeros(batch * width, &what)?; // ≤ MAX_ELEMENTS, checked
            buffers.push(
                Array2::from_shape_vec((batch, width), values).expect("batch·width"),
            );
        }
    }
    Ok((acts, grads))
}

/// The same buffers, allocated infallibly (for a forward pass the caller did not
/// prepare; the sizes were checked when the model was built).
pub(super) fn batch_buffers(
    batch: usize,
    widths: impl Iterator<Item = usize>,
) -> Buffers {
    let acts: Vec<Array2<f32>> = widths.map(|w| Array2::zeros((batch, w))).collect();
    let grads = acts.clone();
    (acts, grads)
}

/// Where each random-drawing layer's generator stands, by layer name.
pub(super) fn generator_positions<'a>(
    layers: impl Iterator<Item = (&'a str, &'a dyn Layer)>,
) -> Vec<(String, u128)> {
    layers
        .filter_map(|(name, l)| Some((name.to_string(), l.generator_position()?)))
        .collect()
}

/// Moves the named layers' generators to `positions`; a name that is not a
/// random-drawing layer of the model is an error, and then nothing has moved.
pub(super) fn set_generator_positions<'a>(
    positions: &[(String, u128)],
    layers: impl Iterator<Item = (&'a str, &'a mut Box<dyn Layer>)>,
) -> Result<(), ModelError> {
    let mut drawing: Vec<(&str, &mut Box<dyn Layer>)> = layers
        .filter(|(_, l)| l.generator_position().is_some())
        .collect();
    if let Some((name, _)) = positions
        .iter()
        .find(|(name, _)| !drawing.iter().any(|(n, _)| n == name))
    {
        return Err(ModelError::Data {
            what: "generator positions".into(),
            expected: "layers of this model that draw random numbers".into(),
            found: format!("a position for {name:?}"),
        });
    }
    for (name, position) in positions {
        if let Some((_, layer)) = drawing.iter_mut().find(|(n, _)| n == name) {
            layer.set_generator_position(*position);
        }
    }
    Ok(())
}
