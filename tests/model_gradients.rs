//! The whole model's backward pass — layers chained, the fused softmax/cross-entropy
//! path, and the skipped dL/dx of the first layers — against finite differences of its
//! loss, through the library's one gradient checker.

use annlab::gradcheck::{check_model, random_matrix};
use annlab::prelude::*;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

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

/// A test-only two-branch model: h = tanh(x·A + a) is read by two layers,
/// y = (h·B + b) + (h·C + c). Its backward pass must give dL/dh the sum of both
/// branches' gradients, which the layers' adding `backward` provides.
struct TwoBranch {
    seed: u64,
    trunk: Dense,
    left: Dense,
    right: Dense,
    paths: Vec<String>,
    h: Array2<f32>,
    y_left: Array2<f32>,
    y_right: Array2<f32>,
    y: Array2<f32>,
    grad_h: Array2<f32>,
    built: bool,
    trainer: Option<annlab::train::Trainer>,
}

impl TwoBranch {
    fn new(seed: u64, n_inputs: usize, hidden: usize, outputs: usize) -> Self {
        TwoBranch {
            seed,
            trunk: Dense::new(hidden)
                .activation(Activation::Tanh)
                .input_shape(&[n_inputs]),
            left: Dense::new(outputs),
            right: Dense::new(outputs),
            paths: Vec::new(),
            h: Array2::zeros((0, 0)),
            y_left: Array2::zeros((0, 0)),
            y_right: Array2::zeros((0, 0)),
            y: Array2::zeros((0, 0)),
            grad_h: Array2::zeros((0, 0)),
            built: false,
            trainer: None,
        }
    }
    fn layers(&self) -> [(&str, &dyn Layer); 3] {
        [
            ("trunk", &self.trunk),
            ("left", &self.left),
            ("right", &self.right),
        ]
    }
}

impl Model for TwoBranch {
    fn name(&self) -> &str {
        "two_branch"
    }
    fn seed(&self) -> u64 {
        self.seed
    }
    fn build(&mut self) -> Result<(), ModelError> {
        if self.built {
            return Ok(());
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let input = self.trunk.declared_input_shape().unwrap().to_vec();
        let hidden = self.trunk.build(&input, &mut rng)?;
        self.left.build(&hidden, &mut rng)?;
        self.right.build(&hidden, &mut rng)?;
        self.paths = self
            .layers()
            .iter()
            .flat_map(|(name, l)| {
                l.weights()
                    .into_iter()
                    .map(move |w| format!("{name}/{}", w.name))
            })
            .collect();
        self.built = true;
        Ok(())
    }
    fn input_shape(&self) -> Option<&[usize]> {
        self.trunk.declared_input_shape()
    }
    fn outputs(&self) -> Vec<annlab::model::OutputInfo> {
        vec![annlab::model::OutputInfo {
            name: "sum".into(),
            width: self.left.output_size(),
            activation: Activation::Linear,
            has_logits: false,
        }]
    }
    fn forward(&mut self, x: ndarray::ArrayView2<f32>, training: bool) {
        let b = x.nrows();
        self.h = Array2::zeros((b, self.trunk.output_size()));
        self.y_left = Array2::zeros((b, self.left.output_size()));
        self.y_right = Array2::zeros((b, self.right.output_size()));
        self.trunk.forward(x, self.h.view_mut(), training);
        self.left
            .forward(self.h.view(), self.y_left.view_mut(), training);
        self.right
            .forward(self.h.view(), self.y_right.view_mut(), training);
        self.y = &self.y_left + &self.y_right;
    }
    fn output(&self, _: usize) -> ndarray::ArrayView2<'_, f32> {
        self.y.view()
    }
    fn logits(&self, _: usize) -> Option<ndarray::ArrayView2<'_, f32>> {
        None
    }
    fn backward(
        &mut self,
        x: ndarray::ArrayView2<f32>,
        grads: &[annlab::model::OutputGrad<'_>],
    ) {
        let annlab::model::OutputGrad::Output(g) = grads[0] else {
            panic!("a linear output gets dL/dy");
        };
        for layer in [&mut self.trunk, &mut self.left, &mut self.right] {
            layer.zero_grad();
        }
        // y = y_left + y_right: both branches get dL/dy, and both add into dL/dh
        self.grad_h = Array2::zeros(self.h.dim());
        self.left.backward(
            self.h.view(),
            self.y_left.view(),
            g,
            Some(self.grad_h.view_mut()),
        );
        self.right.backward(
            self.h.view(),
            self.y_right.view(),
            g,
            Some(self.grad_h.view_mut()),
        );
        self.trunk
            .backward(x, self.h.view(), self.grad_h.view(), None);
    }
    fn params(&mut self) -> annlab::layers::Params<'_> {
        let mut all = annlab::layers::Params::new();
        all.extend(self.trunk.params());
        all.extend(self.left.params());
        all.extend(self.right.params());
        for (p, path) in all.iter_mut().zip(&self.paths) {
            p.path = path;
        }
        all
    }
    fn weights(&self) -> Vec<annlab::layers::Weight<'_>> {
        let mut all: Vec<annlab::layers::Weight<'_>> = Vec::new();
        for (_, layer) in self.layers() {
            all.extend(layer.weights());
        }
        for (w, path) in all.iter_mut().zip(&self.paths) {
            w.name = path.clone();
        }
        all
    }
    fn summary(&mut self) -> Result<String, ModelError> {
        Ok("two_branch".into())
    }
}

impl Train for TwoBranch {
    fn trainer(&self) -> Option<&annlab::train::Trainer> {
        self.trainer.as_ref()
    }
    fn trainer_slot(&mut self) -> &mut Option<annlab::train::Trainer> {
        &mut self.trainer
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn a_tensor_read_by_two_layers_receives_the_sum_of_both_gradients(
        n_inputs in 1usize..4, hidden in 1usize..4, outputs in 1usize..3,
        batch in 1usize..4, seed in 0u64..1000,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut model = TwoBranch::new(seed, n_inputs, hidden, outputs);
        model.compile(Compile::new("mse")).unwrap();
        let x = random_matrix(batch, n_inputs, -1.0, 1.0, &mut rng);
        let y = random_matrix(batch, outputs, -1.0, 1.0, &mut rng);
        check_model(&mut model, &x, &y).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn a_two_branch_model_trains_with_the_same_fit_as_sequential() {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let x = random_matrix(32, 3, -1.0, 1.0, &mut rng);
    let y = x.map_axis(Axis(1), |r| r.sum()).insert_axis(Axis(1));
    let mut model = TwoBranch::new(0, 3, 4, 1);
    model
        .compile(Compile::new("mse").optimizer(SGD::new().learning_rate(0.05)))
        .unwrap();
    let h = model
        .fit(&x, &y, Fit::new(40).batch_size(8).verbose(0))
        .unwrap();
    let loss = h.get("loss").unwrap();
    assert!(loss[39] < loss[0] / 10.0, "{loss:?}");
    assert_eq!(model.get_weights().len(), 6);
    assert_eq!(model.get_weight("right/bias").unwrap().shape(), [1]);
}
