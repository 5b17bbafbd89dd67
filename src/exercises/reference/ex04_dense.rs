//! Reference for `exercises/ex04_dense.rs`: the library's `Dense` layer, given the
//! kernel and bias.
use annlab::exercises::prelude::*;
use annlab::layers::{Dense, Layer};
use rand::SeedableRng;

/// A built `Dense` layer holding `kernel` `[n_inputs, units]` and `bias` `[units]`.
fn layer(kernel: ArrayView2<f32>, bias: ArrayView1<f32>) -> Dense {
    let (n_inputs, units) = kernel.dim();
    let mut dense = Dense::new(units);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    dense
        .build(&[n_inputs], &mut rng)
        .expect("a small Dense layer builds");
    let mut params = dense.params();
    params[0]
        .value
        .iter_mut()
        .zip(kernel.iter())
        .for_each(|(w, &k)| *w = k);
    params[1]
        .value
        .iter_mut()
        .zip(bias.iter())
        .for_each(|(w, &b)| *w = b);
    drop(params);
    dense
}

pub fn dense_forward(
    x: ArrayView2<f32>,
    kernel: ArrayView2<f32>,
    bias: ArrayView1<f32>,
) -> Result<Array2<f32>, Unfinished> {
    let mut dense = layer(kernel, bias);
    let mut y = Array2::zeros((x.nrows(), kernel.ncols()));
    dense.forward(x, y.view_mut(), false);
    Ok(y)
}

pub fn dense_backward(
    x: ArrayView2<f32>,
    kernel: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<DenseGrads, Unfinished> {
    let bias = Array1::zeros(kernel.ncols());
    let mut dense = layer(kernel, bias.view());
    let mut y = Array2::zeros(grad_y.dim());
    dense.forward(x, y.view_mut(), true);
    dense.zero_grad();
    let mut grad_x = Array2::zeros(x.dim());
    dense.backward(x, y.view(), grad_y, Some(grad_x.view_mut()));
    let params = dense.params();
    let kernel_grad = Array2::from_shape_vec(kernel.dim(), params[0].grad.to_vec())
        .expect("the kernel gradient has the kernel's shape");
    let bias_grad = Array1::from(params[1].grad.to_vec());
    Ok(DenseGrads {
        kernel: kernel_grad,
        bias: bias_grad,
        x: grad_x,
    })
}
