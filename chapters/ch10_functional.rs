//! Chapter 10 — the functional API: wide & deep, two inputs, an auxiliary output.
//!
//! Reproduces Hands-On ML chapter 10, "Building Complex Models Using the Functional
//! API", on the California-housing sets of chapter 9. The Keras lines it mirrors:
//!
//! ```python
//! input_ = keras.layers.Input(shape=X_train.shape[1:])
//! hidden1 = keras.layers.Dense(30, activation="relu")(input_)
//! hidden2 = keras.layers.Dense(30, activation="relu")(hidden1)
//! concat = keras.layers.concatenate([input_, hidden2])
//! output = keras.layers.Dense(1)(concat)
//! model = keras.Model(inputs=[input_], outputs=[output])
//!
//! input_A = keras.layers.Input(shape=[5], name="wide_input")
//! input_B = keras.layers.Input(shape=[6], name="deep_input")
//! hidden1 = keras.layers.Dense(30, activation="relu")(input_B)
//! hidden2 = keras.layers.Dense(30, activation="relu")(hidden1)
//! concat = keras.layers.concatenate([input_A, hidden2])
//! output = keras.layers.Dense(1, name="output")(concat)
//! model = keras.Model(inputs=[input_A, input_B], outputs=[output])
//! X_train_A, X_train_B = X_train[:, :5], X_train[:, 2:]
//! history = model.fit((X_train_A, X_train_B), y_train, epochs=20,
//!                     validation_data=((X_valid_A, X_valid_B), y_valid))
//!
//! output = keras.layers.Dense(1, name="main_output")(concat)
//! aux_output = keras.layers.Dense(1, name="aux_output")(hidden2)
//! model = keras.Model(inputs=[input_A, input_B], outputs=[output, aux_output])
//! model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer=SGD(learning_rate=1e-3))
//! history = model.fit([X_train_A, X_train_B], [y_train, y_train], epochs=20, ...)
//! total_loss, main_loss, aux_loss = model.evaluate([X_test_A, X_test_B], [y_test, y_test])
//! y_pred_main, y_pred_aux = model.predict([X_new_A, X_new_B])
//! ```
//!
//! Run: `cargo run --release --bin ch10_functional`

use std::path::Path;

use annlab::datasets::california::{fetch_california_housing, homl_sets, HousingSets};
use annlab::plot::{figures_dir, line_chart, PlotError};
use annlab::prelude::*;
use annlab::report::{self, median, ChapterError, Figure, Run};
use ndarray::{Array2, ArrayView2};

/// The seed of the chapter's runs: same seed, same figures.
pub const SEED: u64 = 42;

/// Epochs of every model here, as HOML trains them.
pub const EPOCHS: usize = 20;

/// The seeds of the model with an auxiliary output (the fixed five of HG 7-1's grading).
/// Its auxiliary head learns at 0.1 × 1e-3 and has not converged after 20 epochs, so its
/// test MSE depends on the initial weights more than the band is wide (0.80–1.16 over
/// seeds 0–9 here, 0.95–1.04 over Keras 3's seeds 0–4); the median of five says what is
/// typical. See "Grading decisions" in the reference.
pub const AUX_SEEDS: [u64; 5] = [42, 43, 44, 45, 46];

// ANCHOR: wide_and_deep
/// HOML's wide & deep network: the 8 features go both through two hidden layers (the
/// deep path) and straight to the output (the wide path), joined by `concatenate`:
/// input `[8]` → Dense(30, relu) → Dense(30, relu) → concat with the input `[38]` →
/// Dense(1). Parameters: 8·30 + 30 = 270, 30·30 + 30 = 930, 38·1 + 1 = 39; 1,239 in all.
pub fn wide_and_deep(seed: u64) -> Result<Functional, ModelError> {
    let input = Input::new(&[8]);
    let hidden1 = Dense::new(30).activation(Activation::Relu).on(&input);
    let hidden2 = Dense::new(30).activation(Activation::Relu).on(&hidden1);
    let concat = concatenate(&[&input, &hidden2]);
    let output = Dense::new(1).on(&concat);
    Functional::new(seed, &[&input], &[&output])
}
// ANCHOR_END: wide_and_deep

// ANCHOR: split_inputs
/// `X[:, :5], X[:, 2:]`: features 0–4 for the wide path and 2–7 for the deep path
/// (features 2, 3 and 4 go both ways). [n, 8] → ([n, 5], [n, 6]).
pub fn wide_deep_split(x: &Array2<f32>) -> (ArrayView2<'_, f32>, ArrayView2<'_, f32>) {
    (x.slice(s![.., ..5]), x.slice(s![.., 2..]))
}
// ANCHOR_END: split_inputs

// ANCHOR: two_inputs
/// Two inputs: "wide_input" `[5]` joins the output of the deep path, which reads
/// "deep_input" `[6]`. With `aux`, a second output "aux_output" reads the deep path
/// alone, and the main output is named "main_output" (HOML's names).
pub fn two_inputs(seed: u64, aux: bool) -> Result<Functional, ModelError> {
    let input_a = Input::new(&[5]).named("wide_input");
    let input_b = Input::new(&[6]).named("deep_input");
    let hidden1 = Dense::new(30).activation(Activation::Relu).on(&input_b);
    let hidden2 = Dense::new(30).activation(Activation::Relu).on(&hidden1);
    let concat = concatenate(&[&input_a, &hidden2]);
    if !aux {
        let output = Dense::new(1).on(&concat).named("output");
        return Functional::new(seed, &[&input_a, &input_b], &[&output]);
    }
    let output = Dense::new(1).on(&concat).named("main_output");
    let aux_output = Dense::new(1).on(&hidden2).named("aux_output");
    Functional::new(seed, &[&input_a, &input_b], &[&output, &aux_output])
}
// ANCHOR_END: two_inputs

/// `SGD(learning_rate=1e-3)`, HOML's optimizer for every regression model.
fn sgd() -> SGD {
    SGD::new().learning_rate(1e-3)
}

// ANCHOR: train_wide_and_deep
/// `compile(loss="mse", optimizer=SGD(1e-3))`, then `fit` for `epochs` with validation
/// and `evaluate` on test, exactly as the Sequential model of chapter 9.
pub fn train_wide_and_deep(
    sets: &HousingSets,
    epochs: usize,
    seed: u64,
    verbose: u8,
) -> Result<Run, ModelError> {
    let mut model = wide_and_deep(seed)?;
    let summary = model.summary()?;
    model.compile(Compile::new("mse").optimizer(sgd()))?;
    let (train, valid, test) = (&sets.train, &sets.valid, &sets.test);
    let fit = Fit::new(epochs)
        .validation_data(&valid.x, &valid.y)
        .verbose(verbose);
    let history = model.fit(&train.x, &train.y, fit)?;
    let evaluation = model.evaluate(&test.x, &test.y, verbose)?;
    Ok(Run {
        summary,
        history,
        evaluation,
    })
}
// ANCHOR_END: train_wide_and_deep

// ANCHOR: train_two_inputs
/// The two-input model: x is the pair `(X_A, X_B)`, in the order of the model's inputs.
/// Returns the run and `predict((X_new_A, X_new_B))` of the first three test rows.
pub fn train_two_inputs(
    sets: &HousingSets,
    epochs: usize,
    seed: u64,
    verbose: u8,
) -> Result<(Run, Array2<f32>), ModelError> {
    let mut model = two_inputs(seed, false)?;
    let summary = model.summary()?;
    model.compile(Compile::new("mse").optimizer(sgd()))?;
    let (x_train_a, x_train_b) = wide_deep_split(&sets.train.x);
    let (x_valid_a, x_valid_b) = wide_deep_split(&sets.valid.x);
    let (x_test_a, x_test_b) = wide_deep_split(&sets.test.x);
    let fit = Fit::new(epochs)
        .validation_data((&x_valid_a, &x_valid_b), &sets.valid.y)
        .verbose(verbose);
    let history = model.fit((&x_train_a, &x_train_b), &sets.train.y, fit)?;
    let evaluation = model.evaluate((&x_test_a, &x_test_b), &sets.test.y, verbose)?;
    let (x_new_a, x_new_b) = (x_test_a.slice(s![..3, ..]), x_test_b.slice(s![..3, ..]));
    let y_pred = model.predict((&x_new_a, &x_new_b))?; // [3, 1]
    let run = Run {
        summary,
        history,
        evaluation,
    };
    Ok((run, y_pred))
}
// ANCHOR_END: train_two_inputs

// ANCHOR: train_aux
/// The model with an auxiliary output: one loss per output, `loss = 0.9·main + 0.1·aux`.
/// The auxiliary output regularises the deep path: it must predict the target alone.
/// `evaluate` gives the weighted total, then each output's own loss; `predict_all`
/// gives both outputs.
pub fn train_aux(
    sets: &HousingSets,
    epochs: usize,
    seed: u64,
    verbose: u8,
) -> Result<(Run, Vec<Array2<f32>>), ModelError> {
    let mut model = two_inputs(seed, true)?;
    let summary = model.summary()?;
    model.compile(
        Compile::losses(&["mse", "mse"])
            .loss_weights(&[0.9, 0.1])
            .optimizer(sgd()),
    )?;
    let (x_train_a, x_train_b) = wide_deep_split(&sets.train.x);
    let (x_valid_a, x_valid_b) = wide_deep_split(&sets.valid.x);
    let (x_test_a, x_test_b) = wide_deep_split(&sets.test.x);
    let (y_train, y_valid, y_test) = (&sets.train.y, &sets.valid.y, &sets.test.y);
    let fit = Fit::new(epochs)
        .validation_data((&x_valid_a, &x_valid_b), (y_valid, y_valid))
        .verbose(verbose);
    let history = model.fit((&x_train_a, &x_train_b), (y_train, y_train), fit)?;
    // [total_loss, main_output_loss, aux_output_loss]
    let evaluation = model.evaluate((&x_test_a, &x_test_b), (y_test, y_test), verbose)?;
    let (x_new_a, x_new_b) = (x_test_a.slice(s![..3, ..]), x_test_b.slice(s![..3, ..]));
    let y_preds = model.predict_all((&x_new_a, &x_new_b))?; // [y_pred_main, y_pred_aux]
    let run = Run {
        summary,
        history,
        evaluation,
    };
    Ok((run, y_preds))
}
// ANCHOR_END: train_aux

/// The main and auxiliary test losses of the model with an auxiliary output.
pub fn aux_losses(run: &Run) -> (f64, f64) {
    let get = |key| run.evaluation.metric(key).unwrap_or(f64::NAN);
    (get("main_output_loss"), get("aux_output_loss"))
}

/// The graded figures: each model's test MSE beside HOML's and Keras 3's; for the
/// model with an auxiliary output, the medians over its runs (one per `AUX_SEEDS`).
pub fn figures(wide_deep: &Run, two: &Run, aux_runs: &[Run]) -> Vec<Figure> {
    let (mains, auxes): (Vec<f64>, Vec<f64>) = aux_runs.iter().map(aux_losses).unzip();
    let (main, aux_loss) = (median(&mains), median(&auxes));
    vec![
        Figure::new(
            "wide & deep test MSE",
            wide_deep.evaluation.loss,
            "0.4032 (HOML), 0.4199 (K3)",
            (0.37, 0.46),
        ),
        Figure::new(
            "two inputs test MSE",
            two.evaluation.loss,
            "0.4121–0.4395 (K3, seeds 0–4)",
            (0.38, 0.47),
        ),
        Figure::new(
            "aux model: main output test MSE (median)",
            main,
            "0.4178 (HOML), 0.4239 (K3)",
            (0.38, 0.47),
        ),
        Figure::new(
            "aux model: aux output test MSE (median)",
            aux_loss,
            "0.9082 (HOML), 0.8761 (K3)",
            (0.80, 1.00),
        ),
    ]
}

/// `ch10_aux_learning_curves.svg`: the total, main and auxiliary validation losses per
/// epoch of the model with an auxiliary output.
pub fn write_learning_curves(history: &History, dir: &Path) -> Result<(), PlotError> {
    let get = |key| history.get(key).unwrap_or(&[]);
    line_chart(
        &dir.join("ch10_aux_learning_curves.svg"),
        "two inputs + auxiliary output: validation losses",
        "epoch",
        "mean squared error",
        &[
            ("val_loss (0.9·main + 0.1·aux)", get("val_loss")),
            ("val_main_output_loss", get("val_main_output_loss")),
            ("val_aux_output_loss", get("val_aux_output_loss")),
        ],
    )
}

fn main() -> Result<(), ChapterError> {
    let housing = fetch_california_housing()?; // data [20640, 8], target [20640]
    let sets = homl_sets(&housing)?; // 11,610 / 3,870 / 5,160 rows, scaled on train

    println!("== wide & deep\n");
    let wide_deep = train_wide_and_deep(&sets, EPOCHS, SEED, 1)?;
    println!("\n{}", wide_deep.summary);
    println!("evaluate on test → mse {:.4}\n", wide_deep.evaluation.loss);

    println!("== two inputs: wide_input = X[:, :5], deep_input = X[:, 2:]\n");
    let (two, y_pred) = train_two_inputs(&sets, EPOCHS, SEED, 1)?;
    println!("\n{}", two.summary);
    println!("evaluate on test → mse {:.4}", two.evaluation.loss);
    println!("predict((X_new_A, X_new_B)) = {:.4}\n", y_pred.column(0));

    println!("== two inputs, main and auxiliary outputs, loss_weights [0.9, 0.1]\n");
    let (aux, y_preds) = train_aux(&sets, EPOCHS, AUX_SEEDS[0], 1)?;
    println!("\n{}", aux.summary);
    let (main, aux_loss) = aux_losses(&aux);
    println!(
        "evaluate on test → total {:.4}, main {main:.4}, aux {aux_loss:.4}",
        aux.evaluation.loss
    );
    println!("y_pred_main = {:.4}", y_preds[0].column(0));
    println!("y_pred_aux  = {:.4}", y_preds[1].column(0));
    println!("y_test[:3]  = {:.4}", sets.test.y.slice(s![..3, 0]));

    let dir = figures_dir();
    write_learning_curves(&aux.history, &dir)?;
    println!(
        "\nvalidation losses written to {}",
        dir.join("ch10_aux_learning_curves.svg").display()
    );
    println!("\nthe same model from seeds {AUX_SEEDS:?}: main, aux test MSE");
    let mut aux_runs = vec![aux];
    for &seed in &AUX_SEEDS[1..] {
        aux_runs.push(train_aux(&sets, EPOCHS, seed, 0)?.0);
    }
    for (seed, run) in AUX_SEEDS.iter().zip(&aux_runs) {
        let (main, aux_loss) = aux_losses(run);
        println!("  seed {seed}: {main:.4}, {aux_loss:.4}");
    }
    println!("\n{}", report::table(&figures(&wide_deep, &two, &aux_runs)));
    println!(
        "seconds per epoch: wide & deep {:.3}, two inputs {:.3}, aux {:.3}",
        wide_deep.history.mean_seconds(),
        two.history.mean_seconds(),
        aux_runs[0].history.mean_seconds()
    );
    Ok(())
}
