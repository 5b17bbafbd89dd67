//! Reference for `exercises/ex09_dropout.rs`: the rule of `annlab::layers::Dropout`,
//! with the uniform draws given instead of drawn.
use annlab::exercises::prelude::*;

pub fn dropout_forward(
    x: ArrayView2<f32>,
    rate: f32,
    u: ArrayView2<f32>,
    training: bool,
) -> Result<(Array2<f32>, Array2<f32>), Unfinished> {
    if !training || rate == 0.0 {
        return Ok((x.to_owned(), Array2::ones(x.dim())));
    }
    let scale = 1.0 / (1.0 - rate);
    // m = [u ≥ rate] / (1 − rate): inverted dropout keeps E[y] = x
    let mask = u.mapv(|u| if u >= rate { scale } else { 0.0 });
    Ok((&x * &mask, mask))
}

pub fn dropout_backward(
    grad_y: ArrayView2<f32>,
    mask: ArrayView2<f32>,
) -> Result<Array2<f32>, Unfinished> {
    Ok(&grad_y * &mask) // dL/dx = dL/dy ⊙ m
}
