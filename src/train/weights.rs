//! Keras's `sample_weight` and `class_weight`: checking the weights against the data, and
//! turning class weights into one weight per sample.

use super::options::SampleWeights;
use crate::error::ModelError;
use crate::losses::{argmax, Targets};

/// Checks sample weights for n samples and the model's outputs `outputs` (their names):
/// one array for all outputs or one per output, each of n weights, each finite and ≥ 0
/// (zero drops a sample, as in Keras).
pub(super) fn check_sample_weights(
    weights: &SampleWeights,
    n: usize,
    outputs: &[String],
    what: &str,
) -> Result<(), ModelError> {
    if weights.len() != 1 && weights.len() != outputs.len() {
        return Err(ModelError::Data {
            what: what.to_string(),
            expected: format!(
                "one weight array for every output, or one per output ({}: {})",
                outputs.len(),
                outputs.join(", ")
            ),
            found: format!("{} arrays", weights.len()),
        });
    }
    for (j, w) in weights.iter().enumerate() {
        let what = if weights.len() == 1 {
            what.to_string()
        } else {
            format!("{what} (output {})", outputs[j])
        };
        if w.len() != n {
            return Err(ModelError::Data {
                what,
                expected: format!("{n} weights, one per sample of x ({n} samples)"),
                found: format!("{} weights", w.len()),
            });
        }
        if let Some((i, &v)) = w
            .iter()
            .enumerate()
            .find(|(_, v)| !(**v >= 0.0 && v.is_finite()))
        {
            return Err(ModelError::Data {
                what,
                expected: "finite weights ≥ 0 (0 drops a sample)".into(),
                found: format!("{v} at sample {i}"),
            });
        }
    }
    Ok(())
}

/// Checks `class_weight` (each class once, each weight finite and ≥ 0) and turns it into
/// one weight per sample of `y`, as Keras 3's `class_weight_to_sample_weights`: the class
/// of a sample is its integer label, the arg-max of a row of several columns, or a
/// single column's value rounded; its weight is that class's, 1 for a class not listed.
pub(super) fn class_weight_to_sample_weights(
    class_weight: &[(usize, f32)],
    y: &Targets,
) -> Result<Vec<f32>, ModelError> {
    for (j, &(class, w)) in class_weight.iter().enumerate() {
        if !(w >= 0.0 && w.is_finite()) {
            return Err(ModelError::Data {
                what: "class_weight".into(),
                expected: "finite weights ≥ 0".into(),
                found: format!("{w} for class {class}"),
            });
        }
        if class_weight[..j].iter().any(|&(c, _)| c == class) {
            return Err(ModelError::Data {
                what: "class_weight".into(),
                expected: "each class once".into(),
                found: format!("class {class} twice"),
            });
        }
    }
    let weight_of = |class: Option<usize>| {
        class
            .and_then(|c| class_weight.iter().find(|&&(k, _)| k == c))
            .map_or(1.0, |&(_, w)| w)
    };
    Ok((0..y.len())
        .map(|i| {
            let class = match y {
                Targets::Labels(l) => Some(l[i]),
                Targets::Dense(d) if d.ncols() == 1 => {
                    // np.round(y).astype("int32"): a negative class has no weight listed
                    let v = d[[i, 0]].round_ties_even();
                    (v >= 0.0).then_some(v as usize)
                }
                Targets::Dense(d) => Some(argmax(d.row(i).iter().copied())),
            };
            weight_of(class)
        })
        .collect())
}

/// The rows `batch` of each weight array, into `buf` (one vector per array, reused).
pub(super) fn gather(buf: &mut Vec<Vec<f32>>, weights: &[Vec<f32>], batch: &[usize]) {
    buf.resize_with(weights.len(), Vec::new);
    for (dst, src) in buf.iter_mut().zip(weights) {
        dst.clear();
        dst.extend(batch.iter().map(|&i| src[i]));
    }
}

/// The weights output `o` reads: the shared array, or its own.
pub(super) fn for_output(buf: &[Vec<f32>], o: usize) -> &[f32] {
    &buf[o.min(buf.len() - 1)]
}
