//! What `compile`, `fit` and `evaluate` take and give: `Compile`, `Fit`, `Evaluation`,
//! and the `AsTargets` conversion for labels and dense targets.

use ndarray::{Array2, ArrayBase, ArrayView2, Data, Dimension};

use crate::callbacks::Callback;
use crate::error::ModelError;
use crate::losses::{Loss, Targets};
use crate::optimizers::Optimizer;
use crate::progress::Verbose;

/// Anything `fit` and `evaluate` take as targets: integer labels or dense rows.
pub trait AsTargets {
    /// The targets as a view; labels must be contiguous in memory.
    fn as_targets(&self) -> Result<Targets<'_>, ModelError>;
}

fn labels<'a>(slice: Option<&'a [usize]>) -> Result<Targets<'a>, ModelError> {
    slice.map(Targets::Labels).ok_or_else(|| ModelError::Data {
        what: "labels".into(),
        expected: "a contiguous array of labels".into(),
        found: "a strided view: pass labels.to_vec() or labels.as_standard_layout()".into(),
    })
}

impl AsTargets for ndarray::Array1<usize> {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        labels(self.as_slice())
    }
}
impl AsTargets for Vec<usize> {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        Ok(Targets::Labels(self))
    }
}
impl AsTargets for [usize] {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        Ok(Targets::Labels(self))
    }
}
impl AsTargets for Array2<f32> {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        Ok(Targets::Dense(self.view()))
    }
}
impl AsTargets for ArrayView2<'_, f32> {
    fn as_targets(&self) -> Result<Targets<'_>, ModelError> {
        Ok(Targets::Dense(self.view()))
    }
}

pub(crate) enum OptimizerSpec {
    Default,
    Name(String),
    Built(Box<dyn Optimizer>),
}

/// What `compile` takes: a loss, an optimizer (RMSprop when none is named, as in Keras)
/// and metrics.
pub struct Compile {
    pub(crate) loss: Result<Box<dyn Loss>, String>,
    pub(crate) optimizer: OptimizerSpec,
    pub(crate) metrics: Vec<String>,
}

impl Compile {
    /// `compile(loss=name)`; the name is checked by `compile`.
    pub fn new(loss: &str) -> Self {
        Compile {
            loss: Err(loss.to_string()),
            optimizer: OptimizerSpec::Default,
            metrics: Vec::new(),
        }
    }
    /// `compile(loss=SomeLoss())`.
    pub fn with_loss(loss: impl Loss + 'static) -> Self {
        Compile {
            loss: Ok(Box::new(loss)),
            optimizer: OptimizerSpec::Default,
            metrics: Vec::new(),
        }
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
    /// `metrics=["accuracy"]`.
    pub fn metrics(mut self, names: &[&str]) -> Self {
        self.metrics = names.iter().map(|s| s.to_string()).collect();
        self
    }
}

/// What `fit` takes besides the data: epochs, batch size, validation data, verbosity and
/// callbacks.
pub struct Fit<'a> {
    pub(crate) epochs: usize,
    pub(crate) batch_size: usize,
    pub(crate) shuffle: bool,
    pub(crate) verbose: Verbose,
    pub(crate) validation: Option<(
        ndarray::ArrayViewD<'a, f32>,
        Result<Targets<'a>, ModelError>,
    )>,
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
    /// `validation_data=(x_val, y_val)`: evaluated after every epoch.
    pub fn validation_data<S, D, T>(mut self, x: &'a ArrayBase<S, D>, y: &'a T) -> Self
    where
        S: Data<Elem = f32>,
        D: Dimension,
        T: AsTargets + ?Sized,
    {
        self.validation = Some((x.view().into_dyn(), y.as_targets()));
        self
    }
    /// `callbacks=[...]`: one more callback, run after those added before it. The caller
    /// keeps it, so it can read what the callback recorded once `fit` returns.
    pub fn callback(mut self, callback: &'a mut dyn Callback) -> Self {
        self.callbacks.push(callback);
        self
    }
}

/// What `evaluate` returns: the loss and each metric over the whole set.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub loss: f64,
    pub metrics: Vec<(String, f64)>,
}

impl Evaluation {
    /// The figure of the metric named `name`.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }
}
