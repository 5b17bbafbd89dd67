//! Checks of `exercises/ex02_perceptron.rs`: hand-made cases of the rule (on the
//! boundary, wrong side, right side, both classes), then whole fits on iris driven by
//! the learner's step, compared with scikit-learn's weights
//! (`Perceptron::new().random_state(42)`, which reproduces them).
use ndarray::{array, Array1, Array2, ArrayView1};

use crate::datasets::iris;
use crate::exercises::{close_scalar, ensure, shape, Checked, Tol, Unfinished, Verdict};
use crate::neurons::perceptron::Perceptron;
use crate::neurons::sk_random::{sklearn_sgd_seed, sklearn_shuffle};

/// The learner's `perceptron_update(w, b, x, y, eta)`.
pub type Update = fn(
    &mut Array1<f64>,
    &mut f64,
    ArrayView1<f64>,
    usize,
    f64,
) -> Result<bool, Unfinished>;

/// f64 sums in another order: the hand cases are exact in binary, the fits' weights
/// are sums of one-decimal measurements.
const F64: Tol = Tol {
    atol: 1e-9,
    rtol: 1e-9,
};

/// `[0.5, -1, 0.25]`.
fn vec_str(v: ArrayView1<f64>) -> String {
    let parts: Vec<String> = v.iter().map(|x| format!("{x}")).collect();
    format!("[{}]", parts.join(", "))
}

/// One step from `(w0, b0)` on `(x, y)` with η = `eta`, compared with the rule:
/// y± = ±1, p = w·x + b, update w ← w + η y± x, b ← b + η y± when y±·p ≤ 0.
fn case(
    update: Update,
    w0: &Array1<f64>,
    b0: f64,
    x: &Array1<f64>,
    y: usize,
    eta: f64,
) -> Checked {
    let call = format!(
        "perceptron_update(w = {}, b = {b0}, x = {}, y = {y}, eta = {eta})",
        vec_str(w0.view()),
        vec_str(x.view())
    );
    let y_pm = if y == 1 { 1.0 } else { -1.0 };
    let p = w0.dot(x) + b0;
    let updates = y_pm * p <= 0.0;
    let situation = if p == 0.0 {
        "the point lies on the boundary (p = 0), and y±·p = 0 ≤ 0 updates".to_string()
    } else if updates {
        format!(
            "p = {p} puts the class-{y} point on the wrong side (y±·p = {} < 0)",
            y_pm * p
        )
    } else {
        format!(
            "p = {p} puts the class-{y} point on the right side (y±·p = {} > 0)",
            y_pm * p
        )
    };
    let (mut w, mut b) = (w0.clone(), b0);
    let returned = update(&mut w, &mut b, x.view(), y, eta)?;
    ensure(returned == updates, || {
        format!("{call}: {situation}, so it returns {updates}; yours returned {returned}")
    })?;
    shape(
        &format!("{call}: w after the step"),
        w.shape(),
        w0.shape(),
        "[n_features]",
    )?;
    let (expected_w, expected_b) = if updates {
        (w0 + &(x * (eta * y_pm)), b0 + eta * y_pm)
    } else {
        (w0.clone(), b0)
    };
    for (j, (&yours, &expected)) in w.iter().zip(expected_w.iter()).enumerate() {
        close_scalar(
            &format!("{call}: w[{j}] after the step ({situation})"),
            yours,
            expected,
            "expected",
            F64,
        )?;
    }
    close_scalar(
        &format!("{call}: b after the step ({situation})"),
        b,
        expected_b,
        "expected",
        F64,
    )
}

/// The hand cases: 3 features, values exact in binary.
fn hand_cases(update: Update) -> Checked {
    let w0 = array![0.5, -1.0, 0.25];
    // p = 0.5·2 − 1·1 + 0.25·2 − 0.5 = 0: on the boundary, both classes update
    let on_boundary = array![2.0, 1.0, 2.0];
    case(update, &w0, -0.5, &on_boundary, 1, 0.5)?;
    case(update, &w0, -0.5, &on_boundary, 0, 0.5)?;
    // p = 0.5·1 − 1·2 + 0.25·4 + 0.25 = −0.25
    let x = array![1.0, 2.0, 4.0];
    case(update, &w0, 0.25, &x, 1, 0.5)?; // class 1 on the negative side: updates
    case(update, &w0, 0.25, &x, 0, 2.0)?; // class 0 on the negative side: right
                                          // p = 0.5·4 − 1·1 + 0.25·0 + 0.25 = 1.25
    let x = array![4.0, 1.0, 0.0];
    case(update, &w0, 0.25, &x, 1, 1.0)?; // class 1 on the positive side: right
    case(update, &w0, 0.25, &x, 0, 0.25) // class 0 on the positive side: updates
}

/// scikit-learn's epoch loop (`Perceptron::fit` with its defaults, `random_state`
/// 42), each sample's step taken by `update`: returns w, b and the epochs run.
fn fit_with(
    update: Update,
    x: &Array2<f64>,
    y: &[usize],
    what: &str,
) -> Result<(Array1<f64>, f64, usize), Verdict> {
    const MAX_ITER: usize = 1000;
    const TOL: f64 = 1e-3;
    const N_ITER_NO_CHANGE: usize = 5;
    let n = x.nrows();
    let seed = sklearn_sgd_seed(42);
    let mut w = Array1::<f64>::zeros(x.ncols());
    let mut b = 0.0;
    let mut order: Vec<usize> = (0..n).collect();
    let (mut best, mut no_improvement) = (f64::INFINITY, 0);
    let mut epochs = 0;
    for _ in 0..MAX_ITER {
        sklearn_shuffle(&mut order, seed);
        let mut loss = 0.0;
        for &i in &order {
            let y_pm = if y[i] == 1 { 1.0 } else { -1.0 };
            let p = x.row(i).dot(&w) + b; // before the step: the perceptron loss
            loss += (-y_pm * p).max(0.0);
            update(&mut w, &mut b, x.row(i), y[i], 1.0)?;
            shape(
                &format!("{what}: w after a step"),
                w.shape(),
                &[x.ncols()],
                "[n_features]",
            )?;
        }
        epochs += 1;
        let loss = loss / n as f64;
        // the tol rule: n_iter_no_change epochs in a row not below best − tol
        no_improvement = if loss > best - TOL {
            no_improvement + 1
        } else {
            0
        };
        best = best.min(loss);
        if no_improvement >= N_ITER_NO_CHANGE {
            break;
        }
    }
    Ok((w, b, epochs))
}

/// A whole fit on iris, features `x`, labels `y`: the learner's w and b against
/// scikit-learn's.
fn whole_fit(update: Update, x: &Array2<f64>, y: &[usize], what: &str) -> Checked {
    let mut sklearn = Perceptron::new().random_state(42);
    sklearn
        .fit(x.view(), y)
        .map_err(|e| Verdict::Wrong(format!("{what}: scikit-learn's fit failed: {e}")))?;
    let expected_w = sklearn.coef().ok_or_else(|| {
        Verdict::Wrong(format!("{what}: scikit-learn's fit left no weights"))
    })?;
    let (w, b, epochs) = fit_with(update, x, y, what)?;
    let ran = format!(
        "{what}, {epochs} epochs with your step; scikit-learn ran {}",
        sklearn.n_iter()
    );
    for (j, (&yours, &expected)) in w.iter().zip(expected_w.iter()).enumerate() {
        close_scalar(
            &format!("w[{j}] after a whole fit ({ran})"),
            yours,
            expected,
            "scikit-learn",
            F64,
        )?;
    }
    close_scalar(
        &format!("b after a whole fit ({ran})"),
        b,
        sklearn.intercept(),
        "scikit-learn",
        F64,
    )
}

/// 2.1: the perceptron learning rule.
pub fn update_rule(update: Update) -> Checked {
    hand_cases(update)?;
    let data = iris::load_iris()
        .map_err(|e| Verdict::Wrong(format!("could not load the iris data: {e}")))?;
    let petals = data.petals(); // [150, 2]
                                // HOML's fit: setosa or not on petal length and width (separable)
    whole_fit(
        update,
        &petals,
        &data.is_species(0),
        "iris petals, setosa or not",
    )?;
    // not separable: many updates, the tol rule decides when to stop
    whole_fit(
        update,
        data.features(),
        &data.is_species(1),
        "iris, 4 features, versicolor or not",
    )
}
