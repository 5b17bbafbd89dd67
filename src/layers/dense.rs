//! `Dense`: y = f(x·W + b), the fully connected layer.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, Axis};
use ndarray_rand::rand_distr::Uniform;
use ndarray_rand::RandomExt;
use rand_chacha::ChaCha8Rng;

use super::{shape_error, DenseConfig, Layer, LayerConfig, Param, Params, Weight};
use crate::activations::Activation;
use crate::error::ModelError;

/// `Dense(units, activation=...)`: W `[n_inputs, units]` Glorot-uniform, b `[units]` zeros.
pub struct Dense {
    units: usize,
    activation: Activation,
    /// Input shape declared for the first layer, as `input_shape=(784,)` in Keras.
    pub(crate) input_shape: Option<Vec<usize>>,
    w: Array2<f32>,
    b: Array1<f32>,
    dw: Array2<f32>,
    db: Array1<f32>,
    /// pre-activation z = x·W + b of the last forward pass, [batch, units]
    z: Array2<f32>,
    /// dL/dz buffer, [batch, units]
    dz: Array2<f32>,
    /// dW and db hold no sum yet: the next backward pass writes instead of adding
    grads_zeroed: bool,
}

impl Dense {
    /// A dense layer of `units` neurons with no activation (linear).
    pub fn new(units: usize) -> Self {
        Dense {
            units,
            activation: Activation::Linear,
            input_shape: None,
            w: Array2::zeros((0, 0)),
            b: Array1::zeros(0),
            dw: Array2::zeros((0, 0)),
            db: Array1::zeros(0),
            z: Array2::zeros((0, 0)),
            dz: Array2::zeros((0, 0)),
            grads_zeroed: true,
        }
    }

    /// Sets the activation applied after the affine map.
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }

    /// Declares the input shape, for the first layer of a model.
    pub fn input_shape(mut self, shape: &[usize]) -> Self {
        self.input_shape = Some(shape.to_vec());
        self
    }

    /// The weight matrix W, `[n_inputs, units]`.
    pub fn kernel(&self) -> &Array2<f32> {
        &self.w
    }

    /// The bias vector b, `[units]`.
    pub fn bias(&self) -> &Array1<f32> {
        &self.b
    }

    /// Resizes the per-batch buffers when the batch size changes (twice an epoch at most).
    fn ensure_batch(&mut self, batch: usize) {
        if self.z.nrows() != batch {
            self.z = Array2::zeros((batch, self.units));
            self.dz = Array2::zeros((batch, self.units));
        }
    }
}

impl Layer for Dense {
    fn kind(&self) -> &'static str {
        "Dense"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::Dense(DenseConfig {
            units: self.units,
            activation: self.activation.name().to_string(),
            input_shape: self.input_shape.clone(),
        })
    }

    fn declared_input_shape(&self) -> Option<&[usize]> {
        self.input_shape.as_deref()
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        let [n_inputs] = input_shape else {
            return Err(shape_error(
                "Dense",
                "a flat input (n_inputs,): put a Flatten layer before it".into(),
                input_shape,
            ));
        };
        if self.units == 0 || *n_inputs == 0 {
            return Err(shape_error(
                "Dense",
                "at least one input and one unit".into(),
                input_shape,
            ));
        }
        // Glorot uniform: U(±√(6 / (fan_in + fan_out)))
        let limit = (6.0 / (*n_inputs + self.units) as f64).sqrt() as f32;
        self.w = Array2::random_using((*n_inputs, self.units), Uniform::new(-limit, limit), rng);
        self.b = Array1::zeros(self.units);
        self.dw = Array2::zeros(self.w.raw_dim());
        self.db = Array1::zeros(self.units);
        self.grads_zeroed = true;
        Ok(vec![self.units])
    }

    fn output_size(&self) -> usize {
        self.units
    }

    // ANCHOR: forward
    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, _training: bool) {
        self.ensure_batch(x.nrows());
        general_mat_mul(1.0, &x, &self.w, 0.0, &mut self.z); // z = x·W   [batch, units]
        self.z += &self.b; //                                     z += b (broadcast over rows)
        y.assign(&self.z);
        self.activation.forward_inplace(y); //                    y = f(z)
    }
    // ANCHOR_END: forward

    fn backward(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        self.ensure_batch(x.nrows());
        self.activation.backward(y, grad_y, self.dz.view_mut()); // dL/dz = f'(z) ⊙ dL/dy
        self.backward_dz(x, grad_x);
    }

    fn zero_grad(&mut self) {
        self.grads_zeroed = true;
    }

    fn params(&mut self) -> Params<'_> {
        let mut params = Params::new();
        params.push(Param {
            name: "kernel",
            path: "",
            value: self.w.as_slice_mut().expect("kernel is contiguous"),
            grad: self.dw.as_slice_mut().expect("kernel grad is contiguous"),
        });
        params.push(Param {
            name: "bias",
            path: "",
            value: self.b.as_slice_mut().expect("bias is contiguous"),
            grad: self.db.as_slice_mut().expect("bias grad is contiguous"),
        });
        params
    }

    fn weights(&self) -> Vec<Weight<'_>> {
        vec![
            Weight {
                name: "kernel".into(),
                shape: self.w.shape().to_vec(),
                value: self.w.as_slice().expect("kernel is contiguous"),
            },
            Weight {
                name: "bias".into(),
                shape: self.b.shape().to_vec(),
                value: self.b.as_slice().expect("bias is contiguous"),
            },
        ]
    }

    fn param_count(&self) -> usize {
        self.w.len() + self.b.len()
    }

    fn output_activation(&self) -> Activation {
        self.activation
    }

    fn logits(&self) -> Option<ArrayView2<'_, f32>> {
        Some(self.z.view())
    }

    fn backward_from_logits(
        &mut self,
        x: ArrayView2<f32>,
        grad_z: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        self.ensure_batch(x.nrows());
        self.dz.assign(&grad_z);
        self.backward_dz(x, grad_x);
    }
}

impl Dense {
    // ANCHOR: backward
    /// From dL/dz (in `self.dz`), added into the gradient sums:
    /// dL/dW += xᵀ · dL/dz,  dL/db += Σ_rows dL/dz,  dL/dx += dL/dz · Wᵀ.
    /// (After `zero_grad` the first pass writes dW and db instead: the same sums, without
    /// clearing 78,500 floats every step.)
    fn backward_dz(&mut self, x: ArrayView2<f32>, grad_x: Option<ArrayViewMut2<f32>>) {
        let keep = if self.grads_zeroed { 0.0 } else { 1.0 };
        if self.grads_zeroed {
            self.db.fill(0.0);
            self.grads_zeroed = false;
        }
        general_mat_mul(1.0, &x.t(), &self.dz, keep, &mut self.dw); // [n_inputs, units]
        for row in self.dz.axis_iter(Axis(0)) {
            self.db += &row; //                                        [units]
        }
        if let Some(mut gx) = grad_x {
            general_mat_mul(1.0, &self.dz, &self.w.t(), 1.0, &mut gx); // [batch, n_inputs]
        }
    }
    // ANCHOR_END: backward
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::check_layer;
    use approx::assert_abs_diff_eq;
    use ndarray::array;
    use proptest::prelude::*;
    use rand::SeedableRng;

    #[test]
    fn dense_computes_x_times_w_plus_b() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let mut layer = Dense::new(2);
        layer.build(&[3], &mut rng).unwrap();
        layer.w.assign(&array![[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]);
        layer.b.assign(&array![0.5, -0.5]);
        let x = array![[1.0f32, 2.0, 3.0]];
        let mut y = Array2::zeros((1, 2));
        layer.forward(x.view(), y.view_mut(), false);
        // [1 + 3 + 0.5, 2 + 3 − 0.5]
        assert_abs_diff_eq!(y, array![[4.5, 4.5]], epsilon = 1e-6);
    }

    #[test]
    fn glorot_uniform_stays_inside_its_limit_and_bias_starts_at_zero() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut layer = Dense::new(100);
        layer.build(&[784], &mut rng).unwrap();
        let limit = (6.0f32 / 884.0).sqrt(); // 0.0824
        assert!(layer.w.iter().all(|w| w.abs() <= limit));
        assert!(
            layer.w.iter().any(|w| w.abs() > 0.9 * limit),
            "spread over the whole range"
        );
        assert!(layer.b.iter().all(|&b| b == 0.0));
        assert_eq!(layer.param_count(), 78_500);
    }

    #[test]
    fn dense_on_an_unflattened_input_is_a_clear_error() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let err = Dense::new(10)
            .build(&[28, 28], &mut rng)
            .unwrap_err()
            .to_string();
        assert!(err.contains("(28, 28)") && err.contains("Flatten"), "{err}");
    }

    proptest! {
        #[test]
        fn dense_backward_matches_finite_differences(
            batch in 1usize..4, n_inputs in 1usize..5, units in 1usize..5,
            act in 0usize..5, seed in 0u64..1000,
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut layer = Dense::new(units).activation(Activation::ALL[act]);
            layer.build(&[n_inputs], &mut rng).unwrap();
            // relu's kink: finite differences across z = 0 are meaningless, so use
            // biases that keep pre-activations clear of 0 for this check.
            if Activation::ALL[act] == Activation::Relu {
                layer.b.fill(0.0);
                layer.w.mapv_inplace(|w| w * 0.05); // |x·W| ≤ 4·2·0.087 < 0.7
                layer.b.iter_mut().enumerate().for_each(|(i, b)| *b = if i % 2 == 0 { 1.0 } else { -1.0 });
            }
            check_layer(&mut layer, batch, n_inputs, seed).map_err(TestCaseError::fail)?;
        }
    }
}
