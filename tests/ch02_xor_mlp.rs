//! Grading for chapter 2, part 2: the perceptron failing on XOR and an MLP solving it,
//! through the very functions of `chapters/ch02_xor_mlp.rs` that the chapter binary
//! prints.

#[path = "../chapters/ch02_xor_mlp.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::datasets::XOR_TARGETS;
use chapter::{self as ch02, XOR_MLP_EPOCHS, XOR_MLP_SEED};

#[test]
fn perceptron_never_reaches_zero_errors_on_xor() {
    let report = ch02::xor_perceptron(100, 42).expect("runs");
    assert_eq!(report.epochs.len(), 100);
    assert!(report
        .epochs
        .iter()
        .all(|e| e.errors >= 1 && e.updates >= 1));
}

#[test]
fn perceptron_on_xor_fails_for_every_seed() {
    for seed in 0..20 {
        let report = ch02::xor_perceptron(50, seed).expect("runs");
        let best = report.epochs.iter().map(|e| e.errors).min();
        assert!(best >= Some(1), "seed {seed}");
        assert!(report.default_accuracy < 1.0, "seed {seed}");
    }
}

#[test]
fn perceptron_with_default_tol_gives_up_on_xor_at_half_accuracy() {
    // scikit-learn 1.9.1, Perceptron(random_state=42) on XOR: n_iter_ 6, score 0.5.
    let report = ch02::xor_perceptron(20, 42).expect("runs");
    assert_eq!(report.default_n_iter, 6);
    assert_eq!(report.default_accuracy, 0.5);
}

#[test]
fn mlp_solves_xor_four_of_four_with_the_chapter_seed() {
    let report = ch02::xor_mlp(XOR_MLP_SEED, XOR_MLP_EPOCHS).expect("MLP trains");
    assert_eq!(report.predictions, [0, 1, 1, 0]);
    assert_eq!(report.correct, 4);
    for (p, t) in report.probabilities.iter().zip(XOR_TARGETS) {
        assert!((p - t as f32).abs() < 0.1, "P = {p} for target {t}");
    }
    assert_eq!(report.loss.len(), XOR_MLP_EPOCHS);
    assert!(report.loss[XOR_MLP_EPOCHS - 1] < 0.05 && report.loss[0] > 0.5);
}

#[test]
fn mlp_solves_xor_for_other_seeds_too() {
    for seed in 0..10 {
        let report = ch02::xor_mlp(seed, XOR_MLP_EPOCHS).expect("MLP trains");
        assert_eq!(report.correct, 4, "seed {seed}: {:?}", report.probabilities);
    }
}

#[test]
fn chapter_figures_are_written_as_svg() {
    // a directory that does not exist yet: the plots create it
    let root =
        std::env::temp_dir().join(format!("annlab-ch02-xor-{}", std::process::id()));
    let dir = root.join("figures");
    let xor = ch02::xor_perceptron(10, 42).expect("runs");
    let mlp = ch02::xor_mlp(XOR_MLP_SEED, 50).expect("trains");
    ch02::plot_xor_perceptron(&xor, &dir.join("xor.svg")).expect("xor");
    ch02::plot_xor_regions(&mlp, &dir.join("regions.svg")).expect("regions");
    for name in ["xor.svg", "regions.svg"] {
        let svg = std::fs::read_to_string(dir.join(name)).expect("written");
        assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{name}")
    }
    std::fs::remove_dir_all(&root).ok();
}
