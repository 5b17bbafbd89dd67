//! The learning-rate finder of HOML 10 ("Learning rate") and 11 (`find_learning_rate`):
//! one run that multiplies the learning rate by a constant factor every batch, from a
//! tiny rate to a huge one, recording each batch's loss against its rate; the best rate
//! sits a little below where the loss turns and climbs.

use ndarray::ArrayView2;

use super::error::TuningError;
use crate::callbacks::{Callback, Context, Logs};
use crate::error::ModelError;
use crate::train::{Fit, Train};

/// HOML's `find_learning_rate(model, X, y, epochs=1, batch_size=32, min_rate=1e-5,
/// max_rate=10)`, which works with any optimizer that takes a constant rate:
///
/// ```text
/// iterations = ⌈n / batch_size⌉ · epochs
/// factor     = exp(ln(max_rate / min_rate) / iterations)
/// rate_i     = min_rate · factor^i            for batch i = 0, 1, …
/// ```
///
/// Each batch's loss Lᵢ (weights before its update) is recovered from the running mean
/// mᵢ that `fit` logs over the sᵢ samples seen so far in the epoch: Lᵢ = (mᵢ·sᵢ −
/// mᵢ₋₁·sᵢ₋₁) / (sᵢ − sᵢ₋₁), as the note beside HOML's `ExponentialLearningRate`
/// (notebook 11) advises since Keras logs running means. The run stops when the loss
/// explodes: a non-finite loss (not recorded), or an exponential average êᵢ (β = 0.9,
/// bias-corrected: eᵢ = β·eᵢ₋₁ + (1−β)·Lᵢ, êᵢ = eᵢ/(1−β^{i+1})) above
/// `stop_factor` × its lowest value so far. As HOML, the model's weights, optimizer state
/// (learning rate included) and shuffle position are put back afterwards, so the model
/// trains next as if the finder had not run.
#[derive(Debug, Clone, PartialEq)]
pub struct LrFinder {
    min_rate: f64,
    max_rate: f64,
    epochs: usize,
    batch_size: usize,
    stop_factor: f64,
}

impl Default for LrFinder {
    fn default() -> Self {
        Self::new()
    }
}

impl LrFinder {
    /// HOML's defaults: 1e-5 to 10 over one epoch of batches of 32; stop at 4× the lowest
    /// smoothed loss.
    pub fn new() -> Self {
        LrFinder {
            min_rate: 1e-5,
            max_rate: 10.0,
            epochs: 1,
            batch_size: 32,
            stop_factor: 4.0,
        }
    }
    /// The rates swept: from `min_rate` up towards `max_rate`.
    pub fn rates(mut self, min_rate: f64, max_rate: f64) -> Self {
        (self.min_rate, self.max_rate) = (min_rate, max_rate);
        self
    }
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// Stop once the smoothed loss exceeds this many times its lowest value (> 1).
    pub fn stop_factor(mut self, stop_factor: f64) -> Self {
        self.stop_factor = stop_factor;
        self
    }

    fn validate(&self) -> Result<(), TuningError> {
        let bad = |what: &str, why: String| {
            Err(TuningError::Config {
                what: what.to_string(),
                why,
            })
        };
        if !(self.min_rate > 0.0
            && self.min_rate < self.max_rate
            && self.max_rate.is_finite())
        {
            return bad(
                "learning-rate finder rates",
                format!(
                    "need 0 < min_rate < max_rate, both finite, got {} and {}",
                    self.min_rate, self.max_rate
                ),
            );
        }
        if self.epochs == 0 || self.batch_size == 0 {
            return bad(
                "learning-rate finder",
                format!(
                    "epochs ({}) and batch_size ({}) must be at least 1",
                    self.epochs, self.batch_size
                ),
            );
        }
        if self.stop_factor.is_nan() || self.stop_factor <= 1.0 {
            return bad(
                "stop_factor",
                format!("must be above 1, got {}", self.stop_factor),
            );
        }
        Ok(())
    }

    /// Sweeps the rates over (x, y) on a compiled `model`, and returns the curve. The
    /// model comes back as it went in.
    pub fn run<M: Train>(
        &self,
        model: &mut M,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
    ) -> Result<LrCurve, TuningError> {
        self.validate()?;
        super::regressor::check_rows("learning-rate finder", x, y)?;
        let n = x.nrows();
        let iterations = n.div_ceil(self.batch_size) * self.epochs;
        let factor = ((self.max_rate / self.min_rate).ln() / iterations as f64).exp();
        let weights = model.get_weights();
        let state = model.training_state().ok_or_else(|| {
            ModelError::Usage(
                "call model.compile(...) before the learning-rate finder".into(),
            )
        })?;
        let mut sweep = Sweep {
            min_rate: self.min_rate,
            factor,
            n,
            batch_size: self.batch_size,
            stop_factor: self.stop_factor,
            step: 0,
            prev_sum: 0.0,
            ema: 0.0,
            lowest: f64::INFINITY,
            rates: Vec::with_capacity(iterations),
            losses: Vec::with_capacity(iterations),
            stopped: false,
        };
        let fit = Fit::new(self.epochs)
            .batch_size(self.batch_size)
            .verbose(0)
            .callback(&mut sweep);
        let result = model.fit(&x, &y, fit);
        // put the model back whatever happened
        model.set_weights(&weights)?;
        model.set_training_state(&state)?;
        result?;
        Ok(LrCurve::new(sweep.rates, sweep.losses, sweep.stopped))
    }
}

/// The callback that raises the rate and records the losses.
struct Sweep {
    min_rate: f64,
    factor: f64,
    n: usize,
    batch_size: usize,
    stop_factor: f64,
    /// Batches run so far, over all epochs.
    step: usize,
    /// mᵢ₋₁·sᵢ₋₁: the epoch's loss sum before this batch.
    prev_sum: f64,
    ema: f64,
    lowest: f64,
    rates: Vec<f64>,
    losses: Vec<f64>,
    stopped: bool,
}

const BETA: f64 = 0.9;

impl Sweep {
    /// The rate of batch i, as the f32 the optimizer uses.
    fn rate(&self, i: usize) -> f32 {
        (self.min_rate * self.factor.powi(i as i32)) as f32
    }
}

impl Callback for Sweep {
    fn on_epoch_begin(
        &mut self,
        _epoch: usize,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.prev_sum = 0.0;
        Ok(())
    }

    fn on_train_batch_begin(
        &mut self,
        _batch: usize,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        ctx.optimizer().set_learning_rate(self.rate(self.step))
    }

    // ANCHOR: sweep
    fn on_train_batch_end(
        &mut self,
        batch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let mean = logs.get("loss").unwrap_or(f64::NAN);
        let (seen_before, seen) = (
            batch * self.batch_size,
            ((batch + 1) * self.batch_size).min(self.n),
        );
        let sum = mean * seen as f64;
        let loss = (sum - self.prev_sum) / (seen - seen_before) as f64;
        self.prev_sum = sum;
        let i = self.losses.len();
        if !loss.is_finite() {
            self.stopped = true;
            ctx.stop_training();
            return Ok(());
        }
        self.rates.push(f64::from(self.rate(self.step)));
        self.losses.push(loss);
        self.step += 1;
        self.ema = BETA * self.ema + (1.0 - BETA) * loss;
        let smoothed = self.ema / (1.0 - BETA.powi(i as i32 + 1));
        self.lowest = self.lowest.min(smoothed);
        if smoothed > self.stop_factor * self.lowest {
            self.stopped = true;
            ctx.stop_training();
        }
        Ok(())
    }
    // ANCHOR_END: sweep
}

/// The loss of each batch against its learning rate, and HOML's reading of it.
#[derive(Debug, Clone, PartialEq)]
pub struct LrCurve {
    /// The rate of each batch, rising by a constant factor.
    pub rates: Vec<f64>,
    /// Each batch's loss, on the weights before its update.
    pub losses: Vec<f64>,
    /// The losses smoothed by a centred moving average over ±`WINDOW` batches (fewer at
    /// the ends): no lag, so its lowest point sits at the rate where it really turns.
    pub smoothed: Vec<f64>,
    /// Whether the loss exploded before the last rate.
    pub stopped_early: bool,
}

/// Half-width of the centred moving average.
pub const WINDOW: usize = 5;

impl LrCurve {
    fn new(rates: Vec<f64>, losses: Vec<f64>, stopped_early: bool) -> Self {
        let n = losses.len();
        let smoothed = (0..n)
            .map(|i| {
                let (lo, hi) = (i.saturating_sub(WINDOW), (i + WINDOW + 1).min(n));
                losses[lo..hi].iter().sum::<f64>() / (hi - lo) as f64
            })
            .collect();
        LrCurve {
            rates,
            losses,
            smoothed,
            stopped_early,
        }
    }

    /// Where the loss stops falling and starts to climb: the rate and smoothed loss at
    /// the smoothed curve's lowest point. `None` for an empty curve.
    pub fn turning_point(&self) -> Option<(f64, f64)> {
        let i = (0..self.smoothed.len())
            .min_by(|&a, &b| self.smoothed[a].total_cmp(&self.smoothed[b]))?;
        Some((self.rates[i], self.smoothed[i]))
    }

    /// HOML's rule: "the optimal learning rate is about half of the maximum learning
    /// rate" (chapter 10, "Learning rate"), as its exercise reads the curve ("the loss
    /// starts shooting back up … so let's try using half of that"): half the rate of the
    /// turning point. (HOML's text also offers "typically about 10 times lower than the
    /// turning point" for a longer training run.)
    pub fn suggestion(&self) -> Option<f64> {
        self.turning_point().map(|(rate, _)| rate / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_turning_point_is_the_lowest_point_of_the_centred_average_and_the_rule_halves_it(
    ) {
        // a loss that falls as 1/rate, then climbs: lowest at rate 2^10
        let rates: Vec<f64> = (0..30).map(|i| 2f64.powi(i)).collect();
        let losses: Vec<f64> = (0..30)
            .map(|i: i32| 1.0 + ((i - 10) as f64).powi(2))
            .collect();
        let curve = LrCurve::new(rates, losses, true);
        let (rate, _) = curve.turning_point().unwrap();
        assert_eq!(rate, 1024.0);
        assert_eq!(curve.suggestion(), Some(512.0));
        // the average of 11 at the ends takes what there is: losses[0..6]
        let head: f64 = (0..6)
            .map(|i: i32| 1.0 + ((i - 10) as f64).powi(2))
            .sum::<f64>()
            / 6.0;
        assert_eq!(curve.smoothed[0], head);
        assert_eq!(LrCurve::new(vec![], vec![], false).suggestion(), None);
    }

    #[test]
    fn rates_not_rising_from_a_positive_start_are_an_error() {
        for (lo, hi) in [(1e-2, 1e-3), (0.0, 1.0), (1e-5, f64::INFINITY)] {
            let e = LrFinder::new()
                .rates(lo, hi)
                .validate()
                .unwrap_err()
                .to_string();
            assert!(e.contains("0 < min_rate < max_rate"), "{e}");
        }
        assert!(LrFinder::new().epochs(0).validate().is_err());
        assert!(LrFinder::new().stop_factor(1.0).validate().is_err());
    }
}
