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
///
/// `compile`, then `fit` with [`Fit`], on XOR (four points, labels 0 and 1):
///
/// ```
/// use annlab::prelude::*;
///
/// # fn main() -> Result<(), ModelError> {
/// let x = array![[0.0f32, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]; // [4, 2]
/// let y = vec![0usize, 1, 1, 0];
/// let mut model = Sequential::new(42);
/// model.add(Dense::new(8).activation(Activation::Tanh).input_shape(&[2]));
/// model.add(Dense::new(2).activation(Activation::Softmax));
/// // model.compile(loss="sparse_categorical_crossentropy",
/// //               optimizer=Adam(learning_rate=0.05), metrics=["accuracy"])
/// model.compile(
///     Compile::new("sparse_categorical_crossentropy")
///         .optimizer(Adam::new().learning_rate(0.05))
///         .metrics(&["accuracy"]),
/// )?;
/// // model.fit(x, y, epochs=200, batch_size=4, verbose=0)
/// let history = model.fit(&x, &y, Fit::new(200).batch_size(4).verbose(0))?;
/// let loss = history.get("loss").expect("fit logs the loss");
/// assert!(loss[199] < 0.1 * loss[0], "the loss fell from {} to {}", loss[0], loss[199]);
/// assert_eq!(history.last("accuracy"), Some(1.0)); // all four points right
/// # Ok(())
/// # }
/// ```
pub struct Compile {
    pub(crate) losses: Vec<LossSpec>,
    pub(crate) loss_weights: Option<Vec<f32>>,
    pub(crate) optimizer: OptimizerSpec,
    pub(crate) metrics: MetricsSpec,
    pub(crate) weighted_metrics: Vec<String>,
}

impl Compile {
    fn of(losses: Vec<LossSpec>) -> Self {
        Compile {
            losses,
            loss_weights: None,
            optimizer: OptimizerSpec::Default,
            metrics: MetricsSpec::Flat(Vec::new()),
            weighted_metrics: Vec::new(),
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
    /// `weighted_metrics=["accuracy"]`, for a model with one output: metrics that weigh
    /// each sample by `Fit::sample_weight` / `class_weight` (Σ w·v / Σ w), as Keras 3
    /// does — its plain `metrics` ignore the sample weights. Logged under the metric's
    /// name, or `weighted_<name>` when `metrics` lists it too (Keras's keys).
    pub fn weighted_metrics(mut self, names: &[&str]) -> Self {
        self.weighted_metrics = names.iter().map(|s| s.to_string()).collect();
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

/// Keras's `sample_weight`: one weight per sample, shared by every output (one array) or
/// given per output (one array per output).
pub(crate) type SampleWeights = Vec<Vec<f32>>;

/// What `fit` takes besides the data: epochs, batch size, validation data, verbosity,
/// callbacks and sample or class weights.
pub struct Fit<'a> {
    pub(crate) epochs: usize,
    pub(crate) batch_size: usize,
    pub(crate) shuffle: bool,
    pub(crate) verbose: Verbose,
    pub(crate) validation: Option<Validation<'a>>,
    pub(crate) callbacks: Vec<&'a mut dyn Callback>,
    pub(crate) sample_weight: Option<SampleWeights>,
    pub(crate) class_weight: Option<Vec<(usize, f32)>>,
    pub(crate) validation_weight: Option<SampleWeights>,
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
            sample_weight: None,
            class_weight: None,
            validation_weight: None,
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
    pub fn validation_data(
        mut self,
        x: impl IntoInputs<'a>,
        y: impl IntoTargets<'a>,
    ) -> Self {
        self.validation = Some((x.into_inputs(), y.into_targets()));
        self
    }
    /// `sample_weight=w`: one weight wᵢ ≥ 0 per sample of x (zero drops the sample from
    /// the loss), shared by every output. A batch's loss is Keras 3's
    /// "sum_over_batch_size": Σᵢ wᵢ·ℓᵢ / B over its B samples (so the gradient of sample
    /// i is scaled by wᵢ); the weight regularizers' penalty is added once, unweighted.
    /// `Compile::metrics` ignore the weights, as Keras's do; `Compile::weighted_metrics`
    /// use them. Not with `class_weight`.
    pub fn sample_weight(mut self, w: &ndarray::Array1<f32>) -> Self {
        self.sample_weight = Some(vec![w.to_vec()]);
        self
    }
    /// `sample_weight=[w_main, w_aux]`: one weight array per output, in output order.
    pub fn output_sample_weights(mut self, ws: &[&ndarray::Array1<f32>]) -> Self {
        self.sample_weight = Some(ws.iter().map(|w| w.to_vec()).collect());
        self
    }
    /// `class_weight={0: 1.0, 1: 5.0}`: sample i's weight is that of its class (the
    /// integer label, the arg-max of a one-hot row, or a single column rounded), 1 for a
    /// class not listed; classes listed that no label has are ignored — Keras 3's
    /// `class_weight_to_sample_weights`. For a model with one output; not with
    /// `sample_weight`. The training data only: validation is unweighted, as in Keras.
    pub fn class_weight(mut self, weights: &[(usize, f32)]) -> Self {
        self.class_weight = Some(weights.to_vec());
        self
    }
    /// `validation_data=(x_val, y_val, w_val)`: validation data with one weight per
    /// sample, shared by every output; `val_loss` and the weighted metrics use them.
    pub fn validation_data_weighted(
        mut self,
        x: impl IntoInputs<'a>,
        y: impl IntoTargets<'a>,
        w: &ndarray::Array1<f32>,
    ) -> Self {
        self.validation = Some((x.into_inputs(), y.into_targets()));
        self.validation_weight = Some(vec![w.to_vec()]);
        self
    }
    /// `callbacks=[...]`: one more callback, run after those added before it. The caller
    /// keeps it, so it can read what the callback recorded once `fit` returns.
    pub fn callback(mut self, callback: &'a mut dyn Callback) -> Self {
        self.callbacks.push(callback);
        self
    }
}

/// What `evaluate_with` takes besides the data: `model.evaluate(x, y, batch_size=…,
/// verbose=…, sample_weight=w)`. `Evaluate::new()` is Keras's default: batch 32,
/// verbose 1, no weights.
pub struct Evaluate {
    pub(crate) batch_size: usize,
    pub(crate) verbose: Verbose,
    pub(crate) sample_weight: Option<SampleWeights>,
}

impl Default for Evaluate {
    fn default() -> Self {
        Self::new()
    }
}

impl Evaluate {
    pub fn new() -> Self {
        Evaluate {
            batch_size: 32,
            verbose: 1,
            sample_weight: None,
        }
    }
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// 0 quiet, 1 progress bar, 2 one line.
    pub fn verbose(mut self, verbose: Verbose) -> Self {
        self.verbose = verbose;
        self
    }
    /// `sample_weight=w`: one weight wᵢ ≥ 0 per sample, shared by every output; each
    /// batch's loss is Σᵢ wᵢ·ℓᵢ / B, as in `Fit::sample_weight`.
    pub fn sample_weight(mut self, w: &ndarray::Array1<f32>) -> Self {
        self.sample_weight = Some(vec![w.to_vec()]);
        self
    }
    /// One weight array per output, in output order.
    pub fn output_sample_weights(mut self, ws: &[&ndarray::Array1<f32>]) -> Self {
        self.sample_weight = Some(ws.iter().map(|w| w.to_vec()).collect());
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
