//! The functional API: graphs of layers built as Keras's `Model(inputs, outputs)`,
//! their summaries, their errors, and their gradients against finite differences.

use annlab::gradcheck::{check_model, random_matrix};
use annlab::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// HOML's wide & deep network on 8 features.
fn wide_and_deep(seed: u64) -> Functional {
    let input = Input::new(&[8]);
    let hidden1 = Dense::new(30).activation(Activation::Relu).on(&input);
    let hidden2 = Dense::new(30).activation(Activation::Relu).on(&hidden1);
    let concat = concatenate(&[&input, &hidden2]);
    let output = Dense::new(1).on(&concat);
    Functional::new(seed, &[&input], &[&output]).expect("a valid graph")
}

#[test]
fn the_wide_and_deep_summary_is_keras_3s_functional_table() {
    let mut model = wide_and_deep(42);
    // printed by Keras 3.15.1 for the same graph in an 80-column terminal
    let keras = r#"Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ input_layer         │ (None, 8)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 30)        │        270 │ input_layer[0][0] │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_1 (Dense)     │ (None, 30)        │        930 │ dense[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ concatenate         │ (None, 38)        │          0 │ input_layer[0][0… │
│ (Concatenate)       │                   │            │ dense_1[0][0]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_2 (Dense)     │ (None, 1)         │         39 │ concatenate[0][0] │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 1,239 (4.84 KB)
 Trainable params: 1,239 (4.84 KB)
 Non-trainable params: 0 (0.00 B)
"#;
    assert_eq!(model.summary().unwrap(), keras);
}

#[test]
fn a_two_input_two_output_graph_lists_its_layers_in_keras_depth_order() {
    let input_a = Input::new(&[5]).named("wide_input");
    let input_b = Input::new(&[6]).named("deep_input");
    let hidden1 = Dense::new(30).activation(Activation::Relu).on(&input_b);
    let hidden2 = Dense::new(30).activation(Activation::Relu).on(&hidden1);
    let concat = concatenate(&[&input_a, &hidden2]);
    let output = Dense::new(1).on(&concat).named("output");
    let aux_output = Dense::new(1).on(&hidden2).named("aux_output");
    let mut model =
        Functional::new(42, &[&input_a, &input_b], &[&output, &aux_output]).unwrap();
    // Keras 3.15.1 printed dense_3/dense_4/concatenate_1 (its names count across a
    // session); annlab numbers layers within the model
    let keras = r#"Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ deep_input          │ (None, 6)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 30)        │        210 │ deep_input[0][0]  │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ wide_input          │ (None, 5)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_1 (Dense)     │ (None, 30)        │        930 │ dense[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ concatenate         │ (None, 35)        │          0 │ wide_input[0][0], │
│ (Concatenate)       │                   │            │ dense_1[0][0]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ output (Dense)      │ (None, 1)         │         36 │ concatenate[0][0] │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ aux_output (Dense)  │ (None, 1)         │         31 │ dense_1[0][0]     │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 1,207 (4.71 KB)
 Trainable params: 1,207 (4.71 KB)
 Non-trainable params: 0 (0.00 B)
"#;
    assert_eq!(model.summary().unwrap(), keras);
    let inputs: Vec<String> = model.inputs().into_iter().map(|i| i.name).collect();
    assert_eq!(inputs, ["wide_input", "deep_input"]);
    let outputs: Vec<String> = model.outputs().into_iter().map(|o| o.name).collect();
    assert_eq!(outputs, ["output", "aux_output"]);
}

#[test]
fn a_chain_summarises_as_keras_prints_a_sequential_like_functional_model() {
    let input = Input::new(&[8]);
    let hidden = Dense::new(30).activation(Activation::Relu).on(&input);
    let output = Dense::new(1).on(&hidden);
    let mut model = Functional::new(42, &[&input], &[&output]).unwrap();
    let keras = r#"Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ input_layer (InputLayer)        │ (None, 8)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 30)             │           270 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 1)              │            31 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 301 (1.18 KB)
 Trainable params: 301 (1.18 KB)
 Non-trainable params: 0 (0.00 B)
"#;
    assert_eq!(model.summary().unwrap(), keras);
}

#[test]
fn a_functional_chain_starts_from_the_same_weights_and_predicts_as_its_sequential_twin() {
    let input = Input::new(&[8]);
    let hidden = Dense::new(30).activation(Activation::Relu).on(&input);
    let output = Dense::new(1).on(&hidden);
    let mut functional = Functional::new(7, &[&input], &[&output]).unwrap();
    let mut sequential = Sequential::new(7);
    sequential.add(
        Dense::new(30)
            .activation(Activation::Relu)
            .input_shape(&[8]),
    );
    sequential.add(Dense::new(1));
    sequential.build().unwrap();
    assert_eq!(functional.get_weights(), sequential.get_weights());
    let x = random_matrix(40, 8, -2.0, 2.0, &mut ChaCha8Rng::seed_from_u64(3));
    let y = random_matrix(40, 1, -1.0, 1.0, &mut ChaCha8Rng::seed_from_u64(4));
    assert_eq!(
        functional.predict(&x).unwrap(),
        sequential.predict(&x).unwrap()
    );
    for model in [&mut functional as &mut dyn ModelTrain, &mut sequential] {
        model.compile_sgd();
    }
    let hf = functional
        .fit(&x, &y, Fit::new(3).batch_size(8).verbose(0))
        .unwrap();
    let hs = sequential
        .fit(&x, &y, Fit::new(3).batch_size(8).verbose(0))
        .unwrap();
    assert_eq!(hf.get("loss"), hs.get("loss"));
    assert_eq!(functional.get_weights(), sequential.get_weights());
}

/// Compiles either kind of model the same way.
trait ModelTrain {
    fn compile_sgd(&mut self);
}
impl<M: Train> ModelTrain for M {
    fn compile_sgd(&mut self) {
        self.compile(Compile::new("mse").optimizer(SGD::new().learning_rate(0.01)))
            .unwrap();
    }
}

#[test]
fn wide_and_deep_gradients_through_concatenate_match_finite_differences() {
    // tanh rather than relu: finite differences across relu's kink disagree with any
    // exact gradient (a Sequential relu stack fails the same check the same way)
    let input = Input::new(&[8]);
    let hidden1 = Dense::new(30).activation(Activation::Tanh).on(&input);
    let hidden2 = Dense::new(30).activation(Activation::Tanh).on(&hidden1);
    let concat = concatenate(&[&input, &hidden2]);
    let output = Dense::new(1).on(&concat);
    let mut model = Functional::new(5, &[&input], &[&output]).unwrap();
    model.compile(Compile::new("mse")).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let x = random_matrix(6, 8, -1.0, 1.0, &mut rng);
    let y = random_matrix(6, 1, -1.0, 1.0, &mut rng);
    check_model(&mut model, &x, &y).unwrap();
}

#[test]
fn an_input_that_reaches_no_output_is_an_error_naming_it() {
    let input = Input::new(&[4]);
    let unused = Input::new(&[3]).named("unused");
    let output = Dense::new(1).on(&input);
    let err = Functional::new(0, &[&input, &unused], &[&output])
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("unused") && err.contains("reaches none"),
        "{err}"
    );
}

#[test]
fn an_input_missing_from_the_inputs_is_a_disconnected_graph_error_naming_it() {
    let a = Input::new(&[4]).named("a");
    let b = Input::new(&[3]).named("b");
    let concat = concatenate(&[&a, &b]);
    let output = Dense::new(1).on(&concat);
    let err = Functional::new(0, &[&a], &[&output])
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("disconnected") && err.contains("\"b\"") || err.contains("input b"),
        "{err}"
    );
    assert!(err.contains("concatenate"), "{err}");
}

#[test]
fn concatenating_an_image_with_a_vector_is_an_error_naming_the_layers_and_shapes() {
    let image = Input::new(&[28, 28]).named("image");
    let flat = Flatten::new().on(&image);
    let hidden = Dense::new(30).on(&flat);
    let concat = concatenate(&[&image, &hidden]);
    let output = Dense::new(1).on(&concat);
    let err = Functional::new(0, &[&image], &[&output])
        .err()
        .expect("an error")
        .to_string();
    assert!(err.contains("concatenate"), "{err}");
    assert!(err.contains("image (None, 28, 28)"), "{err}");
    assert!(err.contains("dense (None, 30)"), "{err}");
}

#[test]
fn a_layer_that_cannot_take_its_input_names_itself_and_its_input() {
    let image = Input::new(&[28, 28]).named("image");
    let output = Dense::new(10).on(&image);
    let err = Functional::new(0, &[&image], &[&output])
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("layer dense (Dense)") && err.contains("from image"),
        "{err}"
    );
}

#[test]
fn a_layer_already_in_a_model_cannot_join_a_second_one() {
    let input = Input::new(&[4]);
    let output = Dense::new(1).on(&input);
    let _first = Functional::new(0, &[&input], &[&output]).unwrap();
    let err = Functional::new(0, &[&input], &[&output])
        .err()
        .expect("an error")
        .to_string();
    assert!(err.contains("already belongs to another model"), "{err}");
}

#[test]
fn two_layers_of_one_name_are_an_error() {
    let input = Input::new(&[4]);
    let a = Dense::new(3).on(&input).named("same");
    let b = Dense::new(1).on(&a).named("same");
    let err = Functional::new(0, &[&input], &[&b])
        .err()
        .expect("an error")
        .to_string();
    assert!(err.contains("\"same\""), "{err}");
}

#[test]
fn an_output_that_is_an_input_is_an_error() {
    let input = Input::new(&[4]);
    let err = Functional::new(0, &[&input], &[&input])
        .err()
        .expect("an error")
        .to_string();
    assert!(err.contains("must be made by a layer"), "{err}");
}

/// HOML's model with two inputs and an auxiliary output, on 5 + 6 features.
fn two_inputs_aux_output(seed: u64, activation: Activation) -> Functional {
    let input_a = Input::new(&[5]).named("wide_input");
    let input_b = Input::new(&[6]).named("deep_input");
    let hidden1 = Dense::new(30).activation(activation).on(&input_b);
    let hidden2 = Dense::new(30).activation(activation).on(&hidden1);
    let concat = concatenate(&[&input_a, &hidden2]);
    let output = Dense::new(1).on(&concat).named("output");
    let aux_output = Dense::new(1).on(&hidden2).named("aux_output");
    Functional::new(seed, &[&input_a, &input_b], &[&output, &aux_output]).unwrap()
}

fn two_input_data(n: usize, seed: u64) -> (Array2<f32>, Array2<f32>, Array2<f32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x_a = random_matrix(n, 5, -1.0, 1.0, &mut rng);
    let x_b = random_matrix(n, 6, -1.0, 1.0, &mut rng);
    let y = random_matrix(n, 1, -1.0, 1.0, &mut rng);
    (x_a, x_b, y)
}

#[test]
fn the_two_output_weighted_loss_gradients_match_finite_differences() {
    let mut model = two_inputs_aux_output(3, Activation::Tanh);
    model
        .compile(Compile::losses(&["mse", "mse"]).loss_weights(&[0.9, 0.1]))
        .unwrap();
    let (x_a, x_b, y) = two_input_data(6, 12);
    let y_aux = y.mapv(|v| 0.5 - v);
    check_model(&mut model, (&x_a, &x_b), (&y, &y_aux)).unwrap();
}

#[test]
fn evaluate_gives_the_weighted_total_and_each_outputs_loss_in_keras_order() {
    let mut model = two_inputs_aux_output(42, Activation::Relu);
    model
        .compile(
            Compile::losses(&["mse", "mse"])
                .loss_weights(&[0.9, 0.1])
                .output_metrics(&[&["mae"], &["mae"]]),
        )
        .unwrap();
    let (x_a, x_b, y) = two_input_data(70, 13);
    let ev = model.evaluate((&x_a, &x_b), (&y, &y), 0).unwrap();
    // Keras 3.15.1 lists [loss, output_loss, aux_output_loss, aux_output_mae, output_mae]
    let keys: Vec<&str> = ev.metrics.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "output_loss",
            "aux_output_loss",
            "aux_output_mae",
            "output_mae"
        ]
    );
    // each output's loss is its own mean squared error over the whole set …
    let preds = model.predict_all((&x_a, &x_b)).unwrap();
    let mse = |p: &Array2<f32>| {
        p.iter()
            .zip(y.iter())
            .map(|(&a, &b)| f64::from(a - b).powi(2))
            .sum::<f64>()
            / 70.0
    };
    let (main, aux) = (
        ev.metric("output_loss").unwrap(),
        ev.metric("aux_output_loss").unwrap(),
    );
    assert!(
        (main - mse(&preds[0])).abs() < 1e-6 * main,
        "{main} vs {}",
        mse(&preds[0])
    );
    assert!(
        (aux - mse(&preds[1])).abs() < 1e-6 * aux,
        "{aux} vs {}",
        mse(&preds[1])
    );
    // … and the total is 0.9·main + 0.1·aux
    assert!((ev.loss - (0.9 * main + 0.1 * aux)).abs() < 1e-6 * ev.loss);
    assert_eq!(ev.values().len(), 5);
    assert_ne!(main, aux);
}

#[test]
fn history_of_a_two_output_model_has_keras_3s_keys() {
    let mut model = two_inputs_aux_output(42, Activation::Relu);
    model
        .compile(
            Compile::losses(&["mse", "mse"])
                .loss_weights(&[0.9, 0.1])
                .optimizer(SGD::new().learning_rate(1e-3))
                .output_metrics(&[&["mae"], &["mae"]]),
        )
        .unwrap();
    let (x_a, x_b, y) = two_input_data(64, 14);
    let history = model
        .fit(
            (&x_a, &x_b),
            (&y, &y),
            Fit::new(2)
                .verbose(0)
                .validation_data((&x_a, &x_b), (&y, &y)),
        )
        .unwrap();
    // the keys Keras 3.15.1 records for the same compile and fit
    let keys: Vec<&str> = history.keys().iter().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "aux_output_loss",
            "aux_output_mae",
            "loss",
            "output_loss",
            "output_mae",
            "val_aux_output_loss",
            "val_aux_output_mae",
            "val_loss",
            "val_output_loss",
            "val_output_mae"
        ]
    );
    // the validation figures are evaluate's on the same data after the epoch
    let ev = model.evaluate((&x_a, &x_b), (&y, &y), 0).unwrap();
    assert_eq!(history.get("val_loss").unwrap()[1], ev.loss);
    assert_eq!(
        history.get("val_aux_output_loss").unwrap()[1],
        ev.metric("aux_output_loss").unwrap()
    );
}

#[test]
fn a_flat_metrics_list_on_a_two_output_model_is_refused_as_keras_3_refuses_it() {
    let mut model = two_inputs_aux_output(0, Activation::Relu);
    let err = model
        .compile(Compile::new("mse").metrics(&["mae"]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("2 outputs (output, aux_output)") && err.contains("output_metrics"),
        "{err}"
    );
}

#[test]
fn losses_or_loss_weights_that_do_not_match_the_outputs_are_errors() {
    let mut model = two_inputs_aux_output(0, Activation::Relu);
    let err = model
        .compile(Compile::losses(&["mse", "mse", "mae"]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("3 losses for 2 outputs"), "{err}");
    let err = model
        .compile(Compile::new("mse").loss_weights(&[1.0]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("1 weights for 2 outputs"), "{err}");
    let err = model
        .compile(Compile::new("mse").loss_weights(&[1.0, f32::NAN]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("finite"), "{err}");
}

#[test]
fn one_array_for_two_inputs_or_one_target_for_two_outputs_is_an_error_naming_them() {
    let mut model = two_inputs_aux_output(0, Activation::Relu);
    model.compile(Compile::new("mse")).unwrap();
    let (x_a, x_b, y) = two_input_data(8, 15);
    let err = model
        .fit(&x_a, (&y, &y), Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("one array per input (2: wide_input, deep_input)")
            && err.contains("found 1 array"),
        "{err}"
    );
    let err = model
        .fit((&x_a, &x_b), &y, Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("one set of targets per output (2: output, aux_output)"),
        "{err}"
    );
    // an input of the wrong width is named
    let err = model.predict_all((&x_b, &x_a)).unwrap_err().to_string();
    assert!(
        err.contains("(input wide_input)") && err.contains("(8, 6)"),
        "{err}"
    );
    // inputs of different lengths
    let short = x_b.slice(ndarray::s![..5, ..]).to_owned();
    let err = model.predict_all((&x_a, &short)).unwrap_err().to_string();
    assert!(err.contains("8 samples, as the first input has"), "{err}");
    // predict is for one output
    let err = model.predict((&x_a, &x_b)).unwrap_err().to_string();
    assert!(err.contains("predict_all"), "{err}");
}

#[test]
fn inputs_given_as_a_vec_of_strided_views_train_as_the_pair_of_arrays_does() {
    let mut two = two_inputs_aux_output(7, Activation::Relu);
    let (x_a, x_b, y) = two_input_data(50, 16);
    let joined =
        ndarray::concatenate(ndarray::Axis(1), &[x_a.view(), x_b.view()]).unwrap();
    let spec = || Compile::losses(&["mse", "mse"]).loss_weights(&[0.9, 0.1]);
    two.compile(spec()).unwrap();
    let h2 = two
        .fit((&x_a, &x_b), (&y, &y), Fit::new(3).verbose(0))
        .unwrap();
    // a second copy of the model, fed column slices of one matrix (strided views)
    let mut again = two_inputs_aux_output(7, Activation::Relu);
    again.compile(spec()).unwrap();
    let h3 = again
        .fit(
            vec![
                joined.slice(ndarray::s![.., ..5]).into_dyn(),
                joined.slice(ndarray::s![.., 5..]).into_dyn(),
            ],
            (&y, &y),
            Fit::new(3).verbose(0),
        )
        .unwrap();
    assert_eq!(h2.get("loss"), h3.get("loss"));
    assert_eq!(two.get_weights(), again.get_weights());
}

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("annlab-functional-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// HOML's model with two inputs and an auxiliary output, compiled with per-output
/// losses, weights and metrics and trained for two epochs.
fn trained_aux_model() -> (Functional, Array2<f32>, Array2<f32>, Array2<f32>) {
    let mut model = two_inputs_aux_output(42, Activation::Relu);
    model
        .compile(
            Compile::losses(&["mse", "mae"])
                .loss_weights(&[0.9, 0.1])
                .optimizer(Adam::new().learning_rate(1e-2))
                .output_metrics(&[&["mae"], &[]]),
        )
        .unwrap();
    let (x_a, x_b, y) = two_input_data(40, 17);
    model
        .fit((&x_a, &x_b), (&y, &y), Fit::new(2).batch_size(8).verbose(0))
        .unwrap();
    (model, x_a, x_b, y)
}

#[test]
fn a_saved_functional_model_loads_with_its_graph_compile_settings_and_training_state() {
    let (mut model, x_a, x_b, y) = trained_aux_model();
    let path = temp_path("aux.safetensors");
    annlab::saving::save_model(&model, &path).unwrap();
    let mut restored = annlab::saving::load_functional(&path).unwrap();
    assert_eq!(restored.layer_names(), model.layer_names());
    assert_eq!(restored.summary().unwrap(), model.summary().unwrap());
    // the same outputs, to the bit
    assert_eq!(
        restored.predict_all((&x_a, &x_b)).unwrap(),
        model.predict_all((&x_a, &x_b)).unwrap()
    );
    // compiled as it was: the same losses, weights and metrics …
    let ev = model.evaluate((&x_a, &x_b), (&y, &y), 0).unwrap();
    assert_eq!(restored.evaluate((&x_a, &x_b), (&y, &y), 0).unwrap(), ev);
    assert_eq!(
        ev.metrics
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
        ["output_loss", "aux_output_loss", "output_mae"]
    );
    // … and training continues exactly as the saved model's would (Adam's slots, the
    // shuffle's position)
    let fit = || Fit::new(1).batch_size(8).verbose(0);
    let h1 = model.fit((&x_a, &x_b), (&y, &y), fit()).unwrap();
    let h2 = restored.fit((&x_a, &x_b), (&y, &y), fit()).unwrap();
    assert_eq!(h1, h2);
    assert_eq!(restored.get_weights(), model.get_weights());
}

#[test]
fn loading_a_file_as_the_wrong_kind_of_model_says_which_loader_to_use() {
    let (model, ..) = trained_aux_model();
    let path = temp_path("kind.safetensors");
    annlab::saving::save_model(&model, &path).unwrap();
    let err = annlab::saving::load_model(&path)
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("it holds a Functional model: load it with load_functional"),
        "{err}"
    );
    let mut sequential = Sequential::new(0);
    sequential.add(Dense::new(1).input_shape(&[3]));
    sequential.build().unwrap();
    annlab::saving::save_model(&sequential, &path).unwrap();
    let err = annlab::saving::load_functional(&path)
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("it holds a Sequential model: load it with load_model"),
        "{err}"
    );
}

#[test]
fn a_functional_architecture_that_reads_an_undefined_node_is_an_error_naming_it() {
    let model = wide_and_deep(1);
    let mut config = model.config();
    config.nodes[1].inbound = vec!["nowhere".into()];
    let err = Functional::from_config(&config)
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("reads \"nowhere\", which is not defined before it"),
        "{err}"
    );
    // a graph rebuilt from its own config has the same layers, names and weights
    let config = model.config();
    let rebuilt = Functional::from_config(&config).unwrap();
    assert_eq!(rebuilt.layer_names(), model.layer_names());
    assert_eq!(rebuilt.get_weights(), model.get_weights());
}
