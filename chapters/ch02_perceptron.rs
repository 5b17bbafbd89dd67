//! Chapter 2 — the perceptron.
//!
//! Reproduces Hands-On Machine Learning, chapter 10, *The Perceptron* (TLU, Heaviside
//! and sign step functions, a perceptron layer, the learning rule, XOR) and the start of
//! *The Multilayer Perceptron and Backpropagation* (an MLP solving XOR). It mirrors:
//!
//! ```python
//! from sklearn.datasets import load_iris
//! from sklearn.linear_model import Perceptron
//! iris = load_iris(as_frame=True)
//! X = iris.data[["petal length (cm)", "petal width (cm)"]].values
//! y = (iris.target == 0)  # Iris setosa
//! per_clf = Perceptron(random_state=42)
//! per_clf.fit(X, y)
//! X_new = [[2, 0.5], [3, 1]]
//! y_pred = per_clf.predict(X_new)  # predicts True and False for these 2 flowers
//!
//! model = keras.Sequential([keras.layers.Dense(8, activation="tanh", input_shape=[2]),
//!                           keras.layers.Dense(1, activation="sigmoid")])
//! model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(0.5))
//! model.fit(X_xor, y_xor, epochs=500, batch_size=4)
//! ```
//!
//! Run: `cargo run --release --bin ch02_perceptron` (writes book/src/figures/ch02_*.svg)

use std::process::ExitCode;

use annlab::experiments::ch02_perceptron::{self as ch02, Ch02Error};
use annlab::neurons::tlu::{heaviside, sign};
use annlab::plot::figures_dir;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Ch02Error> {
    let figures = figures_dir();

    println!("== Threshold logic unit: h(x) = step(w·x + b) ==");
    for z in [-2.0, -0.5, 0.0, 0.5, 2.0] {
        println!(
            "  z = {z:>4}: heaviside = {}, sgn = {:>2}",
            heaviside(z),
            sign(z)
        );
    }
    ch02::plot_step_functions(&figures.join("ch02_step_functions.svg"))?;

    // ANCHOR: layer
    let layer = ch02::perceptron_layer_gates(1.0, 20)?;
    println!("\n== A perceptron layer of 3 TLUs learns AND, OR, NAND at once ==");
    println!("  samples wrong per epoch: {:?}", layer.mistakes);
    println!(
        "  outputs (rows 00 01 10 11, columns AND OR NAND):\n{}",
        layer.outputs
    );
    println!(
        "  W (rows x1 x2) =\n{}\n  b = {:?}",
        layer.weights, layer.bias
    );
    // ANCHOR_END: layer

    // ANCHOR: iris
    let iris = ch02::iris_perceptron_from_repo(42)?;
    println!("\n== Perceptron(random_state=42) on iris petals: setosa or not ==");
    println!("  epoch   mean loss   updates   errors after");
    for (i, e) in iris.epochs.iter().enumerate() {
        println!(
            "  {:>5}   {:>9.4}   {:>7}   {:>12}",
            i + 1,
            e.loss,
            e.updates,
            e.errors
        );
    }
    let first = iris
        .first_error_free_epoch()
        .map_or("never".into(), |e| e.to_string());
    println!(
        "  error-free after epoch {first}; stopped after n_iter_ = {} epochs",
        iris.n_iter
    );
    println!("  (the tol rule waits n_iter_no_change = 5 epochs without improvement)");
    println!("  coef_ = {:?}, intercept_ = {}", iris.coef, iris.intercept);
    println!("  training accuracy = {:.3}", iris.accuracy);
    println!("  predict([[2, 0.5], [3, 1]]) = {:?}", iris.predictions);
    ch02::plot_iris(&iris, &figures.join("ch02_iris_perceptron.svg"))?;
    // ANCHOR_END: iris

    // ANCHOR: xor_perceptron
    let xor = ch02::xor_perceptron(20, 42)?;
    println!("\n== Perceptron(tol=None, max_iter=20) on XOR ==");
    let errors: Vec<usize> = xor.epochs.iter().map(|e| e.errors).collect();
    let updates: Vec<usize> = xor.epochs.iter().map(|e| e.updates).collect();
    println!("  misclassified after each epoch: {errors:?}");
    println!("  updates during each epoch:      {updates:?}");
    let min = errors.iter().min().copied().unwrap_or(0);
    println!(
        "  fewest misclassified in {} epochs: {min} (never 0)",
        errors.len()
    );
    println!(
        "  with the default tol=1e-3 it stops after {} epochs at accuracy {:.2}",
        xor.default_n_iter, xor.default_accuracy
    );
    ch02::plot_xor_perceptron(&xor, &figures.join("ch02_xor_perceptron_errors.svg"))?;
    // ANCHOR_END: xor_perceptron

    // ANCHOR: xor_mlp
    let mlp = ch02::xor_mlp(ch02::XOR_MLP_SEED, ch02::XOR_MLP_EPOCHS)?;
    println!("\n== MLP 2 → Dense(8, tanh) → Dense(1, sigmoid) on XOR ==");
    println!(
        "  seed {}, {} epochs, full batch of 4",
        mlp.seed, mlp.epochs
    );
    println!("  training time elapsed: {:.4} s", mlp.seconds);
    let first_loss = mlp.loss.first().copied().unwrap_or(f64::NAN);
    let last_loss = mlp.loss.last().copied().unwrap_or(f64::NAN);
    println!(
        "  loss: epoch 1 {first_loss:.4} → epoch {} {last_loss:.4}",
        mlp.loss.len()
    );
    for (x, p) in ch02::xor_inputs().outer_iter().zip(&mlp.probabilities) {
        println!("  x = {x}: P(XOR = 1) = {p:.4} → {}", u8::from(*p > 0.5));
    }
    println!("  correct: {} of 4", mlp.correct);
    ch02::plot_xor_regions(&mlp, &figures.join("ch02_xor_mlp_regions.svg"))?;
    // ANCHOR_END: xor_mlp

    println!("\nfigures written to {}", figures.display());
    Ok(())
}
