//! `BatchNormalization` (issue 15) with Keras 3's defaults and semantics: batch
//! statistics (biased variance) while training, moving statistics in evaluate and
//! predict, γ and β trainable, the moving mean and variance non-trainable — counted so by
//! `summary`, kept by save and load, never touched by an optimizer — checked by hand,
//! against finite differences and against Keras 3 (`keras/batch_normalization.py`).

use annlab::gradcheck::{check_model, random_matrix};
use annlab::prelude::*;
use annlab::saving::{
    load_functional, load_model, load_weights, save_model, save_weights,
};
use ndarray::ArrayD;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The batch of `keras/batch_normalization.py`: 4 samples of 3 features.
fn x4() -> Array2<f32> {
    array![
        [1.0f32, -2.0, 0.5],
        [3.0, 0.0, 0.25],
        [-1.0, 4.0, 1.0],
        [0.5, 2.0, -0.75]
    ]
}

fn tensor(values: &[f32]) -> ArrayD<f32> {
    ArrayD::from_shape_vec(vec![values.len()], values.to_vec()).expect("a vector")
}

/// Flatten(input_shape=(3,)) → BatchNormalization, γ = [1.5, −0.5, 2], β = [0.1, 0.2, −0.3].
fn bn_model() -> Sequential {
    let mut model = Sequential::new(0);
    model.add(Flatten::new().input_shape(&[3]));
    model.add(BatchNormalization::new());
    model.build().unwrap();
    model
        .set_weight("batch_normalization/gamma", &tensor(&[1.5, -0.5, 2.0]))
        .unwrap();
    model
        .set_weight("batch_normalization/beta", &tensor(&[0.1, 0.2, -0.3]))
        .unwrap();
    model
}

/// Per column: mean and biased variance, in f64.
fn moments(x: &Array2<f32>) -> Vec<(f64, f64)> {
    x.columns()
        .into_iter()
        .map(|c| {
            let n = c.len() as f64;
            let mean = c.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
            let var = c
                .iter()
                .map(|&v| (f64::from(v) - mean).powi(2))
                .sum::<f64>()
                / n;
            (mean, var)
        })
        .collect()
}

fn close(a: &[f32], b: &[f64], tol: f64) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&a, &b)| (f64::from(a) - b).abs() <= tol)
}

#[test]
fn in_training_each_feature_has_mean_beta_and_biased_variance_gamma_squared_times_var_over_var_plus_eps(
) {
    let mut model = bn_model();
    model.forward(x4().view(), true);
    let y = model.output(0).to_owned();
    let (gamma, beta) = ([1.5f64, -0.5, 2.0], [0.1f64, 0.2, -0.3]);
    for (k, ((mean_y, var_y), (_, var_x))) in
        moments(&y).into_iter().zip(moments(&x4())).enumerate()
    {
        // ŷ = (x − μ)/√(σ² + ε): mean 0, biased variance σ²/(σ² + ε) (1 up to ε = 1e-3)
        assert!(
            (mean_y - beta[k]).abs() < 1e-6,
            "feature {k}: mean {mean_y}"
        );
        let expected = gamma[k].powi(2) * var_x / (var_x + 1e-3);
        assert!(
            (var_y - expected).abs() < 1e-5,
            "feature {k}: {var_y} vs {expected}"
        );
    }
    // keras/batch_normalization.py, `bn(x, training=True)`
    let keras = [
        [0.2310236692428589, 0.8707533478736877, 0.4835008382797241],
        [2.327401638031006, 0.4235844612121582, -0.30000001192092896],
        [-1.8653541803359985, -0.4707533121109009, 2.0505025386810303],
        [
            -0.29307079315185547,
            -0.023584425449371338,
            -3.4340033531188965,
        ],
    ];
    let keras: Vec<f64> = keras.iter().flatten().copied().collect();
    assert!(close(y.as_slice().unwrap(), &keras, 2e-6), "{y}");
}

#[test]
fn one_training_step_moves_the_statistics_by_keras_s_formula_computed_by_hand() {
    let mut model = bn_model();
    model.forward(x4().view(), true);
    // moving = moving·0.99 + batch_stat·0.01, from 0 and 1
    let (means, vars): (Vec<f64>, Vec<f64>) = moments(&x4())
        .into_iter()
        .map(|(m, v)| (0.01 * m, 0.99 + 0.01 * v))
        .unzip();
    let mean = model.get_weight("batch_normalization/moving_mean").unwrap();
    let var = model
        .get_weight("batch_normalization/moving_variance")
        .unwrap();
    assert!(close(mean.as_slice().unwrap(), &means, 1e-7), "{mean}");
    assert!(close(var.as_slice().unwrap(), &vars, 1e-6), "{var}");
    // keras/batch_normalization.py
    let keras_mean = [
        0.008750000037252903,
        0.009999999776482582,
        0.0024999999441206455,
    ];
    let keras_var = [1.0104687213897705, 1.0399999618530273, 0.9940624833106995];
    assert!(close(mean.as_slice().unwrap(), &keras_mean, 1e-8), "{mean}");
    assert!(close(var.as_slice().unwrap(), &keras_var, 1e-7), "{var}");
}

#[test]
fn evaluate_and_predict_normalise_with_the_moving_statistics() {
    let mut model = bn_model();
    model.forward(x4().view(), true); // one training call, as in Keras's script
    model
        .compile(Compile::new("mse").optimizer(SGD::new()))
        .unwrap();
    let predicted = model.predict(&x4()).unwrap();
    // keras/batch_normalization.py, `bn(x, training=False)` after the training call
    let keras = [
        [1.5784213542938232, 1.1850100755691528, 0.6974654793739319],
        [4.561365127563477, 0.20490054786205292, 0.19622653722763062],
        [-1.404522180557251, -1.7553186416625977, 1.6999433040618896],
        [0.8326855301856995, -0.7752090096473694, -1.8087291717529297],
    ];
    let keras: Vec<f64> = keras.iter().flatten().copied().collect();
    assert!(
        close(predicted.as_slice().unwrap(), &keras, 2e-6),
        "{predicted}"
    );
    // one sample alone gets the same output: nothing depends on the batch
    let one = model.predict(&x4().slice(s![2..3, ..]).to_owned()).unwrap();
    assert_eq!(one.row(0), predicted.row(2));
    // evaluate's loss is the MSE of those outputs, and moves no statistic
    let before = model.get_weights();
    let y = Array2::<f32>::zeros((4, 3));
    let loss = model.evaluate(&x4(), &y, 0).unwrap().loss;
    let mse = keras.iter().map(|v| v * v).sum::<f64>() / 12.0;
    assert!((loss - mse).abs() < 1e-5, "{loss} vs {mse}");
    assert_eq!(model.get_weights(), before);
}

#[test]
fn the_gradient_through_a_whole_sequential_with_batch_normalization_in_training_mode_matches_finite_differences(
) {
    let mut model = Sequential::new(3);
    model.add(Dense::new(4).input_shape(&[3]));
    model.add(BatchNormalization::new());
    model.add(ActivationLayer::new(Activation::Tanh));
    model.add(Dense::new(2).activation(Activation::Softmax));
    model
        .compile(Compile::new("sparse_categorical_crossentropy").optimizer(SGD::new()))
        .unwrap();
    model
        .set_weight("batch_normalization/gamma", &tensor(&[1.2, 0.8, -1.1, 0.9]))
        .unwrap();
    model
        .set_weight("batch_normalization/beta", &tensor(&[0.1, -0.2, 0.3, 0.0]))
        .unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let x = random_matrix(6, 3, -2.0, 2.0, &mut rng);
    let y: Vec<usize> = vec![0, 1, 1, 0, 1, 0];
    // the gradients cover dense, batch_normalization (γ, β) and dense_1, not the moving
    // statistics
    let paths: Vec<String> = model.weights().into_iter().map(|w| w.name).collect();
    assert_eq!(
        paths,
        [
            "dense/kernel",
            "dense/bias",
            "batch_normalization/gamma",
            "batch_normalization/beta",
            "dense_1/kernel",
            "dense_1/bias"
        ]
    );
    check_model(&mut model, &x, &y).unwrap();
}

/// HG's relu-100 model with batch normalization, as `keras/batch_normalization.py`.
fn hg_bn_model() -> Sequential {
    let mut model = Sequential::new(42);
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(100));
    model.add(BatchNormalization::new());
    model.add(ActivationLayer::new(Activation::Relu));
    model.add(Dense::new(10).activation(Activation::Softmax));
    model
}

#[test]
fn the_summary_is_keras_3_s_table_byte_for_byte_with_200_non_trainable_params() {
    let mut model = hg_bn_model();
    // printed by keras/batch_normalization.py (Keras 3.15.1, jax, 80 columns)
    let keras = "\
Model: \"sequential\"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ flatten (Flatten)               │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 100)            │        78,500 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (None, 100)            │           400 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ activation (Activation)         │ (None, 100)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         1,010 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 79,910 (312.15 KB)
 Trainable params: 79,710 (311.37 KB)
 Non-trainable params: 200 (800.00 B)
";
    assert_eq!(model.summary().unwrap(), keras);
    assert_eq!(model.param_count(), 79_710);
    assert_eq!(model.non_trainable_param_count(), 200);
    // Keras's model.weights order: layer by layer, trainable then non-trainable
    let paths: Vec<String> = model.all_weights().into_iter().map(|w| w.name).collect();
    assert_eq!(
        paths,
        [
            "dense/kernel",
            "dense/bias",
            "batch_normalization/gamma",
            "batch_normalization/beta",
            "batch_normalization/moving_mean",
            "batch_normalization/moving_variance",
            "dense_1/kernel",
            "dense_1/bias"
        ]
    );
}

#[test]
fn an_optimizer_step_leaves_the_moving_statistics_to_the_forward_update_alone() {
    // BatchNormalization reads x itself, so its batch statistics do not depend on any
    // weight: after one Adam step on the whole batch, the moving statistics are exactly
    // the forward update's, while γ and β have moved
    let mut model = bn_model();
    model.add(Dense::new(2));
    model.build().unwrap();
    model
        .set_weight("batch_normalization/gamma", &tensor(&[1.5, -0.5, 2.0]))
        .unwrap();
    model
        .compile(Compile::new("mse").optimizer(Adam::new().learning_rate(0.5)))
        .unwrap();
    let paths: Vec<String> = model.params().iter().map(|p| p.path.to_string()).collect();
    assert!(!paths.iter().any(|p| p.contains("moving")), "{paths:?}");
    let mut reference = bn_model();
    reference.forward(x4().view(), true);
    let y = array![[1.0f32, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]];
    let gamma = model.get_weight("batch_normalization/gamma").unwrap();
    model
        .fit(&x4(), &y, Fit::new(1).batch_size(4).verbose(0))
        .unwrap();
    for stat in ["moving_mean", "moving_variance"] {
        let path = format!("batch_normalization/{stat}");
        assert_eq!(
            model.get_weight(&path).unwrap(),
            reference.get_weight(&path).unwrap(),
            "{stat}"
        );
    }
    assert_ne!(
        model.get_weight("batch_normalization/gamma").unwrap(),
        gamma
    );
}

fn bits(model: &dyn Model) -> Vec<(String, Vec<u32>)> {
    model
        .named_weights()
        .into_iter()
        .map(|(n, w)| (n, w.iter().map(|v| v.to_bits()).collect()))
        .collect()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("annlab-bn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn save_and_load_keep_the_moving_statistics_bit_for_bit() {
    let mut model = hg_bn_model();
    model
        .compile(Compile::new("sparse_categorical_crossentropy").optimizer(Adam::new()))
        .unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let x = random_matrix(64, 784, 0.0, 1.0, &mut rng)
        .into_shape_with_order((64, 28, 28))
        .unwrap();
    let y: Vec<usize> = (0..64).map(|i| i % 10).collect();
    model
        .fit(&x, &y, Fit::new(2).batch_size(16).verbose(0))
        .unwrap();
    let mean = model.get_weight("batch_normalization/moving_mean").unwrap();
    assert!(mean.iter().all(|&m| m != 0.0), "the statistics moved");
    let expected = bits(&model);
    assert_eq!(expected.len(), 8);

    let path = scratch("bn.weights.safetensors");
    save_weights(&model, &path).unwrap();
    let mut fresh = hg_bn_model();
    load_weights(&mut fresh, &path).unwrap();
    assert_eq!(bits(&fresh), expected);
    assert_eq!(fresh.predict(&x).unwrap(), model.predict(&x).unwrap());

    let path = scratch("bn.model.safetensors");
    save_model(&model, &path).unwrap();
    let mut loaded = load_model(&path).unwrap();
    assert_eq!(bits(&loaded), expected);
    assert_eq!(loaded.predict(&x).unwrap(), model.predict(&x).unwrap());
    assert_eq!(loaded.summary().unwrap(), model.summary().unwrap());
}

#[test]
fn a_functional_model_with_batch_normalization_trains_summarises_and_rebuilds_from_its_file(
) {
    let build = || {
        let input = Input::new(&[3]);
        let hidden = Dense::new(4).on(&input);
        let normal = BatchNormalization::new().on(&hidden);
        let joined = concatenate(&[&input, &normal]);
        let output = Dense::new(1).on(&joined);
        Functional::new(7, &[&input], &[&output]).unwrap()
    };
    let mut model = build();
    // dense 16, batch_normalization 8 + 8, dense_1 8
    assert_eq!(
        (model.param_count(), model.non_trainable_param_count()),
        (32, 8)
    );
    let summary = model.summary().unwrap();
    assert!(
        summary.contains(" Total params: 40 (160.00 B)")
            && summary.contains(" Non-trainable params: 8 (32.00 B)"),
        "{summary}"
    );
    model
        .compile(Compile::new("mse").optimizer(SGD::new()))
        .unwrap();
    let y = array![[1.0f32], [0.0], [0.5], [-1.0]];
    model
        .fit(&x4(), &y, Fit::new(3).batch_size(2).verbose(0))
        .unwrap();
    let path = scratch("bn.functional.safetensors");
    save_model(&model, &path).unwrap();
    let mut loaded = load_functional(&path).unwrap();
    assert_eq!(bits(&loaded), bits(&model));
    assert_eq!(
        loaded.predict(&x4()).unwrap(),
        model.predict(&x4()).unwrap()
    );
}
