//! Grades chapter 5, part 2 (optimizer paths on the toy loss x²/20 + y²), through the
//! very functions of `chapters/ch05_optimizer_paths.rs` that the chapter binary draws.
//! Run alone with `cargo test --release --test ch05_optimizer_paths`.

#[path = "../chapters/ch05_optimizer_paths.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::plot::NamedPath;
use chapter::{toy_paths, write_trajectories};

fn path<'a>(paths: &'a [Vec<NamedPath>; 2], name: &str) -> &'a [(f64, f64)] {
    &paths
        .iter()
        .flatten()
        .find(|(n, _)| *n == name)
        .expect("path")
        .1
}

#[test]
fn plain_sgd_zigzags_and_momentum_overshoots() {
    // SGD lr 0.9: y ← (1 − 1.8)·y = −0.8·y flips sign every step (zigzag), while
    // x ← (1 − 0.09)·x creeps towards 0 and never passes it. Momentum 0.9 with lr 0.1
    // carries x past the minimum at x = 0 (to about 1.4).
    let paths = toy_paths();
    let sgd = path(&paths, "SGD lr 0.9");
    assert!(
        sgd.windows(2).take(10).all(|w| w[0].1 * w[1].1 < 0.0),
        "y flips sign"
    );
    assert!(
        sgd.iter().all(|&(x, _)| x < 0.0),
        "plain SGD stays left of x = 0"
    );
    let max_x = path(&paths, "SGD lr 0.1, momentum 0.9")
        .iter()
        .map(|p| p.0)
        .fold(f64::MIN, f64::max);
    assert!(max_x > 1.0, "momentum overshoots x = 0: max x = {max_x}");
}

#[test]
fn adaptive_methods_take_even_steps_in_both_directions() {
    // Adam's first step is lr·sign(g) in each coordinate: from (−9, 2) with g =
    // (−0.9, 4) it moves to (−8.7, 1.7), equal steps in x and y although the
    // gradients differ 4.4 times.
    let paths = toy_paths();
    let (x, y) = path(&paths, "Adam lr 0.3")[1];
    assert!(
        (x + 8.7).abs() < 1e-4 && (y - 1.7).abs() < 1e-4,
        "({x}, {y})"
    );
}

#[test]
fn the_trajectory_figure_is_written_as_svg() {
    let dir =
        std::env::temp_dir().join(format!("annlab-ch05-paths-{}", std::process::id()));
    write_trajectories(&dir.join("ch05_trajectories.svg")).expect("trajectory figure");
    let svg = std::fs::read_to_string(dir.join("ch05_trajectories.svg")).expect("exists");
    assert!(svg.starts_with("<svg") && svg.contains("Adam"));
    std::fs::remove_dir_all(&dir).ok();
}
