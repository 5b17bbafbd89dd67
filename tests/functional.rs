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
    let mut model = Functional::new(42, &[&input_a, &input_b], &[&output, &aux_output]).unwrap();
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

#[test]
fn a_model_with_two_inputs_and_two_outputs_says_it_cannot_be_trained_yet() {
    let input_a = Input::new(&[5]).named("wide_input");
    let input_b = Input::new(&[6]).named("deep_input");
    let hidden = Dense::new(30).activation(Activation::Relu).on(&input_b);
    let concat = concatenate(&[&input_a, &hidden]);
    let output = Dense::new(1).on(&concat).named("output");
    let aux_output = Dense::new(1).on(&hidden).named("aux_output");
    let mut model = Functional::new(42, &[&input_a, &input_b], &[&output, &aux_output]).unwrap();
    let err = model.compile(Compile::new("mse")).unwrap_err().to_string();
    assert!(
        err.contains("wide_input, deep_input") && err.contains("output, aux_output"),
        "{err}"
    );
    let x = Array2::<f32>::zeros((4, 11));
    let err = model.predict(&x).unwrap_err().to_string();
    assert!(err.contains("2 inputs"), "{err}");
}
