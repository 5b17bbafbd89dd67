//! Chapter 9 — a regression MLP on California housing.
//!
//! Reproduces Hands-On ML chapter 10, "Building a Regression MLP Using the Sequential
//! API". The Keras lines it mirrors:
//!
//! ```python
//! housing = fetch_california_housing()
//! X_train_full, X_test, y_train_full, y_test = train_test_split(
//!     housing.data, housing.target, random_state=42)
//! X_train, X_valid, y_train, y_valid = train_test_split(
//!     X_train_full, y_train_full, random_state=42)
//! scaler = StandardScaler()
//! X_train = scaler.fit_transform(X_train)
//! X_valid = scaler.transform(X_valid)
//! X_test = scaler.transform(X_test)
//!
//! model = keras.models.Sequential([
//!     keras.layers.Dense(30, activation="relu", input_shape=X_train.shape[1:]),
//!     keras.layers.Dense(1)
//! ])
//! model.compile(loss="mean_squared_error", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
//! history = model.fit(X_train, y_train, epochs=20, validation_data=(X_valid, y_valid))
//! mse_test = model.evaluate(X_test, y_test)
//! X_new = X_test[:3]
//! y_pred = model.predict(X_new)
//! pd.DataFrame(history.history).plot(); plt.gca().set_ylim(0, 1)
//! ```
//!
//! Run: `cargo run --release --bin ch09_regression`

use std::path::Path;

use annlab::datasets::california::{fetch_california_housing, homl_sets, HousingSets};
use annlab::plot::{figures_dir, line_chart, PlotError};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Figure, Run};

/// The seed of the chapter's run: same seed, same figures.
pub const SEED: u64 = 42;

/// What the model predicts for the first three test districts, beside their targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// `model.predict(X_test[:3])`, in 100,000 USD.
    pub y_pred: Vec<f32>,
    /// `y_test[:3]`: 0.477, 0.458, 5.00001.
    pub y_true: Vec<f32>,
}

// ANCHOR: model
/// `Sequential([Dense(30, activation="relu", input_shape=[8]), Dense(1)])`: 8·30 + 30 =
/// 270 and 30·1 + 1 = 31 parameters. The output is linear: a regression predicts any
/// real number.
pub fn regression_mlp(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(
        Dense::new(30)
            .activation(Activation::Relu)
            .input_shape(&[8]),
    );
    model.add(Dense::new(1));
    model
}
// ANCHOR_END: model

// ANCHOR: train
/// `compile(loss="mean_squared_error", optimizer=SGD(learning_rate=1e-3))`,
/// `fit(X_train, y_train, epochs=epochs, validation_data=(X_valid, y_valid))`,
/// `evaluate(X_test, y_test)` and `predict(X_test[:3])`.
pub fn train(
    sets: &HousingSets,
    epochs: usize,
    seed: u64,
    verbose: u8,
) -> Result<(Run, Prediction), ModelError> {
    let mut model = regression_mlp(seed);
    let summary = model.summary()?;
    model.compile(Compile::new("mse").optimizer(SGD::new().learning_rate(1e-3)))?;
    let (train, valid, test) = (&sets.train, &sets.valid, &sets.test);
    let fit = Fit::new(epochs)
        .validation_data(&valid.x, &valid.y)
        .verbose(verbose);
    let history = model.fit(&train.x, &train.y, fit)?;
    let evaluation = model.evaluate(&test.x, &test.y, verbose)?; // mse_test
    let first = test.x.nrows().min(3); // X_new = X_test[:3]
    let y_pred = model.predict(&test.x.slice(s![..first, ..]))?; // [3, 1]
    let prediction = Prediction {
        y_pred: y_pred.iter().copied().collect(),
        y_true: test.y.slice(s![..first, 0]).to_vec(),
    };
    let run = Run {
        summary,
        history,
        evaluation,
    };
    Ok((run, prediction))
}
// ANCHOR_END: train

/// The graded figure: the test MSE beside HOML's and Keras 3's.
pub fn figures(run: &Run) -> Vec<Figure> {
    vec![Figure::new(
        "HOML regression MLP test MSE",
        run.evaluation.loss,
        "0.4212 (HOML), 0.4261 (K3)",
        (0.38, 0.47),
    )]
}

/// `ch09_learning_curves.svg`: loss and val_loss per epoch, as HOML's
/// `pd.DataFrame(history.history).plot()`.
pub fn write_learning_curves(history: &History, dir: &Path) -> Result<(), PlotError> {
    let get = |key| history.get(key).unwrap_or(&[]);
    line_chart(
        &dir.join("ch09_learning_curves.svg"),
        "regression MLP: learning curves",
        "epoch",
        "mean squared error",
        &[("loss", get("loss")), ("val_loss", get("val_loss"))],
    )
}

fn main() -> Result<(), ChapterError> {
    // ANCHOR: data
    let housing = fetch_california_housing()?; // data [20640, 8], target [20640]
    let sets = homl_sets(&housing)?; // 11,610 / 3,870 / 5,160 rows, scaled on train

    // ANCHOR_END: data
    let [n_train, n_valid, n_test] =
        [&sets.train, &sets.valid, &sets.test].map(|s| s.x.nrows());
    println!("train {n_train}, valid {n_valid}, test {n_test} rows\n");

    let (run, prediction) = train(&sets, 20, SEED, 1)?;
    println!("\n{}", run.summary);
    println!("evaluate on test → mse {:.4}\n", run.evaluation.loss);
    println!("predict(X_test[:3])   y_test[:3]   (100,000 USD)");
    for (p, t) in prediction.y_pred.iter().zip(&prediction.y_true) {
        println!("{p:>17.4}   {t:>10.5}");
    }

    let dir = figures_dir();
    write_learning_curves(&run.history, &dir)?;
    println!(
        "\nlearning curves written to {}",
        dir.join("ch09_learning_curves.svg").display()
    );
    println!("\n{}", report::table(&figures(&run)));
    println!("seconds per epoch: {:.3}", run.history.mean_seconds());
    Ok(())
}
