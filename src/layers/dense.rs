//! `Dense`: y = f(x·W + b), the fully connected layer.

use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, Axis};
use ndarray_rand::rand_distr::{Distribution, Uniform};
use rand_chacha::ChaCha8Rng;

use super::{
    elements, shape_error, try_with_capacity, try_zeros, within_limit, DenseConfig,
    Layer, LayerConfig, Param, Params, Weight,
};
use crate::activations::Activation;
use crate::error::{shape_str, ModelError};
use crate::gemm;
use crate::regularizers::Regularizer;

/// `Dense(units, activation=...)`: W `[n_inputs, units]` Glorot-uniform, b `[units]` zeros;
/// y = f(x·W + b) `[batch, units]`.
///
/// ```
/// use annlab::prelude::*;
///
/// # fn main() -> Result<(), ModelError> {
/// // HG 7-1: keras.layers.Dense(10, activation='softmax', input_shape=(784,))
/// let mut model = Sequential::new(42);
/// model.add(Dense::new(10).activation(Activation::Softmax).input_shape(&[784]));
/// model.build()?; //                       creates W [784, 10] and b [10]
/// assert_eq!(model.param_count(), 7_850); // 784 · 10 weights + 10 biases
/// let probabilities = model.predict(&Array2::<f32>::zeros((3, 784)))?; // [3, 10]
/// assert_eq!(probabilities.dim(), (3, 10));
/// # Ok(())
/// # }
/// ```
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
    /// (dL/dz)ᵀ for dL/dx, [units, batch] flat
    dz_t: Vec<f32>,
    /// dW and db hold no sum yet: the next backward pass writes instead of adding
    grads_zeroed: bool,
    /// Penalty on W (Keras's `kernel_regularizer`), if any.
    kernel_regularizer: Option<Regularizer>,
    /// Penalty on b (Keras's `bias_regularizer`), if any.
    bias_regularizer: Option<Regularizer>,
    /// Keras's `trainable`: false freezes W and b (no gradient step).
    trainable: bool,
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
            dz_t: Vec::new(),
            grads_zeroed: true,
            kernel_regularizer: None,
            bias_regularizer: None,
            trainable: true,
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

    /// Keras's `kernel_regularizer=`: adds `regularizer`'s penalty on W to the loss
    /// (`l2(1e-3)`: + 0.001·Σ W²). Its factors are checked when the layer is built.
    pub fn kernel_regularizer(mut self, regularizer: Regularizer) -> Self {
        self.kernel_regularizer = Some(regularizer);
        self
    }

    /// Keras's `bias_regularizer=`: adds `regularizer`'s penalty on b to the loss.
    pub fn bias_regularizer(mut self, regularizer: Regularizer) -> Self {
        self.bias_regularizer = Some(regularizer);
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
            kernel_regularizer: self.kernel_regularizer,
            bias_regularizer: self.bias_regularizer,
            trainable: self.trainable,
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
        let (n_inputs, units) = (*n_inputs, self.units);
        if units == 0 {
            // as Keras: "expected a positive integer"
            return Err(ModelError::Config {
                what: "Dense units".into(),
                why: "must be at least 1 (the number of neurons), got 0".into(),
            });
        }
        for (reg, what) in [
            (&self.kernel_regularizer, "Dense kernel_regularizer"),
            (&self.bias_regularizer, "Dense bias_regularizer"),
        ] {
            if let Some(reg) = reg {
                reg.validate(what)?;
            }
        }
        if n_inputs == 0 {
            return Err(shape_error(
                "Dense",
                "at least one input".into(),
                input_shape,
            ));
        }
        // W is [n_inputs, units]: its size counted without wrapping, before allocating
        let kernel = [n_inputs, units];
        let len = within_limit(
            elements(&kernel),
            || format!("Dense kernel {}", shape_str(&kernel, false)),
            "it would hold",
        )?;
        // Glorot uniform: U(±√(6 / (fan_in + fan_out))), drawn row by row (the order
        // `Array2::random_using` draws in, so the same seed gives the same weights)
        let limit = (6.0 / (n_inputs as f64 + units as f64)).sqrt() as f32;
        let uniform = Uniform::new(-limit, limit);
        let mut w = try_with_capacity(len, "Dense kernel")?;
        w.extend((0..len).map(|_| uniform.sample(rng)));
        let dw = try_zeros(len, "Dense kernel gradient")?;
        let (b, db) = (
            try_zeros(units, "Dense bias")?,
            try_zeros(units, "Dense bias")?,
        );
        self.w = Array2::from_shape_vec(kernel, w).expect("n_inputs·units values");
        self.dw = Array2::from_shape_vec(kernel, dw).expect("n_inputs·units values");
        self.b = Array1::from_vec(b);
        self.db = Array1::from_vec(db);
        self.grads_zeroed = true;
        Ok(vec![units])
    }

    /// n_inputs·units weights + units biases, for a flat input `(n_inputs,)`.
    fn planned_param_count(&self, input_shape: &[usize]) -> Option<u128> {
        match input_shape {
            // at most (2⁶⁴ − 1)² + 2⁶⁴ − 1 < 2¹²⁸: no overflow
            [n_inputs] => {
                Some(*n_inputs as u128 * self.units as u128 + self.units as u128)
            }
            _ => None,
        }
    }

    fn output_size(&self) -> usize {
        self.units
    }

    // ANCHOR: forward
    fn forward(
        &mut self,
        x: ArrayView2<f32>,
        mut y: ArrayViewMut2<f32>,
        _training: bool,
    ) {
        self.ensure_batch(x.nrows());
        gemm::x_times_w(x, self.w.view(), self.z.view_mut()); // z = x·W   [batch, units]
        self.z += &self.b; //                                   z += b (over the rows)
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

    /// kernel_regularizer(W) + bias_regularizer(b), in f64.
    fn regularization_loss(&self) -> f64 {
        let w = self.w.as_slice().expect("kernel is contiguous");
        let b = self.b.as_slice().expect("bias is contiguous");
        self.kernel_regularizer.map_or(0.0, |r| r.penalty(w))
            + self.bias_regularizer.map_or(0.0, |r| r.penalty(b))
    }

    /// dW += l1·sign(W) + 2·l2·W for the kernel's regularizer, and likewise db.
    fn add_regularization_gradients(&mut self) {
        if self.kernel_regularizer.is_none() && self.bias_regularizer.is_none() {
            return;
        }
        if self.grads_zeroed {
            // no backward pass since zero_grad: the sums start from 0 here
            self.dw.fill(0.0);
            self.db.fill(0.0);
            self.grads_zeroed = false;
        }
        if let Some(r) = self.kernel_regularizer {
            let w = self.w.as_slice().expect("kernel is contiguous");
            r.add_gradient(
                w,
                self.dw.as_slice_mut().expect("kernel grad is contiguous"),
            );
        }
        if let Some(r) = self.bias_regularizer {
            let b = self.b.as_slice().expect("bias is contiguous");
            r.add_gradient(b, self.db.as_slice_mut().expect("bias grad is contiguous"));
        }
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

    fn trainable(&self) -> bool {
        self.trainable
    }

    fn set_trainable(&mut self, trainable: bool) {
        self.trainable = trainable;
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
        let add = !self.grads_zeroed;
        if self.grads_zeroed {
            self.db.fill(0.0);
            self.grads_zeroed = false;
        }
        // dL/dW (+)= xᵀ · dL/dz                                   [n_inputs, units]
        gemm::xt_times_dz(x, self.dz.view(), add, self.dw.view_mut());
        for row in self.dz.axis_iter(Axis(0)) {
            self.db += &row; //                                        [units]
        }
        if let Some(gx) = grad_x {
            // dL/dx += dL/dz · Wᵀ                                    [batch, n_inputs]
            gemm::dz_times_wt_add(self.dz.view(), self.w.view(), &mut self.dz_t, gx);
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

    #[test]
    fn the_kernel_is_drawn_exactly_as_random_using_draws_it() {
        // the fallible allocation must not change a single weight of any chapter
        use ndarray_rand::RandomExt;
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut layer = Dense::new(7);
        layer.build(&[13], &mut rng).unwrap();
        let mut same = ChaCha8Rng::seed_from_u64(5);
        let limit = (6.0 / (13.0 + 7.0f64)).sqrt() as f32;
        let expected =
            Array2::random_using((13, 7), Uniform::new(-limit, limit), &mut same);
        assert_eq!(layer.w, expected);
        assert_eq!(rng.get_word_pos(), same.get_word_pos());
        assert_eq!(layer.dw, Array2::<f32>::zeros((13, 7)));
        assert_eq!((layer.b.len(), layer.db.len()), (7, 7));
    }

    #[test]
    fn a_kernel_over_the_limit_is_refused_before_allocating() {
        // 2¹¹ · 2²⁰ = 2³¹ values: over 2³⁰
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let err = Dense::new(1 << 20)
            .build(&[1 << 11], &mut rng)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "Dense kernel (2048, 1048576) is too large: it would hold \
                 2,147,483,648 f32 values (8.00 GB)"
            ),
            "{err}"
        );
    }

    #[test]
    fn dense_plans_its_parameter_count_without_allocating() {
        let layer = Dense::new(100);
        assert_eq!(layer.planned_param_count(&[784]), Some(78_500));
        assert_eq!(layer.planned_param_count(&[28, 28]), None);
        let m = usize::MAX as u128;
        assert_eq!(
            Dense::new(usize::MAX).planned_param_count(&[usize::MAX]),
            Some(m * m + m)
        );
    }

    #[test]
    fn zero_units_or_zero_inputs_are_clear_errors() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let err = Dense::new(0).build(&[4], &mut rng).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid Dense units: must be at least 1 (the number of neurons), got 0"
        );
        let err = Dense::new(3).build(&[0], &mut rng).unwrap_err().to_string();
        assert!(err.contains("at least one input"), "{err}");
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
