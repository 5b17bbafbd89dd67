//! Checks of `exercises/ex04_dense.rs`: y = x·W + b and its three gradients.
//!
//! The forward pass is compared with x·W + b computed here in f64. The gradients are
//! compared with central differences of the f64 function L = Σ G ⊙ (x·W + b) for a
//! fixed G = dL/dy: L is linear in each of x, W and b, so its differences are exact up
//! to rounding, and the tolerance is that of f32 rounding (Tol::F32). Every case is
//! non-square (a transposed kernel gradient has the wrong shape, "— transposed?"), then
//! square (n_inputs = units), where a transposed answer has the right shape and fails
//! by value.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewD};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::exercises::{
    central_differences, close, hint, shape, Checked, DenseGrads, Tol, Unfinished,
};
use crate::gradcheck::random_matrix;

/// The learner's `dense_forward(x, kernel, bias)`.
pub type Forward = fn(
    ArrayView2<f32>,
    ArrayView2<f32>,
    ArrayView1<f32>,
) -> Result<Array2<f32>, Unfinished>;
/// The learner's `dense_backward(x, kernel, grad_y)`.
pub type Backward = fn(
    ArrayView2<f32>,
    ArrayView2<f32>,
    ArrayView2<f32>,
) -> Result<DenseGrads, Unfinished>;

/// One case: x `[batch, n_inputs]`, W `[n_inputs, units]`, b `[units]`, and
/// G = dL/dy `[batch, units]`, seeded uniform in [−1, 1).
struct Case {
    x: Array2<f32>,
    kernel: Array2<f32>,
    bias: Array1<f32>,
    grad_y: Array2<f32>,
}

impl Case {
    fn new(batch: usize, n_inputs: usize, units: usize, seed: u64) -> Case {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x = random_matrix(batch, n_inputs, -1.0, 1.0, &mut rng);
        let kernel = random_matrix(n_inputs, units, -1.0, 1.0, &mut rng);
        let bias = random_matrix(1, units, -1.0, 1.0, &mut rng)
            .row(0)
            .to_owned();
        let grad_y = random_matrix(batch, units, -1.0, 1.0, &mut rng);
        Case {
            x,
            kernel,
            bias,
            grad_y,
        }
    }

    /// "batch 3, n_inputs 5, units 4", for the messages.
    fn name(&self) -> String {
        let (batch, n_inputs) = self.x.dim();
        format!(
            "batch {batch}, n_inputs {n_inputs}, units {}",
            self.kernel.ncols()
        )
    }
}

/// The non-square case, then the square one.
fn cases() -> [Case; 2] {
    [Case::new(3, 5, 4, 41), Case::new(3, 4, 4, 42)]
}

/// y = x·W + b in f64: `[batch, units]`.
fn forward64(x: &Array2<f64>, kernel: &Array2<f64>, bias: &Array1<f64>) -> Array2<f64> {
    x.dot(kernel) + bias
}

/// L = Σ G ⊙ (x·W + b) in f64.
fn loss64(
    x: &Array2<f64>,
    kernel: &Array2<f64>,
    bias: &Array1<f64>,
    g: &Array2<f64>,
) -> f64 {
    (forward64(x, kernel, bias) * g).sum()
}

/// Appends the case to a failed check's message.
fn in_case(checked: Checked, case: &Case) -> Checked {
    hint(checked, &case.name())
}

/// 4.1: y = x·W + b, against f64, for batch 3 × n_inputs 5 → units 4, then a square
/// kernel (n_inputs = units = 4) where x·Wᵀ would have the right shape.
pub fn forward(f: Forward) -> Checked {
    for case in cases() {
        let y = f(case.x.view(), case.kernel.view(), case.bias.view())?;
        let (batch, units) = (case.x.nrows(), case.kernel.ncols());
        in_case(
            shape("y", y.shape(), &[batch, units], "[batch, units]"),
            &case,
        )?;
        let expected = forward64(
            &case.x.mapv(f64::from),
            &case.kernel.mapv(f64::from),
            &case.bias.mapv(f64::from),
        );
        in_case(
            close(
                "y",
                y.view().into_dyn(),
                expected.view().into_dyn(),
                "expected",
                Tol::F32,
            ),
            &case,
        )?;
    }
    Ok(())
}

/// The step of the finite differences: large, because L is linear in each of x, W, b.
const H: f64 = 0.5;

/// 4.2: dL/dW, dL/db, dL/dx against finite differences of L = Σ G ⊙ (x·W + b).
///
/// The three shapes first (`[n_inputs, units]`, `[units]`, `[batch, n_inputs]`), then
/// each gradient entry by entry; the non-square case, then the square one.
pub fn backward(f: Backward) -> Checked {
    for case in cases() {
        let grads = f(case.x.view(), case.kernel.view(), case.grad_y.view())?;
        let (batch, n_inputs) = case.x.dim();
        let units = case.kernel.ncols();
        in_case(
            shape(
                "dL/dW",
                grads.kernel.shape(),
                &[n_inputs, units],
                "[n_inputs, units]",
            ),
            &case,
        )?;
        in_case(
            shape("dL/db", grads.bias.shape(), &[units], "[units]"),
            &case,
        )?;
        in_case(
            shape(
                "dL/dx",
                grads.x.shape(),
                &[batch, n_inputs],
                "[batch, n_inputs]",
            ),
            &case,
        )?;

        let mut x = case.x.mapv(f64::from);
        let mut kernel = case.kernel.mapv(f64::from);
        let mut bias = case.bias.mapv(f64::from);
        let g = case.grad_y.mapv(f64::from);
        let d_kernel = central_differences(&mut kernel, H, |w| loss64(&x, w, &bias, &g));
        let d_bias = central_differences(&mut bias, H, |b| loss64(&x, &kernel, b, &g));
        let d_x = central_differences(&mut x, H, |x| loss64(x, &kernel, &bias, &g));

        let compare = |what: &str, yours: ArrayViewD<f32>, fd: ArrayViewD<f64>| {
            in_case(
                close(what, yours, fd, "finite differences", Tol::F32),
                &case,
            )
        };
        compare(
            "dL/dW",
            grads.kernel.view().into_dyn(),
            d_kernel.view().into_dyn(),
        )?;
        compare(
            "dL/db",
            grads.bias.view().into_dyn(),
            d_bias.view().into_dyn(),
        )?;
        compare("dL/dx", grads.x.view().into_dyn(), d_x.view().into_dyn())?;
    }
    Ok(())
}
