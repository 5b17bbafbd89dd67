//! Issue 9, sizes and settings: an absurd layer, model or batch size and a bad optimizer
//! or schedule setting are clear errors (`Err`) — never a panic, an abort or a silent
//! wrap-around. Every size error comes before anything is allocated: no test here
//! allocates more than a few megabytes.

use annlab::model::SequentialConfig;
use annlab::optimizers::{LearningRateConfig, OptimizerConfig};
use annlab::prelude::*;

/// The build error of a model with these layers, as text.
fn build_error(layers: Vec<Box<dyn Layer>>) -> String {
    let mut model = Sequential::new(0);
    for layer in layers {
        model.add_boxed(layer);
    }
    model
        .build()
        .expect_err("the model must be refused")
        .to_string()
}

/// The compile error of a one-layer model with `optimizer`, as text.
fn compile_error(optimizer: impl Optimizer + 'static) -> String {
    let mut model = Sequential::new(0);
    model.add(Dense::new(1).input_shape(&[2]));
    model
        .compile(Compile::new("mse").optimizer(optimizer))
        .expect_err("the optimizer must be refused")
        .to_string()
}

// ---- sizes ----

#[test]
fn a_flatten_input_whose_size_overflows_is_an_error_not_a_wrapped_size() {
    // 2³² · (2³² + 1) = 2⁶⁴ + 2³² values per sample: wraps to 2³² in a usize
    let err = build_error(vec![Box::new(
        Flatten::new().input_shape(&[1 << 32, (1 << 32) + 1]),
    )]);
    assert!(
        err.contains("flatten")
            && err.contains("too large")
            && err.contains("18,446,744,078,004,518,912"),
        "{err}"
    );
}

#[test]
fn dense_with_usize_max_units_is_an_error_naming_the_layer_and_its_size() {
    // 784·(2⁶⁴ − 1) weights + (2⁶⁴ − 1) biases
    let err = build_error(vec![Box::new(Dense::new(usize::MAX).input_shape(&[784]))]);
    assert!(
        err.contains("layer dense")
            && err.contains("too large")
            && err.contains("14,480,694,097,861,998,017,775"),
        "{err}"
    );
}

#[test]
fn dense_with_two_to_the_31_inputs_and_units_is_an_error_not_a_capacity_overflow() {
    // a 2³¹ · 2³¹ kernel is 2⁶⁴ bytes: more than a Vec can count. The input, 2³¹ values
    // per sample, is over the limit already.
    let err = build_error(vec![Box::new(Dense::new(1 << 31).input_shape(&[1 << 31]))]);
    assert!(
        err.contains("input_shape (2147483648,) of layer dense is too large")
            && err.contains("2,147,483,648 f32 values (8.00 GB)"),
        "{err}"
    );
    // on 2²⁹ inputs (within the limit) the layer's 2⁶⁰ + 2³¹ parameters are refused
    let err = build_error(vec![Box::new(Dense::new(1 << 31).input_shape(&[1 << 29]))]);
    assert!(
        err.contains("layer dense (Dense) is too large")
            && err.contains("1,152,921,506,754,330,624"),
        "{err}"
    );
}

#[test]
fn a_four_tebibyte_dense_layer_is_refused_before_allocating() {
    // 2²⁰ · 2²⁰ + 2²⁰ f32 = 4 TiB: the process used to abort on the refused allocation
    let err = build_error(vec![Box::new(Dense::new(1 << 20).input_shape(&[1 << 20]))]);
    assert!(
        err.contains("layer dense")
            && err.contains("1,099,512,676,352")
            && err.contains("4.00 TB")
            && err.contains("1,073,741,824"),
        "{err}"
    );
}

#[test]
fn a_layer_just_over_the_parameter_limit_is_refused_and_one_at_it_is_not_counted_twice() {
    // kernel 2¹⁵ · 2¹⁵ = 2³⁰ values is one tensor at the limit, but with the bias the
    // layer has 2³⁰ + 2¹⁵ parameters: over the limit of 2³⁰ per model
    let err = build_error(vec![Box::new(Dense::new(1 << 15).input_shape(&[1 << 15]))]);
    assert!(
        err.contains("layer dense") && err.contains("1,073,774,592"),
        "{err}"
    );
}

#[test]
fn a_layer_after_a_huge_flatten_is_never_built() {
    // (2¹⁶, 2¹⁶) = 2³² values per sample is over the limit already at the input
    let err = build_error(vec![
        Box::new(Flatten::new().input_shape(&[1 << 16, 1 << 16])),
        Box::new(Dense::new(10)),
    ]);
    assert!(
        err.contains("flatten") && err.contains("4,294,967,296"),
        "{err}"
    );
}

#[test]
fn dense_with_zero_units_says_units_must_be_at_least_one() {
    let err = build_error(vec![Box::new(Dense::new(0).input_shape(&[4]))]);
    assert!(
        err.contains("Dense units")
            && err.contains("at least 1")
            && err.contains("got 0"),
        "{err}"
    );
    // the config of a saved model goes through the same check
    let config: SequentialConfig = serde_json::from_str(
        r#"{"name":"sequential","seed":0,"layers":[{"name":"dense","class_name":"Dense",
            "config":{"units":0,"activation":"relu","input_shape":[4]}}]}"#,
    )
    .expect("valid JSON");
    let err = Sequential::from_config(&config)
        .and_then(|mut m| m.build())
        .unwrap_err()
        .to_string();
    assert!(err.contains("Dense units"), "{err}");
}

#[test]
fn an_input_shape_with_a_zero_dimension_or_no_dimension_is_an_error() {
    let err = build_error(vec![Box::new(Flatten::new().input_shape(&[28, 0]))]);
    assert!(
        err.contains("input_shape (28, 0)") && err.contains("at least 1"),
        "{err}"
    );
    let err = build_error(vec![Box::new(Dense::new(3).input_shape(&[0]))]);
    assert!(
        err.contains("input_shape (0,)") && err.contains("at least 1"),
        "{err}"
    );
    let err = build_error(vec![Box::new(Flatten::new().input_shape(&[]))]);
    assert!(
        err.contains("input_shape ()") && err.contains("at least one dimension"),
        "{err}"
    );
}

#[test]
fn a_dropout_rate_outside_zero_to_one_or_nan_is_an_error_also_from_a_saved_config() {
    for rate in [-0.1f32, 1.0, 1.5, f32::NAN] {
        let err = build_error(vec![
            Box::new(Dense::new(3).input_shape(&[2])),
            Box::new(Dropout::new(rate)),
        ]);
        assert!(
            err.contains("Dropout rate") && err.contains("layer dropout"),
            "{err}"
        );
    }
    let config: SequentialConfig = serde_json::from_str(
        r#"{"name":"sequential","seed":0,"layers":[
            {"name":"dense","class_name":"Dense","config":{"units":3,"activation":"relu","input_shape":[2]}},
            {"name":"dropout","class_name":"Dropout","config":{"rate":1.5}}]}"#,
    )
    .expect("valid JSON");
    let err = Sequential::from_config(&config)
        .and_then(|mut m| m.build())
        .unwrap_err()
        .to_string();
    assert!(err.contains("Dropout rate"), "{err}");
}

#[test]
fn a_saved_architecture_with_usize_max_units_is_an_error_not_a_panic() {
    let config: SequentialConfig = serde_json::from_str(
        r#"{"name":"sequential","seed":0,"layers":[{"name":"dense","class_name":"Dense",
            "config":{"units":18446744073709551615,"activation":"relu","input_shape":[784]}}]}"#,
    )
    .expect("valid JSON");
    let err = Sequential::from_config(&config)
        .and_then(|mut m| m.build())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("layer dense") && err.contains("too large"),
        "{err}"
    );
}

/// Dense(2¹⁴) on one input, then Dense(1): 49,153 parameters, but 2¹⁴ values of
/// activations per sample in the first layer.
fn wide_model() -> Sequential {
    let mut model = Sequential::new(0);
    model.add(Dense::new(1 << 14).input_shape(&[1]));
    model.add(Dense::new(1));
    model
}

#[test]
fn a_batch_whose_buffers_exceed_the_limit_is_an_error_before_training() {
    // a batch of 2²⁰ samples × 2¹⁴ values = 2³⁴ activations in the first layer (64 GiB)
    let n = 1 << 20;
    let x = Array2::<f32>::zeros((n, 1));
    let y = Array2::<f32>::zeros((n, 1));
    let mut model = wide_model();
    model.compile(Compile::new("mse")).expect("compiles");
    let err = model
        .fit(&x, &y, Fit::new(1).batch_size(n).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("batch of 1,048,576 samples") && err.contains("1,073,741,824"),
        "{err}"
    );
    // the weights did not move and the model still trains on a batch that fits
    let before = model.get_weights();
    let small = x.slice(s![..64, ..]).to_owned();
    let ys = y.slice(s![..64, ..]).to_owned();
    assert_eq!(model.get_weights(), before);
    model
        .fit(&small, &ys, Fit::new(1).batch_size(64).verbose(0))
        .expect("a batch of 64 fits");
}

#[test]
fn a_batch_size_larger_than_the_data_is_clipped_to_the_data_and_accepted() {
    // Keras clips the batch to the data: 4 samples in a batch of 2⁴⁰ is a batch of 4
    let x = Array2::<f32>::zeros((4, 1));
    let y = Array2::<f32>::zeros((4, 1));
    let mut model = wide_model();
    model.compile(Compile::new("mse")).expect("compiles");
    let history = model
        .fit(&x, &y, Fit::new(1).batch_size(1 << 40).verbose(0))
        .expect("a batch of 4 fits");
    assert_eq!(history.epochs(), 1);
    assert!(history.last("loss").is_some_and(f64::is_finite));
}

#[test]
fn predict_refuses_an_output_beyond_the_limit_before_allocating_it() {
    // 2²⁰ samples × 2¹⁴ outputs = 2³⁴ values (64 GiB) of predictions
    let mut model = Sequential::new(0);
    model.add(Dense::new(1 << 14).input_shape(&[1]));
    let x = Array2::<f32>::zeros((1 << 20, 1));
    let err = model.predict(&x).unwrap_err().to_string();
    assert!(
        err.contains("17,179,869,184") && err.contains("too large"),
        "{err}"
    );
}

// ---- optimizer and schedule settings ----

#[test]
fn adam_and_nadam_refuse_a_nan_or_negative_epsilon_at_compile() {
    for eps in [f32::NAN, -1e-7] {
        for err in [
            compile_error(Adam::new().epsilon(eps)),
            compile_error(Nadam::new().epsilon(eps)),
        ] {
            assert!(
                err.contains("epsilon") && err.contains(&format!("got {eps}")),
                "{err}"
            );
        }
    }
}

#[test]
fn every_optimizer_with_an_epsilon_refuses_a_bad_one() {
    for eps in [f32::NAN, -1.0, 0.0, f32::INFINITY] {
        let errors = [
            compile_error(Adam::new().epsilon(eps)),
            compile_error(Nadam::new().epsilon(eps)),
            compile_error(Adamax::new().epsilon(eps)),
            compile_error(RMSprop::new().epsilon(eps)),
            compile_error(Adagrad::new().epsilon(eps)),
            compile_error(Adadelta::new().epsilon(eps)),
        ];
        for err in errors {
            assert!(
                err.contains("epsilon: must be positive and finite"),
                "{err}"
            );
        }
    }
}

#[test]
fn a_negative_learning_rate_is_refused_in_plain_words() {
    let err = compile_error(SGD::new().learning_rate(-0.1));
    assert!(
        err.contains(
            "invalid learning_rate: must be zero or positive, and finite, got -0.1"
        ),
        "{err}"
    );
    assert!(!err.contains("34028235"), "{err}");
    // and the same words when set between steps
    let mut opt = SGD::new();
    let err = opt.set_learning_rate(-0.1).unwrap_err().to_string();
    assert!(
        err.contains("must be zero or positive, and finite"),
        "{err}"
    );
    for lr in [f32::NAN, f32::INFINITY] {
        let err = compile_error(Adam::new().learning_rate(lr));
        assert!(err.contains("learning_rate"), "{err}");
    }
}

#[test]
fn adagrad_refuses_a_negative_initial_accumulator_in_plain_words() {
    let err = compile_error(Adagrad::new().initial_accumulator_value(-1.0));
    assert!(
        err.contains(
            "initial_accumulator_value: must be zero or positive, and finite, got -1"
        ),
        "{err}"
    );
    assert!(!err.contains("34028235"), "{err}");
}

#[test]
fn momentum_rho_and_betas_outside_their_range_are_refused() {
    let errors = [
        compile_error(SGD::new().momentum(f32::NAN)),
        compile_error(SGD::new().momentum(1.5)),
        compile_error(RMSprop::new().rho(-0.1)),
        compile_error(RMSprop::new().momentum(f32::NAN)),
        compile_error(Adadelta::new().rho(2.0)),
        compile_error(Adam::new().beta_1(1.0)),
        compile_error(Adam::new().beta_2(f32::NAN)),
        compile_error(Nadam::new().beta_1(-0.5)),
        compile_error(Adamax::new().beta_2(1.0)),
    ];
    for err in errors {
        assert!(err.contains("must be"), "{err}");
    }
}

#[test]
fn a_clip_threshold_must_be_positive_and_finite() {
    for c in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        for err in [
            compile_error(SGD::new().clipnorm(c)),
            compile_error(Adam::new().global_clipnorm(c)),
            compile_error(RMSprop::new().clipvalue(c)),
        ] {
            assert!(err.contains("positive and finite"), "{err}");
        }
    }
}

#[test]
fn exponential_decay_refuses_nan_negative_or_zero_settings() {
    let bad = [
        (f32::NAN, 10, 0.5, "initial_learning_rate"),
        (-0.1, 10, 0.5, "initial_learning_rate"),
        (f32::INFINITY, 10, 0.5, "initial_learning_rate"),
        (0.1, 0, 0.5, "decay_steps"),
        (0.1, 10, f32::NAN, "decay_rate"),
        (0.1, 10, -0.5, "decay_rate"),
        (0.1, 10, 0.0, "decay_rate"),
    ];
    for (lr, steps, rate, what) in bad {
        let err = ExponentialDecay::new(lr, steps, rate)
            .err()
            .unwrap_or_else(|| panic!("ExponentialDecay({lr}, {steps}, {rate}) accepted"))
            .to_string();
        assert!(err.contains(what), "{err}");
    }
}

#[test]
fn piecewise_constant_decay_refuses_a_nan_or_negative_value() {
    for v in [f32::NAN, -0.1, f32::INFINITY] {
        let err = PiecewiseConstantDecay::new(&[10], &[0.1, v])
            .err()
            .unwrap_or_else(|| panic!("value {v} accepted"))
            .to_string();
        assert!(
            err.contains("values[1]") && err.contains(&format!("{v}")),
            "{err}"
        );
    }
}

#[test]
fn an_imported_optimizer_state_with_a_negative_learning_rate_is_refused() {
    let mut state = Adam::new().state();
    state.learning_rate = Some(-0.5);
    let err = Adam::new().set_state(&state).unwrap_err().to_string();
    assert!(
        err.contains("learning_rate") && err.contains("got -0.5"),
        "{err}"
    );
}

/// A learner's own schedule that gives NaN.
#[derive(Debug)]
struct Broken;

impl annlab::optimizers::LearningRateSchedule for Broken {
    fn at(&self, _step: u64) -> f32 {
        f32::NAN
    }
}

#[test]
fn a_schedule_of_ones_own_that_gives_nan_is_refused_at_compile() {
    let err = compile_error(SGD::new().learning_rate_schedule(Broken));
    assert!(
        err.contains("learning_rate") && err.contains("NaN"),
        "{err}"
    );
}

#[test]
fn a_saved_optimizer_config_with_a_bad_setting_is_refused_on_load() {
    // what load_model rebuilds the optimizer from
    let json = r#"{"settings":{"Adam":{"beta_1":0.9,"beta_2":0.999,"epsilon":-1e-7,"amsgrad":false}},
                   "learning_rate":{"Constant":0.001},"clip":"None"}"#;
    let config: OptimizerConfig = serde_json::from_str(json).expect("valid JSON");
    let err = config.build().err().expect("refused").to_string();
    assert!(err.contains("epsilon"), "{err}");
    // NaN has no JSON form: serde writes null, which does not read back as a number
    assert!(
        serde_json::from_str::<OptimizerConfig>(&json.replace("-1e-7", "null")).is_err()
    );
    // a schedule with a negative rate
    let mut config = OptimizerConfig::of(&SGD::new()).expect("saveable");
    config.learning_rate = LearningRateConfig::ExponentialDecay {
        initial_learning_rate: -0.1,
        decay_steps: 10,
        decay_rate: 0.5,
        staircase: false,
    };
    let err = config.build().err().expect("refused").to_string();
    assert!(err.contains("initial_learning_rate"), "{err}");
}
