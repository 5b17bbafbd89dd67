//! Checks of `exercises/ex10_early_stopping.rs`: a small deterministic model trained
//! twice per case, once with the library's `EarlyStopping` (Keras 3's rule) and once
//! with the learner's, same seed — the epochs run and the final weights must agree —
//! then the callback driven by hand-written `val_loss` figures with ties, which real
//! training seldom produces.
use ndarray::{s, Array2, ArrayD};

use crate::activations::Activation;
use crate::callbacks::{Callback, Context, EarlyStopping, Logs};
use crate::error::ModelError;
use crate::exercises::{close, ensure, Checked, Tol, Verdict};
use crate::layers::Dense;
use crate::model::{Model, Sequential};
use crate::optimizers::{Adam, SGD};
use crate::train::{Compile, Fit, Train};

/// Makes the learner's `EarlyStopping::new(patience, restore_best_weights)`.
pub type Make = fn(usize, bool) -> Box<dyn Callback>;

/// The seed of every toy model: the same initial weights and batches for both runs.
const SEED: u64 = 42;

/// One training run to compare.
struct Case {
    patience: usize,
    restore: bool,
    /// `fit`'s `epochs`
    max_epochs: usize,
    /// Adam's learning rate: under 0.05 val_loss falls with bumps (patience 0 stops
    /// after 15 epochs, patience 2 after 28); under 0.002 it falls every epoch of 6
    learning_rate: f32,
}

/// The toy problem of `EarlyStopping`'s doc example: 64 points of the plane labelled by
/// which side of a wavy line they fall, 48 to train `[48, 2]`, 16 to validate.
struct Toy {
    x_train: Array2<f32>,
    y_train: Vec<usize>,
    x_val: Array2<f32>,
    y_val: Vec<usize>,
}

fn toy() -> Toy {
    let x = Array2::from_shape_fn((64, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f32 / 11.0);
    let y: Vec<usize> = (0..64).map(|i| usize::from((i * 7) % 11 > 5)).collect();
    Toy {
        x_train: x.slice(s![..48, ..]).to_owned(),
        y_train: y[..48].to_vec(),
        x_val: x.slice(s![48.., ..]).to_owned(),
        y_val: y[48..].to_vec(),
    }
}

/// What a run left: `val_loss` by epoch (one per epoch run), the final weights by path.
struct Run {
    val_loss: Vec<f64>,
    weights: Vec<(String, ArrayD<f32>)>,
}

/// Dense(16, relu) → Dense(2, softmax), Adam, sparse cross-entropy, trained up to
/// `case.max_epochs` epochs with `callback` watching.
fn train(toy: &Toy, case: &Case, callback: &mut dyn Callback) -> Result<Run, ModelError> {
    let mut model = Sequential::new(SEED);
    model.add(
        Dense::new(16)
            .activation(Activation::Relu)
            .input_shape(&[2]),
    );
    model.add(Dense::new(2).activation(Activation::Softmax));
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer(Adam::new().learning_rate(case.learning_rate)),
    )?;
    let history = model.fit(
        &toy.x_train,
        &toy.y_train,
        Fit::new(case.max_epochs)
            .validation_data(&toy.x_val, &toy.y_val)
            .callback(callback)
            .verbose(0),
    )?;
    let val_loss = history.get("val_loss").unwrap_or_default().to_vec();
    let weights = model
        .weights()
        .iter()
        .map(|w| {
            let value = ArrayD::from_shape_vec(w.shape.clone(), w.value.to_vec());
            value.map(|v| (w.name.clone(), v))
        })
        .collect::<Result<_, _>>()
        .map_err(|e| ModelError::Data {
            what: "a weight of the toy model".into(),
            expected: "values matching its shape".into(),
            found: e.to_string(),
        })?;
    Ok(Run { val_loss, weights })
}

/// Where Keras's rule stopped a run whose figures are `val_loss`, in words.
fn keras_rule(val_loss: &[f64], max_epochs: usize) -> String {
    let ran = val_loss.len();
    if ran == max_epochs {
        return format!("Keras's rule never stops it and runs all {ran}");
    }
    let best = best_epoch(val_loss);
    let after: Vec<String> = (best + 1..ran).map(|e| e.to_string()).collect();
    if after.is_empty() {
        // not reached: the epoch that stops training never improves
        return format!("Keras's rule stops after {ran}");
    }
    format!(
        "Keras's rule stops after {ran}: its best val_loss, {:.4} at epoch {best}, was \
         not beaten at epoch{} {}",
        val_loss[best],
        if after.len() > 1 { "s" } else { "" },
        after.join(", ")
    )
}

/// `…, 24: 0.0771, 25: 0.0678, 26: 0.0708, …`: the figures by 0-based epoch around
/// epoch `around`, where the runs part.
fn window(values: &[f64], around: usize) -> String {
    let start = around.saturating_sub(6);
    let end = (around + 2).min(values.len());
    let mut parts: Vec<String> = (start..end)
        .map(|e| format!("{e}: {:.4}", values[e]))
        .collect();
    if start > 0 {
        parts.insert(0, "…".into());
    }
    if end < values.len() {
        parts.push("…".into());
    }
    parts.join(", ")
}

/// The 0-based epoch of the lowest `val_loss` (the first, on a tie: equal is no gain).
fn best_epoch(values: &[f64]) -> usize {
    let mut best = 0;
    for (epoch, &v) in values.iter().enumerate() {
        if v < values[best] {
            best = epoch;
        }
    }
    best
}

/// One case: the learner's callback against the library's on the same training.
fn compare(make: Make, toy: &Toy, case: &Case) -> Checked {
    let setting = format!(
        "patience {}, restore_best_weights {}",
        case.patience, case.restore
    );
    let mut keras = EarlyStopping::new()
        .patience(case.patience)
        .restore_best_weights(case.restore);
    let expected = train(toy, case, &mut keras).map_err(|e| {
        Verdict::Wrong(format!("{setting}: the toy model failed to train: {e}"))
    })?;
    let mut yours = make(case.patience, case.restore);
    let run = train(toy, case, yours.as_mut())?;
    let (ran, keras_ran) = (run.val_loss.len(), expected.val_loss.len());
    ensure(ran == keras_ran, || {
        let longer = if ran > keras_ran { &run } else { &expected };
        format!(
            "{setting}: training ran {ran} epochs; {} (val_loss by epoch: {})",
            keras_rule(&expected.val_loss, case.max_epochs),
            window(&longer.val_loss, ran.min(keras_ran))
        )
    })?;
    let (against, hint) = if case.restore {
        let best = best_epoch(&expected.val_loss);
        let hint = if keras_ran == case.max_epochs && best + 1 < keras_ran {
            " — Keras 3 puts the best weights back at the end of training even when it \
             never stopped early"
        } else {
            ""
        };
        let against = format!(
            "best epoch's (epoch {best} of 0–{}, val_loss {:.4})",
            keras_ran - 1,
            expected.val_loss[best]
        );
        (against, hint)
    } else {
        ("last epoch's (nothing to restore)".to_string(), "")
    };
    for ((name, w), (_, e)) in run.weights.iter().zip(&expected.weights) {
        close(
            &format!("{setting}: weights after training: {name}"),
            w.view(),
            e.mapv(f64::from).view(),
            &against,
            Tol::F32,
        )
        .map_err(|v| match v {
            Verdict::Wrong(msg) => Verdict::Wrong(format!("{msg}{hint}")),
            other => other,
        })?;
    }
    Ok(())
}

/// Hand-written `val_loss` figures: a built Dense(2) on 3 inputs whose every weight is
/// set to the epoch's number before `on_epoch_end`, so the weights left at the end say
/// which epoch's they are. Returns the epochs run and that epoch.
fn script(
    callback: &mut dyn Callback,
    values: &[f64],
) -> Result<(usize, f32), ModelError> {
    let mut model = Sequential::new(SEED);
    model.add(
        Dense::new(2)
            .activation(Activation::Softmax)
            .input_shape(&[3]),
    );
    model.build()?;
    let mut optimizer = SGD::new();
    let mut stop = false;
    let epochs = values.len();
    callback.on_train_begin(&mut Context::new(
        &mut model,
        &mut optimizer,
        &mut stop,
        epochs,
        1,
    ))?;
    let mut logs = Logs::new();
    let mut ran = 0;
    for (epoch, &value) in values.iter().enumerate() {
        let mut ctx = Context::new(&mut model, &mut optimizer, &mut stop, epochs, 1);
        callback.on_epoch_begin(epoch, &mut ctx)?;
        let marked: Vec<ArrayD<f32>> = model
            .get_weights()
            .iter()
            .map(|w| ArrayD::from_elem(w.shape(), epoch as f32))
            .collect();
        model.set_weights(&marked)?;
        logs = [("loss", 1.0), ("val_loss", value)].into_iter().collect();
        let mut ctx = Context::new(&mut model, &mut optimizer, &mut stop, epochs, 1);
        callback.on_epoch_end(epoch, &logs, &mut ctx)?;
        ran += 1;
        if stop {
            break;
        }
    }
    callback.on_train_end(
        &logs,
        &mut Context::new(&mut model, &mut optimizer, &mut stop, epochs, 1),
    )?;
    // every weight holds one epoch's mark, unless the callback set others
    let first = model
        .get_weights()
        .first()
        .and_then(|w| w.iter().next().copied());
    Ok((ran, first.unwrap_or(f32::NAN)))
}

/// Ties: a `val_loss` equal to the best so far is no improvement.
fn ties(make: Make) -> Checked {
    let values = [1.0, 0.75, 0.75, 0.5, 0.5, 0.5, 0.625, 0.25];
    for patience in [1, 2] {
        let setting = format!(
            "patience {patience}, restore_best_weights true, val_loss by epoch {}",
            values.map(|v| v.to_string()).join(", ")
        );
        let mut keras = EarlyStopping::new()
            .patience(patience)
            .restore_best_weights(true);
        let (keras_ran, keras_epoch) = script(&mut keras, &values)
            .map_err(|e| Verdict::Wrong(format!("{setting}: the library failed: {e}")))?;
        let mut yours = make(patience, true);
        let (ran, epoch) = script(yours.as_mut(), &values)?;
        ensure(ran == keras_ran, || {
            format!(
                "{setting}: training ran {ran} epochs; Keras's rule stops after \
                 {keras_ran} (a val_loss equal to the best is not an improvement)"
            )
        })?;
        ensure(epoch == keras_epoch, || {
            format!(
                "{setting}: the weights after training are epoch {epoch}'s; \
                 restore_best_weights puts back epoch {keras_epoch}'s (the first epoch \
                 with the lowest val_loss: an equal one is not an improvement)"
            )
        })?;
    }
    Ok(())
}

/// 10.1: stops where Keras's EarlyStopping stops and restores the best weights.
pub fn early_stopping(make: Make) -> Checked {
    let toy = toy();
    let cases = [
        // overfits fast: stops early; the best epoch's weights back, or the last's kept
        Case {
            patience: 2,
            restore: true,
            max_epochs: 40,
            learning_rate: 0.05,
        },
        Case {
            patience: 2,
            restore: false,
            max_epochs: 40,
            learning_rate: 0.05,
        },
        Case {
            patience: 0,
            restore: true,
            max_epochs: 40,
            learning_rate: 0.05,
        },
        Case {
            patience: 0,
            restore: false,
            max_epochs: 40,
            learning_rate: 0.05,
        },
        // patience longer than the run: never stops, still restores at the end
        Case {
            patience: 40,
            restore: true,
            max_epochs: 15,
            learning_rate: 0.05,
        },
        // val_loss keeps falling: never stops, the last epoch is the best
        Case {
            patience: 1,
            restore: true,
            max_epochs: 6,
            learning_rate: 0.002,
        },
    ];
    for case in &cases {
        compare(make, &toy, case)?;
    }
    ties(make)
}
