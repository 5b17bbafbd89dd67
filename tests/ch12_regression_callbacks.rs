//! Grades chapter 12 (HOML 10's callbacks on the regression model) against the
//! "California housing regression (HOML 10)" section of `book/src/reference.md`, through
//! the very functions of `chapters/ch12_regression_callbacks.rs` that the chapter binary
//! prints. TensorBoard's files are read back by `common/tfevents.rs`, the reader
//! `tests/tensorboard.rs` uses (every record's CRCs checked).
//! Run alone with `cargo test --release --test ch12_regression_callbacks`.
//!
//! Training: about 150 epochs of 11,610 rows in all (about a second).

#[path = "../chapters/ch12_regression_callbacks.rs"]
#[allow(dead_code)]
mod chapter;

#[path = "common/tfevents.rs"]
#[allow(dead_code)]
mod tfevents;

use std::fs;
use std::path::PathBuf;

use annlab::datasets::california::{fetch_california_housing, homl_sets, HousingSets};
use annlab::prelude::*;
use chapter::{
    checkpoint, early_stopping, figures, regression_mlp, save_and_restore,
    tensorboard_run, val_train_ratio, EarlyStop, ES_SEEDS, SEED,
};
use tfevents::{event_files, read_events, scalars};

fn sets() -> HousingSets {
    let housing = fetch_california_housing()
        .expect("data/cal_housing.data.gz ships with the repository");
    homl_sets(&housing).expect("HOML's sets")
}

/// A fresh, empty directory under the system's temp dir, named for this test.
fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("annlab-ch12-{name}-{}", std::process::id()));
    fs::remove_dir_all(&dir).ok();
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn bits(y: &Array2<f32>) -> Vec<u32> {
    y.iter().map(|v| v.to_bits()).collect()
}

/// The chapter's checkpoint cell, then its early-stopping cell with the same checkpoint:
/// the checkpoint's History, writes and reload figures, and the early-stopping run.
fn checkpoint_then_early_stopping(
    sets: &HousingSets,
    name: &str,
) -> (History, usize, (f64, f64), EarlyStop, usize, f64) {
    let dir = temp_dir(name);
    let path = dir.join("my_keras_model.safetensors");
    let (mut checkpoint_cb, mut model, ckpt) =
        checkpoint(sets, &path, SEED, 0).expect("trains");
    let writes = checkpoint_cb.writes();
    let es = early_stopping(&mut model, &mut checkpoint_cb, sets, 0).expect("trains on");
    let more_writes = checkpoint_cb.writes() - writes;
    // the file now holds the best model of both fits
    let mut reloaded = annlab::saving::load_model(&path).expect("the checkpoint reloads");
    let reloaded_val = reloaded
        .evaluate(&sets.valid.x, &sets.valid.y, 0)
        .expect("evaluates")
        .loss;
    fs::remove_dir_all(&dir).ok();
    let reload = (ckpt.val_loss, ckpt.test_mse);
    (ckpt.history, writes, reload, es, more_writes, reloaded_val)
}

/// The 0-based epochs at which `val_loss` strictly improved on every earlier epoch.
fn improvements(val_loss: &[f64], best_before: f64) -> usize {
    (0..val_loss.len())
        .filter(|&e| {
            val_loss[..e].iter().all(|&v| val_loss[e] < v) && val_loss[e] < best_before
        })
        .count()
}

#[test]
fn saving_the_model_or_its_weights_and_loading_them_back_predicts_to_the_bit() {
    let sets = sets();
    let dir = temp_dir("save");
    let restored = save_and_restore(&sets, &dir, 0).expect("trains, saves and loads");
    fs::remove_dir_all(&dir).ok();
    // 8·30 + 30 = 270, 30·30 + 30 = 930, 30 + 1 = 31
    let summary = &restored.run.summary;
    assert!(summary.contains("Total params: 1,231"), "{summary}");
    assert_eq!(restored.run.history.epochs(), 10);
    assert_eq!(restored.run.history.keys(), ["loss", "val_loss"]);
    assert_eq!(restored.y_pred.dim(), (5_160, 1));
    assert!(restored.run.evaluation.loss.is_finite());
    // load_model and a new model with load_weights predict every test row to the bit
    assert_eq!(bits(&restored.y_loaded), bits(&restored.y_pred));
    assert_eq!(bits(&restored.y_weights), bits(&restored.y_pred));
}

#[test]
fn the_checkpoint_reload_is_the_best_epoch_and_early_stopping_restores_its_best_to_the_bit(
) {
    let sets = sets();
    let (first, writes, (ckpt_val, ckpt_test), es, more_writes, reloaded_val) =
        checkpoint_then_early_stopping(&sets, "es");

    // ModelCheckpoint(save_best_only): one write per strict improvement of val_loss, and
    // the reloaded file evaluates to the best epoch's val_loss, bit for bit
    let val_first = first.get("val_loss").expect("validation ran");
    assert_eq!(val_first.len(), 10);
    assert_eq!(writes, improvements(val_first, f64::INFINITY));
    let best_first = val_first.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(ckpt_val.to_bits(), best_first.to_bits());
    assert!(ckpt_test.is_finite());

    // EarlyStopping(patience=10): stopped before epoch 100, ten epochs after its best
    let history = &es.run.history;
    assert!(
        es.stopped_epoch > 0 && es.stopped_epoch < 99,
        "stopped_epoch {}",
        es.stopped_epoch
    );
    assert_eq!(history.epochs(), es.stopped_epoch + 1);
    assert_eq!(es.stopped_epoch, es.best_epoch + 10);
    // restore_best_weights: evaluate on valid repeats the best epoch's validation pass
    let val = history.get("val_loss").expect("validation ran");
    let best = val.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(val[es.best_epoch], best);
    assert_eq!(es.val_loss.to_bits(), best.to_bits());
    // the same checkpoint carried its best over from the first fit: it wrote only when
    // val_loss beat that too, and its file is now the early-stopping run's best model
    assert_eq!(more_writes, improvements(val, best_first));
    assert!(best < best_first, "{best} vs {best_first}");
    assert_eq!(reloaded_val.to_bits(), best.to_bits());

    // same seed, same run, to the last bit
    let (first_again, _, reload_again, again, _, _) =
        checkpoint_then_early_stopping(&sets, "es2");
    assert_eq!(first, first_again);
    assert_eq!((ckpt_val, ckpt_test), reload_again);
    assert_eq!(es.run.history, again.run.history);
    assert_eq!(es.run.evaluation, again.run.evaluation);
    assert_eq!(es.watch, again.watch);
}

/// The reference band for this row is 0.30–0.37 (HOML 0.3310), graded on the median of
/// the five fixed seeds `ES_SEEDS` (see "Grading decisions" in the reference): one run
/// stops on a `val_loss` bump whose timing depends on the initial weights — with seed 42,
/// one validation district with 1,243 occupants per household (525 σ) drives val_loss up
/// while every other row keeps improving (the next test shows it) and the run tests at
/// 0.3969 — and Keras 3's seeds 0–9 spread 0.3452–0.4136 (median 0.3659) the same way.
#[test]
fn the_median_early_stopped_model_over_five_seeds_is_inside_the_reference_band() {
    let sets = sets();
    let dir = temp_dir("band");
    let runs: Vec<EarlyStop> = ES_SEEDS
        .iter()
        .map(|&seed| {
            chapter::checkpoint_then_early_stopping(&sets, &dir, seed).expect("trains")
        })
        .collect();
    fs::remove_dir_all(&dir).ok();
    // every run stopped early or ran the 100 epochs, each restored to its best
    assert!(runs.iter().all(|es| es.run.history.epochs() <= 100));
    let misses = annlab::report::misses(&figures(&runs));
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn the_val_loss_rise_that_stops_training_is_one_extrapolated_district() {
    let sets = sets();
    let (_, _, _, es, _, _) = checkpoint_then_early_stopping(&sets, "district");
    let (w, h) = (&es.watch, &es.run.history);
    let n = sets.valid.x.nrows() as f64;
    // the district: AveOccup more than 500 σ above the training mean, where no training
    // row reaches 100 σ
    let ave_occup =
        |x: &Array2<f32>| x.column(5).iter().copied().fold(f32::MIN, f32::max);
    assert!(
        sets.valid.x[[w.row, 5]] > 500.0,
        "{}",
        sets.valid.x[[w.row, 5]]
    );
    assert!(ave_occup(&sets.train.x) < 100.0);
    assert_eq!(w.y_hat.len(), h.epochs());
    // the split adds up to History's val_loss (predict and evaluate sum in other orders)
    let val = h.get("val_loss").expect("validation ran");
    for (epoch, &val_loss) in val.iter().enumerate() {
        let whole = (w.others[epoch] * (n - 1.0) + w.squared_error(epoch)) / n;
        let gap = (whole - val_loss).abs();
        assert!(
            gap < 1e-5 * val_loss,
            "epoch {epoch}: {whole} vs {val_loss}"
        );
    }
    // from the best epoch to the stop, val_loss rose, the other 3,869 districts' MSE fell,
    // and the one district's squared error grew by more than the whole rise
    let (best, stop) = (es.best_epoch, es.stopped_epoch);
    assert!(val[stop] > val[best]);
    assert!(w.others[stop] < w.others[best], "{:?}", w.others);
    let rise = n * (val[stop] - val[best]);
    assert!(w.squared_error(stop) - w.squared_error(best) > rise);
}

#[test]
fn the_ratio_callback_sees_each_epochs_val_loss_over_loss_as_history_does() {
    let sets = sets();
    let mut model = regression_mlp(SEED, 1e-3).expect("compiles");
    let (ratio_cb, history) = val_train_ratio(&mut model, &sets).expect("trains");
    let (loss, val) = (
        history.get("loss").unwrap(),
        history.get("val_loss").unwrap(),
    );
    assert_eq!(ratio_cb.ratios.len(), 10);
    for epoch in 0..10 {
        let ratio = val[epoch] / loss[epoch];
        assert_eq!(
            ratio_cb.ratios[epoch].to_bits(),
            ratio.to_bits(),
            "epoch {epoch}"
        );
    }
}

#[test]
fn each_tensorboard_run_writes_a_fresh_run_directory_whose_epoch_losses_are_historys() {
    let sets = sets();
    let root = temp_dir("my_logs");
    let runs = [1e-3f32, 0.05].map(|lr| {
        let (dir, history) = tensorboard_run(&sets, &root, lr, 30).expect("trains");
        (lr, dir, history)
    });
    assert_ne!(runs[0].1, runs[1].1, "each run has its own directory");
    let stamp_len = "run_2019_06_07-15_15_22".len();
    for (lr, dir, history) in &runs {
        assert_eq!(dir.parent(), Some(root.as_path()));
        let name = dir.file_name().unwrap().to_str().unwrap();
        let stamp = &name[..stamp_len.min(name.len())];
        let ok = chrono::NaiveDateTime::parse_from_str(stamp, "run_%Y_%m_%d-%H_%M_%S");
        assert!(ok.is_ok(), "{name}");

        let f32s = |key: &str| -> Vec<u32> {
            let values = history.get(key).unwrap();
            values.iter().map(|&v| (v as f32).to_bits()).collect()
        };
        // one event file in each of train/ and validation/, every record's CRC sound
        for (sub, key) in [("train", "loss"), ("validation", "val_loss")] {
            let files = event_files(&dir.join(sub));
            assert_eq!(files.len(), 1, "{files:?}");
            let events = scalars(&read_events(&files[0]));
            let epoch_loss: Vec<(i64, u32)> = events
                .iter()
                .filter(|(_, tag, _)| tag == "epoch_loss")
                .map(|&(step, _, v)| (step, v.to_bits()))
                .collect();
            let want: Vec<(i64, u32)> = (0..).zip(f32s(key)).collect();
            assert_eq!(epoch_loss, want, "{sub}");
            if sub == "train" {
                let rates: Vec<f32> = events
                    .iter()
                    .filter(|(_, tag, _)| tag == "epoch_learning_rate")
                    .map(|r| r.2)
                    .collect();
                assert_eq!(rates, [*lr; 30]);
            }
        }
    }
    fs::remove_dir_all(&root).ok();
}
