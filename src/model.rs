//! `Sequential`: a stack of layers with Keras's compile / fit / evaluate / predict / summary.

use std::time::Instant;

use ndarray::{Array2, ArrayBase, ArrayView2, ArrayViewMut2, Axis, Data, Dimension};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::activations::Activation;
use crate::error::{shape_str, ModelError};
use crate::history::History;
use crate::layers::{Layer, Param};
use crate::losses::{self, Loss, Targets};
use crate::metrics::{self, Metric};
use crate::optimizers::{self, Optimizer, RMSprop};
use crate::progress::{ProgressBar, Verbose};
use crate::summary;

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

enum OptimizerSpec {
    Default,
    Name(String),
    Built(Box<dyn Optimizer>),
}

/// What `compile` takes: a loss, an optimizer (RMSprop when none is named, as in Keras)
/// and metrics.
pub struct Compile {
    loss: Result<Box<dyn Loss>, String>,
    optimizer: OptimizerSpec,
    metrics: Vec<String>,
}

impl Compile {
    /// `compile(loss=name)`; the name is checked by `Sequential::compile`.
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

/// What `fit` takes besides the data: epochs, batch size, validation data, verbosity.
pub struct Fit<'a> {
    epochs: usize,
    batch_size: usize,
    shuffle: bool,
    verbose: Verbose,
    validation: Option<(
        ndarray::ArrayViewD<'a, f32>,
        Result<Targets<'a>, ModelError>,
    )>,
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

struct Compiled {
    /// The activation (softmax or sigmoid) the last layer ends in when the loss reads
    /// its logits instead of its output, as Keras does: exact, and never a lost gradient.
    fused: Option<Activation>,
    loss: Box<dyn Loss>,
    optimizer: Box<dyn Optimizer>,
    metrics: Vec<Box<dyn Metric>>,
}

impl Compiled {
    /// The mean loss from the output layer's logits z, and ∂loss/∂z into `grad` when
    /// given; `None` when the loss is not fused with the output activation.
    fn loss_from_logits(
        &self,
        z: ArrayView2<f32>,
        y: &Targets,
        grad: Option<ArrayViewMut2<f32>>,
    ) -> Option<f64> {
        match self.fused? {
            Activation::Softmax => self.loss.softmax_logits(z, y, grad),
            Activation::Sigmoid => self.loss.sigmoid_logits(z, y, grad),
            _ => None,
        }
    }
}

/// A linear stack of layers, as `keras.Sequential`.
pub struct Sequential {
    seed: u64,
    layers: Vec<Box<dyn Layer>>,
    names: Vec<String>,
    /// shapes[0] is the input shape, shapes[i + 1] the output of layer i
    shapes: Vec<Vec<usize>>,
    built: bool,
    compiled: Option<Compiled>,
    shuffle_rng: ChaCha8Rng,
    /// acts[0] is the batch input, acts[i + 1] the output of layer i: [batch, features]
    acts: Vec<Array2<f32>>,
    /// grads[i] = dL/d acts[i]
    grads: Vec<Array2<f32>>,
    /// needs_grad_x[i]: some layer before i has parameters, so layer i must pass dL/dx back
    needs_grad_x: Vec<bool>,
    label_buf: Vec<usize>,
    dense_buf: Array2<f32>,
}

impl Sequential {
    /// An empty model. `seed` fixes the initial weights and every epoch's shuffle:
    /// the same seed gives bit-identical figures run after run on the same machine
    /// (another CPU may pick other matrix-product kernels and round differently).
    pub fn new(seed: u64) -> Self {
        let mut shuffle_rng = ChaCha8Rng::seed_from_u64(seed);
        shuffle_rng.set_stream(1);
        Sequential {
            seed,
            layers: Vec::new(),
            names: Vec::new(),
            shapes: Vec::new(),
            built: false,
            compiled: None,
            shuffle_rng,
            acts: Vec::new(),
            grads: Vec::new(),
            needs_grad_x: Vec::new(),
            label_buf: Vec::new(),
            dense_buf: Array2::zeros((0, 0)),
        }
    }

    /// Appends a layer; the first one must declare its input shape. The model is built
    /// again (fresh weights) and must be compiled again before training.
    pub fn add(&mut self, layer: impl Layer + 'static) {
        let kind = layer.kind();
        let base = snake_case(kind);
        let count = self.layers.iter().filter(|l| l.kind() == kind).count();
        let name = if count == 0 {
            base
        } else {
            format!("{base}_{count}")
        };
        self.layers.push(Box::new(layer));
        self.names.push(name);
        self.built = false;
        self.compiled = None;
    }

    /// The layers, in order.
    pub fn layers(&self) -> &[Box<dyn Layer>] {
        &self.layers
    }

    /// Creates every layer's parameters and checks that each layer accepts the shape
    /// the one before gives it. `compile`, `fit` and `summary` build when needed.
    pub fn build(&mut self) -> Result<(), ModelError> {
        if self.built {
            return Ok(());
        }
        let first = self.layers.first().ok_or_else(|| {
            ModelError::Usage("the model has no layers: add some with model.add(...)".into())
        })?;
        let input = first
            .declared_input_shape()
            .map(<[usize]>::to_vec)
            .ok_or_else(|| {
                ModelError::Usage(format!(
                    "the first layer ({}) declares no input shape: use e.g. \
                 Flatten::new().input_shape(&[28, 28]) or Dense::new(10).input_shape(&[784])",
                    self.names[0]
                ))
            })?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        self.shapes = vec![input];
        for (layer, name) in self.layers.iter_mut().zip(&self.names) {
            let input = self.shapes.last().expect("input shape pushed first");
            let output = layer.build(input, &mut rng).map_err(|e| match e {
                ModelError::Shape {
                    kind,
                    expected,
                    found,
                    ..
                } => ModelError::Shape {
                    layer: name.clone(),
                    kind,
                    expected,
                    found,
                },
                other => other,
            })?;
            self.shapes.push(output);
        }
        let mut seen_params = false;
        self.needs_grad_x = self
            .layers
            .iter()
            .map(|l| {
                let needs = seen_params;
                seen_params |= l.param_count() > 0;
                needs
            })
            .collect();
        self.acts.clear();
        self.grads.clear();
        self.built = true;
        Ok(())
    }

    /// The per-sample input shape, e.g. `[28, 28]` (after `build`).
    pub fn input_shape(&self) -> Option<&[usize]> {
        self.shapes.first().map(Vec::as_slice)
    }

    /// Number of outputs per sample (after `build`).
    pub fn output_size(&self) -> usize {
        self.shapes.last().map_or(0, |s| s.iter().product())
    }

    /// Total number of trainable parameters.
    pub fn param_count(&self) -> usize {
        self.layers.iter().map(|l| l.param_count()).sum()
    }

    /// Keras's `model.summary()` as a string: one row per layer, then the totals.
    pub fn summary(&mut self) -> Result<String, ModelError> {
        self.build()?;
        let rows: Vec<summary::Row> = self
            .layers
            .iter()
            .zip(&self.names)
            .zip(&self.shapes[1..])
            .map(|((layer, name), shape)| summary::Row {
                name: name.clone(),
                kind: layer.kind(),
                output_shape: shape_str(shape, true),
                params: layer.param_count(),
            })
            .collect();
        Ok(summary::render("sequential", &rows, self.param_count(), 0))
    }

    /// Chooses the loss, optimizer and metrics. Unknown names are errors listing the
    /// known ones.
    pub fn compile(&mut self, spec: Compile) -> Result<(), ModelError> {
        self.build()?;
        let loss = match spec.loss {
            Ok(loss) => loss,
            Err(name) => losses::from_name(&name)?,
        };
        let optimizer = match spec.optimizer {
            OptimizerSpec::Default => Box::new(RMSprop::new()),
            OptimizerSpec::Name(name) => optimizers::from_name(&name)?,
            OptimizerSpec::Built(opt) => opt,
        };
        optimizer.validate()?;
        let metrics = spec
            .metrics
            .iter()
            .map(|name| metrics::from_name(name))
            .collect::<Result<Vec<_>, _>>()?;
        let last = self.layers.last().expect("built model has layers");
        let act = last.output_activation();
        let reads_logits = match act {
            Activation::Softmax => loss.has_softmax_logits(),
            Activation::Sigmoid => loss.has_sigmoid_logits(),
            _ => false,
        };
        let fused = (reads_logits && last.logits().is_some()).then_some(act);
        self.compiled = Some(Compiled {
            fused,
            loss,
            optimizer,
            metrics,
        });
        Ok(())
    }

    /// The compiled optimizer (e.g. to read its `iterations`).
    pub fn optimizer(&self) -> Option<&dyn Optimizer> {
        self.compiled.as_ref().map(|c| c.optimizer.as_ref())
    }

    // ANCHOR: fit
    /// Trains for `opts.epochs` epochs of mini-batches and returns the per-epoch figures.
    ///
    /// Each epoch reshuffles the samples, and for every batch: forward pass, loss and
    /// metrics on the weights before the update, backward pass, one optimizer step. The
    /// epoch's loss is the sample-weighted mean of the batch losses and its accuracy
    /// correct/seen over the epoch — exactly what Keras's History holds.
    pub fn fit<S, D, T>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &T,
        opts: Fit<'_>,
    ) -> Result<History, ModelError>
    where
        S: Data<Elem = f32>,
        D: Dimension,
        T: AsTargets + ?Sized,
    {
        self.require_compiled("fit")?;
        let x = x.as_standard_layout();
        let x = self.as_matrix(x.view().into_dyn(), "x for fit")?;
        let y = y.as_targets()?;
        self.check_targets(&y, x.nrows(), "y for fit")?;
        let validation = match opts.validation {
            Some((xv, yv)) => {
                let yv = yv?;
                let xv = if xv.is_standard_layout() {
                    ndarray::CowArray::from(xv)
                } else {
                    ndarray::CowArray::from(xv.as_standard_layout().into_owned())
                };
                let rows = self.as_matrix(xv.view(), "x of validation_data")?.nrows();
                self.check_targets(&yv, rows, "y of validation_data")?;
                Some((xv, yv))
            }
            None => None,
        };
        if opts.batch_size == 0 {
            return Err(ModelError::Config {
                what: "batch_size".into(),
                why: "must be at least 1".into(),
            });
        }
        let n = x.nrows();
        let steps = n.div_ceil(opts.batch_size);
        let mut order: Vec<usize> = Vec::with_capacity(n);
        let mut history = History::default();
        for epoch in 0..opts.epochs {
            let start = Instant::now();
            let mut bar = ProgressBar::stdout(steps, opts.verbose);
            bar.message(&format!("Epoch {}/{}", epoch + 1, opts.epochs));
            // A fresh order each epoch, shuffled by the model's generator, so that
            // fit(1) twice gives the same figures as fit(2).
            order.clear();
            order.extend(0..n);
            if opts.shuffle {
                order.shuffle(&mut self.shuffle_rng);
            }
            self.reset_metrics();
            let (mut loss_sum, mut seen) = (0.0f64, 0usize);
            for (step, batch) in order.chunks(opts.batch_size).enumerate() {
                let loss = self.train_step(x.view(), &y, batch);
                loss_sum += loss * batch.len() as f64;
                seen += batch.len();
                if bar.due() {
                    bar.update(step + 1, &self.figures(loss_sum / seen as f64));
                }
            }
            let mut figures = self.figures(loss_sum / seen.max(1) as f64);
            if let Some((xv, yv)) = &validation {
                let xv = self.as_matrix(xv.view(), "x of validation_data")?;
                let ev = self.evaluate_matrix(xv, yv, opts.batch_size, 0)?;
                figures.push(("val_loss".into(), ev.loss));
                for (name, v) in ev.metrics {
                    figures.push((format!("val_{name}"), v));
                }
            }
            bar.finish(&figures);
            history.record(&figures, start.elapsed().as_secs_f64());
        }
        Ok(history)
    }
    // ANCHOR_END: fit

    // ANCHOR: train_step
    /// One mini-batch: gather → forward → loss → backward → optimizer step.
    /// Returns the batch's mean loss (computed before the update).
    fn train_step(&mut self, x: ArrayView2<f32>, y: &Targets, batch: &[usize]) -> f64 {
        let loss = self.forward_backward(x, y, batch);
        let compiled = self.compiled.as_mut().expect("fit checked compile");
        let mut params: Vec<Param<'_>> = self.layers.iter_mut().flat_map(|l| l.params()).collect();
        compiled.optimizer.step(&mut params);
        loss
    }

    /// Forward pass, loss, metrics and backward pass for the rows `batch` of x: leaves
    /// dL/dparams in the layers and returns the mean loss.
    fn forward_backward(&mut self, x: ArrayView2<f32>, y: &Targets, batch: &[usize]) -> f64 {
        self.gather(x, y, batch);
        self.forward(true);
        let last = self.layers.len();
        let targets = batch_targets(y, &self.label_buf, &self.dense_buf);
        let compiled = self.compiled.as_mut().expect("fit checked compile");
        let fused = compiled.fused.is_some();
        let loss = if fused {
            // dL/dz straight from the logits: softmax(z) − y or σ(z) − y, over the batch
            let z = self.layers[last - 1]
                .logits()
                .expect("fused path has logits");
            let grad = Some(self.grads[last].view_mut());
            compiled
                .loss_from_logits(z, &targets, grad)
                .expect("fused path checked")
        } else {
            compiled.loss.gradient(
                self.acts[last].view(),
                &targets,
                self.grads[last].view_mut(),
            );
            compiled.loss.value(self.acts[last].view(), &targets)
        };
        for m in compiled.metrics.iter_mut() {
            m.update(self.acts[last].view(), &targets);
        }
        for i in (0..last).rev() {
            let (lower, upper) = self.grads.split_at_mut(i + 1);
            let grad_y = upper[0].view();
            let grad_x = self.needs_grad_x[i].then(|| lower[i].view_mut());
            if fused && i == last - 1 {
                self.layers[i].backward_from_logits(self.acts[i].view(), grad_y, grad_x);
            } else {
                let (x, y) = (self.acts[i].view(), self.acts[i + 1].view());
                self.layers[i].backward(x, y, grad_y, grad_x);
            }
        }
        loss
    }
    // ANCHOR_END: train_step

    /// The mean loss over all of (x, y) taken as one batch, and its gradient with respect
    /// to every parameter tensor (in `get_weights` order), without updating anything.
    pub fn loss_and_gradients<S, D, T>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &T,
    ) -> Result<(f64, Vec<Vec<f32>>), ModelError>
    where
        S: Data<Elem = f32>,
        D: Dimension,
        T: AsTargets + ?Sized,
    {
        self.require_compiled("loss_and_gradients")?;
        let x = x.as_standard_layout();
        let x = self.as_matrix(x.view().into_dyn(), "x for loss_and_gradients")?;
        let y = y.as_targets()?;
        self.check_targets(&y, x.nrows(), "y for loss_and_gradients")?;
        let all: Vec<usize> = (0..x.nrows()).collect();
        let loss = self.forward_backward(x, &y, &all);
        self.reset_metrics();
        let grads = self
            .layers
            .iter_mut()
            .flat_map(|l| l.params())
            .map(|p| p.grad.to_vec())
            .collect();
        Ok((loss, grads))
    }

    /// Every parameter tensor, flattened row-major, in layer order (kernel, then bias):
    /// Keras's `get_weights()`.
    pub fn get_weights(&mut self) -> Result<Vec<Vec<f32>>, ModelError> {
        self.build()?;
        Ok(self
            .layers
            .iter_mut()
            .flat_map(|l| l.params())
            .map(|p| p.value.to_vec())
            .collect())
    }

    /// Replaces every parameter tensor: Keras's `set_weights()`. The list must match
    /// `get_weights` in number and lengths.
    pub fn set_weights(&mut self, weights: &[Vec<f32>]) -> Result<(), ModelError> {
        self.build()?;
        let mut params: Vec<Param<'_>> = self.layers.iter_mut().flat_map(|l| l.params()).collect();
        let found: Vec<usize> = weights.iter().map(Vec::len).collect();
        let expected: Vec<usize> = params.iter().map(|p| p.value.len()).collect();
        if found != expected {
            return Err(ModelError::Data {
                what: "weights for set_weights".into(),
                expected: format!("tensors of lengths {expected:?}"),
                found: format!("tensors of lengths {found:?}"),
            });
        }
        for (p, w) in params.iter_mut().zip(weights) {
            p.value.copy_from_slice(w);
        }
        Ok(())
    }

    /// Keras's `model.evaluate(x, y)`: loss and metrics over the whole set in batches of
    /// 32, weights frozen.
    pub fn evaluate<S, D, T>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &T,
        verbose: Verbose,
    ) -> Result<Evaluation, ModelError>
    where
        S: Data<Elem = f32>,
        D: Dimension,
        T: AsTargets + ?Sized,
    {
        self.require_compiled("evaluate")?;
        let x = x.as_standard_layout();
        let x = self.as_matrix(x.view().into_dyn(), "x for evaluate")?;
        let y = y.as_targets()?;
        self.check_targets(&y, x.nrows(), "y for evaluate")?;
        self.evaluate_matrix(x, &y, 32, verbose)
    }

    /// Loss and metrics over (x, y) in batches of `batch_size`, weights frozen.
    fn evaluate_matrix(
        &mut self,
        x: ArrayView2<f32>,
        y: &Targets,
        batch_size: usize,
        verbose: Verbose,
    ) -> Result<Evaluation, ModelError> {
        let n = x.nrows();
        let order: Vec<usize> = (0..n).collect();
        let mut bar = ProgressBar::stdout(n.div_ceil(batch_size), verbose);
        self.reset_metrics();
        let (mut loss_sum, mut seen) = (0.0f64, 0usize);
        let last = self.layers.len();
        for (step, batch) in order.chunks(batch_size).enumerate() {
            self.gather(x, y, batch);
            self.forward(false);
            let targets = batch_targets(y, &self.label_buf, &self.dense_buf);
            let compiled = self.compiled.as_mut().expect("checked compile");
            let logits = self.layers[last - 1]
                .logits()
                .filter(|_| compiled.fused.is_some());
            let loss = match logits {
                Some(z) => compiled
                    .loss_from_logits(z, &targets, None)
                    .expect("fused path checked"),
                None => compiled.loss.value(self.acts[last].view(), &targets),
            };
            for m in compiled.metrics.iter_mut() {
                m.update(self.acts[last].view(), &targets);
            }
            loss_sum += loss * batch.len() as f64;
            seen += batch.len();
            if bar.due() {
                bar.update(step + 1, &self.figures(loss_sum / seen as f64));
            }
        }
        let figures = self.figures(loss_sum / seen.max(1) as f64);
        bar.finish(&figures);
        let mut figures = figures.into_iter();
        let loss = figures.next().map_or(f64::NAN, |(_, v)| v);
        Ok(Evaluation {
            loss,
            metrics: figures.collect(),
        })
    }

    /// Keras's `model.predict(x)`: the outputs `[n, outputs]`, in batches of 32.
    pub fn predict<S, D>(&mut self, x: &ArrayBase<S, D>) -> Result<Array2<f32>, ModelError>
    where
        S: Data<Elem = f32>,
        D: Dimension,
    {
        self.build()?;
        let x = x.as_standard_layout();
        let x = self.as_matrix(x.view().into_dyn(), "x for predict")?;
        let mut out = Array2::zeros((x.nrows(), self.output_size()));
        let order: Vec<usize> = (0..x.nrows()).collect();
        let last = self.layers.len();
        for (chunk, batch) in order.chunks(32).enumerate() {
            self.gather(x, &Targets::Labels(&[]), batch);
            self.forward(false);
            let rows = chunk * 32..chunk * 32 + batch.len();
            out.slice_mut(ndarray::s![rows, ..])
                .assign(&self.acts[last]);
        }
        Ok(out)
    }

    /// Runs every layer on the batch in `acts[0]`.
    fn forward(&mut self, training: bool) {
        for i in 0..self.layers.len() {
            let (lower, upper) = self.acts.split_at_mut(i + 1);
            self.layers[i].forward(lower[i].view(), upper[0].view_mut(), training);
        }
    }

    /// Copies the rows `batch` of x (and of the targets) into the batch buffers,
    /// resizing them only when the batch size changes.
    fn gather(&mut self, x: ArrayView2<f32>, y: &Targets, batch: &[usize]) {
        let b = batch.len();
        if self.acts.first().map(|a| a.nrows()) != Some(b) {
            self.acts = self
                .shapes
                .iter()
                .map(|s| Array2::zeros((b, s.iter().product())))
                .collect();
            self.grads = self.acts.clone();
        }
        for (dst, &i) in self.acts[0].axis_iter_mut(Axis(0)).zip(batch) {
            dst.into_slice()
                .expect("row of a standard-layout buffer")
                .copy_from_slice(
                    x.row(i)
                        .to_slice()
                        .expect("rows of a standard-layout input are contiguous"),
                );
        }
        match y {
            Targets::Labels(l) => {
                self.label_buf.clear();
                self.label_buf
                    .extend(batch.iter().filter_map(|&i| l.get(i)));
            }
            Targets::Dense(d) => {
                if self.dense_buf.dim() != (b, d.ncols()) {
                    self.dense_buf = Array2::zeros((b, d.ncols()));
                }
                for (mut dst, &i) in self.dense_buf.axis_iter_mut(Axis(0)).zip(batch) {
                    dst.assign(&d.row(i));
                }
            }
        }
    }

    fn reset_metrics(&mut self) {
        if let Some(c) = self.compiled.as_mut() {
            c.metrics.iter_mut().for_each(|m| m.reset());
        }
    }

    /// `[("loss", loss), ("accuracy", …), …]` with the metrics' current results.
    fn figures(&self, loss: f64) -> Vec<(String, f64)> {
        let mut out = vec![("loss".to_string(), loss)];
        if let Some(c) = &self.compiled {
            out.extend(c.metrics.iter().map(|m| (m.name().to_string(), m.result())));
        }
        out
    }

    fn require_compiled(&mut self, what: &str) -> Result<(), ModelError> {
        self.build()?;
        if self.compiled.is_none() {
            return Err(ModelError::Usage(format!(
                "call model.compile(...) before model.{what}(...)"
            )));
        }
        Ok(())
    }

    /// Views x `[n, d1, d2, …]` as `[n, d1·d2·…]` after checking that each sample has
    /// the model's input shape.
    fn as_matrix<'x>(
        &self,
        x: ndarray::ArrayViewD<'x, f32>,
        what: &str,
    ) -> Result<ArrayView2<'x, f32>, ModelError> {
        let input = self.input_shape().unwrap_or(&[]);
        let shape = x.shape();
        if shape.len() < 2 || &shape[1..] != input {
            return Err(ModelError::Data {
                what: what.to_string(),
                expected: format!("samples of shape {}", shape_str(input, false)),
                found: format!("an array of shape {}", shape_str(shape, false)),
            });
        }
        let (n, features) = (shape[0], input.iter().product::<usize>());
        x.into_shape_with_order((n, features))
            .map_err(|e| ModelError::Data {
                what: what.to_string(),
                expected: "a contiguous array".into(),
                found: e.to_string(),
            })
    }

    /// Checks the sample count and that every label or row fits the model's outputs.
    fn check_targets(&self, y: &Targets, n: usize, what: &str) -> Result<(), ModelError> {
        if n == 0 {
            return Err(ModelError::Data {
                what: what.to_string(),
                expected: "at least one sample".into(),
                found: "an empty array".into(),
            });
        }
        if y.len() != n {
            return Err(ModelError::Data {
                what: what.to_string(),
                expected: format!("{n} targets, one per sample of x"),
                found: format!("{} targets", y.len()),
            });
        }
        let outputs = self.output_size();
        match y {
            Targets::Labels(labels) => {
                // one output reads a label as the value 0 or 1, unless the loss reads
                // labels as class indices (sparse cross-entropy), which needs one per class
                let wants_labels = self
                    .compiled
                    .as_ref()
                    .is_some_and(|c| c.loss.wants_labels());
                let classes = if outputs == 1 && !wants_labels {
                    2
                } else {
                    outputs
                };
                if let Some((index, &label)) =
                    labels.iter().enumerate().find(|(_, &l)| l >= classes)
                {
                    return Err(ModelError::LabelOutOfRange {
                        label,
                        index,
                        classes,
                    });
                }
            }
            Targets::Dense(d) if d.ncols() != outputs => {
                return Err(ModelError::Data {
                    what: what.to_string(),
                    expected: format!("rows of {outputs} values (the model's outputs)"),
                    found: format!("rows of {} values", d.ncols()),
                });
            }
            Targets::Dense(_) => {}
        }
        Ok(())
    }
}

/// The gathered batch's targets, in the form of `y`: the label buffer for labels, the
/// dense buffer for dense rows.
fn batch_targets<'b>(y: &Targets, labels: &'b [usize], dense: &'b Array2<f32>) -> Targets<'b> {
    match y {
        Targets::Labels(_) => Targets::Labels(labels),
        Targets::Dense(_) => Targets::Dense(dense.view()),
    }
}

/// `"Dense"` → `"dense"`, `"BatchNormalization"` → `"batch_normalization"`.
fn snake_case(kind: &str) -> String {
    let mut out = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
