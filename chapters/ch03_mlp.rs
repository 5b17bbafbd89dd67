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

use annlab::datasets::flat;
use annlab::plot::{figures_dir, line_chart};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Figure, Run};

/// The seed of every run in this chapter: same seed, same figures.
const SEED: u64 = 42;

// ANCHOR: hg_7_1
/// HG 7-1: `Dense(10, activation='softmax', input_shape=(784,))`, default RMSprop,
/// `fit(train_scaled, train_target, epochs=5)`, `evaluate(val_scaled, val_target)`.
pub fn hg_7_1(split: &Split, seed: u64, verbose: u8) -> Result<Run, ModelError> {
    let x_train = flat(split.train.x())?; // [48000, 784]
    let x_val = flat(split.val.x())?; //     [12000, 784]
    let mut model = Sequential::new(seed);
    model.add(
        Dense::new(10)
            .activation(Activation::Softmax)
            .input_shape(&[784]),
    );
    let summary = model.summary()?;
    if verbose > 0 {
        println!("{summary}");
    }
    model.compile(
        Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]),
    )?;
    let history = model.fit(&x_train, split.train.y(), Fit::new(5).verbose(verbose))?;
    let evaluation = model.evaluate(&x_val, split.val.y(), verbose)?;
    Ok(Run {
        summary,
        history,
        evaluation,
    })
}
// ANCHOR_END: hg_7_1

// The seeds and the figures of HG 7-1 live in the library, where the exercises
// grade with them too.
pub use annlab::report::{hg_7_1_figures, HG_7_1_SEEDS};

/// What the HOML classifier predicts for the first three test images.
pub struct Prediction {
    /// Class probabilities, one row per image, `[3, 10]`.
    pub probabilities: Array2<f32>,
    /// The arg-max classes; the book prints [9, 2, 1].
    pub classes: Vec<usize>,
    pub names: Vec<&'static str>,
}

// ANCHOR: homl
/// HOML chapter 10: `Flatten(input_shape=[28, 28])`, `Dense(300, relu)`,
/// `Dense(100, relu)`, `Dense(10, softmax)`; `SGD(learning_rate=0.01)`; 30 epochs with
/// `validation_data=(X_valid, y_valid)`; `evaluate(X_test, y_test)`;
/// `predict(X_test[:3])`.
pub fn homl_classifier(
    split: &Split,
    seed: u64,
    verbose: u8,
) -> Result<(Run, Prediction), ModelError> {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(300).activation(Activation::Relu));
    model.add(Dense::new(100).activation(Activation::Relu));
    model.add(Dense::new(10).activation(Activation::Softmax));
    let summary = model.summary()?;
    if verbose > 0 {
        println!("{summary}");
    }
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer(SGD::new().learning_rate(0.01))
            .metrics(&["accuracy"]),
    )?;
    let fit = Fit::new(30)
        .validation_data(split.val.x(), split.val.y())
        .verbose(verbose);
    let history = model.fit(split.train.x(), split.train.y(), fit)?;
    let evaluation = model.evaluate(split.test.x(), split.test.y(), verbose)?;
    let first = split.test.x().len_of(Axis(0)).min(3); // X_test[:3]
    let probabilities = model.predict(&split.test.x().slice(s![..first, .., ..]))?;
    let classes: Vec<usize> = probabilities
        .rows()
        .into_iter()
        .map(|row| annlab::losses::argmax(row.iter().copied()))
        .collect();
    let names = classes.iter().map(|&c| CLASS_NAMES[c]).collect();
    let run = Run {
        summary,
        history,
        evaluation,
    };
    Ok((
        run,
        Prediction {
            probabilities,
            classes,
            names,
        },
    ))
}
// ANCHOR_END: homl

/// The HOML figures beside their documented values and bands.
pub fn homl_figures(run: &Run) -> Vec<Figure> {
    vec![
        Figure::new(
            "HOML ep30 val accuracy",
            run.last("val_accuracy"),
            "0.8894–0.8920 (HOML)",
            (0.880, 0.898),
        ),
        Figure::new(
            "HOML test accuracy",
            run.accuracy(),
            "0.8781–0.8864 (HOML)",
            (0.875, 0.892),
        ),
    ]
}

fn main() -> Result<(), ChapterError> {
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
