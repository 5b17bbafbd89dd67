//! Weights with identity: every tensor has its Keras path and shape, `get_weights` /
//! `set_weights` work by position and by name, a wrong shape is a clear error, the
//! optimizer's state is keyed by path and can be carried to a fresh model, and the
//! architecture round-trips through JSON.

use annlab::model::SequentialConfig;
use annlab::prelude::*;
use ndarray::{ArrayD, IxDyn};

fn relu_model(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[2, 3]));
    model.add(Dense::new(4).activation(Activation::Relu));
    model.add(Dense::new(3).activation(Activation::Softmax));
    model
}

/// 48 samples of 2×3 "images", three classes by which third of the row sum they fall in.
fn data() -> (Array3<f32>, Array1<usize>) {
    let x = Array3::from_shape_fn((48, 2, 3), |(i, r, c)| {
        ((i * 5 + r * 3 + c * 7) % 13) as f32 / 13.0
    });
    let y = Array1::from_iter((0..48).map(|i| {
        let s: f32 = x.index_axis(Axis(0), i).sum();
        usize::from(s > 2.5) + usize::from(s > 3.5)
    }));
    (x, y)
}

#[test]
fn every_weight_has_its_keras_path_and_shape() {
    let mut model = relu_model(0);
    model.build().unwrap();
    let weights = model.weights();
    let named: Vec<(&str, &[usize])> = weights
        .iter()
        .map(|w| (w.name.as_str(), w.shape.as_slice()))
        .collect();
    assert_eq!(
        named,
        [
            ("dense/kernel", &[6, 4][..]),
            ("dense/bias", &[4][..]),
            ("dense_1/kernel", &[4, 3][..]),
            ("dense_1/bias", &[3][..]),
        ]
    );
    // reading needs no &mut
    let reader: &Sequential = &model;
    assert_eq!(reader.get_weight("dense_1/bias").unwrap().shape(), [3]);
    assert_eq!(reader.get_weights().len(), 4);
}

#[test]
fn weights_round_trip_by_position_and_by_name() {
    let (mut a, mut b) = (relu_model(1), relu_model(2));
    a.build().unwrap();
    b.build().unwrap();
    assert_ne!(a.get_weights(), b.get_weights());

    b.set_weights(&a.get_weights()).unwrap();
    assert_eq!(a.get_weights(), b.get_weights());

    let mut c = relu_model(3);
    let mut by_name = a.named_weights();
    by_name.reverse(); // order does not matter by name
    c.set_named_weights(&by_name).unwrap();
    assert_eq!(c.get_weights(), a.get_weights());

    let kernel = ArrayD::from_shape_fn(IxDyn(&[4, 3]), |i| (i[0] * 3 + i[1]) as f32);
    c.set_weight("dense_1/kernel", &kernel).unwrap();
    assert_eq!(c.get_weight("dense_1/kernel").unwrap(), kernel);
    assert_eq!(c.get_weights()[2], kernel);
}

#[test]
fn a_wrong_shape_or_name_is_an_error_naming_the_layer_and_both_shapes() {
    let mut model = relu_model(0);
    let before = {
        model.build().unwrap();
        model.get_weights()
    };
    let wrong = ArrayD::zeros(IxDyn(&[3, 4]));
    let err = model
        .set_weight("dense_1/kernel", &wrong)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("dense_1") && err.contains("(4, 3)") && err.contains("(3, 4)"),
        "{err}"
    );
    let mut list = model.get_weights();
    list[0] = ArrayD::zeros(IxDyn(&[4, 6]));
    let err = model.set_weights(&list).unwrap_err().to_string();
    assert!(
        err.contains("layer dense") && err.contains("(6, 4)") && err.contains("(4, 6)"),
        "{err}"
    );
    let err = model.set_weights(&list[..3]).unwrap_err().to_string();
    assert!(
        err.contains("4 tensors") && err.contains("3 tensors"),
        "{err}"
    );
    let err = model.get_weight("dense_2/kernel").unwrap_err().to_string();
    assert!(
        err.contains("dense_2/kernel") && err.contains("dense_1/bias"),
        "{err}"
    );
    // nothing was written by the refused calls
    assert_eq!(model.get_weights(), before);
}

#[test]
fn optimizer_state_carried_to_a_fresh_model_continues_bit_for_bit() {
    let (x, y) = data();
    let compile = || {
        Compile::new("sparse_categorical_crossentropy")
            .optimizer_name("nadam")
            .metrics(&["accuracy"])
    };
    // fit 2 epochs straight
    let mut straight = relu_model(7);
    straight.compile(compile()).unwrap();
    let h2 = straight
        .fit(&x, &y, Fit::new(2).batch_size(8).verbose(0))
        .unwrap();

    // fit 1, export weights and training state, import into a fresh model, fit 1
    let mut first = relu_model(7);
    first.compile(compile()).unwrap();
    let h1 = first
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .unwrap();
    let state = first.training_state().unwrap();
    let optimizer_state = first.optimizer_state().unwrap();
    assert_eq!(state.optimizer, optimizer_state);
    assert_eq!(optimizer_state.iterations, 6);
    let slots: Vec<&str> = optimizer_state
        .tensors
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        slots,
        [
            "dense/bias/momentum",
            "dense/bias/velocity",
            "dense/kernel/momentum",
            "dense/kernel/velocity",
            "dense_1/bias/momentum",
            "dense_1/bias/velocity",
            "dense_1/kernel/momentum",
            "dense_1/kernel/velocity",
        ]
    );

    let mut second = relu_model(99); // other initial weights: all come from the import
    second.compile(compile()).unwrap();
    second.set_named_weights(&first.named_weights()).unwrap();
    second.set_training_state(&state).unwrap();
    let h = second
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .unwrap();

    assert_eq!(straight.get_weights(), second.get_weights());
    for key in h2.keys() {
        let two = h2.get(key).unwrap();
        assert_eq!(two[0].to_bits(), h1.get(key).unwrap()[0].to_bits(), "{key}");
        assert_eq!(two[1].to_bits(), h.get(key).unwrap()[0].to_bits(), "{key}");
    }
    assert_eq!(second.optimizer().unwrap().iterations(), 12);
}

#[test]
fn an_optimizer_state_that_does_not_fit_the_model_is_refused() {
    let (x, y) = data();
    let mut model = relu_model(0);
    model
        .compile(Compile::new("sparse_categorical_crossentropy").optimizer_name("adam"))
        .unwrap();
    model.fit(&x, &y, Fit::new(1).verbose(0)).unwrap();
    let state = model.optimizer_state().unwrap();

    let mut other = Sequential::new(0);
    other.add(Flatten::new().input_shape(&[2, 3]));
    other.add(Dense::new(5).activation(Activation::Relu));
    other.add(Dense::new(3).activation(Activation::Softmax));
    other
        .compile(Compile::new("sparse_categorical_crossentropy").optimizer_name("adam"))
        .unwrap();
    let err = other.set_optimizer_state(&state).unwrap_err().to_string();
    assert!(
        err.contains("dense/bias/momentum") && err.contains("4 values"),
        "{err}"
    );

    let mut rmsprop = relu_model(0);
    rmsprop
        .compile(Compile::new("sparse_categorical_crossentropy"))
        .unwrap();
    let err = rmsprop.set_optimizer_state(&state).unwrap_err().to_string();
    assert!(err.contains("Adam") && err.contains("RMSprop"), "{err}");
}

#[test]
fn the_architecture_round_trips_through_json_with_names_and_initial_weights() {
    let model = relu_model(5);
    let json = serde_json::to_string(&model.config()).unwrap();
    let config: SequentialConfig = serde_json::from_str(&json).unwrap();
    let mut back = Sequential::from_config(&config).unwrap();
    assert_eq!(back.config(), model.config());
    let mut model = model;
    assert_eq!(back.summary().unwrap(), model.summary().unwrap());
    assert_eq!(back.get_weights(), model.get_weights());
    assert!(
        json.contains(r#""name":"dense_1","class_name":"Dense""#),
        "{json}"
    );
}

#[test]
fn a_dropout_model_continues_bit_for_bit_with_its_generator_positions() {
    let (x, y) = data();
    let dropout_model = |seed| {
        let mut model = Sequential::new(seed);
        model.add(Flatten::new().input_shape(&[2, 3]));
        model.add(Dense::new(8).activation(Activation::Relu));
        model.add(Dropout::new(0.3));
        model.add(Dense::new(3).activation(Activation::Softmax));
        model
            .compile(
                Compile::new("sparse_categorical_crossentropy").optimizer_name("adam"),
            )
            .unwrap();
        model
    };
    let mut straight = dropout_model(11);
    let h2 = straight
        .fit(&x, &y, Fit::new(2).batch_size(8).verbose(0))
        .unwrap();

    let mut first = dropout_model(11);
    first
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .unwrap();
    let state = first.training_state().unwrap();
    assert_eq!(state.generators.len(), 1);
    assert_eq!(state.generators[0].0, "dropout");

    let mut second = dropout_model(11);
    second.set_named_weights(&first.named_weights()).unwrap();
    second.set_training_state(&state).unwrap();
    let h = second
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .unwrap();
    assert_eq!(straight.get_weights(), second.get_weights());
    assert_eq!(
        h2.get("loss").unwrap()[1].to_bits(),
        h.get("loss").unwrap()[0].to_bits()
    );
    // dropout acts only while training: predictions are repeatable
    assert_eq!(second.predict(&x).unwrap(), second.predict(&x).unwrap());
}
