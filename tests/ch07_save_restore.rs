//! Grades chapter 7 (HG 7-3, saving and restoring) against `book/src/reference.md`,
//! through the very functions of `chapters/ch07_save_restore.rs` that the chapter
//! binary prints: the dropout model's val accuracy in its band, and the restored models'
//! figures equal to the original's to the last bit.
//! Run alone with `cargo test --release --test ch07_save_restore`.

#[path = "../chapters/ch07_save_restore.rs"]
#[allow(dead_code)]
mod chapter;

use std::path::PathBuf;

use annlab::prelude::{fashion_mnist, hg_split, Split, Train};
use chapter::{
    figures, restored_model_evaluation, restored_weights_accuracy, resume, save,
    scratch_dir, train, val_accuracy,
};

/// The HG split and the chapter's scratch directory (outside the repository).
fn split_and_dir() -> (Split, PathBuf) {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    (hg_split(&data), scratch_dir().expect("a scratch directory"))
}

#[test]
fn restored_models_match_the_saved_one_exactly_and_its_val_accuracy_is_in_band() {
    let (split, dir) = split_and_dir();
    let (mut model, history) = train(&split, 0).expect("the dropout model trains");
    assert_eq!(history.epochs(), 10);
    let (weights, whole) = save(&model, &dir).expect("saves both files");

    let original = val_accuracy(&mut model, &split).expect("predicts");
    let restored = restored_weights_accuracy(&weights, &split).expect("load_weights");
    assert_eq!(
        restored.to_bits(),
        original.to_bits(),
        "{restored} vs {original}"
    );

    let evaluation = model
        .evaluate(split.val.x(), split.val.y(), 0)
        .expect("evaluates");
    let loaded = restored_model_evaluation(&whole, &split).expect("load_model");
    assert_eq!(loaded, evaluation);
    // predict's arg-max accuracy and evaluate's accuracy count the same samples
    assert_eq!(evaluation.metric("accuracy"), Some(original));

    let misses = annlab::report::misses(&figures(original));
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn fitting_two_epochs_equals_fitting_one_saving_loading_and_fitting_one() {
    let (split, dir) = split_and_dir();
    let (straight, resumed, same_weights) = resume(&split, 4_800, &dir).expect("trains");
    assert_eq!(straight.len(), 1);
    assert_eq!(
        straight.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        resumed.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
    assert!(same_weights, "the weights differ after the resumed epoch");
}
