//! Chapter 14 — the toolbox against overfitting: L2 and L1 regularization, batch
//! normalization, data augmentation, more data, and reusing a trained layer.
//!
//! The lecture notes' 과대적합 (overfitting) remedies on HG 7-2's relu model, each run
//! the same way (Adam, 10 epochs, batch 32, the HG split). The Keras lines it mirrors:
//!
//! ```python
//! keras.layers.Dense(100, activation='relu', kernel_regularizer=keras.regularizers.l2(1e-3))
//! keras.layers.Dense(100, activation='relu', kernel_regularizer=keras.regularizers.l1(1e-4))
//! model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
//!                           keras.layers.Dense(100),
//!                           keras.layers.BatchNormalization(),
//!                           keras.layers.Activation('relu'),
//!                           keras.layers.Dense(10, activation='softmax')])
//! model = keras.Sequential([keras.Input((28, 28)),
//!                           keras.layers.RandomFlip('horizontal'),
//!                           keras.layers.RandomTranslation(0.1, 0.1),
//!                           keras.layers.Flatten(), ...])
//! model.fit(train_scaled[:4800], train_target[:4800], ...)   # 10 % of the data
//! reused.layers[1].set_weights(plain.layers[1].get_weights())
//! reused.layers[1].trainable = False
//! model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
//! history = model.fit(train_scaled, train_target, epochs=10,
//!                     validation_data=(val_scaled, val_target))
//! model.evaluate(val_scaled, val_target)
//! ```
//!
//! Run: `cargo run --release --bin ch14_regularization`

use std::path::Path;

use annlab::datasets::Subset;
use annlab::plot::{figures_dir, line_chart, PlotError};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Figure};
use ndarray::s;

/// The seed of every run in this chapter: same seed, same figures.
pub const SEED: u64 = 42;

/// How many training images the small-data runs keep: the first 10 %.
pub const SMALL: usize = 4_800;

/// One remedy, in the order the chapter runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// The relu-100 model as HG 7-2 builds it.
    Plain,
    /// `kernel_regularizer=l2(1e-3)` on both Dense layers.
    L2,
    /// `kernel_regularizer=l1(1e-4)` on both Dense layers.
    L1,
    /// Dense(100) → BatchNormalization → Activation(relu) → Dense(10, softmax).
    BatchNorm,
    /// RandomFlip("horizontal") and RandomTranslation(0.1, 0.1) before Flatten.
    Augment,
    /// The plain model trained on the first 4,800 images only.
    LessData,
    /// The plain model's trained hidden layer, frozen, under a fresh output layer,
    /// trained on the same 4,800 images.
    Reuse,
}

impl Remedy {
    pub const ALL: [Remedy; 7] = [
        Remedy::Plain,
        Remedy::L2,
        Remedy::L1,
        Remedy::BatchNorm,
        Remedy::Augment,
        Remedy::LessData,
        Remedy::Reuse,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Remedy::Plain => "no regularization",
            Remedy::L2 => "L2(1e-3)",
            Remedy::L1 => "L1(1e-4)",
            Remedy::BatchNorm => "batch normalization",
            Remedy::Augment => "flip + translation",
            Remedy::LessData => "10 % of the data",
            Remedy::Reuse => "10 %, reused frozen layer",
        }
    }
}

// ANCHOR: models
/// The model of each remedy, its weights drawn from `seed` (`Reuse` is built by
/// `reuse_hidden_layer` from a trained plain model).
pub fn build(remedy: Remedy, seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    if remedy == Remedy::Augment {
        // active only inside fit: evaluate and predict see the images as they are
        model.add(RandomFlip::new("horizontal").input_shape(&[28, 28]));
        model.add(RandomTranslation::new(0.1, 0.1));
        model.add(Flatten::new());
    } else {
        model.add(Flatten::new().input_shape(&[28, 28]));
    }
    let penalty = match remedy {
        Remedy::L2 => Some(l2(1e-3)),
        Remedy::L1 => Some(l1(1e-4)),
        _ => None,
    };
    let dense = |units: usize, activation: Activation| {
        let layer = Dense::new(units).activation(activation);
        match penalty {
            Some(p) => layer.kernel_regularizer(p),
            None => layer,
        }
    };
    if remedy == Remedy::BatchNorm {
        // normalise z = x·W + b over the batch, then apply relu
        model.add(Dense::new(100));
        model.add(BatchNormalization::new());
        model.add(ActivationLayer::new(Activation::Relu));
    } else {
        model.add(dense(100, Activation::Relu));
    }
    model.add(dense(10, Activation::Softmax));
    model
}
// ANCHOR_END: models

// ANCHOR: reuse
/// A fresh plain model whose hidden layer holds `trained`'s hidden-layer weights
/// (copied by layer name), frozen: only the output layer's 1,010 weights train.
pub fn reuse_hidden_layer(
    trained: &Sequential,
    seed: u64,
) -> Result<Sequential, ModelError> {
    let mut model = build(Remedy::Plain, seed);
    model.copy_layer_weights_from(trained, &["dense"])?;
    model.set_trainable("dense", false)?;
    Ok(model)
}
// ANCHOR_END: reuse

/// A remedy's run: its History, `evaluate` on the images it trained on and on the
/// validation set.
pub struct RemedyRun {
    pub remedy: Remedy,
    pub history: History,
    pub train: Evaluation,
    pub val: Evaluation,
}

impl RemedyRun {
    pub fn train_accuracy(&self) -> f64 {
        self.train.metric("accuracy").unwrap_or(f64::NAN)
    }
    pub fn val_accuracy(&self) -> f64 {
        self.val.metric("accuracy").unwrap_or(f64::NAN)
    }
    /// Train minus validation accuracy of the final model: how much better it does on
    /// the images it has seen.
    pub fn gap(&self) -> f64 {
        self.train_accuracy() - self.val_accuracy()
    }
}

/// The first `n` training images and labels.
pub fn first(split: &Split, n: usize) -> Result<Subset, ModelError> {
    let n = n.min(split.train.len());
    Subset::new(
        split.train.x().slice(s![..n, .., ..]).to_owned(),
        split.train.y().slice(s![..n]).to_owned(),
    )
    .map_err(|e| ModelError::Data {
        what: "the first images of the training set".into(),
        expected: "a valid subset".into(),
        found: e.to_string(),
    })
}

// ANCHOR: fit
/// Compiles `model` with Adam, fits 10 epochs on `train` with the validation set, and
/// evaluates it on both; returns the run and the trained model.
pub fn fit_remedy(
    remedy: Remedy,
    mut model: Sequential,
    train: &Subset,
    split: &Split,
    verbose: u8,
) -> Result<(RemedyRun, Sequential), ModelError> {
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer_name("adam")
            .metrics(&["accuracy"]),
    )?;
    let history = model.fit(
        train.x(),
        train.y(),
        Fit::new(10)
            .verbose(verbose)
            .validation_data(split.val.x(), split.val.y()),
    )?;
    let train_eval = model.evaluate(train.x(), train.y(), 0)?;
    let val = model.evaluate(split.val.x(), split.val.y(), 0)?;
    let run = RemedyRun {
        remedy,
        history,
        train: train_eval,
        val,
    };
    Ok((run, model))
}
// ANCHOR_END: fit

/// One remedy's run and its trained model; `Reuse` needs the trained plain model.
pub fn run(
    remedy: Remedy,
    split: &Split,
    small: &Subset,
    plain: Option<&Sequential>,
    seed: u64,
    verbose: u8,
) -> Result<(RemedyRun, Sequential), ModelError> {
    match remedy {
        Remedy::LessData => {
            fit_remedy(remedy, build(Remedy::Plain, seed), small, split, verbose)
        }
        Remedy::Reuse => {
            let trained = plain.ok_or_else(|| ModelError::Data {
                what: "the reuse run".into(),
                expected: "the trained plain model".into(),
                found: "none".into(),
            })?;
            fit_remedy(
                remedy,
                reuse_hidden_layer(trained, seed)?,
                small,
                split,
                verbose,
            )
        }
        _ => fit_remedy(remedy, build(remedy, seed), &split.train, split, verbose),
    }
}

/// Every remedy in order (the plain run first, so that `Reuse` has its model), and the
/// last run's model (the reused one).
pub fn run_all(
    split: &Split,
    seed: u64,
    verbose: u8,
) -> Result<(Vec<RemedyRun>, Sequential), ModelError> {
    let small = first(split, SMALL)?;
    let mut runs: Vec<RemedyRun> = Vec::new();
    let mut plain: Option<Sequential> = None;
    let mut last = None;
    for remedy in Remedy::ALL {
        if verbose > 0 {
            println!("== {} ==", remedy.label());
        }
        let (run, model) = run(remedy, split, &small, plain.as_ref(), seed, verbose)?;
        runs.push(run);
        if remedy == Remedy::Plain {
            plain = Some(model);
        } else {
            last = Some(model);
        }
    }
    let last = last.ok_or_else(|| ModelError::Data {
        what: "the chapter's runs".into(),
        expected: "seven".into(),
        found: "only the plain run".into(),
    })?;
    Ok((runs, last))
}

/// The chapter's table: train and validation accuracy, the gap, validation loss.
pub fn results_table(runs: &[RemedyRun]) -> String {
    let w = runs
        .iter()
        .map(|r| r.remedy.label().chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut out = format!(
        "{:<w$}  {:>9}  {:>7}  {:>7}  {:>8}\n",
        "remedy", "train acc", "val acc", "gap", "val loss"
    );
    for r in runs {
        out += &format!(
            "{:<w$}  {:>9.4}  {:>7.4}  {:>7.4}  {:>8.4}\n",
            r.remedy.label(),
            r.train_accuracy(),
            r.val_accuracy(),
            r.gap(),
            r.val.loss
        );
    }
    out
}

/// The toolbox table of `book/src/reference.md`: Keras 3's validation accuracy (seeds
/// 42 and 7) and the accepted band, for the remedies Keras 3 was run with.
pub fn reference(remedy: Remedy) -> Option<(&'static str, (f64, f64))> {
    Some(match remedy {
        Remedy::Plain => ("0.8794 / 0.8854 (K3)", (0.865, 0.895)),
        Remedy::L2 => ("0.8496 / 0.8613 (K3)", (0.835, 0.876)),
        Remedy::L1 => ("0.8639 / 0.8735 (K3)", (0.849, 0.888)),
        Remedy::BatchNorm => ("0.8706 / 0.8755 (K3)", (0.856, 0.890)),
        Remedy::Augment => ("0.8395 / 0.8352 (K3)", (0.820, 0.855)),
        Remedy::LessData => ("0.8382 / 0.8370 (K3)", (0.822, 0.852)),
        Remedy::Reuse => return None,
    })
}

/// Each graded run's validation accuracy beside Keras 3's and its band.
pub fn figures(runs: &[RemedyRun]) -> Vec<Figure> {
    runs.iter()
        .filter_map(|r| {
            let (documented, band) = reference(r.remedy)?;
            Some(Figure::new(
                &format!("{} val acc", r.remedy.label()),
                r.val_accuracy(),
                documented,
                band,
            ))
        })
        .collect()
}

/// History's accuracy − val_accuracy per epoch, one line per remedy: the gap opening
/// (or not) as training goes on.
pub fn write_gap_figure(runs: &[RemedyRun], path: &Path) -> Result<(), PlotError> {
    let gaps: Vec<Vec<f64>> = runs
        .iter()
        .map(|r| {
            let acc = r.history.get("accuracy").unwrap_or(&[]);
            let val = r.history.get("val_accuracy").unwrap_or(&[]);
            acc.iter().zip(val).map(|(a, v)| a - v).collect()
        })
        .collect();
    let series: Vec<(&str, &[f64])> = runs
        .iter()
        .zip(&gaps)
        .map(|(r, g)| (r.remedy.label(), g.as_slice()))
        .collect();
    line_chart(
        path,
        "accuracy − val_accuracy per epoch",
        "epoch",
        "gap",
        &series,
    )
}

fn main() -> Result<(), ChapterError> {
    let data = fashion_mnist::load()?;
    let split = hg_split(&data); // 48,000 train / 12,000 validation

    // ANCHOR: summaries
    println!("{}", build(Remedy::BatchNorm, SEED).summary()?);
    println!("{}", build(Remedy::Augment, SEED).summary()?);
    // ANCHOR_END: summaries

    // ANCHOR: runs
    let (runs, mut reused) = run_all(&split, SEED, 1)?;
    println!("{}", results_table(&runs));
    // ANCHOR_END: runs

    // ANCHOR: reused_summary
    println!("{}", reused.summary()?); // the frozen hidden layer: 78,500 non-trainable
                                       // ANCHOR_END: reused_summary

    let dir = figures_dir();
    write_gap_figure(&runs, &dir.join("ch14_gap.svg"))?;
    println!("figures written to {}/ch14_*.svg\n", dir.display());

    println!("{}", report::table(&figures(&runs)));
    Ok(())
}
