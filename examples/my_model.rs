//! Your own model: copy this file (e.g. to `examples/my_deeper_model.rs`), change the
//! cells marked CHANGE, and run it:
//!
//! ```sh
//! cargo run --release --example my_model
//! ```
//!
//! It trains on HG's Fashion-MNIST split (48,000 training, 12,000 validation images),
//! prints Keras's progress bar, summary and evaluation, draws the learning curves into
//! `figures/my_model.svg` (and `.png`), and checks the validation accuracy against a
//! band — the way `cargo test --release` grades the chapters (see examples/README.md).

use annlab::plot::figures_dir;
use annlab::prelude::*;
use annlab::report::{misses, table, ChapterError, Figure};

// ANCHOR: model
/// The model. CHANGE: the layers, their sizes and activations (HG 7-2's relu model
/// here: 28 × 28 pixels → 100 relu units → 10 classes).
fn build_model(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    // [batch, 28, 28] → [batch, 784] → [batch, 100] → [batch, 10]
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(100).activation(Activation::Relu));
    // try it (HG 7-3): model.add(Dropout::new(0.3));
    model.add(Dense::new(10).activation(Activation::Softmax));
    model
}
// ANCHOR_END: model

fn main() -> Result<(), ChapterError> {
    // ANCHOR: data
    // pixels / 255, labels 0…9; then train_test_split(test_size=0.2, random_state=42)
    let data = fashion_mnist::load()?;
    let split = hg_split(&data);
    // ANCHOR_END: data

    // ANCHOR: train
    let mut model = build_model(42);
    println!("{}", model.summary()?);
    // CHANGE: the optimizer ("rmsprop", "adam", "sgd", or a built one with settings)
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer(Adam::new().learning_rate(0.001))
            .metrics(&["accuracy"]),
    )?;
    // CHANGE: epochs and batch size
    let history = model.fit(
        split.train.x(),
        split.train.y(),
        Fit::new(5)
            .batch_size(32)
            .validation_data(split.val.x(), split.val.y()),
    )?;
    let evaluation = model.evaluate(split.val.x(), split.val.y(), 1)?;
    println!("evaluate → {:?}", evaluation.values());
    // ANCHOR_END: train

    // ANCHOR: figures
    let path = figures_dir().join("my_model.svg");
    history.plot(&path)?; // loss, accuracy, val_loss, val_accuracy against the epoch
    println!("figure: {} (and .png)", path.display());
    // ANCHOR_END: figures

    // ANCHOR: grade
    // CHANGE: the band you expect. HG 7-2's relu model with Adam reaches about 0.87–0.88
    // after five epochs; a grading test would assert the same band.
    let accuracy = evaluation.metric("accuracy").unwrap_or(f64::NAN);
    let figures = [Figure::new(
        "my model: val accuracy",
        accuracy,
        "about 0.875 (HG 7-2, Adam)",
        (0.86, 0.90),
    )];
    println!("\n{}", table(&figures));
    let missed = misses(&figures);
    if !missed.is_empty() {
        println!("outside the band: {}", missed.join("; "));
    }
    // ANCHOR_END: grade
    Ok(())
}
