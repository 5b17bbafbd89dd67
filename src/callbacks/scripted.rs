//! Drives a callback's hooks with hand-made logs, as `fit` would, without training: the
//! unit tests of the callbacks run on it.

use ndarray::ArrayD;

use super::{Callback, Context, Logs};
use crate::activations::Activation;
use crate::error::ModelError;
use crate::layers::Dense;
use crate::model::{Model, Sequential};
use crate::optimizers::{Optimizer, SGD};

/// A built Dense(2) on 3 inputs, an optimizer and the stop flag `fit` would keep.
pub(crate) struct Script {
    pub model: Sequential,
    pub optimizer: Box<dyn Optimizer>,
    pub stop: bool,
}

impl Script {
    pub fn new() -> Self {
        Self::with_optimizer(Box::new(SGD::new()))
    }

    pub fn with_optimizer(optimizer: Box<dyn Optimizer>) -> Self {
        let mut model = Sequential::new(42);
        model.add(
            Dense::new(2)
                .activation(Activation::Softmax)
                .input_shape(&[3]),
        );
        model.build().expect("a Dense(2) on 3 inputs builds");
        Script {
            model,
            optimizer,
            stop: false,
        }
    }

    /// A context as `fit(epochs)` gives its hooks, one batch per epoch.
    pub fn ctx(&mut self, epochs: usize) -> Context<'_> {
        Context::new(
            &mut self.model,
            self.optimizer.as_mut(),
            &mut self.stop,
            epochs,
            1,
        )
    }

    /// Every weight of the model set to `value`: makes each epoch's weights tell apart.
    pub fn mark_weights(&mut self, value: f32) {
        let marked: Vec<ArrayD<f32>> = self
            .model
            .get_weights()
            .iter()
            .map(|w| ArrayD::from_elem(w.shape(), value))
            .collect();
        self.model.set_weights(&marked).expect("same shapes");
    }

    /// The value every weight holds, if they all hold the same one.
    pub fn marked(&self) -> Option<f32> {
        let weights = self.model.get_weights();
        let first = *weights.first()?.iter().next()?;
        weights
            .iter()
            .all(|w| w.iter().all(|&v| v == first))
            .then_some(first)
    }

    /// Runs `cb` as `fit` would over one epoch per value, the epoch logs holding `key`
    /// = that value (and `loss`), with the weights marked with the epoch number before
    /// `on_epoch_end`; stops when the callback asks. Returns the epochs run.
    pub fn run(
        &mut self,
        cb: &mut dyn Callback,
        key: &str,
        values: &[f64],
    ) -> Result<usize, ModelError> {
        let epochs = values.len();
        cb.on_train_begin(&mut self.ctx(epochs))?;
        let mut logs = Logs::new();
        let mut run = 0;
        for (epoch, &value) in values.iter().enumerate() {
            cb.on_epoch_begin(epoch, &mut self.ctx(epochs))?;
            self.mark_weights(epoch as f32);
            logs = [("loss", 1.0), (key, value)].into_iter().collect();
            cb.on_epoch_end(epoch, &logs, &mut self.ctx(epochs))?;
            run += 1;
            if self.stop {
                break;
            }
        }
        cb.on_train_end(&logs, &mut self.ctx(epochs))?;
        Ok(run)
    }
}
