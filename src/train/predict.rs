//! Keras's `model.predict`: every output of any model, in batches of 32, no compile
//! needed.

use ndarray::{s, Array2, ArrayViewD};

use super::heads::gather_rows;
use super::inputs::as_matrix;
use crate::error::{shape_str, ModelError};
use crate::model::Model;

/// Keras's `model.predict(x)`: every output `[n, width]`, in output order, in batches
/// of 32. `xs` holds one array per input.
pub fn predict_all(
    model: &mut dyn Model,
    xs: &[ArrayViewD<f32>],
) -> Result<Vec<Array2<f32>>, ModelError> {
    model.build()?;
    let _flush = crate::simd::FlushDenormals::new(); // as XLA computes: see simd
    let x = as_matrix(model, xs, "x for predict")?;
    let widths: Vec<usize> = model.outputs().iter().map(|o| o.width).collect();
    model.prepare_batch(x.nrows().min(32))?;
    // [n, width] for each output, counted and allocated before the first batch runs
    let mut outs = Vec::with_capacity(widths.len());
    for &width in &widths {
        let shape = [x.nrows(), width];
        let what = || format!("predict's output {}", shape_str(&shape, false));
        let len = crate::layers::within_limit(
            crate::layers::elements(&shape),
            what,
            "it would hold",
        )?;
        let values = crate::layers::try_zeros(len, "predict's output")?;
        outs.push(Array2::from_shape_vec(shape, values).expect("n·width values"));
    }
    let order: Vec<usize> = (0..x.nrows()).collect();
    let mut x_buf = Array2::zeros((0, 0));
    for (chunk, batch) in order.chunks(32).enumerate() {
        gather_rows(&mut x_buf, x.view(), batch);
        model.forward(x_buf.view(), false);
        let rows = chunk * 32..chunk * 32 + batch.len();
        for (i, out) in outs.iter_mut().enumerate() {
            out.slice_mut(s![rows.clone(), ..]).assign(&model.output(i));
        }
    }
    Ok(outs)
}

/// Keras's `model.predict(x)` for a model with one output: `[n, width]`. A model with
/// several outputs is an error pointing to `predict_all`.
pub fn predict(
    model: &mut dyn Model,
    xs: &[ArrayViewD<f32>],
) -> Result<Array2<f32>, ModelError> {
    model.build()?;
    let outputs = model.outputs();
    if outputs.len() != 1 {
        let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
        return Err(ModelError::Usage(format!(
            "this model has {} outputs ({}): predict_all returns one array per output",
            outputs.len(),
            names.join(", ")
        )));
    }
    Ok(predict_all(model, xs)?.remove(0))
}
