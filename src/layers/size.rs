//! annlab's size limit: how many f32 values a tensor, a model's parameters and a batch's
//! buffers may hold. Sizes are counted in u128 (checked) before anything is allocated,
//! and large buffers below the limit are allocated fallibly, so that an absurd size is
//! an error and never a panic, a wrapped-around count or an aborted process.

use crate::error::ModelError;
use crate::summary::{human_bytes, thousands};

/// At most 2³⁰ f32 values (4 GiB) in each of:
/// - one tensor: a layer's parameter tensor, or one sample's input or a layer's output
///   for one sample;
/// - a model's parameters, all layers together (training doubles them with their
///   gradients, and Adam's two moments double them again: 16 GiB at the limit);
/// - one batch's buffers: batch size × (input values + 4 × the output values of every
///   layer), that is every layer's output and its gradient, and up to two buffers of
///   the same size inside the layer (Dense keeps z and dL/dz); `fit`, `evaluate`,
///   `predict` and `loss_and_gradients` check their largest batch (the batch size,
///   clipped to the number of samples) before the first one;
/// - `predict`'s result, samples × outputs.
///
/// A larger size is a `ModelError::TooLarge` naming the layer (or the batch) and the
/// count, raised before anything is allocated.
pub const MAX_ELEMENTS: usize = 1 << 30;

/// The number of values in a tensor of `shape` (1 for `[]`), or `None` when it does not
/// fit in a u128 (more than 3.4·10³⁸).
pub fn elements(shape: &[usize]) -> Option<u128> {
    shape
        .iter()
        .try_fold(1u128, |n, &d| n.checked_mul(d as u128))
}

/// `n` as a usize when `n ≤ MAX_ELEMENTS`; otherwise `TooLarge` for `what`, saying
/// "`holds` n f32 values (bytes)".
pub(crate) fn within_limit(
    n: Option<u128>,
    what: impl FnOnce() -> String,
    holds: &str,
) -> Result<usize, ModelError> {
    match n {
        Some(n) if n <= MAX_ELEMENTS as u128 => Ok(n as usize),
        _ => Err(too_large(what(), holds, n)),
    }
}

/// `TooLarge` for `what`, which `holds` `n` values (`None`: more than a u128 counts).
pub(crate) fn too_large(what: String, holds: &str, n: Option<u128>) -> ModelError {
    let count = match n {
        // 4 bytes per f32; n ≤ u128::MAX / 4 except for absurd counts, shown in f64
        Some(n) => format!(
            "{} f32 values ({})",
            thousands(n),
            human_bytes(n.saturating_mul(4))
        ),
        None => "more than 2¹²⁸ f32 values".into(),
    };
    ModelError::TooLarge {
        what,
        why: format!(
            "{holds} {count}; annlab allows at most {} values ({}) in one tensor, in a \
             model's parameters and in one batch",
            thousands(MAX_ELEMENTS as u128),
            human_bytes(4 * MAX_ELEMENTS as u128),
        ),
    }
}

/// `Ok` when a batch of `batch` samples, each needing `per_sample` buffer values (see
/// `MAX_ELEMENTS`), fits the limit; otherwise `TooLarge` naming the batch.
pub(crate) fn check_batch(batch: usize, per_sample: u128) -> Result<(), ModelError> {
    let what = || format!("a batch of {} samples", thousands(batch as u128));
    within_limit(
        per_sample.checked_mul(batch as u128),
        what,
        "its buffers (each layer's output, its gradient and the layer's own) would hold",
    )
    .map_err(|e| match e {
        ModelError::TooLarge { what, why } => ModelError::TooLarge {
            what,
            why: format!("{why}: choose a smaller batch_size"),
        },
        other => other,
    })?;
    Ok(())
}

/// `len` zeros, allocated fallibly: memory the system refuses is an error naming `what`,
/// not an abort. (`len` has passed `within_limit`, so `4·len` bytes fit in an isize.)
pub(crate) fn try_zeros(len: usize, what: &str) -> Result<Vec<f32>, ModelError> {
    let mut v = try_with_capacity(len, what)?;
    v.resize(len, 0.0);
    Ok(v)
}

/// An empty vector with room for exactly `len` values, allocated fallibly.
pub(crate) fn try_with_capacity(len: usize, what: &str) -> Result<Vec<f32>, ModelError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|e| ModelError::TooLarge {
        what: what.to_string(),
        why: format!(
            "the system refused {} for its {} f32 values ({e})",
            human_bytes(4 * len as u128),
            thousands(len as u128)
        ),
    })?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_counts_without_wrapping_and_says_when_it_cannot() {
        assert_eq!(elements(&[28, 28]), Some(784));
        assert_eq!(elements(&[]), Some(1));
        assert_eq!(elements(&[3, 0]), Some(0));
        // 2⁶⁴ − 1 squared fits in a u128; a third factor does not
        let m = usize::MAX;
        assert_eq!(elements(&[m, m]), Some((m as u128) * (m as u128)));
        assert_eq!(elements(&[m, m, 2]), None);
    }

    #[test]
    fn the_limit_is_inclusive_and_the_error_gives_the_count_in_values_and_bytes() {
        let what = || "Dense kernel (1024, 1048576)".to_string();
        assert_eq!(
            within_limit(Some(1 << 30), what, "it would hold").unwrap(),
            1 << 30
        );
        let err = within_limit(Some((1 << 30) + 1), what, "it would hold")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "Dense kernel (1024, 1048576) is too large: it would hold 1,073,741,825 f32 \
             values (4.00 GB); annlab allows at most 1,073,741,824 values (4.00 GB) in one \
             tensor, in a model's parameters and in one batch"
        );
        let err = within_limit(None, what, "it would hold")
            .unwrap_err()
            .to_string();
        assert!(err.contains("more than 2¹²⁸ f32 values"), "{err}");
    }

    #[test]
    fn a_refused_allocation_is_an_error_not_an_abort() {
        // 2⁶⁰ f32 is 4 EiB: more than any system gives, and refused without touching memory
        let err = try_zeros(1 << 60, "a test buffer").unwrap_err().to_string();
        assert!(
            err.starts_with("a test buffer is too large: the system refused"),
            "{err}"
        );
        assert_eq!(try_zeros(3, "three").unwrap(), vec![0.0; 3]);
    }
}
