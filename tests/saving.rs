//! Saving and loading on a tiny model (no Fashion-MNIST): round trips bit for bit,
//! training that continues exactly, and a clear error — never a panic — for every kind
//! of bad file. Run alone with `cargo test --release --test saving`.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use annlab::callbacks::History;
use annlab::prelude::*;
use annlab::saving::{load_model, load_weights, save_model, save_weights, SaveError};
use ndarray::Array2;
use safetensors::tensor::{Dtype, TensorView};
use safetensors::SafeTensors;

const SEED: u64 = 42;

/// Dense(8, relu) → Dropout(0.3) → Dense(3, softmax) on 4 features.
fn tiny(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Dense::new(8).activation(Activation::Relu).input_shape(&[4]));
    model.add(Dropout::new(0.3));
    model.add(Dense::new(3).activation(Activation::Softmax));
    model
}

/// 60 samples of 4 features in [−1, 1]; the label is the index of the largest of the
/// first three features.
fn data() -> (Array2<f32>, Vec<usize>) {
    let x = Array2::from_shape_fn((60, 4), |(i, j)| {
        ((i * 7 + j * 13) % 17) as f32 / 8.5 - 1.0
    });
    let y = x
        .rows()
        .into_iter()
        .map(|r| (0..3).max_by(|&a, &b| r[a].total_cmp(&r[b])).unwrap_or(0))
        .collect();
    (x, y)
}

fn compiled(optimizer: Box<dyn Optimizer>) -> Sequential {
    let mut model = tiny(SEED);
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer(optimizer)
                .metrics(&["accuracy"]),
        )
        .expect("compiles");
    model
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annlab-saving-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// Every figure of a History (the seconds aside).
fn figures(h: &History) -> Vec<(String, Vec<u64>)> {
    h.keys()
        .iter()
        .map(|k| {
            let bits = h
                .get(k)
                .unwrap_or(&[])
                .iter()
                .map(|v| v.to_bits())
                .collect();
            (k.clone(), bits)
        })
        .collect()
}

fn bits(weights: &[ndarray::ArrayD<f32>]) -> Vec<u32> {
    weights
        .iter()
        .flat_map(|w| w.iter().map(|v| v.to_bits()))
        .collect()
}

/// A trained, compiled model saved whole, and its path.
fn saved_model(name: &str) -> (Sequential, PathBuf) {
    let (x, y) = data();
    let mut model = compiled(Box::new(Adam::new()));
    model
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .expect("fits");
    let path = scratch(name);
    save_model(&model, &path).expect("saves");
    (model, path)
}

/// The file rewritten by `edit`, which gets its tensors and metadata.
fn rewrite(
    from: &Path,
    to: &Path,
    edit: impl FnOnce(
        &mut Vec<(String, Dtype, Vec<usize>, Vec<u8>)>,
        &mut HashMap<String, String>,
    ),
) {
    let bytes = fs::read(from).expect("reads");
    let (_, header) = SafeTensors::read_metadata(&bytes).expect("valid");
    let mut metadata = header.metadata().clone().unwrap_or_default();
    let file = SafeTensors::deserialize(&bytes).expect("valid");
    let mut tensors: Vec<_> = file
        .tensors()
        .into_iter()
        .map(|(n, v)| (n, v.dtype(), v.shape().to_vec(), v.data().to_vec()))
        .collect();
    edit(&mut tensors, &mut metadata);
    let views: Vec<_> = tensors
        .iter()
        .map(|(n, d, s, b)| (n.clone(), TensorView::new(*d, s.clone(), b).expect("view")))
        .collect();
    let meta = (!metadata.is_empty()).then_some(metadata);
    fs::write(to, safetensors::serialize(views, meta).expect("serialises"))
        .expect("writes");
}

#[test]
fn weights_reload_bit_for_bit_into_a_fresh_model() {
    let (x, y) = data();
    let mut model = compiled(Box::new(Adam::new()));
    model
        .fit(&x, &y, Fit::new(2).batch_size(8).verbose(0))
        .expect("fits");
    let path = scratch("weights.safetensors");
    save_weights(&model, &path).expect("saves");

    let mut fresh = tiny(7); // other initial weights
    load_weights(&mut fresh, &path).expect("loads");
    assert_eq!(bits(&fresh.get_weights()), bits(&model.get_weights()));
    let (p, q) = (model.predict(&x).expect("p"), fresh.predict(&x).expect("q"));
    assert_eq!(
        p.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        q.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
}

#[test]
fn the_weights_file_names_tensors_by_keras_paths_with_keras_shapes() {
    let mut model = tiny(SEED);
    model.build().expect("builds");
    let path = scratch("names.safetensors");
    save_weights(&model, &path).expect("saves");
    let bytes = fs::read(&path).expect("reads");
    let file = SafeTensors::deserialize(&bytes).expect("a safetensors file");
    let mut names = file.names();
    names.sort();
    assert_eq!(
        names,
        [
            "dense/bias",
            "dense/kernel",
            "dense_1/bias",
            "dense_1/kernel"
        ]
    );
    let kernel = file.tensor("dense/kernel").expect("kernel");
    assert_eq!(
        (kernel.dtype(), kernel.shape()),
        (Dtype::F32, &[4usize, 8][..])
    );
    // the first kernel value, little-endian, is the model's
    let first = f32::from_le_bytes(kernel.data()[..4].try_into().expect("4 bytes"));
    assert_eq!(first, model.get_weight("dense/kernel").expect("w")[[0, 0]]);
}

#[test]
fn a_loaded_model_predicts_and_evaluates_exactly_as_the_saved_one() {
    let (x, y) = data();
    let (mut model, path) = saved_model("predicts.safetensors");
    let mut loaded = load_model(&path).expect("loads");
    assert_eq!(loaded.layer_names(), model.layer_names());
    let (p, q) = (
        model.predict(&x).expect("p"),
        loaded.predict(&x).expect("q"),
    );
    assert!(p.iter().zip(&q).all(|(a, b)| a.to_bits() == b.to_bits()));
    let e = model.evaluate(&x, &y, 0).expect("evaluates");
    assert_eq!(loaded.evaluate(&x, &y, 0).expect("evaluates"), e);
    assert_eq!(loaded.optimizer().map(|o| o.iterations()), Some(8));
}

#[test]
fn training_continues_exactly_after_save_and_load_for_every_optimizer() {
    // fit 2 epochs = fit 1, save, load_model, fit 1: the History and the weights agree
    // bit for bit; Dropout makes the generator positions matter, Nadam its scalar.
    let (x, y) = data();
    let optimizers: Vec<fn() -> Box<dyn Optimizer>> = vec![
        || Box::new(SGD::new().momentum(0.9).nesterov(true)),
        || Box::new(Adagrad::new()),
        || Box::new(RMSprop::new().centered(true).momentum(0.5)),
        || Box::new(Adam::new().amsgrad(true)),
        || Box::new(Adadelta::new().learning_rate(1.0)),
        || Box::new(Nadam::new()),
        || Box::new(Adamax::new().clipnorm(0.5)),
    ];
    for make in optimizers {
        let fit = || Fit::new(1).batch_size(8).verbose(0).validation_data(&x, &y);
        let mut straight = compiled(make());
        straight.fit(&x, &y, fit()).expect("epoch 1");
        let second = straight.fit(&x, &y, fit()).expect("epoch 2");

        let mut first = compiled(make());
        first.fit(&x, &y, fit()).expect("epoch 1");
        let name = first.optimizer().map(|o| o.name()).unwrap_or("?");
        let path = scratch(&format!("continue-{name}.safetensors"));
        save_model(&first, &path).expect("saves");
        let mut loaded = load_model(&path).expect("loads");
        let resumed = loaded.fit(&x, &y, fit()).expect("epoch 2 after loading");

        assert_eq!(figures(&resumed), figures(&second), "{name}");
        assert_eq!(
            bits(&loaded.get_weights()),
            bits(&straight.get_weights()),
            "{name}"
        );
        assert_eq!(loaded.training_state(), straight.training_state(), "{name}");
    }
}

#[test]
fn the_model_file_keeps_optimizer_slots_as_tensors_and_settings_as_json() {
    let (_, path) = saved_model("slots.safetensors");
    let bytes = fs::read(&path).expect("reads");
    let (_, header) = SafeTensors::read_metadata(&bytes).expect("valid");
    let meta = header.metadata().clone().expect("__metadata__");
    assert_eq!(meta["format"], "annlab.model/1");
    let model: serde_json::Value = serde_json::from_str(&meta["model"]).expect("JSON");
    assert_eq!(model["compile"]["loss"], "sparse_categorical_crossentropy");
    assert_eq!(model["compile"]["metrics"][0], "accuracy");
    assert_eq!(
        model["compile"]["optimizer"]["settings"]["Adam"]["amsgrad"],
        false
    );
    assert_eq!(model["architecture"]["layers"][1]["class_name"], "Dropout");
    let file = SafeTensors::deserialize(&bytes).expect("valid");
    let velocity = file
        .tensor("optimizer/dense/kernel/velocity")
        .expect("a slot");
    assert_eq!(velocity.shape(), [4, 8]);
}

#[test]
fn an_uncompiled_model_saves_and_loads_uncompiled() {
    let mut model = tiny(3);
    model.build().expect("builds");
    let path = scratch("uncompiled.safetensors");
    save_model(&model, &path).expect("saves");
    let loaded = load_model(&path).expect("loads");
    assert!(loaded.trainer().is_none());
    assert_eq!(bits(&loaded.get_weights()), bits(&model.get_weights()));
}

#[test]
fn an_unbuilt_model_is_refused_with_advice() {
    let err = save_weights(&tiny(SEED), scratch("unbuilt.safetensors"))
        .expect_err("no weights");
    assert!(err.to_string().contains("build or compile it"), "{err}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let path = scratch("does-not-exist.safetensors");
    let err = load_model(&path).err().expect("missing");
    assert!(matches!(err, SaveError::Io { .. }), "{err}");
    assert!(
        err.to_string().contains("does-not-exist.safetensors"),
        "{err}"
    );
    assert!(load_weights(&mut tiny(SEED), &path).is_err());
}

#[test]
fn bytes_that_are_not_safetensors_are_a_format_error() {
    let path = scratch("not.safetensors");
    fs::write(&path, b"PK\x03\x04 this is a zip, not safetensors").expect("writes");
    let err = load_weights(&mut tiny(SEED), &path).expect_err("not safetensors");
    assert!(matches!(err, SaveError::Format { .. }), "{err}");
    assert!(
        err.to_string().contains("not a readable safetensors file"),
        "{err}"
    );
}

#[test]
fn a_header_length_beyond_the_file_is_a_format_error() {
    let (_, path) = saved_model("long-header.safetensors");
    let mut bytes = fs::read(&path).expect("reads");
    let n = bytes.len() as u64;
    bytes[..8].copy_from_slice(&(n * 2).to_le_bytes());
    fs::write(&path, &bytes).expect("writes");
    let err = load_model(&path).err().expect("header past the end");
    assert!(matches!(err, SaveError::Format { .. }), "{err}");
}

#[test]
fn a_file_truncated_at_any_header_byte_or_sampled_body_offset_is_an_error() {
    let (_, path) = saved_model("whole.safetensors");
    let bytes = fs::read(&path).expect("reads");
    let header_end =
        8 + u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
    let cut = scratch("cut.safetensors");
    let body: Vec<usize> = (header_end..bytes.len()).step_by(97).collect();
    let mut checked = 0;
    for at in (0..header_end).chain(body).chain([bytes.len() - 1]) {
        fs::write(&cut, &bytes[..at]).expect("writes");
        assert!(load_model(&cut).is_err(), "load_model accepted {at} bytes");
        assert!(
            load_weights(&mut tiny(SEED), &cut).is_err(),
            "load_weights accepted {at} bytes"
        );
        checked += 1;
    }
    assert!(checked > header_end, "{checked}");
}

#[test]
fn a_tensor_of_another_dtype_is_an_error_naming_it() {
    let (_, path) = saved_model("dtype-src.safetensors");
    let bad = scratch("dtype.safetensors");
    rewrite(&path, &bad, |tensors, _| {
        let t = tensors
            .iter_mut()
            .find(|t| t.0 == "dense/bias")
            .expect("bias");
        t.1 = Dtype::I32; // same byte count, other type
    });
    let err = load_weights(&mut tiny(SEED), &bad).expect_err("I32");
    assert!(matches!(err, SaveError::Dtype { .. }), "{err}");
    assert!(err.to_string().contains("dense/bias"), "{err}");
}

#[test]
fn a_missing_or_extra_tensor_is_named() {
    let (_, path) = saved_model("names-src.safetensors");
    let missing = scratch("missing.safetensors");
    rewrite(&path, &missing, |tensors, _| {
        tensors.retain(|t| t.0 != "dense_1/kernel")
    });
    let err = load_weights(&mut tiny(SEED), &missing).expect_err("missing");
    assert!(matches!(err, SaveError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("dense_1/kernel"), "{err}");
    assert!(load_model(&missing).is_err());

    let extra = scratch("extra.safetensors");
    rewrite(&path, &extra, |tensors, _| {
        tensors.push(("dense_7/kernel".into(), Dtype::F32, vec![1], vec![0; 4]))
    });
    let err = load_weights(&mut tiny(SEED), &extra).expect_err("extra");
    assert!(matches!(err, SaveError::Extra { .. }), "{err}");
    assert!(err.to_string().contains("dense_7/kernel"), "{err}");
}

#[test]
fn a_shape_that_does_not_fit_names_the_layer_and_both_shapes_and_changes_nothing() {
    let mut wide = Sequential::new(SEED);
    wide.add(Dense::new(9).activation(Activation::Relu).input_shape(&[4]));
    wide.add(Dropout::new(0.3));
    wide.add(Dense::new(3).activation(Activation::Softmax));
    wide.build().expect("builds");
    let path = scratch("wide.safetensors");
    save_weights(&wide, &path).expect("saves");

    let mut model = tiny(SEED);
    model.build().expect("builds");
    let before = bits(&model.get_weights());
    let err = load_weights(&mut model, &path)
        .expect_err("9 units, not 8")
        .to_string();
    assert!(err.contains("layer dense"), "{err}");
    // the first misfit in name order is dense/bias: 8 values expected, 9 stored
    assert!(
        err.contains("expected shape (8,), found shape (9,)"),
        "{err}"
    );
    assert_eq!(bits(&model.get_weights()), before);
}

/// A change to a file's `__metadata__`.
type MetadataEdit = Box<dyn Fn(&mut HashMap<String, String>)>;

#[test]
fn bad_model_metadata_is_an_error_saying_what_is_wrong() {
    let (_, path) = saved_model("meta-src.safetensors");
    let cases: Vec<(&str, MetadataEdit, &str)> = vec![
        (
            "json",
            Box::new(|m| {
                m.insert("model".into(), "{not json".into());
            }),
            "not valid",
        ),
        (
            "kind",
            Box::new(|m| {
                let json = m["model"].replace("\"Dropout\"", "\"Conv2D\"");
                m.insert("model".into(), json);
            }),
            "Conv2D",
        ),
        ("format", Box::new(|m| m.clear()), "load_weights"),
    ];
    for (name, edit, says) in cases {
        let bad = scratch(&format!("meta-{name}.safetensors"));
        rewrite(&path, &bad, |_, meta| edit(meta));
        let err = load_model(&bad).err().expect(name).to_string();
        assert!(err.contains(says), "{name}: {err}");
    }
}

#[test]
fn a_weights_file_is_not_a_whole_model_but_a_whole_model_file_loads_as_weights() {
    let (model, path) = saved_model("both.safetensors");
    let weights = scratch("only-weights.safetensors");
    save_weights(&model, &weights).expect("saves");
    let err = load_model(&weights)
        .err()
        .expect("weights only")
        .to_string();
    assert!(err.contains("load_weights"), "{err}");
    let mut fresh = tiny(9);
    load_weights(&mut fresh, &path).expect("optimizer tensors are skipped");
    assert_eq!(bits(&fresh.get_weights()), bits(&model.get_weights()));
}
