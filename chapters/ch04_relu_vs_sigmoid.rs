//! Chapter 4 — a hidden layer: sigmoid vs relu.
//!
//! Reproduces 혼자 공부하는 머신러닝+딥러닝 7-2 (심층 신경망). The Keras lines it mirrors:
//!
//! ```python
//! dense1 = keras.layers.Dense(100, activation='sigmoid', input_shape=(784,))
//! dense2 = keras.layers.Dense(10, activation='softmax')
//! model = keras.Sequential([dense1, dense2])
//! model.summary()
//! model.compile(loss='sparse_categorical_crossentropy', metrics='accuracy')
//! model.fit(train_scaled, train_target, epochs=5)
//!
//! model = keras.Sequential()
//! model.add(keras.layers.Flatten(input_shape=(28, 28)))
//! model.add(keras.layers.Dense(100, activation='relu'))
//! model.add(keras.layers.Dense(10, activation='softmax'))
//! model.compile(loss='sparse_categorical_crossentropy', metrics='accuracy')
//! model.fit(train_scaled, train_target, epochs=5)
//! model.evaluate(val_scaled, val_target)
//! ```
//!
//! Run: `cargo run --release --bin ch04_relu_vs_sigmoid`

use std::process::ExitCode;

use annlab::datasets::fashion_mnist;
use annlab::datasets::split::hg_split;
use annlab::experiments::ch04_relu_vs_sigmoid::{
    relu_figures, relu_model, sigmoid_figures, sigmoid_model, train, write_figures,
};
use annlab::experiments::report;
use annlab::plot::figures_dir;

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
    let data = fashion_mnist::load()?;
    let split = hg_split(&data); // 48,000 train / 12,000 validation

    println!("== HG 7-2: Dense(100, sigmoid) → Dense(10, softmax) ==\n");
    let sigmoid = train(sigmoid_model(SEED), &split, 1)?;
    println!(
        "evaluate → loss {:.4}, accuracy {:.4}\n",
        sigmoid.evaluation.loss,
        sigmoid.accuracy()
    );

    println!("== HG 7-2: Flatten → Dense(100, relu) → Dense(10, softmax) ==\n");
    let relu = train(relu_model(SEED), &split, 1)?;
    println!(
        "evaluate → loss {:.4}, accuracy {:.4}\n",
        relu.evaluation.loss,
        relu.accuracy()
    );

    // ANCHOR: compare
    println!("epoch  sigmoid loss  sigmoid acc  relu loss  relu acc");
    for epoch in 0..sigmoid.history.epochs() {
        let get = |run: &annlab::experiments::ch03_mlp::Run, key: &str| {
            run.history.get(key).map_or(f64::NAN, |v| v[epoch])
        };
        println!(
            "{:>5}  {:>12.4}  {:>11.4}  {:>9.4}  {:>8.4}",
            epoch + 1,
            get(&sigmoid, "loss"),
            get(&sigmoid, "accuracy"),
            get(&relu, "loss"),
            get(&relu, "accuracy")
        );
    }
    // ANCHOR_END: compare

    let dir = figures_dir();
    write_figures(&sigmoid, &relu, &dir)?;
    println!("\nfigures written to {}/ch04_*.svg", dir.display());

    let mut figures = sigmoid_figures(&sigmoid);
    figures.extend(relu_figures(&relu));
    println!("\n{}", report::table(&figures));
    println!(
        "seconds per epoch: sigmoid {:.2}, relu {:.2}",
        sigmoid.history.mean_seconds(),
        relu.history.mean_seconds()
    );
    Ok(())
}
