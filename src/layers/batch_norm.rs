//! `BatchNormalization`: each feature normalised by the batch's statistics while training
//! and by moving averages of them afterwards, then scaled by γ and shifted by β.

use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, Axis};
use rand_chacha::ChaCha8Rng;

use super::{
    elements, shape_error, within_limit, BatchNormalizationConfig, Layer, LayerConfig,
    Param, Params, Weight,
};
use crate::error::{shape_str, ModelError};

/// `BatchNormalization()` with Keras 3's defaults: along the last axis (C channels),
/// momentum 0.99, epsilon 1e-3; γ (`gamma`, ones) and β (`beta`, zeros) trainable,
/// `moving_mean` (zeros) and `moving_variance` (ones) non-trainable.
///
/// Per channel c, over the m = batch × (values per sample / C) values xᵢ of that channel:
/// - training (`forward(.., training = true)` on a trainable layer): μ = Σxᵢ/m,
///   σ² = Σ(xᵢ − μ)²/m (biased), yᵢ = γ·(xᵢ − μ)/√(σ² + ε) + β, and the moving statistics
///   move towards the batch's: moving = moving·momentum + batch_stat·(1 − momentum);
/// - inference (evaluate, predict, and a frozen layer even inside `fit`, as in Keras):
///   yᵢ = γ·(xᵢ − moving_mean)/√(moving_variance + ε) + β.
pub struct BatchNormalization {
    momentum: f32,
    epsilon: f32,
    trainable: bool,
    /// C: the size of the input's last axis (after `build`).
    channels: usize,
    /// Values per sample (a multiple of C).
    width: usize,
    gamma: Array1<f32>,
    beta: Array1<f32>,
    dgamma: Array1<f32>,
    dbeta: Array1<f32>,
    moving_mean: Array1<f32>,
    moving_variance: Array1<f32>,
    /// The centre and 1/√(variance + ε) of the last forward pass, per channel [C]: the
    /// batch's in training mode, the moving ones in inference mode.
    mean: Array1<f32>,
    inv_std: Array1<f32>,
    /// x̂ = (x − mean)·inv_std of the last forward pass, [batch, width].
    xhat: Array2<f32>,
    /// Per-channel f64 sums [C] (statistics and backward sums).
    sum: Vec<f64>,
    sum2: Vec<f64>,
    /// Whether the last forward pass used the batch's statistics.
    batch_mode: bool,
    /// dγ and dβ hold no sum yet: the next backward pass writes instead of adding.
    grads_zeroed: bool,
}

impl Default for BatchNormalization {
    fn default() -> Self {
        Self::new()
    }
}

impl BatchNormalization {
    /// Keras's `BatchNormalization()`: momentum 0.99, epsilon 1e-3.
    pub fn new() -> Self {
        BatchNormalization {
            momentum: 0.99,
            epsilon: 1e-3,
            trainable: true,
            channels: 0,
            width: 0,
            gamma: Array1::zeros(0),
            beta: Array1::zeros(0),
            dgamma: Array1::zeros(0),
            dbeta: Array1::zeros(0),
            moving_mean: Array1::zeros(0),
            moving_variance: Array1::zeros(0),
            mean: Array1::zeros(0),
            inv_std: Array1::zeros(0),
            xhat: Array2::zeros((0, 0)),
            sum: Vec::new(),
            sum2: Vec::new(),
            batch_mode: false,
            grads_zeroed: true,
        }
    }

    /// `momentum=`: how much of the moving statistics each training batch keeps, in [0, 1].
    pub fn momentum(mut self, momentum: f32) -> Self {
        self.momentum = momentum;
        self
    }

    /// `epsilon=`: added to the variance before its square root, > 0.
    pub fn epsilon(mut self, epsilon: f32) -> Self {
        self.epsilon = epsilon;
        self
    }

    /// γ, `[C]`.
    pub fn gamma(&self) -> &Array1<f32> {
        &self.gamma
    }

    /// β, `[C]`.
    pub fn beta(&self) -> &Array1<f32> {
        &self.beta
    }

    /// The moving mean, `[C]`.
    pub fn moving_mean(&self) -> &Array1<f32> {
        &self.moving_mean
    }

    /// The moving variance, `[C]`.
    pub fn moving_variance(&self) -> &Array1<f32> {
        &self.moving_variance
    }

    /// Makes `xhat` `[batch, width]` when the batch size changes.
    fn ensure_batch(&mut self, batch: usize) {
        if self.xhat.nrows() != batch {
            self.xhat = Array2::zeros((batch, self.width));
        }
    }

    /// The batch's mean and biased variance per channel into `mean` and `inv_std`
    /// (as 1/√(σ² + ε)), two passes in f64; then the moving update.
    fn batch_statistics(&mut self, x: ArrayView2<f32>) {
        let c = self.channels;
        let m = (x.nrows() * (self.width / c)) as f64;
        self.sum.iter_mut().for_each(|s| *s = 0.0);
        self.sum2.iter_mut().for_each(|s| *s = 0.0);
        for row in x.rows() {
            for (j, &v) in row.iter().enumerate() {
                self.sum[j % c] += f64::from(v);
            }
        }
        for s in &mut self.sum {
            *s /= m; // μ
        }
        for row in x.rows() {
            for (j, &v) in row.iter().enumerate() {
                let d = f64::from(v) - self.sum[j % c];
                self.sum2[j % c] += d * d;
            }
        }
        let (momentum, eps) = (self.momentum, f64::from(self.epsilon));
        for k in 0..c {
            let mean = self.sum[k] as f32;
            let var = (self.sum2[k] / m) as f32; // σ², biased
            self.mean[k] = mean;
            self.inv_std[k] = (1.0 / (f64::from(var) + eps).sqrt()) as f32;
            // Keras 3: moving = moving·momentum + batch_stat·(1 − momentum), in f32
            self.moving_mean[k] =
                self.moving_mean[k] * momentum + mean * (1.0 - momentum);
            self.moving_variance[k] =
                self.moving_variance[k] * momentum + var * (1.0 - momentum);
        }
    }
}

impl Layer for BatchNormalization {
    fn kind(&self) -> &'static str {
        "BatchNormalization"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::BatchNormalization(BatchNormalizationConfig {
            momentum: self.momentum,
            epsilon: self.epsilon,
            trainable: self.trainable,
        })
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        if !(0.0..=1.0).contains(&self.momentum) {
            return Err(ModelError::Config {
                what: "BatchNormalization momentum".into(),
                why: format!("must be in [0, 1], got {}", self.momentum),
            });
        }
        if !(self.epsilon > 0.0 && self.epsilon.is_finite()) {
            return Err(ModelError::Config {
                what: "BatchNormalization epsilon".into(),
                why: format!("must be a finite number > 0, got {}", self.epsilon),
            });
        }
        let channels = match input_shape.last() {
            Some(&c) if c > 0 && !input_shape.contains(&0) => c,
            _ => {
                return Err(shape_error(
                    "BatchNormalization",
                    "an input with a last axis of at least 1".into(),
                    input_shape,
                ))
            }
        };
        self.width = within_limit(
            elements(input_shape),
            || format!("BatchNormalization input {}", shape_str(input_shape, true)),
            "each sample would hold",
        )?;
        self.channels = channels;
        self.gamma = Array1::ones(channels);
        self.beta = Array1::zeros(channels);
        self.dgamma = Array1::zeros(channels);
        self.dbeta = Array1::zeros(channels);
        self.moving_mean = Array1::zeros(channels);
        self.moving_variance = Array1::ones(channels);
        self.mean = Array1::zeros(channels);
        self.inv_std = Array1::zeros(channels);
        self.sum = vec![0.0; channels];
        self.sum2 = vec![0.0; channels];
        self.xhat = Array2::zeros((0, self.width));
        self.grads_zeroed = true;
        Ok(input_shape.to_vec())
    }

    /// γ and β: 2·C, C being the last axis.
    fn planned_param_count(&self, input_shape: &[usize]) -> Option<u128> {
        input_shape.last().map(|&c| 2 * c as u128)
    }

    fn output_size(&self) -> usize {
        self.width
    }

    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, training: bool) {
        self.ensure_batch(x.nrows());
        self.batch_mode = training && self.trainable;
        if x.nrows() == 0 {
            return;
        }
        let c = self.channels;
        if self.batch_mode {
            self.batch_statistics(x);
        } else {
            for k in 0..c {
                self.mean[k] = self.moving_mean[k];
                let var = f64::from(self.moving_variance[k]);
                self.inv_std[k] = (1.0 / (var + f64::from(self.epsilon)).sqrt()) as f32;
            }
        }
        // x̂ = (x − mean)·inv_std,  y = γ·x̂ + β
        for ((xr, mut hr), mut yr) in x
            .rows()
            .into_iter()
            .zip(self.xhat.rows_mut())
            .zip(y.rows_mut())
        {
            for (j, ((&v, h), out)) in
                xr.iter().zip(hr.iter_mut()).zip(yr.iter_mut()).enumerate()
            {
                let k = j % c;
                *h = (v - self.mean[k]) * self.inv_std[k];
                *out = self.gamma[k] * *h + self.beta[k];
            }
        }
    }

    /// Per channel, with s₁ = Σ dL/dy and s₂ = Σ dL/dy·x̂ over its m values:
    /// dL/dγ += s₂, dL/dβ += s₁, and dL/dx += γ·inv_std·(dL/dy − s₁/m − x̂·s₂/m) after a
    /// training pass (the batch statistics depend on x), γ·inv_std·dL/dy after an
    /// inference pass.
    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        let c = self.channels;
        if self.grads_zeroed {
            self.dgamma.fill(0.0);
            self.dbeta.fill(0.0);
            self.grads_zeroed = false;
        }
        if grad_y.nrows() == 0 || grad_y.nrows() != self.xhat.nrows() {
            return;
        }
        self.sum.iter_mut().for_each(|s| *s = 0.0);
        self.sum2.iter_mut().for_each(|s| *s = 0.0);
        for (gr, hr) in grad_y.rows().into_iter().zip(self.xhat.rows()) {
            for (j, (&g, &h)) in gr.iter().zip(hr.iter()).enumerate() {
                self.sum[j % c] += f64::from(g);
                self.sum2[j % c] += f64::from(g) * f64::from(h);
            }
        }
        for k in 0..c {
            self.dbeta[k] += self.sum[k] as f32;
            self.dgamma[k] += self.sum2[k] as f32;
        }
        let Some(mut gx) = grad_x else { return };
        let m = (grad_y.nrows() * (self.width / c)) as f64;
        let batch_mode = self.batch_mode;
        for ((gr, hr), mut xr) in grad_y
            .rows()
            .into_iter()
            .zip(self.xhat.rows())
            .zip(gx.axis_iter_mut(Axis(0)))
        {
            for (j, ((&g, &h), dx)) in
                gr.iter().zip(hr.iter()).zip(xr.iter_mut()).enumerate()
            {
                let k = j % c;
                let scale = self.gamma[k] * self.inv_std[k];
                *dx += if batch_mode {
                    let (s1, s2) = (self.sum[k] / m, self.sum2[k] / m);
                    scale * (f64::from(g) - s1 - f64::from(h) * s2) as f32
                } else {
                    scale * g
                };
            }
        }
    }

    fn zero_grad(&mut self) {
        self.grads_zeroed = true;
    }

    fn params(&mut self) -> Params<'_> {
        let mut params = Params::new();
        params.push(Param {
            name: "gamma",
            path: "",
            value: self.gamma.as_slice_mut().expect("gamma is contiguous"),
            grad: self
                .dgamma
                .as_slice_mut()
                .expect("gamma grad is contiguous"),
        });
        params.push(Param {
            name: "beta",
            path: "",
            value: self.beta.as_slice_mut().expect("beta is contiguous"),
            grad: self.dbeta.as_slice_mut().expect("beta grad is contiguous"),
        });
        params
    }

    fn weights(&self) -> Vec<Weight<'_>> {
        vec![weight("gamma", &self.gamma), weight("beta", &self.beta)]
    }

    fn param_count(&self) -> usize {
        self.gamma.len() + self.beta.len()
    }

    fn non_trainable_weights(&self) -> Vec<Weight<'_>> {
        vec![
            weight("moving_mean", &self.moving_mean),
            weight("moving_variance", &self.moving_variance),
        ]
    }

    fn non_trainable_weights_mut(&mut self) -> Vec<&mut [f32]> {
        vec![
            self.moving_mean.as_slice_mut().expect("contiguous"),
            self.moving_variance.as_slice_mut().expect("contiguous"),
        ]
    }

    fn non_trainable_param_count(&self) -> usize {
        self.moving_mean.len() + self.moving_variance.len()
    }

    fn trainable(&self) -> bool {
        self.trainable
    }

    fn set_trainable(&mut self, trainable: bool) {
        self.trainable = trainable;
    }
}

fn weight<'a>(name: &str, v: &'a Array1<f32>) -> Weight<'a> {
    Weight {
        name: name.into(),
        shape: v.shape().to_vec(),
        value: v.as_slice().expect("contiguous"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::{check_layer, check_layer_training};
    use rand::SeedableRng;

    #[test]
    fn batch_normalization_backward_matches_finite_differences_in_both_modes() {
        for (seed, shape) in [(0u64, vec![3]), (1, vec![2, 3])] {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut layer = BatchNormalization::new();
            layer.build(&shape, &mut rng).unwrap();
            layer.gamma.assign(&Array1::from_vec(vec![1.5, -0.5, 2.0]));
            layer.beta.assign(&Array1::from_vec(vec![0.1, 0.2, -0.3]));
            let width = shape.iter().product();
            check_layer_training(&mut layer, 4, width, seed).unwrap();
            // inference mode, from moving statistics away from their start
            layer
                .moving_mean
                .assign(&Array1::from_vec(vec![0.3, -0.2, 0.1]));
            layer
                .moving_variance
                .assign(&Array1::from_vec(vec![0.5, 2.0, 1.2]));
            check_layer(&mut layer, 4, width, seed).unwrap();
        }
    }

    #[test]
    fn a_bad_momentum_or_epsilon_or_an_empty_axis_is_a_clear_error() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let err = BatchNormalization::new()
            .momentum(1.5)
            .build(&[3], &mut rng)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid BatchNormalization momentum: must be in [0, 1], got 1.5"
        );
        let err = BatchNormalization::new()
            .epsilon(0.0)
            .build(&[3], &mut rng)
            .unwrap_err()
            .to_string();
        assert!(err.contains("epsilon") && err.contains("> 0"), "{err}");
        let err = BatchNormalization::new().build(&[], &mut rng).unwrap_err();
        assert!(err.to_string().contains("last axis"), "{err}");
    }
}
