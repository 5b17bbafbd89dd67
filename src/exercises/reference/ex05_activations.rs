//! Reference for `exercises/ex05_activations.rs`: `Activation::backward`.
use annlab::activations::Activation;
use annlab::exercises::prelude::*;

fn backward(
    activation: Activation,
    y: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Array2<f32> {
    let mut grad_z = Array2::zeros(y.dim());
    activation.backward(y, grad_y, grad_z.view_mut());
    grad_z
}

pub fn relu_backward(
    y: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<Array2<f32>, Unfinished> {
    Ok(backward(Activation::Relu, y, grad_y))
}

pub fn sigmoid_backward(
    y: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<Array2<f32>, Unfinished> {
    Ok(backward(Activation::Sigmoid, y, grad_y))
}
