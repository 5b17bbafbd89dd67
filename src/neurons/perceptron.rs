//! `Perceptron`: scikit-learn's `sklearn.linear_model.Perceptron` for two classes.
//!
//! Same parameters and defaults — `max_iter=1000`, `tol=1e-3`, `eta0=1`,
//! `shuffle=True`, `random_state`, `fit_intercept=True`, `n_iter_no_change=5` — and
//! the same algorithm: zero initial weights; each epoch the samples are shuffled and
//! visited one at a time; with y± = ±1 for the classes 1 and 0 and p = w·x + b, a
//! sample with y±·p ≤ 0 updates w ← w + η y± x and b ← b + η y±. That is the
//! perceptron learning rule w ← w + η (y − ŷ) x with ŷ = heaviside(p), except that a
//! point exactly on the boundary (p = 0) also updates. Training stops when the epoch's
//! mean perceptron loss (mean of max(0, −y±·p)) has failed `n_iter_no_change` times in
//! a row to drop below the best so far minus `tol`. The shuffling reproduces
//! scikit-learn's random numbers (see `sk_random`), so `random_state=42` gives the very
//! weights scikit-learn 1.x learns, in f64.

use ndarray::{Array1, ArrayView2};

use super::error::NeuronError;
use super::sk_random::{sklearn_sgd_seed, sklearn_shuffle};

/// A binary perceptron classifier with scikit-learn's parameters.
#[derive(Clone, Debug)]
pub struct Perceptron {
    max_iter: usize,
    tol: Option<f64>,
    eta0: f64,
    shuffle: bool,
    random_state: Option<u32>,
    fit_intercept: bool,
    n_iter_no_change: usize,
    coef: Option<Array1<f64>>, // [n_features] once fitted
    intercept: f64,
    n_iter: usize,
}

/// What one training epoch did.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochLog {
    /// mean perceptron loss max(0, −y±·p) over the epoch, p before each update
    pub loss: f64,
    /// samples that triggered an update during the epoch
    pub updates: usize,
    /// training samples misclassified by the weights at the end of the epoch
    pub errors: usize,
}

/// The epochs of one `fit`.
#[derive(Clone, Debug, PartialEq)]
pub struct FitHistory {
    pub epochs: Vec<EpochLog>,
    /// true if the `tol` rule stopped training before `max_iter`
    pub stopped_early: bool,
}

impl Default for Perceptron {
    fn default() -> Self {
        Self::new()
    }
}

impl Perceptron {
    /// `Perceptron()` with scikit-learn's defaults.
    pub fn new() -> Self {
        Perceptron {
            max_iter: 1000,
            tol: Some(1e-3),
            eta0: 1.0,
            shuffle: true,
            random_state: None,
            fit_intercept: true,
            n_iter_no_change: 5,
            coef: None,
            intercept: 0.0,
            n_iter: 0,
        }
    }

    /// The maximum number of epochs.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// The stopping tolerance; `None` (Python's `tol=None`) runs all `max_iter` epochs.
    pub fn tol(mut self, tol: Option<f64>) -> Self {
        self.tol = tol;
        self
    }

    /// The learning rate η.
    pub fn eta0(mut self, eta0: f64) -> Self {
        self.eta0 = eta0;
        self
    }

    /// Whether to reshuffle the samples every epoch.
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }

    /// The seed of the shuffling; without it each `fit` draws a fresh one.
    pub fn random_state(mut self, seed: u32) -> Self {
        self.random_state = Some(seed);
        self
    }

    /// Whether to learn the bias b (else b = 0).
    pub fn fit_intercept(mut self, fit_intercept: bool) -> Self {
        self.fit_intercept = fit_intercept;
        self
    }

    /// Epochs without improvement before stopping.
    pub fn n_iter_no_change(mut self, n: usize) -> Self {
        self.n_iter_no_change = n;
        self
    }

    /// The learned weights w (`coef_[0]`), once fitted.
    pub fn coef(&self) -> Option<&Array1<f64>> {
        self.coef.as_ref()
    }

    /// The learned bias b (`intercept_[0]`).
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// The number of epochs the last `fit` ran (`n_iter_`).
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    // ANCHOR: fit
    /// Learns w and b from x `[n_samples, n_features]` and labels y ∈ {0, 1}.
    pub fn fit(
        &mut self,
        x: ArrayView2<f64>,
        y: &[usize],
    ) -> Result<FitHistory, NeuronError> {
        self.check_config()?;
        check_data(x, y)?;
        let n = x.nrows();
        let y_pm: Vec<f64> = y.iter().map(|&t| if t == 1 { 1.0 } else { -1.0 }).collect();
        let seed = sklearn_sgd_seed(self.random_state.unwrap_or_else(rand::random));
        let mut w = Array1::<f64>::zeros(x.ncols());
        let mut b = 0.0;
        let mut order: Vec<usize> = (0..n).collect();
        let (mut best, mut no_improvement) = (f64::INFINITY, 0);
        let mut history = FitHistory {
            epochs: Vec::new(),
            stopped_early: false,
        };
        for _epoch in 0..self.max_iter {
            if self.shuffle {
                sklearn_shuffle(&mut order, seed);
            }
            let (mut loss, mut updates) = (0.0, 0);
            for &i in &order {
                let p = x.row(i).dot(&w) + b; // p = w·x + b
                if y_pm[i] * p <= 0.0 {
                    // wrong side of (or on) the boundary: w ← w + η y± x
                    loss -= y_pm[i] * p;
                    updates += 1;
                    w.scaled_add(self.eta0 * y_pm[i], &x.row(i));
                    if self.fit_intercept {
                        b += self.eta0 * y_pm[i];
                    }
                }
            }
            let loss = loss / n as f64;
            let errors = count_errors(x, y, &w, b);
            history.epochs.push(EpochLog {
                loss,
                updates,
                errors,
            });
            if let Some(tol) = self.tol {
                no_improvement = if loss > best - tol {
                    no_improvement + 1
                } else {
                    0
                };
                best = best.min(loss);
                if no_improvement >= self.n_iter_no_change {
                    history.stopped_early = true;
                    break;
                }
            }
        }
        self.n_iter = history.epochs.len();
        self.coef = Some(w);
        self.intercept = b;
        Ok(history)
    }
    // ANCHOR_END: fit

    /// p = x·w + b for every row of x.
    pub fn decision_function(
        &self,
        x: ArrayView2<f64>,
    ) -> Result<Array1<f64>, NeuronError> {
        let w = self.coef.as_ref().ok_or(NeuronError::NotFitted)?;
        if x.ncols() != w.len() {
            return Err(NeuronError::Shape {
                what: "Perceptron input".into(),
                expected: format!("{} features per sample", w.len()),
                found: format!("{} features", x.ncols()),
            });
        }
        Ok(x.dot(w) + self.intercept)
    }

    /// Class 1 where p > 0, else class 0 (scikit-learn's rule).
    pub fn predict(&self, x: ArrayView2<f64>) -> Result<Vec<usize>, NeuronError> {
        let p = self.decision_function(x)?;
        Ok(p.iter().map(|&v| usize::from(v > 0.0)).collect())
    }

    /// The fraction of samples classified correctly.
    pub fn score(&self, x: ArrayView2<f64>, y: &[usize]) -> Result<f64, NeuronError> {
        check_data(x, y)?;
        let predicted = self.predict(x)?;
        let correct = predicted.iter().zip(y).filter(|(p, t)| p == t).count();
        Ok(correct as f64 / y.len() as f64)
    }

    fn check_config(&self) -> Result<(), NeuronError> {
        let bad = |what: &str, why: &str| {
            Err(NeuronError::Config {
                what: what.into(),
                why: why.into(),
            })
        };
        if self.max_iter == 0 {
            return bad("max_iter", "must be at least 1");
        }
        if !(self.eta0.is_finite() && self.eta0 > 0.0) {
            return bad("eta0", "must be a positive number");
        }
        if self.tol.is_some_and(|t| !t.is_finite()) {
            return bad("tol", "must be a finite number or None");
        }
        if self.n_iter_no_change == 0 {
            return bad("n_iter_no_change", "must be at least 1");
        }
        Ok(())
    }
}

fn count_errors(x: ArrayView2<f64>, y: &[usize], w: &Array1<f64>, b: f64) -> usize {
    let p = x.dot(w) + b;
    p.iter()
        .zip(y)
        .filter(|&(&v, &t)| usize::from(v > 0.0) != t)
        .count()
}

fn check_data(x: ArrayView2<f64>, y: &[usize]) -> Result<(), NeuronError> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(NeuronError::Shape {
            what: "Perceptron training data".into(),
            expected: "at least one sample and one feature".into(),
            found: format!("shape [{}, {}]", x.nrows(), x.ncols()),
        });
    }
    if y.len() != x.nrows() {
        return Err(NeuronError::Shape {
            what: "Perceptron labels".into(),
            expected: format!("one label per sample ({})", x.nrows()),
            found: format!("{} labels", y.len()),
        });
    }
    if let Some((index, &label)) = y.iter().enumerate().find(|(_, &t)| t > 1) {
        return Err(NeuronError::Label { index, label });
    }
    if let Some((index, _)) = x
        .outer_iter()
        .enumerate()
        .find(|(_, row)| row.iter().any(|v| !v.is_finite()))
    {
        return Err(NeuronError::NonFinite {
            what: "a Perceptron input".into(),
            index,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    #[test]
    fn separable_points_are_learned_in_order_without_shuffling() {
        // Samples in order, η = 1: (1, 1) with class 1 first meets p = 0 ≤ 0 and
        // updates w = (1, 1), b = 1; then (−1, −1) class 0 has p = −1 < 0: correct.
        let x = array![[1.0, 1.0], [-1.0, -1.0]];
        let mut model = Perceptron::new().shuffle(false);
        let history = model.fit(x.view(), &[1, 0]).expect("valid data");
        assert_eq!(model.coef(), Some(&array![1.0, 1.0]));
        assert_eq!(model.intercept(), 1.0);
        assert_eq!(history.epochs[0].updates, 1);
        assert_eq!(history.epochs[1].updates, 0);
        // epoch 1 sets the best loss (0), epochs 2..6 fail to improve on it by tol.
        assert_eq!(model.n_iter(), 6);
        assert!(history.stopped_early);
    }

    #[test]
    fn labels_other_than_zero_and_one_are_rejected() {
        let x = array![[1.0], [2.0]];
        let err = Perceptron::new().fit(x.view(), &[0, 2]).unwrap_err();
        assert_eq!(err, NeuronError::Label { index: 1, label: 2 });
    }

    #[test]
    fn predict_before_fit_is_an_error() {
        let x = array![[1.0, 2.0]];
        assert_eq!(
            Perceptron::new().predict(x.view()),
            Err(NeuronError::NotFitted)
        );
    }

    #[test]
    fn nan_inputs_are_rejected() {
        let x = array![[1.0], [f64::NAN]];
        let err = Perceptron::new().fit(x.view(), &[0, 1]).unwrap_err();
        assert!(matches!(err, NeuronError::NonFinite { index: 1, .. }));
    }
}
