//! Chapter 6 — loss curves, validation loss and dropout.
//!
//! Reproduces 혼자 공부하는 머신러닝+딥러닝 7-3 (신경망 모델 훈련): 손실 곡선, 검증 손실,
//! 드롭아웃. The Keras lines it mirrors:
//!
//! ```python
//! def model_fn(a_layer=None):
//!     model = keras.Sequential()
//!     model.add(keras.layers.Flatten(input_shape=(28, 28)))
//!     model.add(keras.layers.Dense(100, activation='relu'))
//!     if a_layer:
//!         model.add(a_layer)
//!     model.add(keras.layers.Dense(10, activation='softmax'))
//!     return model
//!
//! model = model_fn()
//! model.compile(loss='sparse_categorical_crossentropy', metrics='accuracy')
//! history = model.fit(train_scaled, train_target, epochs=5, verbose=0)
//! plt.plot(history.history['loss'])                  # then epochs=20: loss, accuracy
//! history = model.fit(train_scaled, train_target, epochs=20, verbose=0,
//!                     validation_data=(val_scaled, val_target))
//! plt.plot(history.history['loss']); plt.plot(history.history['val_loss'])
//! model.compile(optimizer='adam', ...)                # the same, with Adam
//! model = model_fn(keras.layers.Dropout(0.3))         # then Adam, 20 epochs
//! model = model_fn(keras.layers.Dropout(0.3))         # the model HG keeps: 10 epochs
//! model.evaluate(val_scaled, val_target)
//! val_labels = np.argmax(model.predict(val_scaled), axis=-1)
//! print(np.mean(val_labels == val_target))
//! ```
//!
//! Run: `cargo run --release --bin ch06_dropout`

use std::path::Path;

use annlab::losses::argmax;
use annlab::plot::{figures_dir, line_chart, PlotError};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Figure, Run};

/// The seed of every run in this chapter: same seed, same figures.
const SEED: u64 = 42;

// ANCHOR: loss_curve
/// `compile(loss='sparse_categorical_crossentropy', metrics='accuracy')` (RMSprop), then
/// `history = model.fit(train_scaled, train_target, epochs=epochs, verbose=0)`.
pub fn loss_curve(
    split: &Split,
    epochs: usize,
    seed: u64,
) -> Result<History, ModelError> {
    let mut model = model_fn(seed, None);
    model.compile(
        Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]),
    )?;
    model.fit(
        split.train.x(),
        split.train.y(),
        Fit::new(epochs).verbose(0),
    )
}
// ANCHOR_END: loss_curve

// ANCHOR: with_validation
/// `compile(optimizer=optimizer, ...)`, `fit(..., epochs=epochs, verbose=0,
/// validation_data=(val_scaled, val_target))`, then `evaluate(val_scaled, val_target)`.
pub fn fit_with_validation(
    model: &mut Sequential,
    optimizer: &str,
    epochs: usize,
    split: &Split,
) -> Result<Run, ModelError> {
    let summary = model.summary()?;
    let loss = Compile::new("sparse_categorical_crossentropy");
    model.compile(loss.optimizer_name(optimizer).metrics(&["accuracy"]))?;
    let (val_x, val_y) = (split.val.x(), split.val.y());
    let fit = Fit::new(epochs).verbose(0).validation_data(val_x, val_y);
    let history = model.fit(split.train.x(), split.train.y(), fit)?;
    let evaluation = model.evaluate(val_x, val_y, 0)?;
    Ok(Run {
        summary,
        history,
        evaluation,
    })
}
// ANCHOR_END: with_validation

// ANCHOR: predicted_accuracy
/// `np.mean(np.argmax(model.predict(x), axis=-1) == y)`: predict runs without dropout.
pub fn predicted_accuracy(
    model: &mut Sequential,
    x: &Array3<f32>,
    y: &Array1<usize>,
) -> Result<f64, ModelError> {
    let y_hat = model.predict(x)?; // [n, 10]
    let rows = y_hat.rows().into_iter().zip(y);
    let correct = rows.filter(|(row, &label)| argmax(row.iter().copied()) == label);
    Ok(correct.count() as f64 / y.len() as f64)
}
// ANCHOR_END: predicted_accuracy

/// Where a run's val_loss bottoms out and how far it has climbed back by the end.
#[derive(Debug, Clone, Copy)]
pub struct Rise {
    /// 1-based epoch of the smallest val_loss (the first one on ties)
    pub best_epoch: usize,
    pub min: f64,
    pub last: f64,
}

impl Rise {
    /// The val_loss curve of `history`; `None` without validation data.
    pub fn of(history: &History) -> Option<Rise> {
        let v = history.get("val_loss")?;
        let (i, &min) = v.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1))?;
        let last = *v.last()?;
        Some(Rise {
            best_epoch: i + 1,
            min,
            last,
        })
    }

    /// val_loss(last epoch) − min val_loss: how much the model overfitted since its best.
    pub fn rise(&self) -> f64 {
        self.last - self.min
    }
}

/// The table of val_loss minima: one row per run, beside Keras 3's seed-42 run.
pub fn rise_table(runs: &[(&str, &Run, &str)]) -> String {
    let mut out = format!(
        "{:<14}  {:>9}  {:>8}  {:>8}  {:>6}  K3 (seed 42)\n",
        "run", "min epoch", "min", "last", "rise"
    );
    for (name, run, k3) in runs {
        if let Some(r) = Rise::of(&run.history) {
            out += &format!(
                "{name:<14}  {:>9}  {:>8.4}  {:>8.4}  {:>6.4}  {k3}\n",
                r.best_epoch,
                r.min,
                r.last,
                r.rise()
            );
        }
    }
    out
}

/// The kept dropout model's figures beside the reference bands.
pub fn figures(kept: &Run) -> Vec<Figure> {
    vec![Figure::new(
        "HG 7-3 dropout 10 ep val accuracy",
        kept.accuracy(),
        "0.8775–0.8829 (HG)",
        (0.870, 0.890),
    )]
}

/// `ch06_loss.svg` (the 5-epoch loss) and `ch06_loss_accuracy.svg` (20 epochs).
pub fn write_loss_figures(
    five: &History,
    twenty: &History,
    dir: &Path,
) -> Result<(), PlotError> {
    let get = |h: &History, key| h.get(key).unwrap_or(&[]).to_vec();
    let path = dir.join("ch06_loss.svg");
    line_chart(
        &path,
        "loss, 5 epochs",
        "epoch",
        "loss",
        &[("loss", &get(five, "loss"))],
    )?;
    let (loss, accuracy) = (get(twenty, "loss"), get(twenty, "accuracy"));
    line_chart(
        &dir.join("ch06_loss_accuracy.svg"),
        "loss and accuracy, 20 epochs",
        "epoch",
        "loss / accuracy",
        &[("loss", &loss), ("accuracy", &accuracy)],
    )
}

/// `ch06_{name}_val_loss.svg`: a run's loss against its val_loss.
pub fn write_val_loss_figure(run: &Run, name: &str, dir: &Path) -> Result<(), PlotError> {
    let get = |key| run.history.get(key).unwrap_or(&[]);
    line_chart(
        &dir.join(format!("ch06_{name}_val_loss.svg")),
        &format!("{name}: loss and val_loss"),
        "epoch",
        "loss",
        &[("train", get("loss")), ("val", get("val_loss"))],
    )
}

fn main() -> Result<(), ChapterError> {
    let data = fashion_mnist::load()?;
    let split = hg_split(&data); // 48,000 train / 12,000 validation
    println!("{}", model_fn(SEED, None).summary()?);

    // ANCHOR: cells
    let five = loss_curve(&split, 5, SEED)?;
    let twenty = loss_curve(&split, 20, SEED)?;
    let rmsprop = fit_with_validation(&mut model_fn(SEED, None), "rmsprop", 20, &split)?;
    let adam = fit_with_validation(&mut model_fn(SEED, None), "adam", 20, &split)?;
    let with_dropout = || model_fn(SEED, Some(Box::new(Dropout::new(0.3))));
    let dropout = fit_with_validation(&mut with_dropout(), "adam", 20, &split)?;
    let mut model = with_dropout(); // the model HG keeps: 10 epochs
    let kept = fit_with_validation(&mut model, "adam", 10, &split)?;
    let predicted = predicted_accuracy(&mut model, split.val.x(), split.val.y())?;
    // ANCHOR_END: cells

    println!("5 epochs, loss: {:.4?}", five.get("loss").unwrap_or(&[]));
    let same = twenty.get("loss") == rmsprop.history.get("loss");
    println!("20 epochs without validation_data train as with it: {same}\n");
    println!("{}", dropout.summary);
    println!(
        "epoch  rmsprop loss  val_loss  adam loss  val_loss  dropout loss  val_loss"
    );
    for e in 0..rmsprop.history.epochs() {
        let get = |r: &Run, k: &str| r.history.get(k).map_or(f64::NAN, |v| v[e]);
        let row =
            [&rmsprop, &adam, &dropout].map(|r| (get(r, "loss"), get(r, "val_loss")));
        let [(a, b), (c, d), (f, g)] = row;
        println!(
            "{:>5}  {a:>12.4}  {b:>8.4}  {c:>9.4}  {d:>8.4}  {f:>12.4}  {g:>8.4}",
            e + 1
        );
    }
    println!(
        "\n{}",
        rise_table(&[
            ("rmsprop", &rmsprop, "3; 0.376 → 0.499"),
            ("adam", &adam, "8; 0.339 → 0.389"),
            ("dropout+adam", &dropout, "0.321 → 0.340; val acc 0.8814"),
        ])
    );
    let e = &kept.evaluation;
    println!(
        "kept dropout model, evaluate → loss {:.4}, accuracy {:.4}",
        e.loss,
        kept.accuracy()
    );
    println!("mean(argmax(predict(val)) == val_target) = {predicted:.4}\n");

    let dir = figures_dir();
    write_loss_figures(&five, &twenty, &dir)?;
    for (run, name) in [
        (&rmsprop, "rmsprop"),
        (&adam, "adam"),
        (&dropout, "dropout"),
    ] {
        write_val_loss_figure(run, name, &dir)?;
    }
    println!("figures written to {}/ch06_*.svg\n", dir.display());
    println!("{}", report::table(&figures(&kept)));
    let runs = [&rmsprop, &adam, &dropout, &kept];
    let [r, a, d, k] = runs.map(|r| r.history.mean_seconds());
    println!(
        "seconds per epoch: rmsprop {r:.2}, adam {a:.2}, dropout {d:.2}, kept {k:.2}"
    );
    Ok(())
}
