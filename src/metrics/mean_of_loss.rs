//! A loss used as a metric (`metrics=["mae"]`): the sample-weighted mean of the
//! per-batch loss over everything seen since the reset, as Keras's `MeanMetricWrapper`.

use ndarray::ArrayView2;

use super::metric::ratio;
use super::Metric;
use crate::losses::{weighted_sum, Loss, Targets};

/// Mean over samples of `sign · loss` (sign −1 turns the cosine-similarity loss into
/// Keras's cosine-similarity metric, which is +cos).
pub struct MeanOfLoss {
    name: String,
    loss: Box<dyn Loss>,
    sign: f64,
    /// Σ w·sign·ℓ and Σ w over the samples seen (w = 1 without sample weights).
    total: f64,
    seen: f64,
}

impl MeanOfLoss {
    /// `name` is the History key (the name the user asked for, as in Keras).
    pub fn new(name: &str, loss: Box<dyn Loss>, sign: f64) -> Self {
        MeanOfLoss {
            name: name.to_string(),
            loss,
            sign,
            total: 0.0,
            seen: 0.0,
        }
    }
}

impl Metric for MeanOfLoss {
    fn name(&self) -> &str {
        &self.name
    }
    fn reset(&mut self) {
        (self.total, self.seen) = (0.0, 0.0);
    }
    fn update(&mut self, y_pred: ArrayView2<f32>, y_true: &Targets) {
        let batch = y_pred.nrows();
        if batch > 0 {
            self.total += self.sign * self.loss.value(y_pred, y_true) * batch as f64;
            self.seen += batch as f64;
        }
    }
    fn result(&self) -> f64 {
        ratio(self.total, self.seen)
    }
    fn takes_sample_weight(&self) -> bool {
        true
    }
    fn update_weighted(
        &mut self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        weights: &[f32],
    ) {
        let loss = self.loss.as_ref();
        self.total +=
            self.sign * weighted_sum(y_pred, y_true, weights, |p, y| loss.value(p, y));
        self.seen += weights.iter().map(|&w| f64::from(w)).sum::<f64>();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::losses::MeanAbsoluteError;
    use approx::assert_abs_diff_eq;
    use ndarray::array;

    #[test]
    fn a_loss_metric_weights_batches_by_their_size() {
        // batch 1 (2 samples): MAE (1 + 3)/2 = 2; batch 2 (1 sample): MAE 5.
        // (2·2 + 5·1)/3 = 3 — not (2 + 5)/2 = 3.5.
        let mut m = MeanOfLoss::new("mae", Box::new(MeanAbsoluteError), 1.0);
        let (y1, y2) = (array![[0.0f32], [0.0]], array![[0.0f32]]);
        m.update(array![[1.0f32], [-3.0]].view(), &Targets::Dense(y1.view()));
        m.update(array![[5.0f32]].view(), &Targets::Dense(y2.view()));
        assert_abs_diff_eq!(m.result(), 3.0, epsilon = 1e-12);
        assert_eq!(m.name(), "mae");
    }
}
