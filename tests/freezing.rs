//! Freezing layers and reusing a trained model's lower layers (issue 15, HOML 10): a
//! frozen layer gets no gradient step, `summary` counts it as non-trainable, save and load
//! keep it; `copy_layer_weights_from` copies layers by name with clear errors.

use annlab::gradcheck::random_matrix;
use annlab::prelude::*;
use annlab::saving::{load_model, save_model};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn data() -> (Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let x = random_matrix(40, 4, -1.0, 1.0, &mut rng);
    let y = (0..40).map(|i| i % 3).collect();
    (x, y)
}

/// Dense(8, relu) → Dense(6, relu) → Dense(3, softmax) on 4 features.
fn model(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Dense::new(8).activation(Activation::Relu).input_shape(&[4]));
    model.add(Dense::new(6).activation(Activation::Relu));
    model.add(Dense::new(3).activation(Activation::Softmax));
    model
}

fn compile(model: &mut impl Train) {
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer(Adam::new().learning_rate(0.05)),
        )
        .unwrap();
}

#[test]
fn a_frozen_dense_keeps_its_weights_through_fit_while_the_others_change_and_counts_as_non_trainable(
) {
    let (x, y) = data();
    let mut model = model(3);
    model.build().unwrap();
    model.set_trainable("dense", false).unwrap();
    compile(&mut model);
    let before = model.named_weights();
    model
        .fit(&x, &y, Fit::new(3).batch_size(8).verbose(0))
        .unwrap();
    let after = model.named_weights();
    for ((name, b), (_, a)) in before.iter().zip(&after) {
        if name.starts_with("dense/") {
            assert_eq!(a, b, "{name} is frozen");
        } else {
            assert_ne!(a, b, "{name} trains");
        }
    }
    // dense: 4·8 + 8 = 40 frozen; dense_1 54 and dense_2 21 trainable; the row keeps 40.
    // Trained, Keras 3 counts Adam's variables too: m and v of the 75 trainable weights,
    // its step counter and learning rate = 152; total 115 + 152 = 267
    assert_eq!(
        (model.param_count(), model.non_trainable_param_count()),
        (75, 40)
    );
    let summary = model.summary().unwrap();
    assert!(
        summary.contains(
            "│ dense (Dense)                   │ (None, 8)              │            40 │"
        ) && summary.contains(" Total params: 267 (1.04 KB)")
            && summary.contains(" Trainable params: 75 (300.00 B)")
            && summary.contains(" Non-trainable params: 40 (160.00 B)")
            && summary.contains(" Optimizer params: 152 (608.00 B)"),
        "{summary}"
    );
    // the optimizer sees only the trainable layers; get_weights keeps Keras's order
    let paths: Vec<String> = model.params().iter().map(|p| p.path.to_string()).collect();
    assert_eq!(
        paths,
        [
            "dense_1/kernel",
            "dense_1/bias",
            "dense_2/kernel",
            "dense_2/bias"
        ]
    );
    assert_eq!(model.get_weights().len(), 6);
    assert_eq!(model.get_weights()[0].shape(), [4, 8]);
}

#[test]
fn a_frozen_layer_is_saved_and_loaded_with_its_weights_and_stays_frozen() {
    let (x, y) = data();
    let mut model = model(3);
    model.build().unwrap();
    model.set_trainable("dense_1", false).unwrap();
    compile(&mut model);
    model
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .unwrap();
    let path = std::env::temp_dir()
        .join(format!("annlab-freeze-{}.safetensors", std::process::id()));
    save_model(&model, &path).unwrap();
    let mut loaded = load_model(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(loaded.named_weights(), model.named_weights());
    assert_eq!(loaded.non_trainable_param_count(), 54);
    assert_eq!(loaded.summary().unwrap(), model.summary().unwrap());
    let frozen = loaded.get_weight("dense_1/kernel").unwrap();
    loaded
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .unwrap();
    assert_eq!(loaded.get_weight("dense_1/kernel").unwrap(), frozen);
}

#[test]
fn a_frozen_batch_normalization_runs_in_inference_mode_inside_fit() {
    let (x, y) = data();
    let mut model = Sequential::new(0);
    model.add(Dense::new(5).input_shape(&[4]));
    model.add(BatchNormalization::new());
    model.add(Dense::new(3).activation(Activation::Softmax));
    model.build().unwrap();
    model.set_trainable("batch_normalization", false).unwrap();
    compile(&mut model);
    let stats = model.get_weight("batch_normalization/moving_mean").unwrap();
    let gamma = model.get_weight("batch_normalization/gamma").unwrap();
    model
        .fit(&x, &y, Fit::new(2).batch_size(8).verbose(0))
        .unwrap();
    assert_eq!(
        model.get_weight("batch_normalization/moving_mean").unwrap(),
        stats
    );
    assert_eq!(
        model.get_weight("batch_normalization/gamma").unwrap(),
        gamma
    );
    // γ, β, moving mean and variance are all non-trainable now: 4 × 5
    assert_eq!(model.non_trainable_param_count(), 20);
}

#[test]
fn copying_the_lower_layers_by_name_gives_identical_predictions_of_that_part() {
    let (x, y) = data();
    let mut a = model(3);
    compile(&mut a);
    a.fit(&x, &y, Fit::new(2).batch_size(8).verbose(0)).unwrap();
    // model B: the same lower layers, a new head of 2 classes (HOML 10's reuse)
    let mut b = Sequential::new(9);
    b.add(Dense::new(8).activation(Activation::Relu).input_shape(&[4]));
    b.add(Dense::new(6).activation(Activation::Relu));
    b.add(Dense::new(2).activation(Activation::Sigmoid));
    b.copy_layer_weights_from(&a, &["dense", "dense_1"])
        .unwrap();
    for name in ["dense", "dense_1"] {
        b.set_trainable(name, false).unwrap();
    }
    for path in [
        "dense/kernel",
        "dense/bias",
        "dense_1/kernel",
        "dense_1/bias",
    ] {
        assert_eq!(
            b.get_weight(path).unwrap(),
            a.get_weight(path).unwrap(),
            "{path}"
        );
    }
    // the output of dense_1 is the same in both models
    let lower = |m: &Sequential| {
        let mut part = Sequential::new(0);
        part.add(Dense::new(8).activation(Activation::Relu).input_shape(&[4]));
        part.add(Dense::new(6).activation(Activation::Relu));
        part.copy_layer_weights_from(m, &["dense", "dense_1"])
            .unwrap();
        part.forward(x.view(), false);
        part.output(0).to_owned()
    };
    assert_eq!(lower(&a), lower(&b));
    assert_eq!(b.param_count(), 14);
    assert_eq!(b.non_trainable_param_count(), 94);
}

#[test]
fn copying_an_unknown_layer_or_one_of_another_shape_is_a_clear_error_and_writes_nothing()
{
    let mut a = model(3);
    a.build().unwrap();
    let mut b = Sequential::new(4);
    b.add(Dense::new(8).input_shape(&[4]));
    b.add(Dense::new(5));
    b.build().unwrap();
    let before = b.named_weights();
    let err = b
        .copy_layer_weights_from(&a, &["dense", "hidden"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("layer \"hidden\"")
            && err.contains("the source model: dense, dense_1, dense_2"),
        "{err}"
    );
    let err = b
        .copy_layer_weights_from(&a, &["dense", "dense_2"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("layer \"dense_2\"") && err.contains("this model: dense, dense_1"),
        "{err}"
    );
    let err = b
        .copy_layer_weights_from(&a, &["dense", "dense_1"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("layer dense_1")
            && err.contains("kernel (8, 5), bias (5,)")
            && err.contains("kernel (8, 6), bias (6,)"),
        "{err}"
    );
    assert_eq!(b.named_weights(), before, "nothing written");
    let err = b.set_trainable("dense_7", false).unwrap_err().to_string();
    assert!(
        err.contains("dense_7") && err.contains("dense, dense_1"),
        "{err}"
    );
}

#[test]
fn a_functional_model_freezes_and_copies_layers_by_name_too() {
    let build = |seed| {
        let input = Input::new(&[4]);
        let hidden = Dense::new(8)
            .activation(Activation::Relu)
            .on(&input)
            .named("hidden");
        let output = Dense::new(3).activation(Activation::Softmax).on(&hidden);
        Functional::new(seed, &[&input], &[&output]).unwrap()
    };
    let (x, y) = data();
    let mut a = build(1);
    compile(&mut a);
    a.fit(&x, &y, Fit::new(1).batch_size(8).verbose(0)).unwrap();
    let mut b = build(2);
    b.copy_layer_weights_from(&a, &["hidden"]).unwrap();
    b.set_trainable("hidden", false).unwrap();
    compile(&mut b);
    b.fit(&x, &y, Fit::new(1).batch_size(8).verbose(0)).unwrap();
    assert_eq!(
        b.get_weight("hidden/kernel").unwrap(),
        a.get_weight("hidden/kernel").unwrap()
    );
    assert_ne!(
        b.get_weight("dense/kernel").unwrap(),
        a.get_weight("dense/kernel").unwrap()
    );
    assert_eq!((b.param_count(), b.non_trainable_param_count()), (27, 40));
}
