//! An optimizer's path over a function of two weights: where each step takes them.
//! Chapter 5 draws these paths on a toy loss to show how the optimizers differ.

use crate::layers::Param;
use crate::prelude::Optimizer;

// ANCHOR: trajectory
/// Where `opt` takes w = (w₀, w₁) from `start` in `steps` steps, each from the exact
/// gradient that `gradient(w, g)` writes into g. The path has `steps + 1` points,
/// starting with `start`.
pub fn trajectory(
    opt: &mut dyn Optimizer,
    gradient: impl Fn(&[f32], &mut [f32]),
    start: [f32; 2],
    steps: usize,
) -> Vec<(f64, f64)> {
    let (mut w, mut g) = (start, [0.0f32; 2]);
    let mut path = vec![(f64::from(w[0]), f64::from(w[1]))];
    for _ in 0..steps {
        gradient(&w, &mut g);
        opt.step(&mut [Param {
            name: "w",
            path: "w",
            value: &mut w,
            grad: &mut g,
        }]);
        path.push((f64::from(w[0]), f64::from(w[1])));
    }
    path
}
// ANCHOR_END: trajectory

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::SGD;

    #[test]
    fn sgd_on_a_round_bowl_halves_the_weights_each_step() {
        // f = w₀² + w₁², ∇f = 2w; lr 0.25 gives w ← w − 0.5·w = w/2.
        let mut sgd = SGD::new().learning_rate(0.25);
        let grad = |w: &[f32], g: &mut [f32]| {
            g[0] = 2.0 * w[0];
            g[1] = 2.0 * w[1];
        };
        let path = trajectory(&mut sgd, grad, [4.0, -2.0], 2);
        assert_eq!(path, [(4.0, -2.0), (2.0, -1.0), (1.0, -0.5)]);
    }
}
