//! Grades chapter 3 (HG 7-1 and the HOML classifier) against the bands of
//! `book/src/reference.md`, through the very functions of `chapters/ch03_mlp.rs` that
//! the chapter binary prints. Run alone with `cargo test --release --test ch03_mlp`.

#[path = "../chapters/ch03_mlp.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::prelude::*;
use annlab::report::Figure;
use chapter::{hg_7_1, hg_7_1_figures, homl_classifier, homl_figures, HG_7_1_SEEDS};

const SEED: u64 = 42;

fn assert_in_bands(figures: &[Figure]) {
    for f in figures {
        assert!(
            f.in_band(),
            "{} = {:.4} is outside {:?} (documented {})",
            f.name,
            f.value,
            f.band,
            f.documented
        );
    }
}

#[test]
fn hg_7_1_figures_are_inside_the_reference_bands_and_reproducible() {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    let split = hg_split(&data);
    let runs: Vec<_> = HG_7_1_SEEDS
        .iter()
        .map(|&seed| hg_7_1(&split, seed, 0).expect("HG 7-1 trains"))
        .collect();
    assert!(
        runs[0].summary.contains("Total params: 7,850 (30.66 KB)"),
        "{}",
        runs[0].summary
    );
    assert!(runs.iter().all(|r| r.history.epochs() == 5));
    assert_in_bands(&hg_7_1_figures(&runs));

    // Same seed, same figures, to the last bit.
    let again = hg_7_1(&split, HG_7_1_SEEDS[0], 0).expect("HG 7-1 trains");
    assert_eq!(runs[0].history, again.history);
    assert_eq!(runs[0].evaluation, again.evaluation);
    // A different seed gives different figures (the seed really is used).
    assert_ne!(runs[0].history, runs[1].history);
}

#[test]
fn homl_classifier_is_inside_the_bands_and_predicts_9_2_1() {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    let split = homl_split(&data);
    assert_eq!(
        (
            split.train.y().len(),
            split.val.y().len(),
            split.test.y().len()
        ),
        (55_000, 5_000, 10_000)
    );
    let (run, prediction) =
        homl_classifier(&split, SEED, 0).expect("HOML classifier trains");
    assert!(
        run.summary.contains("Total params: 266,610"),
        "{}",
        run.summary
    );
    assert_eq!(run.history.epochs(), 30);
    assert_in_bands(&homl_figures(&run));
    assert_eq!(prediction.classes, vec![9, 2, 1]);
    assert_eq!(prediction.names, vec!["Ankle boot", "Pullover", "Trouser"]);
    for row in prediction.probabilities.rows() {
        approx::assert_abs_diff_eq!(row.sum(), 1.0, epsilon = 1e-5);
    }
}

/// A Flatten(28×28) model with Dense layers of the given units, built.
fn flatten_then_dense(units: &[usize]) -> Sequential {
    let mut model = Sequential::new(0);
    model.add(Flatten::new().input_shape(&[28, 28]));
    for &u in units {
        model.add(Dense::new(u));
    }
    model.build().expect("valid model");
    model
}

/// One Dense layer of `units` on `n_inputs` inputs, built.
fn single_dense(n_inputs: usize, units: usize) -> Sequential {
    let mut model = Sequential::new(0);
    model.add(Dense::new(units).input_shape(&[n_inputs]));
    model.build().expect("valid model");
    model
}

#[test]
fn parameter_counts_match_the_books() {
    // 784·10 + 10
    assert_eq!(single_dense(784, 10).param_count(), 7_850);
    // 784·100 + 100 + 100·10 + 10
    assert_eq!(flatten_then_dense(&[100, 10]).param_count(), 79_510);
    // 784·300 + 300 + 300·100 + 100 + 100·10 + 10
    assert_eq!(flatten_then_dense(&[300, 100, 10]).param_count(), 266_610);
    // 100 inputs × 10 units + 10 biases
    assert_eq!(single_dense(100, 10).param_count(), 1_010);
}
