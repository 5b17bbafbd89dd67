//! `Activation`: a layer that only applies an activation function, as Keras's
//! `keras.layers.Activation("relu")`.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use rand_chacha::ChaCha8Rng;

use super::{elements, within_limit, ActivationConfig, Layer, LayerConfig};
use crate::activations::Activation;
use crate::error::{shape_str, ModelError};

/// Applies `activation` element-wise (row-wise for softmax); no parameters.
pub struct ActivationLayer {
    activation: Activation,
    size: usize,
    /// dL/dz of the last backward pass, [batch, size], added into dL/dx
    dz: Array2<f32>,
}

impl ActivationLayer {
    pub fn new(activation: Activation) -> Self {
        ActivationLayer {
            activation,
            size: 0,
            dz: Array2::zeros((0, 0)),
        }
    }
}

impl Layer for ActivationLayer {
    fn kind(&self) -> &'static str {
        "Activation"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::Activation(ActivationConfig {
            activation: self.activation.name().to_string(),
        })
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        self.size = within_limit(
            elements(input_shape),
            || format!("Activation input {}", shape_str(input_shape, false)),
            "each sample would hold",
        )?;
        Ok(input_shape.to_vec())
    }

    fn planned_param_count(&self, _input_shape: &[usize]) -> Option<u128> {
        Some(0)
    }

    fn output_size(&self) -> usize {
        self.size
    }

    fn forward(
        &mut self,
        x: ArrayView2<f32>,
        mut y: ArrayViewMut2<f32>,
        _training: bool,
    ) {
        y.assign(&x);
        self.activation.forward_inplace(y);
    }

    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        // dL/dx += f'(z) ⊙ dL/dy
        if let Some(mut gx) = grad_x {
            if self.dz.dim() != gx.dim() {
                self.dz = Array2::zeros(gx.dim());
            }
            self.activation.backward(y, grad_y, self.dz.view_mut());
            gx += &self.dz;
        }
    }

    fn output_activation(&self) -> Activation {
        self.activation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::check_layer;
    use rand::SeedableRng;

    #[test]
    fn activation_layer_backward_matches_finite_differences() {
        for act in [Activation::Sigmoid, Activation::Tanh, Activation::Softmax] {
            let mut rng = ChaCha8Rng::seed_from_u64(0);
            let mut layer = ActivationLayer::new(act);
            layer.build(&[4], &mut rng).unwrap();
            check_layer(&mut layer, 3, 4, 11).unwrap();
        }
    }
}
