//! The one finite-difference gradient checker every differentiable piece is tested with.
//!
//! Central differences, ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, evaluated with the
//! library's own f32 code and accumulated in f64. With h = 1e-2 the truncation error is
//! O(h²) ≈ 1e-4 and the f32 rounding error about 1e-7·|f|/h ≈ 1e-4 for |f| ≈ 10, so
//! |a − n| ≤ 2e-3 + 2e-2·max(|a|, |n|) separates a correct derivative from a wrong one,
//! which is off by O(1) relative to the entry (a wrong entry smaller than 2e-3 in
//! absolute value would pass: the checks use inputs whose gradients are larger).

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::activations::Activation;
use crate::error::ModelError;
use crate::layers::Layer;
use crate::losses::{Loss, Targets};
use crate::train::{IntoInputs, IntoTargets, Train};

/// Checks every parameter gradient of a compiled model on (x, y) — the whole backward
/// pass, through every layer, branch and join — against central differences of its
/// loss, one weight at a time. The weights are restored afterwards.
pub fn check_model<'a, M, X, Y>(model: &mut M, x: X, y: Y) -> Result<(), String>
where
    M: Train,
    X: IntoInputs<'a> + Copy,
    Y: IntoTargets<'a> + Copy,
{
    let (_, analytic) = model.loss_and_gradients(x, y).map_err(|e| e.to_string())?;
    let numeric = model_numerical_gradients(model, x, y, H).map_err(|e| e.to_string())?;
    let paths: Vec<String> = model.weights().into_iter().map(|w| w.name).collect();
    for (k, ((analytic, numeric), path)) in
        analytic.iter().zip(&numeric).zip(&paths).enumerate()
    {
        let analytic = analytic
            .as_slice()
            .ok_or("gradients are in standard layout")?;
        compare(&format!("tensor {k} ({path})"), analytic, numeric)?;
    }
    Ok(())
}

/// Central differences with step `h` of a compiled model's loss on (x, y), for every
/// trainable tensor in `weights` order (the order of `loss_and_gradients`), each
/// flattened row-major. Every tensor is perturbed and set back by its path, so the
/// weights are as before when it returns.
pub fn model_numerical_gradients<'a, M, X, Y>(
    model: &mut M,
    x: X,
    y: Y,
    h: f32,
) -> Result<Vec<Vec<f64>>, ModelError>
where
    M: Train,
    X: IntoInputs<'a> + Copy,
    Y: IntoTargets<'a> + Copy,
{
    let paths: Vec<String> = model.weights().into_iter().map(|w| w.name).collect();
    let mut out = Vec::with_capacity(paths.len());
    for path in &paths {
        let original = model.get_weight(path)?;
        let mut values: Vec<f32> = original.iter().copied().collect();
        let mut failure = None;
        let mut probe = original.clone();
        let numeric = numerical_gradient(&mut values, h, |v| {
            for (p, &value) in probe.iter_mut().zip(v) {
                *p = value;
            }
            let loss = model
                .set_weight(path, &probe)
                .and_then(|()| model.loss_and_gradients(x, y).map(|(loss, _)| loss));
            loss.unwrap_or_else(|e| {
                failure = Some(e);
                f64::NAN
            })
        });
        model.set_weight(path, &original)?;
        if let Some(e) = failure {
            return Err(e);
        }
        out.push(numeric);
    }
    Ok(out)
}

/// Default step h.
pub const H: f32 = 1e-2;
/// Default tolerances: |a − n| ≤ ATOL + RTOL·max(|a|, |n|).
pub const ATOL: f64 = 2e-3;
pub const RTOL: f64 = 2e-2;

/// Central-difference gradient of `f` at `x` (x is restored afterwards).
pub fn numerical_gradient(
    x: &mut [f32],
    h: f32,
    mut f: impl FnMut(&[f32]) -> f64,
) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let orig = x[i];
            x[i] = orig + h;
            let up = f(x);
            x[i] = orig - h;
            let down = f(x);
            x[i] = orig;
            // the step actually taken, after f32 rounding of orig ± h
            let step = f64::from(orig + h) - f64::from(orig - h);
            (up - down) / step
        })
        .collect()
}

/// Compares an analytic gradient with a numerical one; the error names the worst entry.
pub fn compare(what: &str, analytic: &[f32], numeric: &[f64]) -> Result<(), String> {
    if analytic.len() != numeric.len() {
        return Err(format!(
            "{what}: analytic gradient has {} entries, numerical {}",
            analytic.len(),
            numeric.len()
        ));
    }
    for (i, (&a, &n)) in analytic.iter().zip(numeric).enumerate() {
        let a = f64::from(a);
        let tol = ATOL + RTOL * a.abs().max(n.abs());
        if (a - n).abs() > tol || !a.is_finite() {
            return Err(format!("{what}[{i}]: analytic {a:.6} vs numerical {n:.6}"));
        }
    }
    Ok(())
}

/// Uniform random matrix in [lo, hi), from a seeded generator.
pub fn random_matrix(
    rows: usize,
    cols: usize,
    lo: f32,
    hi: f32,
    rng: &mut ChaCha8Rng,
) -> Array2<f32> {
    Array2::from_shape_fn((rows, cols), |_| rng.gen_range(lo..hi))
}

/// L = Σ y ⊙ r, the probe loss whose gradient with respect to y is r.
fn probe(y: ArrayView2<f32>, r: ArrayView2<f32>) -> f64 {
    y.iter()
        .zip(r.iter())
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum()
}

/// Checks `Activation::backward` against finite differences on a random batch.
pub fn check_activation(
    act: Activation,
    batch: usize,
    units: usize,
    seed: u64,
) -> Result<(), String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut z = random_matrix(batch, units, -3.0, 3.0, &mut rng);
    // relu has a kink at 0 where no derivative exists: keep samples away from it.
    z.mapv_inplace(|v| if v.abs() < 0.1 { v + 0.2 } else { v });
    let r = random_matrix(batch, units, -1.0, 1.0, &mut rng);
    let mut y = z.clone();
    act.forward_inplace(y.view_mut());
    let mut grad_z = Array2::zeros((batch, units));
    act.backward(y.view(), r.view(), grad_z.view_mut());
    let flat = z.as_slice_mut().expect("standard layout");
    let numeric = numerical_gradient(flat, H, |v| {
        let mut y = Array2::from_shape_vec((batch, units), v.to_vec()).expect("shape");
        act.forward_inplace(y.view_mut());
        probe(y.view(), r.view())
    });
    compare(
        act.name(),
        grad_z.as_slice().expect("standard layout"),
        &numeric,
    )
}

/// Checks a built layer's backward pass — dL/dx and every parameter gradient — against
/// finite differences of the probe loss Σ y ⊙ r on a random batch of `n_inputs` features.
pub fn check_layer(
    layer: &mut dyn Layer,
    batch: usize,
    n_inputs: usize,
    seed: u64,
) -> Result<(), String> {
    check_layer_in_mode(layer, batch, n_inputs, seed, false)
}

/// `check_layer` with every forward pass in training mode (a layer that draws random
/// numbers must reuse one draw, as `Dropout::freeze_mask` makes it).
pub fn check_layer_training(
    layer: &mut dyn Layer,
    batch: usize,
    n_inputs: usize,
    seed: u64,
) -> Result<(), String> {
    check_layer_in_mode(layer, batch, n_inputs, seed, true)
}

fn check_layer_in_mode(
    layer: &mut dyn Layer,
    batch: usize,
    n_inputs: usize,
    seed: u64,
    training: bool,
) -> Result<(), String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x = random_matrix(batch, n_inputs, -2.0, 2.0, &mut rng);
    let units = layer.output_size();
    let r = random_matrix(batch, units, -1.0, 1.0, &mut rng);
    let mut y = Array2::zeros((batch, units));
    let run = |layer: &mut dyn Layer, x: ArrayView2<f32>, y: &mut Array2<f32>| {
        layer.forward(x, y.view_mut(), training);
        probe(y.view(), r.view())
    };
    run(layer, x.view(), &mut y);
    let mut grad_x = Array2::zeros((batch, n_inputs));
    layer.zero_grad();
    layer.backward(x.view(), y.view(), r.view(), Some(grad_x.view_mut()));
    let analytic_params: Vec<Vec<f32>> =
        layer.params().iter().map(|p| p.grad.to_vec()).collect();

    let flat = x.as_slice_mut().expect("standard layout");
    let mut y2 = y.clone();
    let numeric = numerical_gradient(flat, H, |v| {
        let xv = ArrayView2::from_shape((batch, n_inputs), v).expect("shape");
        run(layer, xv, &mut y2)
    });
    compare(
        "dL/dx",
        grad_x.as_slice().expect("standard layout"),
        &numeric,
    )?;

    for (k, analytic) in analytic_params.iter().enumerate() {
        let mut values: Vec<f32> = layer.params()[k].value.to_vec();
        let numeric = numerical_gradient(&mut values, H, |v| {
            layer.params()[k].value.copy_from_slice(v);
            run(layer, x.view(), &mut y2)
        });
        layer.params()[k].value.copy_from_slice(&values);
        let name = layer.params()[k].name;
        compare(&format!("dL/d{name}"), analytic, &numeric)?;
    }
    Ok(())
}

/// Checks a loss's gradient with respect to `y_pred` against finite differences of its value.
pub fn check_loss(
    loss: &dyn Loss,
    y_pred: &Array2<f32>,
    y_true: &Targets,
) -> Result<(), String> {
    let (batch, outputs) = y_pred.dim();
    let mut grad = Array2::zeros((batch, outputs));
    loss.gradient(y_pred.view(), y_true, grad.view_mut());
    let mut flat = y_pred.as_slice().expect("standard layout").to_vec();
    let numeric = numerical_gradient(&mut flat, H / 10.0, |v| {
        let yp = ArrayView2::from_shape((batch, outputs), v).expect("shape");
        loss.value(yp, y_true)
    });
    compare(
        loss.name(),
        grad.as_slice().expect("standard layout"),
        &numeric,
    )
}

/// A loss's value (and optionally its gradient) from logits z: one of the fused paths.
type LogitsPath =
    fn(&dyn Loss, ArrayView2<f32>, &Targets, Option<ArrayViewMut2<f32>>) -> Option<f64>;

/// Checks a fused path of a loss: the gradient it reports with respect to the logits z
/// against finite differences of its value as a function of z.
fn check_logits(
    loss: &dyn Loss,
    z: &Array2<f32>,
    y_true: &Targets,
    kind: &str,
    path: LogitsPath,
) -> Result<(), String> {
    let (batch, outputs) = z.dim();
    let mut grad = Array2::zeros((batch, outputs));
    if path(loss, z.view(), y_true, Some(grad.view_mut())).is_none() {
        return Err(format!("{} has no {kind}-logits path", loss.name()));
    }
    let mut flat = z.as_slice().expect("standard layout").to_vec();
    let numeric = numerical_gradient(&mut flat, H, |v| {
        let zv = ArrayView2::from_shape((batch, outputs), v).expect("shape");
        path(loss, zv, y_true, None).unwrap_or(f64::NAN)
    });
    compare(
        loss.name(),
        grad.as_slice().expect("standard layout"),
        &numeric,
    )
}

/// Checks the fused softmax path of a loss (`Loss::softmax_logits`).
pub fn check_softmax_logits(
    loss: &dyn Loss,
    z: &Array2<f32>,
    y_true: &Targets,
) -> Result<(), String> {
    check_logits(loss, z, y_true, "softmax", |l, z, y, g| {
        l.softmax_logits(z, y, g)
    })
}

/// Checks the fused sigmoid path of a loss (`Loss::sigmoid_logits`).
pub fn check_sigmoid_logits(
    loss: &dyn Loss,
    z: &Array2<f32>,
    y_true: &Targets,
) -> Result<(), String> {
    check_logits(loss, z, y_true, "sigmoid", |l, z, y, g| {
        l.sigmoid_logits(z, y, g)
    })
}
