//! The threshold logic unit (TLU) and a perceptron layer of TLUs, with Rosenblatt's
//! perceptron learning rule (HOML 10, equations 10-1 to 10-3).
//!
//! Everything here is f64, like scikit-learn's `Perceptron`.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

use super::error::NeuronError;

// ANCHOR: steps
/// Heaviside step: 0 if z < 0, else 1.
pub fn heaviside(z: f64) -> f64 {
    if z < 0.0 {
        0.0
    } else {
        1.0
    }
}

/// Sign step: −1 if z < 0, 0 if z = 0, +1 if z > 0.
pub fn sign(z: f64) -> f64 {
    if z < 0.0 {
        -1.0
    } else if z > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// The step function a TLU applies to z = w·x + b.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Heaviside,
    Sign,
}

impl Step {
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Step::Heaviside => heaviside(z),
            Step::Sign => sign(z),
        }
    }
}
// ANCHOR_END: steps

// ANCHOR: tlu
/// A threshold logic unit: h(x) = step(w·x + b).
#[derive(Clone, Debug, PartialEq)]
pub struct Tlu {
    pub weights: Array1<f64>, // [n_inputs]
    pub bias: f64,
    pub step: Step,
}

impl Tlu {
    /// h(x) = step(w·x + b) for one sample x `[n_inputs]`.
    pub fn output(&self, x: ArrayView1<f64>) -> Result<f64, NeuronError> {
        check_len("TLU input", x.len(), self.weights.len())?;
        Ok(self.step.apply(self.weights.dot(&x) + self.bias))
    }
}
// ANCHOR_END: tlu

/// A layer of TLUs sharing the inputs: h(X) = step(X·W + b).
#[derive(Clone, Debug, PartialEq)]
pub struct PerceptronLayer {
    pub weights: Array2<f64>, // [n_inputs, units]
    pub bias: Array1<f64>,    // [units]
    pub step: Step,
}

impl PerceptronLayer {
    /// `units` TLUs on `n_inputs` inputs, all weights and biases zero.
    pub fn new(n_inputs: usize, units: usize, step: Step) -> Self {
        PerceptronLayer {
            weights: Array2::zeros((n_inputs, units)),
            bias: Array1::zeros(units),
            step,
        }
    }

    // ANCHOR: layer_forward
    /// Ŷ = step(X·W + b); X `[batch, n_inputs]` → Ŷ `[batch, units]`.
    pub fn forward(&self, x: ArrayView2<f64>) -> Result<Array2<f64>, NeuronError> {
        check_len(
            "perceptron layer input columns",
            x.ncols(),
            self.weights.nrows(),
        )?;
        let z = x.dot(&self.weights) + &self.bias; // [batch, units]
        Ok(z.mapv(|v| self.step.apply(v)))
    }
    // ANCHOR_END: layer_forward

    // ANCHOR: learning_rule
    /// One epoch of the perceptron learning rule, one sample at a time, in order:
    /// w_ij ← w_ij + η (y_j − ŷ_j) x_i, and b_j ← b_j + η (y_j − ŷ_j)
    /// (bias input x₀ = 1). Returns how many samples had at least one wrong output
    /// before their update.
    pub fn learn_epoch(
        &mut self,
        x: ArrayView2<f64>, // [batch, n_inputs]
        y: ArrayView2<f64>, // [batch, units]
        eta: f64,
    ) -> Result<usize, NeuronError> {
        check_len(
            "perceptron layer input columns",
            x.ncols(),
            self.weights.nrows(),
        )?;
        check_len(
            "perceptron layer target columns",
            y.ncols(),
            self.weights.ncols(),
        )?;
        check_len("perceptron layer target rows", y.nrows(), x.nrows())?;
        let mut mistakes = 0;
        for (xi, yi) in x.outer_iter().zip(y.outer_iter()) {
            let z = xi.dot(&self.weights) + &self.bias; // [units]
            let error = &yi - &z.mapv(|v| self.step.apply(v)); // y − ŷ, [units]
            if error.iter().any(|&e| e != 0.0) {
                mistakes += 1;
                let xi_col = xi.insert_axis(Axis(1)); // [n_inputs, 1]
                let e_row = error.view().insert_axis(Axis(0)); // [1, units]
                self.weights.scaled_add(eta, &xi_col.dot(&e_row));
                self.bias.scaled_add(eta, &error);
            }
        }
        Ok(mistakes)
    }
    // ANCHOR_END: learning_rule

    /// Runs `learn_epoch` until an epoch makes no mistake or `max_epochs` have run;
    /// returns the mistakes of each epoch.
    pub fn fit(
        &mut self,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        eta: f64,
        max_epochs: usize,
    ) -> Result<Vec<usize>, NeuronError> {
        let mut history = Vec::new();
        for _ in 0..max_epochs {
            let mistakes = self.learn_epoch(x, y, eta)?;
            history.push(mistakes);
            if mistakes == 0 {
                break;
            }
        }
        Ok(history)
    }
}

fn check_len(what: &str, found: usize, expected: usize) -> Result<(), NeuronError> {
    if found == expected {
        Ok(())
    } else {
        Err(NeuronError::Shape {
            what: what.into(),
            expected: expected.to_string(),
            found: found.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    #[test]
    fn heaviside_is_one_at_zero_and_sign_is_zero_at_zero() {
        assert_eq!(heaviside(0.0), 1.0);
        assert_eq!(heaviside(-1e-9), 0.0);
        assert_eq!(sign(0.0), 0.0);
        assert_eq!(sign(-3.0), -1.0);
        assert_eq!(sign(0.5), 1.0);
    }

    #[test]
    fn tlu_with_weights_one_one_and_bias_minus_one_and_a_half_is_and() {
        let tlu = Tlu {
            weights: array![1.0, 1.0],
            bias: -1.5,
            step: Step::Heaviside,
        };
        let outputs: Vec<f64> = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
            .iter()
            .map(|x| tlu.output(ArrayView1::from(x)).expect("two inputs"))
            .collect();
        assert_eq!(outputs, [0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn one_update_adds_eta_times_error_times_input() {
        // From zero weights, ŷ = heaviside(0) = 1 and y = 0, so the error is −1:
        // w = 0 + 0.5·(−1)·[2, 3] = [−1, −1.5], b = −0.5.
        let mut layer = PerceptronLayer::new(2, 1, Step::Heaviside);
        let mistakes = layer
            .learn_epoch(array![[2.0, 3.0]].view(), array![[0.0]].view(), 0.5)
            .expect("shapes match");
        assert_eq!(mistakes, 1);
        assert_eq!(layer.weights, array![[-1.0], [-1.5]]);
        assert_eq!(layer.bias, array![-0.5]);
    }

    #[test]
    fn wrong_input_width_is_an_error() {
        let layer = PerceptronLayer::new(3, 2, Step::Sign);
        assert!(layer.forward(array![[1.0, 2.0]].view()).is_err());
    }
}
