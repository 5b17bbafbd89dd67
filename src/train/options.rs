//! What `compile`, `fit` and `evaluate` take and give: `Compile`, `Fit`, `Evaluation`.

use ndarray::{CowArray, IxDyn};

use super::inputs::{IntoInputs, IntoTargets};

use crate::callbacks::Callback;
use crate::error::ModelError;
use crate::losses::{Loss, Targets};
use crate::optimizers::Optimizer;
use crate::progress::Verbose;

pub(crate) enum OptimizerSpec {
    Default,
    Name(String),
    Built(Box<dyn Optimizer>),
}

/// A loss as `compile` takes it: built, or a name that `compile` looks up.
pub(crate) type LossSpec = Result<Box<dyn Loss>, String>;

/// Metrics as `compile` takes them.
pub(crate) enum MetricsSpec {
    /// `metrics=["accuracy"]`: for a model with one output.
    Flat(Vec<String>),
    /// `metrics=[["mae"], []]`: one list per output.
    PerOutput(Vec<Vec<String>>),
}

/// What `compile` takes: a loss (one for every output, or one per output, with
/// `loss_weights`), an optimizer (RMSprop when none is named, as in Keras) and metrics.
pub struct Compile {
    pub(crate) losses: Vec<LossSpec>,
    pub(crate) loss_weights: Option<Vec<f32>>,
    pub(crate) optimizer: OptimizerSpec,
    pub(crate) metrics: MetricsSpec,
}

impl Compile {
    fn of(losses: Vec<LossSpec>) -> Self {
        Compile {
            losses,
            loss_weights: None,
            optimizer: OptimizerSpec::Default,
            metrics: MetricsSpec::Flat(Vec::new()),
        }
    }
    /// `compile(loss=name)`; the name is checked by `compile`. On a model with several
    /// outputs the same loss is attached to each, as in Keras.
    pub fn new(loss: &str) -> Self {
        Self::of(vec![Err(loss.to_string())])
    }
    /// `compile(loss=SomeLoss())`.
    pub fn with_loss(loss: impl Loss + 'static) -> Self {
        Self::of(vec![Ok(Box::new(loss))])
    }
    /// `compile(loss=["mse", "mse"])`: one loss per output, in output order.
    pub fn losses(names: &[&str]) -> Self {
        Self::of(names.iter().map(|n| Err(n.to_string())).collect())
    }
    /// `loss_weights=[0.9, 0.1]`: the loss minimised is Σ wᵢ·lossᵢ over the outputs
    /// (each weight 1 when not given). One finite weight per output.
    pub fn loss_weights(mut self, weights: &[f32]) -> Self {
        self.loss_weights = Some(weights.to_vec());
        self
    }
    /// `optimizer=SGD(learning_rate=0.1)`.
    pub fn optimizer(mut self, optimizer: impl Optimizer + 'static) -> Self {
        self.optimizer = OptimizerSpec::Built(Box::new(optimizer));
        self
    }
    /// `optimizer="adam"`.
    pub fn optimizer_name(mut self, name: &str) -> Self {
        self.optimizer = OptimizerSpec::Name(name.to_string());
        self
    }
    /// `metrics=["accuracy"]`, for a model with one output.
    pub fn metrics(mut self, names: &[&str]) -> Self {
        self.metrics = MetricsSpec::Flat(names.iter().map(|s| s.to_string()).collect());
        self
    }
    /// `metrics=[["mae"], ["mae"]]`: one list per output, in output order (an empty list
    /// for an output without metrics). History keys are the output's name, `_`, the
    /// metric's: `aux_output_mae`.
    pub fn output_metrics(mut self, per_output: &[&[&str]]) -> Self {
        self.metrics = MetricsSpec::PerOutput(
            per_output
                .iter()
                .map(|names| names.iter().map(|s| s.to_string()).collect())
                .collect(),
        );
        self
    }
}

/// `validation_data`: one array per input, and the targets of each output (or why they
/// could not be read).
pub(crate) type Validation<'a> = (
    Vec<CowArray<'a, f32, IxDyn>>,
    Result<Vec<Targets<'a>>, ModelError>,
);

/// What `fit` takes besides the data: epochs, batch size, validation data, verbosity and
/// callbacks.
pub struct Fit<'a> {
    pub(crate) epochs: usize,
    pub(crate) batch_size: usize,
    pub(crate) shuffle: bool,
    pub(crate) verbose: Verbose,
    pub(crate) validation: Option<Validation<'a>>,
    pub(crate) callbacks: Vec<&'a mut dyn Callback>,
}

impl<'a> Fit<'a> {
    /// `fit(..., epochs=epochs)` with Keras's defaults: batch 32, shuffle, verbose 1.
    pub fn new(epochs: usize) -> Self {
        Fit {
            epochs,
            batch_size: 32,
            shuffle: true,
            verbose: 1,
            validation: None,
            callbacks: Vec::new(),
        }
    }
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }
    /// 0 quiet, 1 progress bar, 2 one line per epoch.
    pub fn verbose(mut self, verbose: Verbose) -> Self {
        self.verbose = verbose;
        self
    }
    /// `validation_data=(x_val, y_val)`: evaluated after every epoch. x and y as `fit`
    /// takes them: `(&x_valid_a, &x_valid_b)` for two inputs, and so on.
    pub fn validation_data(mut self, x: impl IntoInputs<'a>, y: impl IntoTargets<'a>) -> Self {
        self.validation = Some((x.into_inputs(), y.into_targets()));
        self
    }
    /// `callbacks=[...]`: one more callback, run after those added before it. The caller
    /// keeps it, so it can read what the callback recorded once `fit` returns.
    pub fn callback(mut self, callback: &'a mut dyn Callback) -> Self {
        self.callbacks.push(callback);
        self
    }
}

/// What `evaluate` returns: the loss and each metric over the whole set. For a model
/// with several outputs, `loss` is the weighted total Σ wᵢ·lossᵢ and `metrics` begins
/// with each output's own (unweighted) loss in output order (`output_loss`,
/// `aux_output_loss`), then the per-output metrics sorted by key, as Keras 3's
/// `evaluate` lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub loss: f64,
    pub metrics: Vec<(String, f64)>,
}

impl Evaluation {
    /// Keras's list `[loss, metrics…]`: `[total, main loss, aux loss]` for HOML's model
    /// with an auxiliary output.
    pub fn values(&self) -> Vec<f64> {
        std::iter::once(self.loss)
            .chain(self.metrics.iter().map(|(_, v)| *v))
            .collect()
    }

    /// The figure of the metric named `name`.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }
}
