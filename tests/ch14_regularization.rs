//! Grades chapter 14 (the lecture notes' toolbox against overfitting) against the
//! toolbox table of `book/src/reference.md`, through the very functions of
//! `chapters/ch14_regularization.rs` that the chapter binary prints.
//! Run alone with `cargo test --release --test ch14_regularization`.
//!
//! Training: seven 10-epoch runs (five on 48,000 images, two on 4,800), side by side on
//! two threads; each run owns its model and is single-threaded, so its figures are
//! those of a run alone.

#[path = "../chapters/ch14_regularization.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::prelude::*;
use annlab::report;
use chapter::{
    build, figures, first, results_table, reuse_hidden_layer, run, write_gap_figure,
    Remedy, RemedyRun, SEED, SMALL,
};

fn split() -> Split {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    hg_split(&data)
}

/// All seven runs, in `Remedy::ALL` order, on two threads.
fn run_all_on_two_threads(split: &Split) -> Vec<RemedyRun> {
    let small = first(split, SMALL).expect("the first 4,800 images");
    // Models are not `Send`: each thread keeps its own and hands back the figures.
    let one = |remedy: Remedy, plain: Option<&Sequential>| {
        run(remedy, split, &small, plain, SEED, 0)
            .unwrap_or_else(|e| panic!("{remedy:?}: {e}"))
    };
    let (mut a, mut b) = std::thread::scope(|s| {
        let a = s.spawn(|| {
            let (plain, model) = one(Remedy::Plain, None);
            let (reuse, _) = one(Remedy::Reuse, Some(&model));
            vec![plain, one(Remedy::LessData, None).0, reuse]
        });
        let b = s.spawn(|| {
            [Remedy::L2, Remedy::L1, Remedy::BatchNorm, Remedy::Augment]
                .map(|r| one(r, None).0)
                .into_iter()
                .collect::<Vec<_>>()
        });
        (a.join().expect("thread a"), b.join().expect("thread b"))
    });
    a.append(&mut b);
    Remedy::ALL
        .map(|r| {
            let i = a.iter().position(|run| run.remedy == r).expect("every run");
            a.swap_remove(i)
        })
        .into_iter()
        .collect()
}

#[test]
fn every_remedy_is_in_band_and_narrows_the_gap_that_the_plain_run_opens() {
    let split = split();
    let runs = run_all_on_two_threads(&split);
    println!("{}", results_table(&runs));

    let figures = figures(&runs);
    assert_eq!(figures.len(), 6);
    let misses = report::misses(&figures);
    assert!(misses.is_empty(), "{}", misses.join("\n"));

    let by = |r: Remedy| runs.iter().find(|run| run.remedy == r).expect("run");
    let plain = by(Remedy::Plain).gap();
    // The regularized and augmented runs do better on the validation set relative to
    // the training set than the plain run: their gap is smaller.
    for remedy in [Remedy::L2, Remedy::L1, Remedy::Augment] {
        let gap = by(remedy).gap();
        assert!(gap < plain, "{remedy:?}: gap {gap:.4} vs plain {plain:.4}");
    }
    // Less data overfits more: the 4,800-image run's gap is wider than the full run's.
    assert!(by(Remedy::LessData).gap() > plain);
    // A hidden layer trained on more data, frozen, beats training everything on 4,800.
    assert!(by(Remedy::Reuse).val_accuracy() > by(Remedy::LessData).val_accuracy());
    assert!(by(Remedy::Reuse).gap() < by(Remedy::LessData).gap());

    let dir = std::env::temp_dir().join(format!("annlab-ch14-{}", std::process::id()));
    let path = dir.join("ch14_gap.svg");
    write_gap_figure(&runs, &path).expect("gap figure");
    let svg = std::fs::read_to_string(&path).expect("figure exists");
    assert!(svg.starts_with("<svg") && svg.contains("batch normalization"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_batch_normalization_model_has_kerass_parameter_counts() {
    let mut model = build(Remedy::BatchNorm, SEED);
    let summary = model.summary().expect("summary");
    // 78,500 + 400 (gamma, beta, moving mean, moving variance) + 1,010
    assert!(summary.contains("Total params: 79,910"), "{summary}");
    assert!(summary.contains("Trainable params: 79,710"), "{summary}");
    assert!(summary.contains("Non-trainable params: 200"), "{summary}");
    assert_eq!(model.param_count(), 79_710);
}

#[test]
fn the_reused_layer_is_frozen_and_holds_the_trained_weights() {
    let mut trained = build(Remedy::Plain, 7);
    trained.build().expect("build");
    let mut reused = reuse_hidden_layer(&trained, SEED).expect("reuse");
    assert_eq!(
        reused.get_weight("dense/kernel").expect("kernel"),
        trained.get_weight("dense/kernel").expect("kernel")
    );
    // Only the output layer trains: 1,010 of 79,510.
    assert_eq!(reused.param_count(), 1_010);
    let summary = reused.summary().expect("summary");
    assert!(
        summary.contains("Non-trainable params: 78,500"),
        "{summary}"
    );
}
