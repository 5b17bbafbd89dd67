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

use std::path::Path;

use annlab::datasets::flat;
use annlab::plot::{figures_dir, line_chart, xy_panels, PlotError, XyChart};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Run};

/// The seed of every run in this chapter: same seed, same figures.
const SEED: u64 = 42;

// ANCHOR: sigmoid_model
/// HG 7-2, first model:
/// `Dense(100, activation='sigmoid', input_shape=(784,))`, `Dense(10,
/// activation='softmax')`.
pub fn sigmoid_model(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(
        Dense::new(100)
            .activation(Activation::Sigmoid)
            .input_shape(&[784]),
    );
    model.add(Dense::new(10).activation(Activation::Softmax));
    model
}
// ANCHOR_END: sigmoid_model

// ANCHOR: relu_model
/// HG 7-2, second model: `Flatten(input_shape=(28, 28))`, `Dense(100,
/// activation='relu')`,
/// `Dense(10, activation='softmax')`.
pub fn relu_model(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(100).activation(Activation::Relu));
    model.add(Dense::new(10).activation(Activation::Softmax));
    model
}
// ANCHOR_END: relu_model

// ANCHOR: train
/// `compile(loss='sparse_categorical_crossentropy', metrics=['accuracy'])` (RMSprop),
/// `fit(..., epochs=5)`, `evaluate(val_scaled, val_target)`. The sigmoid model takes the
/// images flattened to 784 values; the relu model flattens them itself.
pub fn train(
    mut model: Sequential,
    split: &Split,
    verbose: u8,
) -> Result<Run, ModelError> {
    let summary = model.summary()?;
    if verbose > 0 {
        println!("{summary}");
    }
    model.compile(
        Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]),
    )?;
    let (history, evaluation) = if model.input_shape() == Some(&[784][..]) {
        let h = model.fit(
            &flat(split.train.x())?,
            split.train.y(),
            Fit::new(5).verbose(verbose),
        )?;
        (
            h,
            model.evaluate(&flat(split.val.x())?, split.val.y(), verbose)?,
        )
    } else {
        let h = model.fit(
            split.train.x(),
            split.train.y(),
            Fit::new(5).verbose(verbose),
        )?;
        (h, model.evaluate(split.val.x(), split.val.y(), verbose)?)
    };
    Ok(Run {
        summary,
        history,
        evaluation,
    })
}
// ANCHOR_END: train

// The two models' figures live in the library, where the exercises grade with them
// too.
pub use annlab::report::{relu_figures, sigmoid_figures};

/// Writes the chapter's figures into `dir`: the two activation functions, and the two
/// models' per-epoch loss and accuracy.
pub fn write_figures(sigmoid: &Run, relu: &Run, dir: &Path) -> Result<(), PlotError> {
    let curve = |a: Activation| -> Vec<(f64, f64)> {
        (-60..=60)
            .map(|i| {
                let z = i as f32 / 10.0;
                (f64::from(z), f64::from(a.scalar(z)))
            })
            .collect()
    };
    let (sig, relu_curve) = (curve(Activation::Sigmoid), curve(Activation::Relu));
    // side by side, each on its own axis: relu's 0–6 would squash the sigmoid's 0–1
    let panel = |title, series| XyChart {
        title,
        x_label: "z",
        y_label: "f(z)",
        series,
        y_range: None,
    };
    xy_panels(
        &dir.join("ch04_activations.svg"),
        &[
            panel("sigmoid", &[("sigmoid", &sig)]),
            panel("relu", &[("relu", &relu_curve)]),
        ],
    )?;
    for (key, label) in [("loss", "loss"), ("accuracy", "accuracy")] {
        let s = sigmoid.history.get(key).unwrap_or(&[]);
        let r = relu.history.get(key).unwrap_or(&[]);
        line_chart(
            &dir.join(format!("ch04_{key}.svg")),
            &format!("training {label} per epoch"),
            "epoch",
            label,
            &[("sigmoid 100", s), ("relu 100", r)],
        )?;
    }
    Ok(())
}

fn main() -> Result<(), ChapterError> {
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
        let get =
            |run: &Run, key: &str| run.history.get(key).map_or(f64::NAN, |v| v[epoch]);
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
