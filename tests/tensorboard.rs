//! The `TensorBoard` callback's event files, read back by `common/tfevents.rs`, a reader
//! written from the formats' definitions alone (its own bitwise CRC-32C, its own protobuf
//! wire decoder), so that neither the `crc32c` nor the `prost` crate checks its own output: every
//! record's two CRCs, the `file_version` record, and every scalar's tag, step and value
//! against the `History` of a real `fit`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use annlab::prelude::*;

mod common;
use common::linear_rule_data;

#[path = "common/tfevents.rs"]
mod tfevents;
use tfevents::{event_files, read_events, records, scalars};

// ---- the callback -------------------------------------------------------------------

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("annlab-tensorboard-{}-{name}", std::process::id()));
    fs::remove_dir_all(&dir).ok();
    dir
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

fn compiled(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Dense::new(8).activation(Activation::Relu).input_shape(&[4]));
    model.add(Dense::new(2).activation(Activation::Softmax));
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer_name("adam")
                .metrics(&["accuracy"]),
        )
        .unwrap();
    model
}

/// The file's name is `events.out.tfevents.{seconds:010}.{host}.{pid}.{n}.v2`.
fn check_name(path: &Path, start: f64, end: f64) {
    let name = path.file_name().unwrap().to_str().unwrap();
    let middle = name
        .strip_prefix("events.out.tfevents.")
        .and_then(|m| m.strip_suffix(".v2"))
        .unwrap_or_else(|| panic!("{name}"));
    let mut parts = middle.rsplitn(3, '.');
    let (n, pid, rest) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let (seconds, host) = rest.split_once('.').unwrap();
    assert_eq!(seconds.len(), 10, "{name}");
    let seconds: u64 = seconds.parse().unwrap();
    assert!(
        (start.floor() as u64..=end as u64).contains(&seconds),
        "{name}"
    );
    assert!(!host.is_empty(), "{name}");
    assert_eq!(pid.parse::<u32>().unwrap(), std::process::id(), "{name}");
    n.parse::<u64>().unwrap();
}

#[test]
fn every_epoch_log_is_a_scalar_in_train_or_validation_as_keras_writes_them() {
    let (x, y) = linear_rule_data();
    let (x_train, y_train) = (
        x.slice(s![..48, ..]).to_owned(),
        y.slice(s![..48]).to_owned(),
    );
    let (x_valid, y_valid) = (
        x.slice(s![48.., ..]).to_owned(),
        y.slice(s![48..]).to_owned(),
    );
    let dir = fresh_dir("fit");
    let mut tensorboard = TensorBoard::new(&dir);
    let mut model = compiled(3);
    let start = now();
    let history = model
        .fit(
            &x_train,
            &y_train,
            Fit::new(3)
                .batch_size(16)
                .validation_data(&x_valid, &y_valid)
                .verbose(0)
                .callback(&mut tensorboard),
        )
        .unwrap();
    let end = now();
    assert_eq!(
        history.keys(),
        ["accuracy", "loss", "val_accuracy", "val_loss"]
    );
    let steps = 3; // 48 rows in batches of 16
    assert_eq!(model.optimizer().unwrap().iterations(), 3 * steps);

    // train/ and validation/, one file each
    let mut subdirs: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    subdirs.sort();
    assert_eq!(subdirs, ["train", "validation"]);
    let train_files = event_files(&dir.join("train"));
    let validation_files = event_files(&dir.join("validation"));
    assert_eq!((train_files.len(), validation_files.len()), (1, 1));
    check_name(&train_files[0], start, end);
    check_name(&validation_files[0], start, end);

    let h = |key: &str, epoch: usize| history.get(key).unwrap()[epoch] as f32;
    let mut want_train = Vec::new();
    let mut want_validation = Vec::new();
    for epoch in 0..3 {
        let step = epoch as i64;
        want_train.push((step, "epoch_accuracy".to_string(), h("accuracy", epoch)));
        want_train.push((step, "epoch_loss".to_string(), h("loss", epoch)));
        want_train.push((step, "epoch_learning_rate".to_string(), 0.001));
        let iterations = ((epoch + 1) * steps as usize) as i64;
        for (tag, key) in [
            ("evaluation_accuracy_vs_iterations", "val_accuracy"),
            ("evaluation_loss_vs_iterations", "val_loss"),
        ] {
            want_validation.push((iterations, tag.to_string(), h(key, epoch)));
        }
        want_validation.push((
            step,
            "epoch_accuracy".to_string(),
            h("val_accuracy", epoch),
        ));
        want_validation.push((step, "epoch_loss".to_string(), h("val_loss", epoch)));
    }
    let train = read_events(&train_files[0]);
    let validation = read_events(&validation_files[0]);
    // exact f32 values: compare bits (and so no NaN slips through as "unequal")
    let bits = |v: Vec<(i64, String, f32)>| -> Vec<(i64, String, u32)> {
        v.into_iter().map(|(s, t, x)| (s, t, x.to_bits())).collect()
    };
    assert_eq!(bits(scalars(&train)), bits(want_train));
    assert_eq!(bits(scalars(&validation)), bits(want_validation));
    // the validation figures differ from the training ones: they were not mixed up
    assert_ne!(h("loss", 2), h("val_loss", 2));

    for event in train.iter().chain(&validation) {
        assert!(
            (start.floor()..=end + 1e-3).contains(&event.wall_time),
            "wall time {} outside the fit ({start}..{end})",
            event.wall_time
        );
    }
    assert!(train.windows(2).all(|w| w[0].wall_time <= w[1].wall_time));
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn without_validation_data_there_is_no_validation_directory_and_each_fit_has_its_own_file(
) {
    let (x, y) = linear_rule_data();
    let dir = fresh_dir("no-validation");
    let mut tensorboard = TensorBoard::new(&dir);
    let mut model = compiled(5);
    let mut histories = Vec::new();
    for epochs in [2, 1] {
        let fit = Fit::new(epochs)
            .batch_size(32)
            .verbose(0)
            .callback(&mut tensorboard);
        histories.push(model.fit(&x, &y, fit).unwrap());
    }
    assert!(!dir.join("validation").exists());
    let files = event_files(&dir.join("train"));
    assert_eq!(files.len(), 2, "one file per fit: {files:?}");
    // the two files hold 2 and 1 epochs of 3 scalars, after the version record
    let mut counts: Vec<usize> = files.iter().map(|f| read_events(f).len() - 1).collect();
    counts.sort();
    assert_eq!(counts, [3, 6]);
    for history in &histories {
        let file = files
            .iter()
            .map(|f| scalars(&read_events(f)))
            .find(|s| s.len() == 3 * history.epochs())
            .unwrap();
        let epoch_losses: Vec<f32> = file
            .iter()
            .filter(|(_, tag, _)| tag == "epoch_loss")
            .map(|&(_, _, v)| v)
            .collect();
        let want: Vec<f32> = history
            .get("loss")
            .unwrap()
            .iter()
            .map(|&v| v as f32)
            .collect();
        assert_eq!(epoch_losses, want);
    }
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_corrupted_byte_in_a_record_fails_its_crc_check() {
    let (x, y) = linear_rule_data();
    let dir = fresh_dir("corrupt");
    let mut tensorboard = TensorBoard::new(&dir);
    compiled(7)
        .fit(&x, &y, Fit::new(1).verbose(0).callback(&mut tensorboard))
        .unwrap();
    let file = &event_files(&dir.join("train"))[0];
    let bytes = fs::read(file).unwrap();
    let sound = records(&bytes).unwrap();
    assert_eq!(sound.len(), 1 + 3, "version, accuracy, loss, learning rate");

    // the second record starts after the first: 8 + 4 + len + 4 bytes
    let second = 16 + sound[0].len();
    let mut data_flipped = bytes.clone();
    data_flipped[second + 12 + 3] ^= 0x01; // a bit of the second record's data
    assert_eq!(
        records(&data_flipped),
        Err("record 1: data CRC mismatch".into())
    );

    let mut length_flipped = bytes.clone();
    length_flipped[second] ^= 0x01; // a bit of the second record's length
    assert_eq!(
        records(&length_flipped),
        Err("record 1: length CRC mismatch".into())
    );

    let mut crc_flipped = bytes.clone();
    crc_flipped[second + 12 + sound[1].len()] ^= 0x80; // a bit of its data CRC
    assert_eq!(
        records(&crc_flipped),
        Err("record 1: data CRC mismatch".into())
    );
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_log_dir_that_cannot_be_created_is_an_error_naming_it_before_training() {
    let dir = fresh_dir("unwritable");
    fs::create_dir_all(&dir).unwrap();
    let blocker = dir.join("a-file");
    fs::write(&blocker, b"not a directory").unwrap();
    let mut tensorboard = TensorBoard::new(blocker.join("logs"));
    let (x, y) = linear_rule_data();
    let mut model = compiled(1);
    let err = model
        .fit(&x, &y, Fit::new(2).verbose(0).callback(&mut tensorboard))
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, ModelError::Io { .. }), "{message}");
    assert!(message.contains("a-file"), "{message}");
    assert_eq!(
        model.optimizer().unwrap().iterations(),
        0,
        "no step was taken"
    );
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn run_logdirs_are_homls_local_time_names_and_two_in_one_second_differ() {
    let root = fresh_dir("runs");
    let before = chrono::Local::now();
    let first = run_logdir(&root).unwrap();
    let second = run_logdir(&root).unwrap();
    let after = chrono::Local::now();
    assert_ne!(first, second);
    assert!(first.is_dir() && second.is_dir());
    let stamps: Vec<String> = [before, after]
        .iter()
        .map(|t| t.format("run_%Y_%m_%d-%H_%M_%S").to_string())
        .collect();
    for dir in [&first, &second] {
        assert_eq!(dir.parent().unwrap(), root);
        let name = dir.file_name().unwrap().to_str().unwrap();
        let stamp = &name[..name.len().min("run_2019_06_07-15_15_22".len())];
        let suffix = &name[stamp.len()..];
        assert!(stamps.iter().any(|s| s == stamp), "{name} vs {stamps:?}");
        assert!(
            suffix.is_empty() || suffix == "_1",
            "{name}: the second run in a second gets _1"
        );
    }
    fs::remove_dir_all(&root).ok();
}
