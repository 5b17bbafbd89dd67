//! Chapter 8 — callbacks (콜백): code that runs inside `fit`.
//!
//! Reproduces 혼자 공부하는 머신러닝+딥러닝 7-3 (신경망 모델 훈련, 콜백); HOML 10's own
//! callbacks are in `ch08_custom_callbacks`. The Keras lines it mirrors:
//!
//! ```python
//! model = model_fn(keras.layers.Dropout(0.3))
//! model.compile(optimizer='adam', loss='sparse_categorical_crossentropy',
//!               metrics='accuracy')
//! early_stopping_cb = keras.callbacks.EarlyStopping(patience=2,
//!                                                   restore_best_weights=True)
//! history = model.fit(train_scaled, train_target, epochs=20, verbose=0,
//!                     validation_data=(val_scaled, val_target),
//!                     callbacks=[early_stopping_cb])
//! print(early_stopping_cb.stopped_epoch)
//! plt.plot(history.history['loss']); plt.plot(history.history['val_loss'])
//! model.evaluate(val_scaled, val_target)
//!
//! checkpoint_cb = keras.callbacks.ModelCheckpoint('best-model.keras',
//!                                                 save_best_only=True)
//! model.fit(..., epochs=20, callbacks=[checkpoint_cb])
//! model = keras.models.load_model('best-model.keras')
//! model.evaluate(val_scaled, val_target)
//! ```
//!
//! Run: `cargo run --release --bin ch08_callbacks`

use std::path::Path;

use annlab::plot::{figures_dir, xy_chart, PlotError};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Figure, Run};

/// The seed of every run in this chapter: same seed, same figures.
const SEED: u64 = 42;

/// The dropout model compiled as HG compiles it: Adam, sparse cross-entropy, accuracy.
pub fn dropout_model(seed: u64) -> Result<Sequential, ModelError> {
    let mut model = model_fn(seed, Some(Box::new(Dropout::new(0.3))));
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer_name("adam")
            .metrics(&["accuracy"]),
    )?;
    Ok(model)
}

/// The early-stopping run: the trained model's figures and where it stopped.
pub struct EarlyStop {
    /// History of the epochs run; `evaluate` on the validation set after the restore.
    pub run: Run,
    /// 0-based epoch at which training stopped (0 when it ran all 20).
    pub stopped_epoch: usize,
    /// 0-based epoch whose weights were restored.
    pub best_epoch: usize,
}

// ANCHOR: early_stopping
/// HG 7-3: up to 20 epochs with validation, stopped by
/// `EarlyStopping(patience=2, restore_best_weights=True)`, then `evaluate`.
pub fn early_stopping(split: &Split, verbose: u8) -> Result<EarlyStop, ModelError> {
    let mut model = dropout_model(SEED)?;
    let summary = model.summary()?;
    let mut early_stopping_cb =
        EarlyStopping::new().patience(2).restore_best_weights(true);
    let history = model.fit(
        split.train.x(),
        split.train.y(),
        Fit::new(20)
            .verbose(verbose)
            .validation_data(split.val.x(), split.val.y())
            .callback(&mut early_stopping_cb),
    )?;
    let evaluation = model.evaluate(split.val.x(), split.val.y(), verbose)?;
    Ok(EarlyStop {
        run: Run {
            summary,
            history,
            evaluation,
        },
        stopped_epoch: early_stopping_cb.stopped_epoch(),
        best_epoch: early_stopping_cb.best_epoch(),
    })
}
// ANCHOR_END: early_stopping

// ANCHOR: checkpoint
/// HG 7-3: `ModelCheckpoint('best-model.keras', save_best_only=True)` on 20 epochs with
/// validation, then `load_model` of the best epoch and `evaluate`. Returns the run (its
/// evaluation is the reloaded model's), the best epoch (0-based) and the number of
/// times the checkpoint was written.
pub fn checkpoint(
    split: &Split,
    dir: &Path,
    verbose: u8,
) -> Result<(Run, usize, usize), ModelError> {
    let path = dir.join("best-model.safetensors"); // the whole model, not `.weights.…`
    let mut model = dropout_model(SEED)?;
    let mut checkpoint_cb = ModelCheckpoint::new(&path).save_best_only(true);
    let history = model.fit(
        split.train.x(),
        split.train.y(),
        Fit::new(20)
            .verbose(verbose)
            .validation_data(split.val.x(), split.val.y())
            .callback(&mut checkpoint_cb),
    )?;
    let mut best = annlab::saving::load_model(&path)?;
    let evaluation = best.evaluate(split.val.x(), split.val.y(), verbose)?;
    let summary = best.summary()?;
    let best_epoch = checkpoint_cb.best_epoch().unwrap_or(0);
    let run = Run {
        summary,
        history,
        evaluation,
    };
    Ok((run, best_epoch, checkpoint_cb.writes()))
}

/// The reloaded best model's figures beside their documented values and bands.
pub fn checkpoint_figures(run: &Run) -> Vec<Figure> {
    vec![
        Figure::new(
            "HG 7-3 checkpoint best val loss",
            run.evaluation.loss,
            "0.312–0.322 (HG)",
            (0.300, 0.335),
        ),
        Figure::new(
            "HG 7-3 checkpoint best val accuracy",
            run.accuracy(),
            "0.8848–0.8871 (HG)",
            (0.878, 0.895),
        ),
    ]
}
// ANCHOR_END: checkpoint

/// The early-stopping run's figures beside their documented values and bands.
pub fn early_stopping_figures(es: &EarlyStop) -> Vec<Figure> {
    vec![
        Figure::new(
            "HG 7-3 early stopping val loss",
            es.run.evaluation.loss,
            "0.3228–0.3299 (HG)",
            (0.310, 0.340),
        ),
        Figure::new(
            "HG 7-3 early stopping val accuracy",
            es.run.accuracy(),
            "0.8788–0.8859 (HG)",
            (0.872, 0.892),
        ),
    ]
}

/// Loss and val_loss per epoch (1-based, as HG's plot reads), with vertical marks at the
/// best epoch and at the epoch where training stopped.
pub fn write_figure(es: &EarlyStop, dir: &Path) -> Result<(), PlotError> {
    let points = |key: &str| -> Vec<(f64, f64)> {
        let ys = es.run.history.get(key).unwrap_or(&[]);
        ys.iter()
            .enumerate()
            .map(|(i, &y)| ((i + 1) as f64, y))
            .collect()
    };
    let (loss, val_loss) = (points("loss"), points("val_loss"));
    let all = loss.iter().chain(&val_loss).map(|p| p.1);
    let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let mark = |epoch: usize| vec![((epoch + 1) as f64, lo), ((epoch + 1) as f64, hi)];
    let (best, stop) = (mark(es.best_epoch), mark(es.stopped_epoch));
    let best_label = format!("best epoch {} (restored)", es.best_epoch + 1);
    let stop_label = format!("stopped at epoch {}", es.stopped_epoch + 1);
    xy_chart(
        &dir.join("ch08_early_stopping.svg"),
        "EarlyStopping(patience=2, restore_best_weights=True)",
        "epoch",
        "loss",
        &[
            ("train", &loss),
            ("val", &val_loss),
            (&best_label, &best),
            (&stop_label, &stop),
        ],
    )
}

fn main() -> Result<(), ChapterError> {
    let data = fashion_mnist::load()?;
    let split = hg_split(&data); // 48,000 train / 12,000 validation

    println!("== HG 7-3: EarlyStopping(patience=2, restore_best_weights=True) ==\n");
    let es = early_stopping(&split, 0)?;
    println!("{}", es.run.summary);
    println!("stopped_epoch: {}", es.stopped_epoch);
    println!("best epoch (0-based, restored): {}\n", es.best_epoch);
    println!("epoch      loss  val_loss  val_accuracy");
    let h = &es.run.history;
    for epoch in 0..h.epochs() {
        let get = |key: &str| h.get(key).map_or(f64::NAN, |v| v[epoch]);
        println!(
            "{:>5}  {:>8.4}  {:>8.4}  {:>12.4}",
            epoch + 1,
            get("loss"),
            get("val_loss"),
            get("val_accuracy")
        );
    }
    println!(
        "\nevaluate → loss {:.4}, accuracy {:.4}\n",
        es.run.evaluation.loss,
        es.run.accuracy()
    );
    let dir = figures_dir();
    write_figure(&es, &dir)?;
    println!(
        "figure written to {}/ch08_early_stopping.svg\n",
        dir.display()
    );

    println!(
        "== HG 7-3: ModelCheckpoint('best-model', save_best_only=True), 20 epochs ==\n"
    );
    let scratch = std::env::temp_dir().join("annlab-ch08");
    std::fs::create_dir_all(&scratch)?;
    let (best, best_epoch, writes) = checkpoint(&split, &scratch, 0)?;
    println!(
        "checkpoint written {writes} times; best epoch (1-based): {}",
        best_epoch + 1
    );
    println!(
        "load_model(best) → evaluate → loss {:.4}, accuracy {:.4}\n",
        best.evaluation.loss,
        best.accuracy()
    );

    let mut figures = early_stopping_figures(&es);
    figures.extend(checkpoint_figures(&best));
    println!("\n{}", report::table(&figures));
    println!("seconds per epoch: {:.2}", es.run.history.mean_seconds());
    Ok(())
}
