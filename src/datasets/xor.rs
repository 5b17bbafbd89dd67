//! XOR's four points: the smallest data set no single linear unit can classify.

use ndarray::{array, Array2};

// ANCHOR: xor
/// The four XOR inputs, `[4, 2]`, in counting order: 00, 01, 10, 11.
pub fn xor_inputs() -> Array2<f64> {
    array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
}

/// XOR of `xor_inputs()`: 1 where exactly one input is 1.
pub const XOR_TARGETS: [usize; 4] = [0, 1, 1, 0];
// ANCHOR_END: xor

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_target_is_one_exactly_when_the_inputs_differ() {
        for (x, t) in xor_inputs().outer_iter().zip(XOR_TARGETS) {
            assert_eq!(usize::from(x[0] != x[1]), t);
        }
    }
}
