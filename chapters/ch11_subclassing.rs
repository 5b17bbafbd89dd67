//! Chapter 11 — the subclassing API: a model of one's own.
//!
//! Reproduces Hands-On ML chapter 10, "Using the Subclassing API to Build Dynamic
//! Models" (2nd edition; the 3rd edition adds two `Normalization` layers, which annlab's
//! data does not need: `homl_sets` has already standardised it, as the 2nd edition does).
//! The Keras lines it mirrors:
//!
//! ```python
//! class WideAndDeepModel(keras.Model):
//!     def __init__(self, units=30, activation="relu", **kwargs):
//!         super().__init__(**kwargs)
//!         self.hidden1 = keras.layers.Dense(units, activation=activation)
//!         self.hidden2 = keras.layers.Dense(units, activation=activation)
//!         self.main_output = keras.layers.Dense(1)
//!         self.aux_output = keras.layers.Dense(1)
//!
//!     def call(self, inputs):
//!         input_wide, input_deep = inputs
//!         hidden1 = self.hidden1(input_deep)
//!         hidden2 = self.hidden2(hidden1)
//!         concat = keras.layers.concatenate([input_wide, hidden2])
//!         output = self.main_output(concat)
//!         aux_output = self.aux_output(hidden2)
//!         return output, aux_output
//!
//! model = WideAndDeepModel(30, activation="relu", name="my_cool_model")
//! model.compile(loss="mse", loss_weights=[0.9, 0.1],
//!               optimizer=keras.optimizers.SGD(learning_rate=1e-3))
//! history = model.fit((X_train_wide, X_train_deep), (y_train, y_train), epochs=10,
//!                     validation_data=((X_valid_wide, X_valid_deep), (y_valid, y_valid)))
//! eval_results = model.evaluate((X_test_wide, X_test_deep), (y_test, y_test))
//! y_pred_main, y_pred_aux = model.predict((X_new_wide, X_new_deep))
//! ```
//!
//! Run: `cargo run --release --bin ch11_subclassing`

use std::path::{Path, PathBuf};

use annlab::datasets::california::{fetch_california_housing, homl_sets, HousingSets};
use annlab::layers::{Params, Weight};
use annlab::model::{
    batch_buffer, check_batch, optimizer_params, Buffered, InputInfo, OutputGrad,
    OutputInfo,
};
use annlab::plot::{figures_dir, line_chart, PlotError};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Figure, Run};
use annlab::saving::{load_weights, save_model, save_weights, SaveError};
use annlab::summary;
use annlab::train::Trainer;
use ndarray::ArrayView2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The seed of the chapter's run: same seed, same figures.
pub const SEED: u64 = 42;

// ANCHOR: struct
/// HOML's `WideAndDeepModel`: the deep input goes through two hidden layers; the main
/// output reads the wide input beside the second hidden layer, the auxiliary output reads
/// the second hidden layer alone.
///
/// ```text
/// input_deep [b, 6] → hidden1 [b, 30] → hidden2 [b, 30] ─┬─────────→ aux_output [b, 1]
/// input_wide [b, 5] ──────────────────── concat [b, 35] ←┘ → main_output [b, 1]
/// ```
pub struct WideAndDeepModel {
    name: String,
    seed: u64,
    /// Features per sample of each input: wide (features 0–4) and deep (features 2–7).
    wide: usize,
    deep: usize,
    hidden1: Buffered<Dense>,
    hidden2: Buffered<Dense>,
    main_output: Buffered<Dense>,
    aux_output: Buffered<Dense>,
    /// [input_wide | hidden2] of the last forward pass, `[batch, wide + units]`.
    concat: Array2<f32>,
    built: bool,
    /// What `compile` makes: the losses, the optimizer, the metrics.
    trainer: Option<Trainer>,
}
// ANCHOR_END: struct

// ANCHOR: new
impl WideAndDeepModel {
    /// `WideAndDeepModel(units, activation=…)`: creates the four layers (their weights
    /// come with `build`, from `seed`). Keras learns the inputs' widths from the first
    /// batch; annlab checks every batch against them before the first step, so the model
    /// is told:
    /// `inputs = (wide, deep)` features per sample.
    pub fn new(
        units: usize,
        activation: Activation,
        inputs: (usize, usize),
        seed: u64,
    ) -> Self {
        // Keras names a subclassed model's layers by class and creation order
        let dense =
            |name, units| Buffered::new(name, Dense::new(units).activation(activation));
        WideAndDeepModel {
            // Keras's default: the class name in snake case
            name: "wide_and_deep_model".into(),
            seed,
            wide: inputs.0,
            deep: inputs.1,
            hidden1: dense("dense", units),
            hidden2: dense("dense_1", units),
            // linear: any real value
            main_output: Buffered::new("dense_2", Dense::new(1)),
            aux_output: Buffered::new("dense_3", Dense::new(1)),
            concat: Array2::zeros((0, 0)),
            built: false,
            trainer: None,
        }
    }

    /// Keras's `name="my_cool_model"`.
    pub fn named(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    /// The layers in the order the constructor created them: the summary's order.
    fn layers(&self) -> [&Buffered<Dense>; 4] {
        [
            &self.hidden1,
            &self.hidden2,
            &self.main_output,
            &self.aux_output,
        ]
    }

    fn layers_mut(&mut self) -> [&mut Buffered<Dense>; 4] {
        [
            &mut self.hidden1,
            &mut self.hidden2,
            &mut self.main_output,
            &mut self.aux_output,
        ]
    }
}
// ANCHOR_END: new

impl Model for WideAndDeepModel {
    fn name(&self) -> &str {
        &self.name
    }

    fn seed(&self) -> u64 {
        self.seed
    }

    // ANCHOR: build
    /// Creates the weights, layer by layer, from one generator seeded with `seed`:
    /// W1 [6, 30], W2 [30, 30], W3 [5 + 30, 1], W4 [30, 1] (Glorot uniform), biases 0.
    fn build(&mut self) -> Result<(), ModelError> {
        if self.built {
            return Ok(());
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let hidden = self.hidden1.build(&[self.deep], &mut rng)?; //         [30]
        let hidden = self.hidden2.build(&hidden, &mut rng)?; //              [30]
        self.main_output.build(&[self.wide + hidden[0]], &mut rng)?; //      [1]
        self.aux_output.build(&hidden, &mut rng)?; //                        [1]
        self.built = true;
        Ok(())
    }
    // ANCHOR_END: build

    /// Two inputs: see `inputs`.
    fn input_shape(&self) -> Option<&[usize]> {
        None
    }

    // ANCHOR: io
    /// The inputs, in the order `fit` takes them: `(x_wide, x_deep)`.
    fn inputs(&self) -> Vec<InputInfo> {
        let input = |name: &str, width| InputInfo {
            name: name.to_string(),
            shape: vec![width],
        };
        vec![
            input("input_wide", self.wide),
            input("input_deep", self.deep),
        ]
    }

    /// The outputs, in the order `call` returns them. A subclassed model's outputs have
    /// no layer of their own to be named after; tf.keras named them `output_1`,
    /// `output_2`, so the logs read `output_1_loss`, as in HOML.
    fn outputs(&self) -> Vec<OutputInfo> {
        [&self.main_output, &self.aux_output]
            .iter()
            .enumerate()
            .map(|(i, layer)| OutputInfo {
                name: format!("output_{}", i + 1),
                width: layer.output_width(),
                activation: layer.layer().output_activation(),
                has_logits: layer.logits().is_some(),
            })
            .collect()
    }
    // ANCHOR_END: io

    /// Per sample: x (5 + 6), the concat (35), and each layer's own buffers.
    fn prepare_batch(&mut self, batch: usize) -> Result<(), ModelError> {
        self.build()?;
        let concat = self.wide + self.hidden2.output_width();
        let layers: u128 = self.layers().iter().map(|l| l.values_per_sample()).sum();
        check_batch(batch, (self.wide + self.deep + concat) as u128 + layers)?;
        for layer in self.layers_mut() {
            layer.prepare(batch)?;
        }
        self.concat = batch_buffer(batch, concat, "the concat buffer")?;
        Ok(())
    }

    // ANCHOR: forward
    /// Keras's `call`, on x = [x_wide | x_deep] `[batch, 5 + 6]` (the trainer lays the
    /// inputs side by side, in the order of `inputs`).
    fn forward(&mut self, x: ArrayView2<f32>, training: bool) {
        // [b, 5], [b, 6]
        let (input_wide, input_deep) = x.split_at(Axis(1), self.wide);
        // relu(x_deep·W1 + b1) [b, 30]
        let hidden1 = self.hidden1.forward(input_deep, training);
        // relu(hidden1·W2 + b2) [b, 30]
        let hidden2 = self.hidden2.forward(hidden1, training);

        // concat = [input_wide | hidden2]: the columns side by side   [b, 5 + 30]
        let width = self.wide + hidden2.ncols();
        if self.concat.dim() != (x.nrows(), width) {
            self.concat = Array2::zeros((x.nrows(), width));
        }
        let (mut left, mut right) = self.concat.view_mut().split_at(Axis(1), self.wide);
        left.assign(&input_wide);
        right.assign(&hidden2);

        // hidden2·W4 + b4     [b, 1]
        self.aux_output.forward(hidden2, training);
        // concat·W3 + b3      [b, 1]
        self.main_output.forward(self.concat.view(), training);
    }
    // ANCHOR_END: forward

    fn output(&self, index: usize) -> ArrayView2<'_, f32> {
        match index {
            0 => self.main_output.output(),
            _ => self.aux_output.output(),
        }
    }

    fn logits(&self, index: usize) -> Option<ArrayView2<'_, f32>> {
        match index {
            0 => self.main_output.logits(),
            _ => self.aux_output.logits(),
        }
    }

    // ANCHOR: backward
    /// The chain rule through `call`, from the outputs back, with grads = [dL/d output,
    /// dL/d aux_output] (each already multiplied by its loss weight, 0.9 and 0.1).
    fn backward(&mut self, x: ArrayView2<f32>, grads: &[OutputGrad<'_>]) {
        let (_, input_deep) = x.split_at(Axis(1), self.wide);
        for layer in self.layers_mut() {
            layer.zero_grad(); // this batch's parameter gradients start from 0
        }
        // main output: dL/dW3 = concatᵀ·dL/dy, and dL/dconcat = dL/dy·W3ᵀ   [b, 35]
        let grad_concat = self
            .main_output
            .backward_output(self.concat.view(), grads[0]);
        // aux output, read from hidden2: dL/dhidden2 = dL/dy_aux·W4ᵀ      [b, 30]
        let mut grad_hidden2 = self
            .aux_output
            .backward_output(self.hidden2.output(), grads[1]);
        // the concat hands each input back its own columns: [:, ..5] to input_wide (an
        // input: no parameters, dropped) and [:, 5..] to hidden2, which adds to the aux
        // output's gradient: hidden2 feeds both outputs
        grad_hidden2 += &grad_concat.slice(s![.., self.wide..]);
        // hidden2: dL/dz2 = relu'(z2) ⊙ dL/dhidden2; dL/dhidden1 = dL/dz2·W2ᵀ  [b, 30]
        let grad_hidden1 = self
            .hidden2
            .backward(self.hidden1.output(), grad_hidden2.view());
        // hidden1: only its parameter gradients matter (dL/dx_deep is not used)
        self.hidden1.backward(input_deep, grad_hidden1.view());
    }
    // ANCHOR_END: backward

    fn params(&mut self) -> Params<'_> {
        let mut all = Params::new();
        for layer in self.layers_mut() {
            all.extend(layer.params()); // dense/kernel, dense/bias, dense_1/kernel, …
        }
        all
    }

    fn weights(&self) -> Vec<Weight<'_>> {
        self.layers()
            .into_iter()
            .flat_map(|l| l.weights())
            .collect()
    }

    // ANCHOR: summary
    /// Keras 3's summary of a subclassed model: its layers, with the shapes of their
    /// first call, and no "Connected to" column: how they connect is code in `forward`.
    /// Before `build` (which `compile` and `fit` call) the layers are unbuilt, as in
    /// Keras; once compiled and called, Keras counts the optimizer's variables too.
    fn summary(&mut self) -> Result<String, ModelError> {
        let rows: Vec<summary::Row> =
            self.layers().iter().map(|l| l.summary_row()).collect();
        let optimizer = match self.optimizer_state() {
            Some(state) if self.hidden1.called() => Some(optimizer_params(&state)),
            _ => None,
        };
        let trainable = self.param_count();
        Ok(summary::render_subclassed(
            &self.name, &rows, trainable, optimizer,
        ))
    }
    // ANCHOR_END: summary

    // No `architecture`: the trait's default, None. This model is Rust code, not a list of
    // layer configs, so there is nothing to save that would rebuild it: `save_model`
    // refuses and `save_weights` / `load_weights` are the way (as for Keras's subclassed
    // models, whose saved config needs the class's code to load).
}

impl Train for WideAndDeepModel {
    fn trainer(&self) -> Option<&Trainer> {
        self.trainer.as_ref()
    }
    fn trainer_slot(&mut self) -> &mut Option<Trainer> {
        &mut self.trainer
    }
}

/// HOML's two inputs from the 8 features: `X[:, :5]` (wide) and `X[:, 2:]` (deep).
pub fn wide_deep(x: &Array2<f32>) -> (ArrayView2<'_, f32>, ArrayView2<'_, f32>) {
    (x.slice(s![.., ..5]), x.slice(s![.., 2..]))
}

/// `model.predict((X_new_wide, X_new_deep))` for the first three test districts.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub y_pred_main: Vec<f32>,
    pub y_pred_aux: Vec<f32>,
    /// `y_test[:3]`: 0.477, 0.458, 5.00001.
    pub y_true: Vec<f32>,
}

// ANCHOR: train
/// HOML's cells: the model, `compile(loss="mse", loss_weights=[0.9, 0.1],
/// optimizer=SGD(learning_rate=1e-3))`, `fit` for `epochs` with validation, `evaluate` on
/// the test set and `predict` of its first three districts; then `summary()`.
pub fn train(
    sets: &HousingSets,
    epochs: usize,
    seed: u64,
    verbose: u8,
) -> Result<(WideAndDeepModel, Run, Prediction), ModelError> {
    let (x_train_wide, x_train_deep) = wide_deep(&sets.train.x);
    let (x_valid_wide, x_valid_deep) = wide_deep(&sets.valid.x);
    let (x_test_wide, x_test_deep) = wide_deep(&sets.test.x);
    let x_new = sets.test.x.slice(s![..3, ..]).to_owned(); //          X_new = X_test[:3]
    let (x_new_wide, x_new_deep) = wide_deep(&x_new);
    let (y_train, y_valid, y_test) = (&sets.train.y, &sets.valid.y, &sets.test.y);

    let mut model =
        WideAndDeepModel::new(30, Activation::Relu, (5, 6), seed).named("my_cool_model");
    model.compile(
        Compile::new("mse") // one loss, attached to both outputs
            .loss_weights(&[0.9, 0.1])
            .optimizer(SGD::new().learning_rate(1e-3)),
    )?;
    let history = model.fit(
        (&x_train_wide, &x_train_deep),
        (y_train, y_train),
        Fit::new(epochs)
            .validation_data((&x_valid_wide, &x_valid_deep), (y_valid, y_valid))
            .verbose(verbose),
    )?;
    let eval_results =
        model.evaluate((&x_test_wide, &x_test_deep), (y_test, y_test), verbose)?;
    // [y_pred_main, y_pred_aux]
    let y_pred = model.predict_all((&x_new_wide, &x_new_deep))?;
    let prediction = Prediction {
        y_pred_main: y_pred[0].iter().copied().collect(),
        y_pred_aux: y_pred[1].iter().copied().collect(),
        y_true: y_test.slice(s![..3, 0]).to_vec(),
    };
    let summary = model.summary()?;
    let run = Run {
        summary,
        history,
        evaluation: eval_results,
    };
    Ok((model, run, prediction))
}
// ANCHOR_END: train

/// The graded figures: the test losses beside HOML's and Keras 3's (see the reference's
/// "California housing regression" table; K3 = Keras 3.15.1, seed 42).
pub fn figures(run: &Run) -> Vec<Figure> {
    let ev = &run.evaluation;
    let metric = |key| ev.metric(key).unwrap_or(f64::NAN);
    vec![
        Figure::new(
            "subclassed model test loss (0.9·main + 0.1·aux)",
            ev.loss,
            "0.5841 (HOML), 0.5427 (K3)",
            (0.48, 0.65),
        ),
        Figure::new(
            "subclassed model main output test MSE",
            metric("output_1_loss"),
            "0.5188 (HOML), 0.4726 (K3)",
            (0.41, 0.58),
        ),
        Figure::new(
            "subclassed model aux output test MSE",
            metric("output_2_loss"),
            "1.1722 (HOML), 1.1734 (K3)",
            (1.05, 1.45),
        ),
    ]
}

/// `ch11_learning_curves.svg`: each output's loss on the training and validation sets,
/// per epoch (HOML's `pd.DataFrame(history.history).plot()`).
pub fn write_learning_curves(history: &History, dir: &Path) -> Result<(), PlotError> {
    let get = |key| history.get(key).unwrap_or(&[]);
    line_chart(
        &dir.join("ch11_learning_curves.svg"),
        "subclassed wide & deep: each output's loss",
        "epoch",
        "mean squared error",
        &[
            ("output_1_loss", get("output_1_loss")),
            ("val_output_1_loss", get("val_output_1_loss")),
            ("output_2_loss", get("output_2_loss")),
            ("val_output_2_loss", get("val_output_2_loss")),
        ],
    )
}

// ANCHOR: save
/// What `save_and_restore` found.
pub struct Restored {
    /// `predict` of the model that loaded the saved weights: [main [n, 1], aux [n, 1]].
    pub predictions: Vec<Array2<f32>>,
    /// What `save_model` returned for the whole model.
    pub whole_model_save: Result<(), SaveError>,
}

/// What subclassing gives up, and what still works: `save_weights` writes the tensors by
/// path (`dense/kernel`, …); a new model built by the same code loads them. A whole-model
/// save is refused with an error saying so.
pub fn save_and_restore(
    model: &mut WideAndDeepModel,
    x_new: (&ArrayView2<f32>, &ArrayView2<f32>),
    dir: &Path,
) -> Result<Restored, ModelError> {
    let path = dir.join("my_cool_model.weights.safetensors");
    save_weights(model, &path)?; //                      model.save_weights(...)
                                 // another seed: other weights until load_weights
    let mut restored = WideAndDeepModel::new(30, Activation::Relu, (5, 6), 0);
    load_weights(&mut restored, &path)?; //              restored.load_weights(...)
    let predictions = restored.predict_all(x_new)?;

    // model.save("my_cool_model.safetensors"): the architecture is code, not data
    let whole_model_save = save_model(model, dir.join("my_cool_model.safetensors"));
    Ok(Restored {
        predictions,
        whole_model_save,
    })
}
// ANCHOR_END: save

/// The error a refused call returned (or, were it accepted, that it was).
fn refusal<T, E: std::fmt::Display>(result: Result<T, E>) -> String {
    match result {
        Err(e) => e.to_string(),
        Ok(_) => "accepted".to_string(),
    }
}

/// A fresh directory under the system's temp dir for this run's files.
fn temp_dir() -> PathBuf {
    std::env::temp_dir().join(format!("annlab-ch11-{}", std::process::id()))
}

fn main() -> Result<(), ChapterError> {
    // ANCHOR: data
    let housing = fetch_california_housing()?; // data [20640, 8], target [20640]
    let sets = homl_sets(&housing)?; // 11,610 / 3,870 / 5,160 rows, scaled on train

    // ANCHOR_END: data

    let mut unbuilt =
        WideAndDeepModel::new(30, Activation::Relu, (5, 6), SEED).named("my_cool_model");
    println!("summary() before any batch:\n{}", unbuilt.summary()?);

    let (mut model, run, prediction) = train(&sets, 10, SEED, 1)?;
    println!("\nsummary() after fit:\n{}", run.summary);
    let keys: Vec<&str> = run.history.keys().iter().map(String::as_str).collect();
    println!("history keys: {keys:?}");
    let values: Vec<String> = run
        .evaluation
        .values()
        .iter()
        .map(|v| format!("{v:.4}"))
        .collect();
    println!(
        "evaluate on test → [total, main, aux] = [{}]\n",
        values.join(", ")
    );
    println!("predict(X_new)   main     aux   y_test[:3]   (100,000 USD)");
    for ((m, a), t) in prediction
        .y_pred_main
        .iter()
        .zip(&prediction.y_pred_aux)
        .zip(&prediction.y_true)
    {
        println!("               {m:>6.4}  {a:>6.4}  {t:>10.5}");
    }

    let figure_dir = figures_dir();
    write_learning_curves(&run.history, &figure_dir)?;
    println!(
        "\nlearning curves written to {}",
        figure_dir.join("ch11_learning_curves.svg").display()
    );

    // ANCHOR: mistakes
    // Keras checks a subclassed model's inputs only when `call` runs into them; annlab
    // checks every array against `inputs()` before the first step.
    let (x_test_wide, x_test_deep) = wide_deep(&sets.test.x);
    let y_test = &sets.test.y;
    let swapped = model.evaluate((&x_test_deep, &x_test_wide), (y_test, y_test), 0);
    let one_input = model.fit(&sets.test.x, (y_test, y_test), Fit::new(1).verbose(0));
    // ANCHOR_END: mistakes
    println!("\ninputs swapped → {}", refusal(swapped));
    println!("one array for two inputs → {}", refusal(one_input));

    let dir = temp_dir();
    std::fs::create_dir_all(&dir)?;
    let x_new = sets.test.x.slice(s![..3, ..]);
    let (x_new_wide, x_new_deep) = (x_new.slice(s![.., ..5]), x_new.slice(s![.., 2..]));
    let Restored {
        predictions: restored,
        whole_model_save: refused,
    } = save_and_restore(&mut model, (&x_new_wide, &x_new_deep), &dir)?;
    let same = restored[0]
        .iter()
        .copied()
        .eq(prediction.y_pred_main.iter().copied())
        && restored[1]
            .iter()
            .copied()
            .eq(prediction.y_pred_aux.iter().copied());
    println!(
        "\nsave_weights → load_weights into a new model: predictions identical to the bit: {same}"
    );
    println!(
        "save the whole model → {}",
        refusal(refused).replace(&dir.display().to_string(), "$TMP")
    );
    std::fs::remove_dir_all(&dir).ok();

    println!("\n{}", report::table(&figures(&run)));
    println!("seconds per epoch: {:.3}", run.history.mean_seconds());
    Ok(())
}
