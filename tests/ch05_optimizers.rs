//! Grades chapter 5 (HG 7-2, the optimizer family) against the "Optimizer family" table
//! of `book/src/reference.md`, through the very functions of
//! `chapters/ch05_optimizers.rs` that the chapter binary prints. Run alone with
//! `cargo test --release --test ch05_optimizers`.

#[path = "../chapters/ch05_optimizers.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::prelude::{fashion_mnist, hg_split};
use chapter::{
    compile_for, figures, reference, results_table, train_all, write_loss_curves, LABELS,
};

#[test]
fn every_label_has_a_compile_spec_and_reference_bands() {
    for label in LABELS {
        assert!(compile_for(label).is_ok(), "{label}");
        assert!(reference(label).is_some(), "{label}");
    }
    assert!(compile_for("adamw").is_err());
}

const SEED: u64 = 42;

#[test]
fn every_optimizer_of_hg_7_2_is_inside_its_reference_band() {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    let split = hg_split(&data);
    let runs = train_all(&split, SEED, 0).expect("all six runs train");
    println!("{}", results_table(&runs));

    let figures = figures(&runs);
    assert_eq!(figures.len(), 2 * LABELS.len());
    let misses: Vec<String> = figures
        .iter()
        .filter(|f| !f.in_band())
        .map(|f| {
            format!(
                "{} = {:.4} outside {:?} ({})",
                f.name, f.value, f.band, f.documented
            )
        })
        .collect();
    assert!(misses.is_empty(), "{}", misses.join("\n"));

    // Each run trained 5 epochs and its loss fell every epoch.
    for run in &runs {
        let loss = run.history.get("loss").expect("loss recorded");
        assert_eq!(loss.len(), 5, "{}", run.label);
        assert!(
            loss.windows(2).all(|w| w[1] < w[0]),
            "{}: {loss:?}",
            run.label
        );
    }

    let dir = std::env::temp_dir().join(format!("annlab-ch05-{}", std::process::id()));
    write_loss_curves(&runs, &dir.join("ch05_loss_curves.svg")).expect("loss figure");
    let svg =
        std::fs::read_to_string(dir.join("ch05_loss_curves.svg")).expect("figure exists");
    assert!(svg.starts_with("<svg") && svg.contains("adagrad"));
    std::fs::remove_dir_all(&dir).ok();
}
