//! Grades chapter 6 (HG 7-3: loss curves, validation loss, dropout) against the
//! "Dropout (HG 7-3)" row and the HG 7-3 facts of `book/src/reference.md`, through the
//! very functions of `chapters/ch06_dropout.rs` that the chapter binary prints.
//! Run alone with `cargo test --release --test ch06_dropout`.
//!
//! Training: 20 + 20 + 10 epochs on the full split, plus 2 × 2 small epochs. HG's 5- and
//! 20-epoch runs without validation train exactly as the 20-epoch RMSprop run with it
//! (the chapter prints that), so they are not run again here.

#[path = "../chapters/ch06_dropout.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::models::model_fn;
use annlab::prelude::*;
use chapter::{figures, fit_with_validation, predicted_accuracy, write_val_loss_figure};
use chapter::{rise_table, Rise};

const SEED: u64 = 42;

fn split() -> Split {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    hg_split(&data)
}

#[test]
fn validation_loss_turns_up_adam_rises_less_and_the_dropout_model_is_in_band() {
    let split = split();
    // The three runs are independent: train them side by side (each is single-threaded
    // and owns its model, so the figures are those of a run alone).
    let (rmsprop, adam, (mut model, kept)) = std::thread::scope(|s| {
        let plain = |optimizer: &'static str| {
            let split = &split;
            s.spawn(move || {
                fit_with_validation(&mut model_fn(SEED, None), optimizer, 20, split)
            })
        };
        let (rmsprop, adam) = (plain("rmsprop"), plain("adam"));
        let mut model = model_fn(SEED, Some(Box::new(Dropout::new(0.3))));
        let kept =
            fit_with_validation(&mut model, "adam", 10, &split).expect("dropout run");
        let join = |h: std::thread::ScopedJoinHandle<'_, _>| h.join().expect("no panic");
        let rmsprop: Result<_, ModelError> = join(rmsprop);
        let adam: Result<_, ModelError> = join(adam);
        (
            rmsprop.expect("RMSprop run"),
            adam.expect("Adam run"),
            (model, kept),
        )
    });
    println!(
        "{}",
        rise_table(&[("rmsprop", &rmsprop, ""), ("adam", &adam, "")])
    );

    // RMSprop overfits: val_loss bottoms out before epoch 20 and ends above its minimum,
    // while the training loss keeps falling.
    let r = Rise::of(&rmsprop.history).expect("val_loss recorded");
    assert!(r.best_epoch < 20, "{r:?}");
    assert!(r.last > r.min, "{r:?}");
    let loss = rmsprop.history.get("loss").expect("loss recorded");
    assert!(loss[19] < loss[r.best_epoch - 1], "{loss:?}");

    // Adam's val_loss climbs back less than RMSprop's.
    let a = Rise::of(&adam.history).expect("val_loss recorded");
    assert!(a.rise() < r.rise(), "adam {a:?} vs rmsprop {r:?}");

    // Dropout(0.3) is listed with no parameters; the total is that of the plain model.
    let row = kept
        .summary
        .lines()
        .find(|l| l.contains("dropout (Dropout)"))
        .unwrap_or_else(|| panic!("{}", kept.summary));
    assert!(
        row.contains("(None, 100)") && row.trim_end_matches('│').trim().ends_with(" 0")
    );
    assert!(
        kept.summary.contains("Total params: 79,510"),
        "{}",
        kept.summary
    );

    let misses = annlab::report::misses(&figures(&kept));
    assert!(misses.is_empty(), "{misses:#?}");
    // evaluate counts what predict's arg-max gets right, to the last bit; and it is
    // the last epoch's val_accuracy and val_loss (the same weights, no dropout).
    let predicted =
        predicted_accuracy(&mut model, split.val.x(), split.val.y()).expect("predicts");
    assert_eq!(predicted.to_bits(), kept.accuracy().to_bits());
    assert_eq!(
        kept.accuracy().to_bits(),
        kept.last("val_accuracy").to_bits()
    );
    assert_eq!(
        kept.evaluation.loss.to_bits(),
        kept.last("val_loss").to_bits()
    );

    let dir = std::env::temp_dir().join(format!("annlab-ch06-{}", std::process::id()));
    for (run, name) in [(&rmsprop, "rmsprop"), (&adam, "adam"), (&kept, "dropout")] {
        write_val_loss_figure(run, name, &dir).expect("figure is written");
        let svg = std::fs::read_to_string(dir.join(format!("ch06_{name}_val_loss.svg")))
            .expect("figure exists");
        assert!(svg.starts_with("<svg") && svg.contains("val"), "{name}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn dropout_acts_only_in_fit_and_the_same_seed_gives_the_same_history() {
    let split = split();
    let n = 3_000;
    let x = split.train.x().slice(s![..n, .., ..]);
    let y = &split.train.y().as_slice().expect("labels are contiguous")[..n];
    let (val_x, val_y) = (split.val.x(), split.val.y());
    let run = || {
        let mut model = model_fn(SEED, Some(Box::new(Dropout::new(0.3))));
        model
            .compile(
                Compile::new("sparse_categorical_crossentropy").optimizer_name("adam"),
            )
            .expect("compiles");
        let fit = Fit::new(2).verbose(0).validation_data(val_x, val_y);
        let history = model.fit(&x, y, fit).expect("fits");
        (model, history)
    };
    let (mut model, history) = run();
    let (_, again) = run();
    // History's equality compares every figure bit for bit.
    assert_eq!(history, again);
    assert_eq!(history.epochs(), 2);

    // Outside training the model is repeatable, and predicts exactly as the same
    // weights without a Dropout layer.
    let first = model.evaluate(val_x, val_y, 0).expect("evaluates");
    assert_eq!(first, model.evaluate(val_x, val_y, 0).expect("evaluates"));
    let y_hat = model.predict(val_x).expect("predicts");
    assert_eq!(y_hat, model.predict(val_x).expect("predicts"));
    let mut plain = model_fn(SEED, None);
    plain
        .set_weights(&model.get_weights())
        .expect("same weights fit the model without dropout");
    assert_eq!(y_hat, plain.predict(val_x).expect("predicts"));
}
