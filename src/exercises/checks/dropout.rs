//! Checks of `exercises/ex09_dropout.rs`: inverted dropout as Keras and
//! `annlab::layers::Dropout` do it, with the uniform draws u given.
//!
//! The expected mask is computed here from its definition, m = [u ≥ rate] / (1 − rate)
//! in f64, and y = x ⊙ m; the learner's f32 values are compared with Tol::F32.

use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::exercises::{
    close, close_scalar, hint, number, shape, Checked, Tol, Unfinished, Verdict,
};
use crate::gradcheck::random_matrix;

/// The learner's `dropout_forward(x, rate, u, training)`: (y, mask).
pub type Forward = fn(
    ArrayView2<f32>,
    f32,
    ArrayView2<f32>,
    bool,
) -> Result<(Array2<f32>, Array2<f32>), Unfinished>;
/// The learner's `dropout_backward(grad_y, mask)`.
pub type Backward =
    fn(ArrayView2<f32>, ArrayView2<f32>) -> Result<Array2<f32>, Unfinished>;

/// The rate of the training cases.
const RATE: f32 = 0.3;
/// Where u equals the rate exactly: a kept unit, as `u ≥ rate` keeps it.
const EDGE: (usize, usize) = (1, 2);

/// x `[4, 5]` in [−2, 2) and u `[4, 5]` in [0, 1), seeded, with u[1, 2] = rate.
fn inputs() -> (Array2<f32>, Array2<f32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(91);
    let x = random_matrix(4, 5, -2.0, 2.0, &mut rng);
    let mut u = random_matrix(4, 5, 0.0, 1.0, &mut rng);
    u[EDGE] = RATE;
    (x, u)
}

/// m = [u ≥ rate] / (1 − rate) in f64: `[batch, units]`.
fn mask64(u: ArrayView2<f32>, rate: f32) -> Array2<f64> {
    let scale = 1.0 / (1.0 - f64::from(rate));
    u.mapv(|u| if u >= rate { scale } else { 0.0 })
}

/// Calls the learner's forward and checks the shapes of y and the mask.
fn run(
    f: Forward,
    x: ArrayView2<f32>,
    rate: f32,
    u: ArrayView2<f32>,
    training: bool,
) -> Result<(Array2<f32>, Array2<f32>), Verdict> {
    let (y, mask) = f(x, rate, u, training)?;
    shape("y", y.shape(), x.shape(), "[batch, units], as x")?;
    shape("mask", mask.shape(), x.shape(), "[batch, units], as x")?;
    Ok((y, mask))
}

/// 9.1: inverted dropout, as Keras.
///
/// Training with rate 0.3 on x `[4, 5]`: y = x ⊙ m and the mask m = [u ≥ 0.3] / 0.7,
/// with u[1, 2] = 0.3 exactly (kept); inference (`training` false) and rate 0 give
/// y = x and a mask of ones; on 10,000 ones with rate 0.5, the mean of y stays near 1.
pub fn forward(f: Forward) -> Checked {
    let (x, u) = inputs();
    let (y, mask) = run(f, x.view(), RATE, u.view(), true)?;
    let m = mask64(u.view(), RATE);
    let expected = &x.mapv(f64::from) * &m;
    if y[EDGE] == 0.0 && expected[EDGE] != 0.0 {
        return Err(Verdict::Wrong(format!(
            "y[{}, {}]: yours 0, expected {} (there u == rate == {RATE}: u ≥ rate keeps \
             the unit, as Keras does)",
            EDGE.0,
            EDGE.1,
            number(expected[EDGE])
        )));
    }
    hint(
        close(
            "y",
            y.view().into_dyn(),
            expected.view().into_dyn(),
            "expected",
            Tol::F32,
        ),
        "training, rate 0.3: y = x ⊙ [u ≥ rate] / (1 − rate)",
    )?;
    hint(
        close(
            "mask",
            mask.view().into_dyn(),
            m.view().into_dyn(),
            "expected",
            Tol::F32,
        ),
        "training, rate 0.3: mask = [u ≥ rate] / (1 − rate)",
    )?;

    let ones = Array2::<f64>::ones(x.dim());
    for (rate, training, case) in [
        (RATE, false, "training = false: dropout is the identity"),
        (0.0, true, "rate 0: dropout is the identity"),
    ] {
        let (y, mask) = run(f, x.view(), rate, u.view(), training)?;
        hint(
            close(
                "y",
                y.view().into_dyn(),
                x.mapv(f64::from).view().into_dyn(),
                "expected",
                Tol::F32,
            ),
            case,
        )?;
        hint(
            close(
                "mask",
                mask.view().into_dyn(),
                ones.view().into_dyn(),
                "expected",
                Tol::F32,
            ),
            case,
        )?;
    }

    // E[y] = (1 − r)·x/(1 − r) = x: the mean of y over many ones stays near 1
    let mut rng = ChaCha8Rng::seed_from_u64(92);
    let many = Array2::<f32>::ones((100, 100));
    let u = random_matrix(100, 100, 0.0, 1.0, &mut rng);
    let (y, _) = run(f, many.view(), 0.5, u.view(), true)?;
    let mean = y.iter().map(|&v| f64::from(v)).sum::<f64>() / y.len() as f64;
    hint(
        close_scalar(
            "mean of y for x = ones [100, 100], rate 0.5",
            mean,
            1.0,
            "expected about",
            Tol {
                atol: 0.05,
                rtol: 0.0,
            },
        ),
        "kept units are scaled by 1/(1 − rate), so that E[y] = x",
    )
}

/// 9.2: the gradient through the mask, dL/dx = dL/dy ⊙ m.
///
/// G `[4, 5]` with the training mask of rate 0.3 (entries 0 and 1/0.7), then with a
/// mask of ones (inference).
pub fn backward(f: Backward) -> Checked {
    let (_, u) = inputs();
    let mut rng = ChaCha8Rng::seed_from_u64(93);
    let g = random_matrix(4, 5, -1.0, 1.0, &mut rng);
    let training = mask64(u.view(), RATE);
    let inference = Array2::<f64>::ones(g.dim());
    for (m, case) in [
        (training, "mask of rate 0.3: entries 0 and 1/0.7"),
        (inference, "mask of ones, as at inference"),
    ] {
        let grad_x = f(g.view(), m.mapv(|v| v as f32).view())?;
        shape(
            "dL/dx",
            grad_x.shape(),
            g.shape(),
            "[batch, units], as grad_y",
        )?;
        let expected = &g.mapv(f64::from) * &m;
        hint(
            close(
                "dL/dx",
                grad_x.view().into_dyn(),
                expected.view().into_dyn(),
                "expected",
                Tol::F32,
            ),
            case,
        )?;
    }
    Ok(())
}
