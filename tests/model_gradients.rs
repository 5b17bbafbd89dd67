//! The whole model's backward pass — layers chained, the fused softmax/cross-entropy
//! path, and the skipped dL/dx of the first layers — against finite differences of its
//! loss, through the library's one gradient checker.

use annlab::gradcheck::{compare, numerical_gradient, random_matrix};
use annlab::prelude::*;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Checks every parameter gradient of `model` on (x, y).
fn check_model<T: AsTargets + ?Sized>(
    model: &mut Sequential,
    x: &Array2<f32>,
    y: &T,
) -> Result<(), String> {
    let (_, analytic) = model.loss_and_gradients(x, y).map_err(|e| e.to_string())?;
    let mut weights = model.get_weights().map_err(|e| e.to_string())?;
    for k in 0..weights.len() {
        let mut values = weights[k].clone();
        let numeric = numerical_gradient(&mut values, 1e-2, |v| {
            weights[k].copy_from_slice(v);
            model.set_weights(&weights).expect("same shapes");
            model.loss_and_gradients(x, y).expect("valid data").0
        });
        weights[k].copy_from_slice(&values);
        model.set_weights(&weights).expect("same shapes");
        compare(&format!("tensor {k}"), &analytic[k], &numeric)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn softmax_classifier_gradients_match_finite_differences(
        n_inputs in 1usize..5, hidden in 1usize..5, classes in 2usize..5,
        batch in 1usize..5, seed in 0u64..1000,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut model = Sequential::new(seed);
        model.add(Flatten::new().input_shape(&[n_inputs]));
        model.add(Dense::new(hidden).activation(Activation::Tanh));
        model.add(Dense::new(classes).activation(Activation::Softmax));
        model.compile(Compile::new("sparse_categorical_crossentropy")).unwrap();
        let x = random_matrix(batch, n_inputs, -1.0, 1.0, &mut rng);
        let y: Vec<usize> = (0..batch).map(|i| (i + seed as usize) % classes).collect();
        check_model(&mut model, &x, &y).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn sigmoid_regression_gradients_match_finite_differences(
        n_inputs in 1usize..4, hidden in 1usize..4, batch in 1usize..4, seed in 0u64..1000,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut model = Sequential::new(seed);
        model.add(Dense::new(hidden).activation(Activation::Sigmoid).input_shape(&[n_inputs]));
        model.add(Dense::new(2).activation(Activation::Sigmoid));
        model.compile(Compile::new("binary_crossentropy")).unwrap();
        let x = random_matrix(batch, n_inputs, -1.0, 1.0, &mut rng);
        let y = random_matrix(batch, 2, 0.0, 1.0, &mut rng).mapv(f32::round);
        check_model(&mut model, &x, &y).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn one_hot_crossentropy_mse_and_activation_layers_match_finite_differences(
        n_inputs in 1usize..4, hidden in 1usize..4, batch in 1usize..4, seed in 0u64..1000,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x = random_matrix(batch, n_inputs, -1.0, 1.0, &mut rng);

        // Dense → Activation(tanh) → Dense(softmax), one-hot categorical cross-entropy:
        // the fused path with dense targets and a parameter-free layer in the chain.
        let mut model = Sequential::new(seed);
        model.add(Dense::new(hidden).input_shape(&[n_inputs]));
        model.add(ActivationLayer::new(Activation::Tanh));
        model.add(Dense::new(3).activation(Activation::Softmax));
        model.compile(Compile::new("categorical_crossentropy")).unwrap();
        let one_hot = Array2::from_shape_fn((batch, 3), |(i, k)| f32::from(u8::from((i + k) % 3 == 0)));
        check_model(&mut model, &x, &one_hot).map_err(TestCaseError::fail)?;

        // Dense(sigmoid) → Dense(linear), mean squared error: a regression head.
        let mut model = Sequential::new(seed);
        model.add(Dense::new(hidden).activation(Activation::Sigmoid).input_shape(&[n_inputs]));
        model.add(Dense::new(2));
        model.compile(Compile::new("mse")).unwrap();
        let y = random_matrix(batch, 2, -1.0, 1.0, &mut rng);
        check_model(&mut model, &x, &y).map_err(TestCaseError::fail)?;
    }
}
