//! Chapter 5 — optimizers: the same relu network trained six ways.
//!
//! Reproduces 혼자 공부하는 머신러닝+딥러닝 7-2 (심층 신경망), "옵티마이저". The Keras
//! lines it mirrors:
//!
//! ```python
//! model.compile(optimizer='sgd', loss='sparse_categorical_crossentropy', metrics='accuracy')
//! sgd = keras.optimizers.SGD(learning_rate=0.1)
//! sgd = keras.optimizers.SGD(momentum=0.9, nesterov=True)
//! adagrad = keras.optimizers.Adagrad()
//! rmsprop = keras.optimizers.RMSprop()
//! model = keras.Sequential()
//! model.add(keras.layers.Flatten(input_shape=(28, 28)))
//! model.add(keras.layers.Dense(100, activation='relu'))
//! model.add(keras.layers.Dense(10, activation='softmax'))
//! model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics='accuracy')
//! model.fit(train_scaled, train_target, epochs=5)
//! model.evaluate(val_scaled, val_target)
//! ```
//!
//! Run: `cargo run --release --bin ch05_optimizers`

use std::process::ExitCode;

use annlab::datasets::fashion_mnist;
use annlab::datasets::split::hg_split;
use annlab::experiments::ch05_optimizers::{
    figures, results_table, train, write_loss_curves, write_trajectories, LABELS,
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

    // ANCHOR: runs
    let mut runs = Vec::new();
    for label in LABELS {
        println!("== {label} ==");
        let run = train(label, &split, SEED, 1)?;
        println!(
            "evaluate → loss {:.4}, accuracy {:.4}\n",
            run.val_loss(),
            run.val_accuracy()
        );
        runs.push(run);
    }
    println!("{}", results_table(&runs));
    // ANCHOR_END: runs

    let dir = figures_dir();
    write_loss_curves(&runs, &dir.join("ch05_loss_curves.svg"))?;
    write_trajectories(&dir.join("ch05_trajectories.svg"))?;
    println!("figures written to {}/ch05_*.svg\n", dir.display());

    println!("{}", report::table(&figures(&runs)));
    Ok(())
}
