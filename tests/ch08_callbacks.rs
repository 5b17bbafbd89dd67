//! Grades chapter 8 (HG 7-3 callbacks, HOML 10's custom callbacks) against the bands of
//! `book/src/reference.md`, through the very functions of `chapters/ch08_callbacks.rs`
//! that the chapter binary prints. Run alone with
//! `cargo test --release --test ch08_callbacks`.

#[path = "../chapters/ch08_callbacks.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::prelude::{fashion_mnist, hg_split, Split};
use chapter::{
    checkpoint, checkpoint_figures, early_stopping, early_stopping_figures, write_figure,
};

fn split() -> Split {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    hg_split(&data)
}

#[test]
fn early_stopping_stops_before_epoch_20_inside_the_bands_with_the_best_weights_restored()
{
    let split = split();
    let es = early_stopping(&split, 0).expect("the dropout model trains");
    let history = &es.run.history;

    // it stopped, before the 20th epoch, two epochs after its best (patience 2)
    assert!(
        es.stopped_epoch > 0 && es.stopped_epoch < 19,
        "{}",
        es.stopped_epoch
    );
    assert_eq!(history.epochs(), es.stopped_epoch + 1);
    assert_eq!(es.stopped_epoch, es.best_epoch + 2);

    let misses = annlab::report::misses(&early_stopping_figures(&es));
    assert!(misses.is_empty(), "{misses:#?}");

    // the restored weights are the best epoch's: `evaluate` (batch 32, dropout off)
    // repeats, bit for bit, the validation pass `fit` made after that epoch (batch 32)
    let val_loss = history.get("val_loss").expect("validation ran");
    let best = val_loss.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(val_loss[es.best_epoch], best);
    assert_eq!(es.run.evaluation.loss.to_bits(), best.to_bits());
    let val_acc = history.get("val_accuracy").expect("validation ran")[es.best_epoch];
    assert_eq!(es.run.accuracy().to_bits(), val_acc.to_bits());

    assert!(
        es.run.summary.contains("dropout (Dropout)"),
        "{}",
        es.run.summary
    );

    let dir = std::env::temp_dir().join(format!("annlab-ch08-{}", std::process::id()));
    write_figure(&es, &dir).expect("figure is written");
    let svg =
        std::fs::read_to_string(dir.join("ch08_early_stopping.svg")).expect("exists");
    assert!(svg.contains(&format!("stopped at epoch {}", es.stopped_epoch + 1)));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_checkpointed_best_model_reloads_inside_the_bands_as_its_best_epoch() {
    let split = split();
    let dir =
        std::env::temp_dir().join(format!("annlab-ch08-ckpt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let (run, best_epoch, writes) =
        checkpoint(&split, &dir, 0).expect("trains and reloads");
    std::fs::remove_dir_all(&dir).ok();

    let val_loss = run.history.get("val_loss").expect("validation ran");
    assert_eq!(val_loss.len(), 20);
    // save_best_only writes once per strict improvement of val_loss
    let improvements = (0..val_loss.len())
        .filter(|&e| val_loss[..e].iter().all(|&v| val_loss[e] < v))
        .count();
    assert_eq!(writes, improvements);
    let best = val_loss.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(val_loss[best_epoch], best);
    // the reloaded file is the best epoch's model: evaluate repeats that epoch's
    // validation pass bit for bit
    assert_eq!(run.evaluation.loss.to_bits(), best.to_bits());
    let val_acc = run.history.get("val_accuracy").expect("validation ran")[best_epoch];
    assert_eq!(run.accuracy().to_bits(), val_acc.to_bits());
    let misses = annlab::report::misses(&checkpoint_figures(&run));
    assert!(misses.is_empty(), "{misses:#?}");
}
