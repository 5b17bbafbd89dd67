//! Chapter 3 — the multilayer perceptron on Fashion-MNIST.
//!
//! Reproduces 혼자 공부하는 머신러닝+딥러닝 7-1 and Hands-On ML chapter 10 ("Building an
//! Image Classifier Using the Sequential API"). The Keras lines they mirror:
//!
//! ```python
//! # HG 7-1
//! dense = keras.layers.Dense(10, activation='softmax', input_shape=(784,))
//! model = keras.Sequential(dense)
//! model.compile(loss='sparse_categorical_crossentropy', metrics='accuracy')
//! model.fit(train_scaled, train_target, epochs=5)
//! model.evaluate(val_scaled, val_target)
//! # HOML 10
//! model = keras.models.Sequential([
//!     keras.layers.Flatten(input_shape=[28, 28]),
//!     keras.layers.Dense(300, activation="relu"),
//!     keras.layers.Dense(100, activation="relu"),
//!     keras.layers.Dense(10, activation="softmax")])
//! model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
//! history = model.fit(X_train, y_train, epochs=30, validation_data=(X_valid, y_valid))
//! model.evaluate(X_test, y_test)
//! y_proba = model.predict(X_test[:3])
//! ```
//!
//! Run: `cargo run --release --bin ch03_mlp`

use std::process::ExitCode;

use annlab::datasets::fashion_mnist;
use annlab::datasets::split::{hg_split, homl_split};
use annlab::experiments::ch03_mlp::{
    hg_7_1, hg_7_1_figures, homl_classifier, homl_figures, HG_7_1_SEEDS,
};
use annlab::experiments::report;
use annlab::plot::{figures_dir, line_chart};

/// The seed of every run in this chapter: same seed, same figures.
const SEED: u64 = 42;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: data
    let data = fashion_mnist::load()?; // 60,000 + 10,000 images, 28×28
    let hg = hg_split(&data); // train_test_split(test_size=0.2, random_state=42)

    // ANCHOR_END: data

    println!("== HG 7-1: one Dense(10, softmax) layer, RMSprop, 5 epochs ==\n");
    // ANCHOR: seeds
    // The first run is shown in full; four more seeds show how much the figures vary.
    let mut hg_runs = Vec::new();
    for (i, &seed) in HG_7_1_SEEDS.iter().enumerate() {
        let verbose = if i == 0 { 1 } else { 0 };
        hg_runs.push(hg_7_1(&hg, seed, verbose)?);
    }
    println!("\nseed  ep5 accuracy  val accuracy  val loss");
    for (seed, run) in HG_7_1_SEEDS.iter().zip(&hg_runs) {
        println!(
            "{seed:>4}  {:>12.4}  {:>12.4}  {:>8.4}",
            run.last("accuracy"),
            run.accuracy(),
            run.evaluation.loss
        );
    }
    println!();
    // ANCHOR_END: seeds

    println!("== HOML 10: 300 relu → 100 relu → 10 softmax, SGD(0.01), 30 epochs ==\n");
    let homl = homl_split(&data); // X_valid = first 5,000 training images
    let (homl_run, prediction) = homl_classifier(&homl, SEED, 1)?;
    println!(
        "evaluate on test → loss {:.4}, accuracy {:.4}\n",
        homl_run.evaluation.loss,
        homl_run.accuracy()
    );
    println!("predict(X_test[:3]):");
    for (i, row) in prediction.probabilities.rows().into_iter().enumerate() {
        let probs: Vec<String> = row.iter().map(|p| format!("{p:.2}")).collect();
        println!(
            "  image {i}: [{}] → class {} ({})",
            probs.join(", "),
            prediction.classes[i],
            prediction.names[i]
        );
    }

    let history = &homl_run.history;
    let series: Vec<(&str, &[f64])> = ["loss", "accuracy", "val_loss", "val_accuracy"]
        .iter()
        .filter_map(|k| history.get(k).map(|v| (*k, v)))
        .collect();
    let path = figures_dir().join("ch03_homl_history.svg");
    line_chart(
        &path,
        "HOML classifier: learning curves",
        "epoch",
        "value",
        &series,
    )?;
    println!("\nlearning curves written to {}", path.display());

    let mut figures = hg_7_1_figures(&hg_runs);
    figures.extend(homl_figures(&homl_run));
    println!("\n{}", report::table(&figures));
    println!(
        "predicted classes {:?} (book: [9, 2, 1])",
        prediction.classes
    );
    println!(
        "seconds per epoch: HG 7-1 {:.2}, HOML {:.2}",
        hg_runs[0].history.mean_seconds(),
        homl_run.history.mean_seconds()
    );
    Ok(())
}
