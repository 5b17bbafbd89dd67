//! Chapter 5, part 2 — optimizer paths on a toy loss.
//!
//! Illustrates 혼자 공부하는 머신러닝+딥러닝 7-2, "옵티마이저" (the book's diagram of SGD,
//! momentum, Nesterov, Adagrad, RMSprop and Adam) by running Keras 3's update rules on
//! an elongated bowl of two weights. The Keras lines it mirrors, one step at a time:
//!
//! ```python
//! w = keras.Variable([-9.0, 2.0])
//! opt = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
//! for _ in range(40):
//!     opt.apply_gradients([(grad_f(w), w)])   # grad_f(w) = (w[0] / 10, 2 * w[1])
//! ```
//!
//! Run: `cargo run --release --bin ch05_optimizer_paths` (writes
//! book/src/figures/ch05_trajectories.svg)

use std::path::Path;

use annlab::descent::trajectory;
use annlab::plot::{
    ellipse, figures_dir, paths_on_levels, NamedPath, PathPanel, PlotError,
};
use annlab::prelude::*;
use annlab::report::ChapterError;

// ANCHOR: toy
/// The toy loss: an elongated bowl f(x, y) = x²/20 + y², 4.5 times longer in x than in
/// y, so its gradient is steep across the valley and shallow along it.
pub fn toy_loss(x: f64, y: f64) -> f64 {
    x * x / 20.0 + y * y
}

/// ∇f = (x/10, 2y).
pub fn toy_gradient(w: &[f32], g: &mut [f32]) {
    g[0] = w[0] / 10.0;
    g[1] = 2.0 * w[1];
}
// ANCHOR_END: toy

/// Start of every toy path.
pub const TOY_START: [f32; 2] = [-9.0, 2.0];
/// Steps of every toy path.
pub const TOY_STEPS: usize = 40;

// ANCHOR: toy_paths
/// The paths drawn on the toy loss, in two panels: the SGD family (plain steps zigzag
/// across the valley, momentum overshoots along it) and the adaptive methods (per-weight
/// step sizes head straight down the valley). Learning rates suit the toy's scale.
pub fn toy_paths() -> [Vec<NamedPath>; 2] {
    let mut sgd_family: Vec<(&'static str, Box<dyn Optimizer>)> = vec![
        ("SGD lr 0.9", Box::new(SGD::new().learning_rate(0.9))),
        (
            "SGD lr 0.1, momentum 0.9",
            Box::new(SGD::new().learning_rate(0.1).momentum(0.9)),
        ),
        (
            "SGD lr 0.1, momentum 0.9, nesterov",
            Box::new(SGD::new().learning_rate(0.1).momentum(0.9).nesterov(true)),
        ),
    ];
    let mut adaptive: Vec<(&'static str, Box<dyn Optimizer>)> = vec![
        (
            "Adagrad lr 1.5",
            Box::new(Adagrad::new().learning_rate(1.5)),
        ),
        (
            "RMSprop lr 0.3",
            Box::new(RMSprop::new().learning_rate(0.3)),
        ),
        ("Adam lr 0.3", Box::new(Adam::new().learning_rate(0.3))),
    ];
    [&mut sgd_family, &mut adaptive].map(|group| {
        group
            .iter_mut()
            .map(|(name, opt)| {
                let path = trajectory(opt.as_mut(), toy_gradient, TOY_START, TOY_STEPS);
                (*name, path)
            })
            .collect()
    })
}
// ANCHOR_END: toy_paths

// ANCHOR: figure
/// Draws the toy loss's level sets f = c, the ellipses (√(20c)·cos t, √c·sin t), and
/// the paths of `toy_paths`, one panel per group.
pub fn write_trajectories(path: &Path) -> Result<(), PlotError> {
    let levels: Vec<Vec<(f64, f64)>> = [0.05f64, 0.25, 0.75, 1.5, 2.5, 4.0, 6.0]
        .iter()
        .map(|&c| ellipse((20.0 * c).sqrt(), c.sqrt(), 120))
        .collect();
    let [sgd_family, adaptive] = toy_paths();
    let panels = [
        PathPanel {
            caption: "SGD: zigzag across the valley, momentum overshoots along it",
            paths: &sgd_family,
            first_colour: 0,
        },
        PathPanel {
            caption: "adaptive step sizes",
            paths: &adaptive,
            first_colour: 3,
        },
    ];
    let title = "40 steps from (−9, 2) on f(x, y) = x²/20 + y²";
    paths_on_levels(path, title, ((-10.0, 3.0), (-2.2, 2.2)), &levels, &panels)
}
// ANCHOR_END: figure

fn main() -> Result<(), ChapterError> {
    println!("== 40 steps from (−9, 2) on f(x, y) = x²/20 + y² ==\n");
    println!(
        "  {:<36} {:>17}  {:>8}",
        "optimizer", "end (x, y)", "f(end)"
    );
    for (name, points) in toy_paths().iter().flatten() {
        let (x, y) = points.last().copied().unwrap_or((f64::NAN, f64::NAN));
        let end = format!("({x:.3}, {y:.3})");
        println!("  {name:<36} {end:>17}  {:>8.5}", toy_loss(x, y));
    }
    let path = figures_dir().join("ch05_trajectories.svg");
    write_trajectories(&path)?;
    println!("\nfigure written to {}", path.display());
    Ok(())
}
