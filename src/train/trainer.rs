//! `Trainer`: what `compile` sets up — the loss heads, the optimizer, the metrics — and
//! the fit / evaluate / predict loops, which work on any `Model`.

use ndarray::{s, Array2, ArrayD, ArrayView2, ArrayViewD, Axis, CowArray, IxDyn};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use smallvec::SmallVec;

use super::checks;
use super::options::{Compile, Evaluation, Fit, OptimizerSpec};
use crate::activations::Activation;
use crate::callbacks::{Callback, Context, History, Logs, ProgbarLogger};
use crate::error::{shape_str, ModelError};
use crate::losses::{self, Loss, Targets};
use crate::metrics::{self, Metric};
use crate::model::{Model, OutputGrad};
use crate::optimizers::{self, Optimizer, OptimizerState, RMSprop};
use crate::progress::Verbose;

/// A loss attached to one output of the model, with its weight in the total loss
/// (Keras's `loss_weights`).
struct Head {
    /// Which of the model's outputs it reads.
    output: usize,
    loss: Box<dyn Loss>,
    weight: f32,
    /// The activation (softmax or sigmoid) the output ends in when the loss reads its
    /// logits instead, as Keras does: exact, and never a lost gradient.
    fused: Option<Activation>,
    /// dL/d(output or logits) of the current batch, [batch, width]
    grad: Array2<f32>,
}

impl Head {
    /// The batch's mean loss, and its gradient into `self.grad`, from the model's output.
    fn loss_and_gradient(&mut self, model: &dyn Model, y: &Targets) -> f64 {
        let out = model.output(self.output);
        if self.grad.dim() != out.dim() {
            self.grad = Array2::zeros(out.dim());
        }
        let loss = match self.fused {
            Some(act) => {
                // dL/dz straight from the logits: softmax(z) − y or σ(z) − y
                let z = model
                    .logits(self.output)
                    .expect("fused outputs have logits");
                fused_loss(self.loss.as_ref(), act, z, y, Some(self.grad.view_mut()))
            }
            None => {
                self.loss.gradient(out, y, self.grad.view_mut());
                self.loss.value(out, y)
            }
        };
        if self.weight != 1.0 {
            self.grad *= self.weight;
            return loss * f64::from(self.weight);
        }
        loss
    }

    /// The batch's mean loss, weights frozen.
    fn loss(&self, model: &dyn Model, y: &Targets) -> f64 {
        let loss = match self.fused {
            Some(act) => {
                let z = model
                    .logits(self.output)
                    .expect("fused outputs have logits");
                fused_loss(self.loss.as_ref(), act, z, y, None)
            }
            None => self.loss.value(model.output(self.output), y),
        };
        loss * f64::from(self.weight)
    }

    fn output_grad(&self) -> OutputGrad<'_> {
        match self.fused {
            Some(_) => OutputGrad::Logits(self.grad.view()),
            None => OutputGrad::Output(self.grad.view()),
        }
    }
}

/// The mean loss from logits z, and ∂loss/∂z into `grad` when given.
fn fused_loss(
    loss: &dyn Loss,
    act: Activation,
    z: ArrayView2<f32>,
    y: &Targets,
    grad: Option<ndarray::ArrayViewMut2<f32>>,
) -> f64 {
    let value = match act {
        Activation::Softmax => loss.softmax_logits(z, y, grad),
        _ => loss.sigmoid_logits(z, y, grad),
    };
    value.expect("compile checked that the loss reads these logits")
}

/// What a compiled model continues training from, besides its weights: a model that
/// imports another's weights and `TrainingState` trains on exactly as the other would.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainingState {
    pub optimizer: OptimizerState,
    /// The seed of the generator that shuffles every epoch (the model's seed)…
    pub shuffle_seed: u64,
    /// …and its position (its word count).
    pub shuffle_position: u128,
    /// The position of each random-drawing layer's generator (dropout masks).
    pub generators: Vec<(String, u128)>,
}

/// What a callback can read of the `fit` running besides the model and optimizer: the
/// compiled loss and metrics and where the shuffle stands (a whole-model checkpoint
/// saves them). Borrowed, so building it per hook allocates nothing.
#[derive(Clone, Copy)]
pub struct FitState<'a> {
    /// The loss's Keras name.
    pub loss: &'static str,
    pub metrics: &'a [Box<dyn Metric>],
    pub shuffle_seed: u64,
    pub shuffle_position: u128,
}

impl FitState<'_> {
    /// The compiled metrics' names, in order.
    pub fn metric_names(&self) -> Vec<String> {
        self.metrics.iter().map(|m| m.name().to_string()).collect()
    }
}

/// A compiled model's training state: loss heads, optimizer, metrics, the generator that
/// shuffles every epoch, and the batch buffers (reused, so a step allocates nothing).
pub struct Trainer {
    heads: Vec<Head>,
    optimizer: Box<dyn Optimizer>,
    metrics: Vec<Box<dyn Metric>>,
    shuffle_seed: u64,
    shuffle_rng: ChaCha8Rng,
    x_buf: Array2<f32>,
    label_buf: Vec<usize>,
    dense_buf: Array2<f32>,
    logs: Logs,
}

impl Trainer {
    /// `compile`: resolves the names, checks the optimizer's settings and attaches the
    /// loss to the model's output. Unknown names are errors listing the known ones.
    pub fn new(model: &dyn Model, spec: Compile) -> Result<Self, ModelError> {
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
        let metrics = metrics::from_names(&spec.metrics)?;
        single_input_and_output(model)?;
        let output = model
            .outputs()
            .into_iter()
            .next()
            .ok_or_else(|| ModelError::Usage("build the model before compiling it".into()))?;
        let reads_logits = match output.activation {
            Activation::Softmax => loss.has_softmax_logits(),
            Activation::Sigmoid => loss.has_sigmoid_logits(),
            _ => false,
        };
        let fused = (reads_logits && output.has_logits).then_some(output.activation);
        metrics::check_output_width(&metrics, output.width)?;
        Ok(Trainer {
            heads: vec![Head {
                output: 0,
                loss,
                weight: 1.0,
                fused,
                grad: Array2::zeros((0, 0)),
            }],
            optimizer,
            metrics,
            shuffle_seed: model.seed(),
            shuffle_rng: shuffle_rng(model.seed()),
            x_buf: Array2::zeros((0, 0)),
            label_buf: Vec::new(),
            dense_buf: Array2::zeros((0, 0)),
            logs: Logs::new(),
        })
    }

    /// The Keras name of the loss `compile` attached (`"sparse_categorical_crossentropy"`).
    pub fn loss_name(&self) -> &'static str {
        self.heads[0].loss.name()
    }

    /// The names of the compiled metrics, in order (`["accuracy"]`).
    pub fn metric_names(&self) -> Vec<String> {
        self.metrics.iter().map(|m| m.name().to_string()).collect()
    }

    /// The optimizer (e.g. to read its `iterations`).
    pub fn optimizer(&self) -> &dyn Optimizer {
        self.optimizer.as_ref()
    }

    /// The optimizer, writable (e.g. to set its learning rate).
    pub fn optimizer_mut(&mut self) -> &mut dyn Optimizer {
        self.optimizer.as_mut()
    }

    /// Imports an optimizer state exported from a model of the same architecture;
    /// every slot must belong to one of the model's weights, with its length.
    pub fn set_optimizer_state(
        &mut self,
        model: &dyn Model,
        state: &OptimizerState,
    ) -> Result<(), ModelError> {
        let weights = model.weights();
        for (name, values) in &state.tensors {
            let fits = name.rsplit_once('/').is_some_and(|(path, _)| {
                weights
                    .iter()
                    .any(|w| w.name == path && w.value.len() == values.len())
            });
            if !fits {
                return Err(ModelError::Data {
                    what: "optimizer state".into(),
                    expected: "slots for this model's weights, with their lengths".into(),
                    found: format!("{name} with {} values", values.len()),
                });
            }
        }
        self.optimizer.set_state(state)
    }

    /// Everything training continues from besides the weights: the optimizer's state
    /// and where the shuffling generator stands.
    pub fn state(&self, model: &dyn Model) -> TrainingState {
        TrainingState {
            generators: model.generator_positions(),
            optimizer: self.optimizer.state(),
            shuffle_seed: self.shuffle_seed,
            shuffle_position: self.shuffle_rng.get_word_pos(),
        }
    }

    /// Restores a state from `state` (the optimizer's checked against the model).
    pub fn set_state(
        &mut self,
        model: &mut dyn Model,
        state: &TrainingState,
    ) -> Result<(), ModelError> {
        self.set_optimizer_state(model, &state.optimizer)?;
        model.set_generator_positions(&state.generators)?;
        self.shuffle_seed = state.shuffle_seed;
        self.shuffle_rng = shuffle_rng(state.shuffle_seed);
        self.shuffle_rng.set_word_pos(state.shuffle_position);
        Ok(())
    }

    /// Trains for `opts.epochs` epochs of mini-batches and returns the per-epoch figures.
    ///
    /// Each epoch reshuffles the samples, and for every batch: forward pass, loss and
    /// metrics on the weights before the update, backward pass, one optimizer step. The
    /// epoch's loss is the sample-weighted mean of the batch losses and its accuracy
    /// correct/seen over the epoch — exactly what Keras's History holds. Callbacks run
    /// at Keras's hooks (see `Callback`), the user's first, then `History`, then the bar.
    pub fn fit(
        &mut self,
        model: &mut dyn Model,
        x: ArrayViewD<f32>,
        y: Targets,
        opts: Fit<'_>,
    ) -> Result<History, ModelError> {
        let x = as_matrix(model, x, "x for fit")?;
        self.check_targets(model, &y, x.nrows(), "y for fit")?;
        // validation data in standard layout (a copy only when it is not), viewed as
        // [n, features] and checked once
        let validation_data = match opts.validation {
            Some((xv, yv)) => {
                let xv = if xv.is_standard_layout() {
                    CowArray::from(xv)
                } else {
                    CowArray::from(xv.as_standard_layout().into_owned())
                };
                Some((xv, yv?))
            }
            None => None,
        };
        let validation = match &validation_data {
            Some((xv, yv)) => {
                let xv = as_matrix(model, xv.view(), "x of validation_data")?;
                self.check_targets(model, yv, xv.nrows(), "y of validation_data")?;
                Some((xv, *yv))
            }
            None => None,
        };
        if opts.batch_size == 0 {
            return Err(ModelError::Config {
                what: "batch_size".into(),
                why: "must be at least 1".into(),
            });
        }
        // the largest batch (clipped to the data, as `chunks` does) within the size limit
        let largest = validation.as_ref().map_or(0, |(xv, _)| xv.nrows());
        model.prepare_batch(opts.batch_size.min(largest.max(x.nrows())))?;
        let mut history = History::default();
        let mut progbar = (opts.verbose > 0).then(|| ProgbarLogger::new(opts.verbose));
        let mut callbacks: Vec<&mut dyn Callback> = Vec::with_capacity(opts.callbacks.len() + 2);
        for cb in opts.callbacks {
            callbacks.push(cb);
        }
        callbacks.push(&mut history);
        if let Some(bar) = progbar.as_mut() {
            callbacks.push(bar);
        }
        let run = Run {
            epochs: opts.epochs,
            steps: x.nrows().div_ceil(opts.batch_size),
            batch_size: opts.batch_size,
            shuffle: opts.shuffle,
        };
        self.run_epochs(model, x, &y, validation, run, &mut callbacks)?;
        drop(callbacks);
        Ok(history)
    }

    // ANCHOR: fit
    /// The epoch loop of `fit`, with the callbacks in the order they run.
    fn run_epochs(
        &mut self,
        model: &mut dyn Model,
        x: ArrayView2<f32>,
        y: &Targets,
        validation: Option<(ArrayView2<f32>, Targets)>,
        run: Run,
        callbacks: &mut [&mut dyn Callback],
    ) -> Result<(), ModelError> {
        let mut stop = false;
        let mut epoch_logs = Logs::new();
        let mut order: Vec<usize> = Vec::with_capacity(x.nrows());
        self.hooks(model, &mut stop, run, callbacks, |cb, ctx| {
            cb.on_train_begin(ctx)
        })?;
        for epoch in 0..run.epochs {
            self.hooks(model, &mut stop, run, callbacks, |cb, ctx| {
                cb.on_epoch_begin(epoch, ctx)
            })?;
            // A fresh order each epoch, shuffled by the model's generator, so that
            // fit(1) twice gives the same figures as fit(2).
            order.clear();
            order.extend(0..x.nrows());
            if run.shuffle {
                order.shuffle(&mut self.shuffle_rng);
            }
            self.reset_metrics();
            let (mut loss_sum, mut seen) = (0.0f64, 0usize);
            for (step, batch) in order.chunks(run.batch_size).enumerate() {
                self.hooks(model, &mut stop, run, callbacks, |cb, ctx| {
                    cb.on_train_batch_begin(step, ctx)
                })?;
                let loss = self.train_step(model, x, y, batch);
                loss_sum += loss * batch.len() as f64;
                seen += batch.len();
                let mut logs = std::mem::take(&mut self.logs);
                self.fill_logs(&mut logs, loss_sum / seen as f64);
                let result = self.hooks(model, &mut stop, run, callbacks, |cb, ctx| {
                    cb.on_train_batch_end(step, &logs, ctx)
                });
                self.logs = logs;
                result?;
                if stop {
                    break;
                }
            }
            epoch_logs = Logs::new();
            self.fill_logs(&mut epoch_logs, loss_sum / seen.max(1) as f64);
            if let Some((xv, yv)) = &validation {
                let ev = self.evaluate_matrix(model, *xv, yv, run.batch_size, 0)?;
                epoch_logs.set("val_loss", ev.loss);
                for (name, v) in ev.metrics {
                    epoch_logs.set(&format!("val_{name}"), v);
                }
            }
            self.hooks(model, &mut stop, run, callbacks, |cb, ctx| {
                cb.on_epoch_end(epoch, &epoch_logs, ctx)
            })?;
            if stop {
                break;
            }
        }
        self.hooks(model, &mut stop, run, callbacks, |cb, ctx| {
            cb.on_train_end(&epoch_logs, ctx)
        })
    }
    // ANCHOR_END: fit

    /// Calls `f` on every callback, in order, with one context.
    fn hooks(
        &mut self,
        model: &mut dyn Model,
        stop: &mut bool,
        run: Run,
        callbacks: &mut [&mut dyn Callback],
        mut f: impl FnMut(&mut dyn Callback, &mut Context<'_>) -> Result<(), ModelError>,
    ) -> Result<(), ModelError> {
        let state = FitState {
            loss: self.heads[0].loss.name(),
            metrics: &self.metrics,
            shuffle_seed: self.shuffle_seed,
            shuffle_position: self.shuffle_rng.get_word_pos(),
        };
        let mut ctx = Context::new(model, self.optimizer.as_mut(), stop, run.epochs, run.steps)
            .with_fit_state(state);
        for cb in callbacks.iter_mut() {
            f(&mut **cb, &mut ctx)?;
        }
        Ok(())
    }

    // ANCHOR: train_step
    /// One mini-batch: gather → forward → loss → backward → optimizer step.
    /// Returns the batch's mean loss (computed before the update).
    fn train_step(
        &mut self,
        model: &mut dyn Model,
        x: ArrayView2<f32>,
        y: &Targets,
        batch: &[usize],
    ) -> f64 {
        let loss = self.forward_backward(model, x, y, batch);
        let mut params = model.params();
        self.optimizer.step(&mut params);
        loss
    }

    /// Forward pass, loss, metrics and backward pass for the rows `batch` of x: leaves
    /// dL/dparams in the model and returns the mean loss.
    fn forward_backward(
        &mut self,
        model: &mut dyn Model,
        x: ArrayView2<f32>,
        y: &Targets,
        batch: &[usize],
    ) -> f64 {
        self.gather(x, y, batch);
        model.forward(self.x_buf.view(), true);
        let targets = batch_targets(y, &self.label_buf, &self.dense_buf);
        let mut loss = 0.0;
        for head in &mut self.heads {
            loss += head.loss_and_gradient(&*model, &targets);
        }
        let out = model.output(self.heads[0].output);
        for m in self.metrics.iter_mut() {
            m.update(out, &targets);
        }
        let grads: SmallVec<[OutputGrad<'_>; 4]> =
            self.heads.iter().map(Head::output_grad).collect();
        model.backward(self.x_buf.view(), &grads);
        loss
    }
    // ANCHOR_END: train_step

    /// The mean loss over all of (x, y) taken as one batch, and its gradient with respect
    /// to every parameter tensor (in `get_weights` order and shapes), updating nothing.
    pub fn loss_and_gradients(
        &mut self,
        model: &mut dyn Model,
        x: ArrayViewD<f32>,
        y: Targets,
    ) -> Result<(f64, Vec<ArrayD<f32>>), ModelError> {
        let x = as_matrix(model, x, "x for loss_and_gradients")?;
        self.check_targets(model, &y, x.nrows(), "y for loss_and_gradients")?;
        model.prepare_batch(x.nrows())?;
        let all: Vec<usize> = (0..x.nrows()).collect();
        let loss = self.forward_backward(model, x, &y, &all);
        self.reset_metrics();
        let shapes: Vec<Vec<usize>> = model.weights().into_iter().map(|w| w.shape).collect();
        let grads = model
            .params()
            .iter()
            .zip(shapes)
            .map(|(p, shape)| {
                ArrayD::from_shape_vec(IxDyn(&shape), p.grad.to_vec()).expect("grad shape")
            })
            .collect();
        Ok((loss, grads))
    }

    /// Keras's `model.evaluate(x, y)`: loss and metrics over the whole set in batches of
    /// 32, weights frozen.
    pub fn evaluate(
        &mut self,
        model: &mut dyn Model,
        x: ArrayViewD<f32>,
        y: Targets,
        verbose: Verbose,
    ) -> Result<Evaluation, ModelError> {
        let x = as_matrix(model, x, "x for evaluate")?;
        self.check_targets(model, &y, x.nrows(), "y for evaluate")?;
        model.prepare_batch(x.nrows().min(32))?;
        self.evaluate_matrix(model, x, &y, 32, verbose)
    }

    /// Loss and metrics over (x, y) in batches of `batch_size`, weights frozen.
    fn evaluate_matrix(
        &mut self,
        model: &mut dyn Model,
        x: ArrayView2<f32>,
        y: &Targets,
        batch_size: usize,
        verbose: Verbose,
    ) -> Result<Evaluation, ModelError> {
        let n = x.nrows();
        let order: Vec<usize> = (0..n).collect();
        let mut bar = (verbose > 0).then(|| ProgbarLogger::new(verbose));
        if let Some(bar) = bar.as_mut() {
            bar.begin(n.div_ceil(batch_size));
        }
        self.reset_metrics();
        let (mut loss_sum, mut seen) = (0.0f64, 0usize);
        let mut logs = Logs::new();
        for (step, batch) in order.chunks(batch_size).enumerate() {
            self.gather(x, y, batch);
            model.forward(self.x_buf.view(), false);
            let targets = batch_targets(y, &self.label_buf, &self.dense_buf);
            let loss: f64 = self.heads.iter().map(|h| h.loss(&*model, &targets)).sum();
            let out = model.output(self.heads[0].output);
            for m in self.metrics.iter_mut() {
                m.update(out, &targets);
            }
            loss_sum += loss * batch.len() as f64;
            seen += batch.len();
            if let Some(bar) = bar.as_mut().filter(|b| b.due()) {
                self.fill_logs(&mut logs, loss_sum / seen as f64);
                bar.update(step + 1, &logs);
            }
        }
        let loss = loss_sum / seen.max(1) as f64;
        if let Some(bar) = bar.as_mut() {
            self.fill_logs(&mut logs, loss);
            bar.end(&logs);
        }
        Ok(Evaluation {
            loss,
            metrics: self
                .metrics
                .iter()
                .map(|m| (m.name().to_string(), m.result()))
                .collect(),
        })
    }

    /// Copies the rows `batch` of x (and of the targets) into the batch buffers,
    /// resizing them only when the batch size changes.
    fn gather(&mut self, x: ArrayView2<f32>, y: &Targets, batch: &[usize]) {
        gather_rows(&mut self.x_buf, x, batch);
        match y {
            Targets::Labels(l) => {
                self.label_buf.clear();
                self.label_buf
                    .extend(batch.iter().filter_map(|&i| l.get(i)));
            }
            Targets::Dense(d) => gather_rows(&mut self.dense_buf, *d, batch),
        }
    }

    fn reset_metrics(&mut self) {
        self.metrics.iter_mut().for_each(|m| m.reset());
    }

    /// `loss` and each metric's current result, under Keras's keys.
    fn fill_logs(&self, logs: &mut Logs, loss: f64) {
        logs.set("loss", loss);
        for m in &self.metrics {
            logs.set(m.name(), m.result());
        }
    }

    /// Checks the sample count, that dense rows are finite, and that the targets fit the
    /// loss and the model's outputs (see `TargetKind`).
    fn check_targets(
        &self,
        model: &dyn Model,
        y: &Targets,
        n: usize,
        what: &str,
    ) -> Result<(), ModelError> {
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
        if let Targets::Dense(d) = y {
            checks::check_finite(*d, &[d.ncols()], what)?;
        }
        let outputs = model.outputs().first().map_or(0, |o| o.width);
        let loss = self.heads[0].loss.as_ref();
        losses::check_targets(loss.name(), loss.target_kind(), y, outputs, what)
    }
}

/// The generator that shuffles every epoch: the model's seed, on a stream of its own.
fn shuffle_rng(seed: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    rng
}

/// The sizes of one `fit` call.
#[derive(Clone, Copy)]
struct Run {
    epochs: usize,
    steps: usize,
    batch_size: usize,
    shuffle: bool,
}

/// Keras's `model.predict(x)`: the outputs `[n, outputs]`, in batches of 32.
pub fn predict(model: &mut dyn Model, x: ArrayViewD<f32>) -> Result<Array2<f32>, ModelError> {
    model.build()?;
    let x = as_matrix(model, x, "x for predict")?;
    let width = model.outputs().first().map_or(0, |o| o.width);
    model.prepare_batch(x.nrows().min(32))?;
    // [n, width], counted and allocated before the first batch runs
    let shape = [x.nrows(), width];
    let what = || format!("predict's output {}", shape_str(&shape, false));
    let len = crate::layers::within_limit(crate::layers::elements(&shape), what, "it would hold")?;
    let values = crate::layers::try_zeros(len, "predict's output")?;
    let mut out = Array2::from_shape_vec(shape, values).expect("n·width values");
    let order: Vec<usize> = (0..x.nrows()).collect();
    let mut x_buf = Array2::zeros((0, 0));
    for (chunk, batch) in order.chunks(32).enumerate() {
        gather_rows(&mut x_buf, x, batch);
        model.forward(x_buf.view(), false);
        let rows = chunk * 32..chunk * 32 + batch.len();
        out.slice_mut(s![rows, ..]).assign(&model.output(0));
    }
    Ok(out)
}

/// Copies the rows `batch` of `src` into `dst`, resizing it when the shape changes.
fn gather_rows(dst: &mut Array2<f32>, src: ArrayView2<f32>, batch: &[usize]) {
    if dst.dim() != (batch.len(), src.ncols()) {
        *dst = Array2::zeros((batch.len(), src.ncols()));
    }
    for (mut row, &i) in dst.axis_iter_mut(Axis(0)).zip(batch) {
        match (row.as_slice_mut(), src.row(i).to_slice()) {
            (Some(d), Some(s)) => d.copy_from_slice(s),
            _ => row.assign(&src.row(i)),
        }
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

/// The trainer feeds one x and reads one output; a functional model with several
/// inputs or outputs can be built and summarised, not yet trained (a clear error, never
/// a silently half-trained model).
fn single_input_and_output(model: &dyn Model) -> Result<(), ModelError> {
    let names = |v: Vec<String>| v.join(", ");
    let inputs = model.inputs();
    let outputs = model.outputs();
    if inputs.len() > 1 || outputs.len() > 1 {
        return Err(ModelError::Usage(format!(
            "this model has {} inputs ({}) and {} outputs ({}): compile, fit, evaluate and \
             predict take one input and one output for now",
            inputs.len(),
            names(inputs.into_iter().map(|i| i.name).collect()),
            outputs.len(),
            names(outputs.into_iter().map(|o| o.name).collect()),
        )));
    }
    Ok(())
}

/// Views x `[n, d1, d2, …]` as `[n, d1·d2·…]` after checking that each sample has
/// the model's input shape and that every value is finite.
fn as_matrix<'x>(
    model: &dyn Model,
    x: ArrayViewD<'x, f32>,
    what: &str,
) -> Result<ArrayView2<'x, f32>, ModelError> {
    single_input_and_output(model)?;
    let input = model.input_shape().unwrap_or(&[]);
    let shape = x.shape();
    if shape.len() < 2 || &shape[1..] != input {
        return Err(checks::shape_error(input, shape, what));
    }
    let (n, features) = (shape[0], input.iter().product::<usize>());
    let x = x
        .into_shape_with_order((n, features))
        .map_err(|e| ModelError::Data {
            what: what.to_string(),
            expected: "a contiguous array".into(),
            found: e.to_string(),
        })?;
    checks::check_finite(x, input, what)?;
    Ok(x)
}
