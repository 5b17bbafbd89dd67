//! Chapter 8, part 2 — callbacks of one's own (Hands-On ML 10), and the library's
//! LambdaCallback, CSVLogger and ReduceLROnPlateau. HG 7-3's EarlyStopping and
//! ModelCheckpoint are in `ch08_callbacks`. The Keras lines it mirrors:
//!
//! ```python
//! class PrintValTrainRatioCallback(keras.callbacks.Callback):
//!     def on_epoch_end(self, epoch, logs):
//!         ratio = logs["val_loss"] / logs["loss"]
//!         print(f"Epoch={epoch}, val/train={ratio:.2f}")
//!
//! history = model.fit(X_train, y_train, epochs=3, validation_data=(X_valid, y_valid),
//!                     callbacks=[PrintValTrainRatioCallback(),
//!                                keras.callbacks.LambdaCallback(on_epoch_end=...),
//!                                keras.callbacks.CSVLogger("training.csv")])
//! keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1,
//!                                   min_delta=0.05)
//! ```
//!
//! Run: `cargo run --release --bin ch08_custom_callbacks`

use std::path::Path;

use annlab::prelude::*;
use annlab::report::ChapterError;

/// The seed of every run in this chapter: same seed, same figures.
const SEED: u64 = 42;

// HOML's callback of one's own, shared with `ch12_regression_callbacks`.
#[path = "shared/print_val_train_ratio.rs"]
mod print_val_train_ratio;
pub use print_val_train_ratio::PrintValTrainRatioCallback;

/// The first `n` training images and labels: the callback demonstrations below train on
/// a tenth of the data, since they show hooks, not accuracy.
pub fn first(split: &Split, n: usize) -> (Array3<f32>, Array1<usize>) {
    (
        split.train.x().slice(s![..n, .., ..]).to_owned(),
        split.train.y().slice(s![..n]).to_owned(),
    )
}

// ANCHOR: custom
/// Three epochs on 4,800 images with the learner's callback, a `LambdaCallback` that
/// collects each epoch's accuracy, and a `CSVLogger` writing `csv_path`.
pub fn custom_callbacks(
    split: &Split,
    csv_path: &Path,
) -> Result<(PrintValTrainRatioCallback, Vec<f64>), ModelError> {
    let (x, y) = first(split, 4_800);
    // Flatten → Dense(100, relu) → Dense(10, softmax)
    let mut model = model_fn(SEED, None);
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer_name("adam")
            .metrics(&["accuracy"]),
    )?;
    let mut ratio_cb = PrintValTrainRatioCallback::default();
    let mut accuracies = Vec::new();
    let mut lambda_cb = LambdaCallback::new().on_epoch_end(|_epoch, logs| {
        accuracies.push(logs.get("accuracy").unwrap_or(0.0))
    });
    let mut csv_cb = CSVLogger::new(csv_path);
    model.fit(
        &x,
        &y,
        Fit::new(3)
            .verbose(0)
            .validation_data(split.val.x(), split.val.y())
            .callback(&mut ratio_cb)
            .callback(&mut lambda_cb)
            .callback(&mut csv_cb),
    )?;
    drop(lambda_cb); // gives `accuracies` back
    Ok((ratio_cb, accuracies))
}
// ANCHOR_END: custom

// ANCHOR: plateau
/// `ReduceLROnPlateau(monitor='loss', factor=0.5, patience=1, min_delta=0.05)` on
/// SGD(0.1) with 4,800 images for 8 epochs: once the loss falls by less than 0.05 an
/// epoch, the rate halves. Returns each epoch's loss and the rate it trained with.
pub fn reduce_lr(split: &Split) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
    let (x, y) = first(split, 4_800);
    // Flatten → Dense(100, relu) → Dense(10, softmax)
    let mut model = model_fn(SEED, None);
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer(SGD::new().learning_rate(0.1))
            .metrics(&["accuracy"]),
    )?;
    let mut plateau_cb = ReduceLROnPlateau::new()
        .monitor("loss")
        .factor(0.5)
        .patience(1)
        .min_delta(0.05);
    let history = model.fit(&x, &y, Fit::new(8).verbose(0).callback(&mut plateau_cb))?;
    let losses = history.get("loss").unwrap_or(&[]).to_vec();
    Ok((losses, plateau_cb.learning_rates().to_vec()))
}
// ANCHOR_END: plateau

fn main() -> Result<(), ChapterError> {
    let data = fashion_mnist::load()?;
    let split = hg_split(&data); // 48,000 train / 12,000 validation

    println!("== a callback of one's own, LambdaCallback, CSVLogger ==\n");
    let csv_path = std::env::temp_dir().join("annlab-ch08-training.csv");
    let (_ratio_cb, accuracies) = custom_callbacks(&split, &csv_path)?;
    let accuracies: Vec<String> = accuracies.iter().map(|a| format!("{a:.4}")).collect();
    println!(
        "LambdaCallback collected accuracy: [{}]",
        accuracies.join(", ")
    );
    let csv = std::fs::read_to_string(&csv_path)?;
    println!(
        "\nhead of {}:",
        csv_path
            .file_name()
            .map_or("".into(), |f| f.to_string_lossy())
    );
    for line in csv.lines().take(3) {
        println!("{line}");
    }

    println!("\n== ReduceLROnPlateau(monitor='loss', factor=0.5, patience=1, min_delta=0.05) ==\n");
    let (losses, rates) = reduce_lr(&split)?;
    println!("epoch    loss  learning rate");
    for (epoch, (loss, lr)) in losses.iter().zip(&rates).enumerate() {
        println!("{:>5}  {loss:.4}  {lr}", epoch + 1);
    }
    Ok(())
}
