//! Chapter 7 — saving and restoring a model (모델 저장과 복원).
//!
//! Reproduces 혼자 공부하는 머신러닝+딥러닝 7-3 (신경망 모델 훈련, 모델 저장과 복원). The
//! Keras lines it mirrors:
//!
//! ```python
//! model = model_fn(keras.layers.Dropout(0.3))
//! model.compile(optimizer='adam', loss='sparse_categorical_crossentropy',
//!               metrics=['accuracy'])
//! history = model.fit(train_scaled, train_target, epochs=10, verbose=0,
//!                     validation_data=(val_scaled, val_target))
//! model.save_weights('model.weights.h5')
//! model.save('model-whole.keras')
//!
//! model = model_fn(keras.layers.Dropout(0.3))
//! model.load_weights('model.weights.h5')
//! val_labels = np.argmax(model.predict(val_scaled), axis=-1)
//! print(np.mean(val_labels == val_target))
//!
//! model = keras.models.load_model('model-whole.keras')
//! model.evaluate(val_scaled, val_target)
//! ```
//!
//! Files go to `std::env::temp_dir()/annlab-ch07/`, never into the repository.
//!
//! Run: `cargo run --release --bin ch07_save_restore`

use std::path::{Path, PathBuf};

use annlab::losses::argmax;
use annlab::plot::{figures_dir, line_chart, PlotError};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Figure};
use annlab::saving::{load_model, load_weights, save_model, save_weights};
use ndarray::s;

/// The seed of every run in this chapter: same seed, same figures.
const SEED: u64 = 42;

// ANCHOR: train
/// `compile(optimizer='adam', loss='sparse_categorical_crossentropy',
/// metrics=['accuracy'])`, then `fit(…, epochs=10, validation_data=(val_scaled,
/// val_target))`.
pub fn train(split: &Split, verbose: u8) -> Result<(Sequential, History), ModelError> {
    let mut model = model_fn(SEED, Some(Box::new(Dropout::new(0.3))));
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer(Adam::new())
            .metrics(&["accuracy"]),
    )?;
    let fit = Fit::new(10)
        .verbose(verbose)
        .validation_data(split.val.x(), split.val.y());
    let history = model.fit(split.train.x(), split.train.y(), fit)?;
    Ok((model, history))
}
// ANCHOR_END: train

/// Where the chapter writes its files: `<temp dir>/annlab-ch07`, outside the repository.
pub fn scratch_dir() -> Result<PathBuf, ModelError> {
    let dir = std::env::temp_dir().join("annlab-ch07");
    std::fs::create_dir_all(&dir).map_err(|source| ModelError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    Ok(dir)
}

// ANCHOR: save
/// `model.save_weights('model-weights.safetensors')` and
/// `model.save('model-whole.safetensors')`; returns the two paths.
pub fn save(model: &Sequential, dir: &Path) -> Result<(PathBuf, PathBuf), ModelError> {
    let weights = dir.join("model-weights.safetensors");
    let whole = dir.join("model-whole.safetensors");
    save_weights(model, &weights)?;
    save_model(model, &whole)?;
    Ok((weights, whole))
}
// ANCHOR_END: save

// ANCHOR: val_accuracy
/// `np.mean(np.argmax(model.predict(val_scaled), axis=-1) == val_target)`.
pub fn val_accuracy(model: &mut Sequential, split: &Split) -> Result<f64, ModelError> {
    let y_hat = model.predict(split.val.x())?; // [12000, 10]
    let correct = y_hat
        .rows()
        .into_iter()
        .zip(split.val.y())
        .filter(|(row, &label)| argmax(row.iter().copied()) == label)
        .count();
    Ok(correct as f64 / split.val.y().len() as f64)
}
// ANCHOR_END: val_accuracy

// ANCHOR: load_weights
/// A fresh `model_fn(Dropout(0.3))` with the saved weights: its validation accuracy.
pub fn restored_weights_accuracy(path: &Path, split: &Split) -> Result<f64, ModelError> {
    let mut model = model_fn(SEED, Some(Box::new(Dropout::new(0.3))));
    load_weights(&mut model, path)?;
    val_accuracy(&mut model, split)
}
// ANCHOR_END: load_weights

// ANCHOR: load_model
/// `keras.models.load_model(path).evaluate(val_scaled, val_target)`: no model_fn, no
/// compile — the file holds the architecture and the compile settings.
pub fn restored_model_evaluation(
    path: &Path,
    split: &Split,
) -> Result<Evaluation, ModelError> {
    let mut model = load_model(path)?;
    model.evaluate(split.val.x(), split.val.y(), 0)
}
// ANCHOR_END: load_model

// ANCHOR: resume
/// Training continues exactly where it stopped: on the first `n` training images, fit 2
/// epochs straight, or fit 1, save, `load_model`, fit 1. Returns the two histories'
/// losses and whether the final weights agree bit for bit.
pub fn resume(
    split: &Split,
    n: usize,
    dir: &Path,
) -> Result<(Vec<f64>, Vec<f64>, bool), ModelError> {
    let x = split.train.x().slice(s![..n, .., ..]);
    let y = split.train.y().slice(s![..n]).to_vec();
    let compiled = || -> Result<Sequential, ModelError> {
        let mut model = model_fn(SEED, Some(Box::new(Dropout::new(0.3))));
        let spec = Compile::new("sparse_categorical_crossentropy").optimizer(Adam::new());
        model.compile(spec.metrics(&["accuracy"]))?;
        Ok(model)
    };
    let mut straight = compiled()?;
    straight.fit(&x, &y, Fit::new(1).verbose(0))?;
    let second = straight.fit(&x, &y, Fit::new(1).verbose(0))?;

    let mut first = compiled()?;
    first.fit(&x, &y, Fit::new(1).verbose(0))?;
    let path = dir.join("model-epoch-1.safetensors");
    save_model(&first, &path)?;
    let mut loaded = load_model(&path)?;
    let resumed = loaded.fit(&x, &y, Fit::new(1).verbose(0))?;

    let same = straight.get_weights() == loaded.get_weights();
    let loss = |h: &History| h.get("loss").unwrap_or(&[]).to_vec();
    Ok((loss(&second), loss(&resumed), same))
}
// ANCHOR_END: resume

/// The dropout model's graded figure beside its documented value and band.
pub fn figures(val_accuracy: f64) -> Vec<Figure> {
    vec![Figure::new(
        "HG 7-3 dropout 10 ep val accuracy",
        val_accuracy,
        "0.8775–0.8829 (HG)",
        (0.870, 0.890),
    )]
}

/// The dropout model's loss and val_loss per epoch.
pub fn write_figures(history: &History, dir: &Path) -> Result<(), PlotError> {
    line_chart(
        &dir.join("ch07_dropout_loss.svg"),
        "Dropout(0.3), Adam: loss and val_loss",
        "epoch",
        "loss",
        &[
            ("loss", history.get("loss").unwrap_or(&[])),
            ("val_loss", history.get("val_loss").unwrap_or(&[])),
        ],
    )
}

fn main() -> Result<(), ChapterError> {
    let data = fashion_mnist::load()?;
    let split = hg_split(&data); // 48,000 train / 12,000 validation
    let dir = scratch_dir()?;

    println!("== HG 7-3: model_fn(Dropout(0.3)), Adam, 10 epochs ==\n");
    let (mut model, history) = train(&split, 1)?;
    println!("seconds per epoch: {:.2}", history.mean_seconds());
    let (weights, whole) = save(&model, &dir)?;
    println!("\nsaved {}\n  and {}", weights.display(), whole.display());

    let original = val_accuracy(&mut model, &split)?;
    let restored = restored_weights_accuracy(&weights, &split)?;
    println!("\nval accuracy, original model:             {original:.4}");
    println!("val accuracy, model_fn + load_weights:    {restored:.4}");
    println!(
        "identical to the last bit: {}",
        original.to_bits() == restored.to_bits()
    );

    let evaluation = model.evaluate(split.val.x(), split.val.y(), 0)?;
    let loaded = restored_model_evaluation(&whole, &split)?;
    let acc = |e: &Evaluation| e.metric("accuracy").unwrap_or(f64::NAN);
    println!(
        "\nevaluate, original:   [{:.4}, {:.4}]",
        evaluation.loss,
        acc(&evaluation)
    );
    println!(
        "evaluate, load_model: [{:.4}, {:.4}]",
        loaded.loss,
        acc(&loaded)
    );
    println!("identical to the last bit: {}", evaluation == loaded);

    println!(
        "\n== fit 2 epochs = fit 1, save, load_model, fit 1 (first 4,800 images) ==\n"
    );
    let (straight, resumed) = {
        let (a, b, same) = resume(&split, 4_800, &dir)?;
        println!("weights identical to the last bit: {same}");
        (a, b)
    };
    println!("epoch-2 loss, straight: {:?}", straight);
    println!("epoch-2 loss, resumed:  {:?}", resumed);

    let figures_path = figures_dir();
    write_figures(&history, &figures_path)?;
    println!(
        "\nfigure written to {}/ch07_dropout_loss.svg\n",
        figures_path.display()
    );
    println!("{}", report::table(&figures(original)));
    Ok(())
}
