//! `Activation`: a layer that only applies an activation function, as Keras's
//! `keras.layers.Activation("relu")`.

use ndarray::{ArrayView2, ArrayViewMut2};
use rand_chacha::ChaCha8Rng;

use super::Layer;
use crate::activations::Activation;
use crate::error::ModelError;

/// Applies `activation` element-wise (row-wise for softmax); no parameters.
pub struct ActivationLayer {
    activation: Activation,
    size: usize,
}

impl ActivationLayer {
    pub fn new(activation: Activation) -> Self {
        ActivationLayer {
            activation,
            size: 0,
        }
    }
}

impl Layer for ActivationLayer {
    fn kind(&self) -> &'static str {
        "Activation"
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        self.size = input_shape.iter().product();
        Ok(input_shape.to_vec())
    }

    fn output_size(&self) -> usize {
        self.size
    }

    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, _training: bool) {
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
        if let Some(gx) = grad_x {
            self.activation.backward(y, grad_y, gx);
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
