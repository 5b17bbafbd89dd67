//! `Trainer`: what `compile` sets up — the loss heads, the optimizer, the metrics — and
//! the fit / evaluate / predict loops, which work on any `Model`.

use ndarray::{Array2, ArrayD, ArrayView2, ArrayViewD, IxDyn};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use smallvec::SmallVec;

use super::checks;
use super::heads::{
    gather_rows, head_losses, Head, HeadLosses, OutputMetric, Tally, TargetBuf,
};
use super::inputs::as_matrix;
use super::options::{
    Compile, Evaluate, Evaluation, Fit, MetricsSpec, OptimizerSpec, SampleWeights,
};
use super::weights;
use crate::activations::Activation;
use crate::callbacks::{Callback, Context, History, Logs, ProgbarLogger};
use crate::error::ModelError;
use crate::losses::{self, Targets};
use crate::metrics::{self, Metric};
use crate::model::{Model, OutputGrad};
use crate::optimizers::{self, Optimizer, OptimizerState, RMSprop};
use crate::progress::Verbose;

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

/// What `compile` was given, by name, one entry per output: what a saved model is
/// compiled with again.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    /// Each output's loss, by its Keras name.
    pub losses: Vec<&'static str>,
    /// `loss_weights`, as given (`None`: each 1).
    pub loss_weights: Option<Vec<f32>>,
    /// Each output's metrics, by the names given to `compile`.
    pub metrics: Vec<Vec<String>>,
}

/// What a callback can read of the `fit` running besides the model and optimizer: the
/// compiled loss and metrics and where the shuffle stands (a whole-model checkpoint
/// saves them). Borrowed, so building it per hook allocates nothing.
#[derive(Clone, Copy)]
pub struct FitState<'a> {
    /// The loss's Keras name (the first output's).
    pub loss: &'static str,
    /// Everything `compile` was given, by name.
    pub compiled: &'a Compiled,
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
    /// One per output, in output order.
    heads: Vec<Head>,
    optimizer: Box<dyn Optimizer>,
    metrics: Vec<Box<dyn Metric>>,
    /// The output each metric reads.
    metric_outputs: Vec<usize>,
    /// Whether each metric weighs the samples (`weighted_metrics`).
    metric_weighted: Vec<bool>,
    compiled: Compiled,
    shuffle_seed: u64,
    shuffle_rng: ChaCha8Rng,
    x_buf: Array2<f32>,
    /// One per output.
    targets: Vec<TargetBuf>,
    /// The batch's sample weights: one vector for every output, or one per output.
    w_buf: Vec<Vec<f32>>,
    logs: Logs,
}

impl Trainer {
    /// `compile`: resolves the names, checks the optimizer's settings and attaches a
    /// loss to each of the model's outputs. Unknown names are errors listing the known
    /// ones; losses, loss weights or metric lists that do not match the outputs are
    /// errors naming them.
    pub fn new(model: &dyn Model, spec: Compile) -> Result<Self, ModelError> {
        let outputs = model.outputs();
        if outputs.is_empty() {
            return Err(ModelError::Usage(
                "build the model before compiling it".into(),
            ));
        }
        let names = || {
            outputs
                .iter()
                .map(|o| o.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let losses = head_losses(spec.losses, outputs.len(), &names)?;
        let given_weights = spec.loss_weights.clone();
        let weights = match spec.loss_weights {
            None => vec![1.0; outputs.len()],
            Some(w) if w.len() != outputs.len() => {
                return Err(ModelError::Config {
                    what: "loss_weights".into(),
                    why: format!(
                        "{} weights for {} outputs ({}): give one per output",
                        w.len(),
                        outputs.len(),
                        names()
                    ),
                })
            }
            Some(w) => {
                if let Some(bad) = w.iter().find(|v| !v.is_finite()) {
                    return Err(ModelError::Config {
                        what: "loss_weights".into(),
                        why: format!("every weight must be finite, found {bad}"),
                    });
                }
                w
            }
        };
        let optimizer = match spec.optimizer {
            OptimizerSpec::Default => Box::new(RMSprop::new()),
            OptimizerSpec::Name(name) => optimizers::from_name(&name)?,
            OptimizerSpec::Built(opt) => opt,
        };
        optimizer.validate()?;
        let per_output = match spec.metrics {
            MetricsSpec::Flat(m) if outputs.len() == 1 || m.is_empty() => {
                let mut lists = vec![Vec::new(); outputs.len()];
                lists[0] = m;
                lists
            }
            MetricsSpec::Flat(m) => {
                return Err(ModelError::Config {
                    what: format!("metrics {m:?}"),
                    why: format!(
                        "this model has {} outputs ({}): give the metrics of each output, \
                         e.g. Compile::output_metrics(&[&[\"mae\"], &[]]), as Keras 3 \
                         asks for a list per output",
                        outputs.len(),
                        names()
                    ),
                })
            }
            MetricsSpec::PerOutput(lists) if lists.len() != outputs.len() => {
                return Err(ModelError::Config {
                    what: "output_metrics".into(),
                    why: format!(
                        "{} lists for {} outputs ({}): give one list per output (empty for \
                         an output without metrics)",
                        lists.len(),
                        outputs.len(),
                        names()
                    ),
                })
            }
            MetricsSpec::PerOutput(lists) => lists,
        };
        let (mut metrics, mut metric_outputs) = (Vec::new(), Vec::new());
        for (i, (names, output)) in per_output.iter().zip(&outputs).enumerate() {
            let group = metrics::from_names(names)?;
            metrics::check_output_width(&group, output.width)?;
            for m in group {
                metric_outputs.push(i);
                metrics.push(if outputs.len() == 1 {
                    m
                } else {
                    Box::new(OutputMetric {
                        key: format!("{}_{}", output.name, m.name()),
                        inner: m,
                    }) as Box<dyn Metric>
                });
            }
        }
        let mut metric_weighted = vec![false; metrics.len()];
        if !spec.weighted_metrics.is_empty() {
            if outputs.len() > 1 {
                return Err(ModelError::Config {
                    what: format!("weighted_metrics {:?}", spec.weighted_metrics),
                    why: format!(
                        "this model has {} outputs ({}): weighted_metrics are supported \
                         for a model with one output",
                        outputs.len(),
                        names()
                    ),
                });
            }
            let group = metrics::from_names(&spec.weighted_metrics)?;
            metrics::check_output_width(&group, outputs[0].width)?;
            for m in group {
                if !m.takes_sample_weight() {
                    return Err(ModelError::Config {
                        what: format!("weighted_metrics {:?}", m.name()),
                        why: "this metric does not take sample weights".into(),
                    });
                }
                // Keras's key: the metric's name, `weighted_<name>` when `metrics` has it
                let taken = metrics.iter().any(|n| n.name() == m.name());
                let key = if taken {
                    format!("weighted_{}", m.name())
                } else {
                    m.name().to_string()
                };
                metric_outputs.push(0);
                metric_weighted.push(true);
                metrics.push(Box::new(OutputMetric { key, inner: m }) as Box<dyn Metric>);
            }
        }
        let compiled = Compiled {
            losses: losses.iter().map(|l| l.name()).collect(),
            loss_weights: given_weights,
            metrics: per_output.clone(),
        };
        let heads = losses
            .into_iter()
            .zip(weights)
            .zip(&outputs)
            .enumerate()
            .map(|(i, ((loss, weight), output))| {
                let reads_logits = match output.activation {
                    Activation::Softmax => loss.has_softmax_logits(),
                    Activation::Sigmoid => loss.has_sigmoid_logits(),
                    _ => false,
                };
                Head {
                    output: i,
                    loss_key: format!("{}_loss", output.name),
                    fused: (reads_logits && output.has_logits)
                        .then_some(output.activation),
                    loss,
                    weight,
                    grad: Array2::zeros((0, 0)),
                }
            })
            .collect();
        Ok(Trainer {
            heads,
            optimizer,
            metrics,
            metric_outputs,
            metric_weighted,
            compiled,
            shuffle_seed: model.seed(),
            shuffle_rng: shuffle_rng(model.seed()),
            x_buf: Array2::zeros((0, 0)),
            targets: outputs.iter().map(|_| TargetBuf::default()).collect(),
            w_buf: Vec::new(),
            logs: Logs::new(),
        })
    }

    /// The Keras name of the loss `compile` attached (`"sparse_categorical_crossentropy"`).
    pub fn loss_name(&self) -> &'static str {
        self.heads[0].loss.name()
    }

    /// Everything `compile` was given, by name.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The names of the compiled metrics, in order (`["accuracy"]`).
    pub fn metric_names(&self) -> Vec<String> {
        self.metrics.iter().map(|m| m.name().to_string()).collect()
    }

    /// The optimizer (e.g. to read its `iterations`).
    pub fn optimizer(&self) -> &dyn Optimizer {
        self.optimizer.as_ref()
    }

    /// How many variables Keras 3 counts in the optimizer once it is built (the summary's
    /// "Optimizer params"); None before the first training step, when Keras has not
    /// built it either.
    pub fn optimizer_params(&self) -> Option<usize> {
        (self.optimizer.iterations() > 0)
            .then(|| crate::model::optimizer_params(&self.optimizer.state()))
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
        let weights = model.all_weights(); // a layer frozen since may keep its slots
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
    /// `xs` holds one array per input and `ys` one set of targets per output, in the
    /// model's order. Each epoch reshuffles the samples, and for every batch: forward
    /// pass, loss and metrics on the weights before the update, backward pass, one
    /// optimizer step. The epoch's loss is the sample-weighted mean of the batch losses
    /// and its accuracy correct/seen over the epoch — exactly what Keras's History holds.
    /// Callbacks run at Keras's hooks (see `Callback`), the user's first, then
    /// `History`, then the bar.
    pub fn fit(
        &mut self,
        model: &mut dyn Model,
        xs: &[ArrayViewD<f32>],
        ys: Vec<Targets>,
        opts: Fit<'_>,
    ) -> Result<History, ModelError> {
        let _flush = crate::simd::FlushDenormals::new(); // as XLA computes: see simd
        let x = as_matrix(model, xs, "x for fit")?;
        self.check_targets(model, &ys, x.nrows(), "y for fit")?;
        let sample_weight = match (opts.sample_weight, opts.class_weight) {
            (Some(_), Some(_)) => {
                return Err(ModelError::Usage(
                    "fit was given both sample_weight and class_weight: give one or the \
                     other, as Keras asks"
                        .into(),
                ))
            }
            (Some(w), None) => {
                self.check_sample_weights(model, &w, x.nrows(), "sample_weight for fit")?;
                Some(w)
            }
            (None, Some(cw)) => {
                if ys.len() > 1 {
                    return Err(ModelError::Usage(format!(
                        "class_weight is only supported for a model with one output (this \
                         one has {}), as in Keras: give Fit::sample_weight instead",
                        ys.len()
                    )));
                }
                Some(vec![weights::class_weight_to_sample_weights(&cw, &ys[0])?])
            }
            (None, None) => None,
        };
        let validation_weight = opts.validation_weight;
        let validation_data = match opts.validation {
            Some((xv, yv)) => Some((xv, yv?)),
            None => None,
        };
        let validation = match &validation_data {
            Some((xv, yv)) => {
                let views: Vec<ArrayViewD<f32>> = xv.iter().map(|a| a.view()).collect();
                let xv = as_matrix(model, &views, "x of validation_data")?;
                self.check_targets(model, yv, xv.nrows(), "y of validation_data")?;
                if let Some(w) = &validation_weight {
                    let what = "sample weights of validation_data";
                    self.check_sample_weights(model, w, xv.nrows(), what)?;
                }
                Some((xv, yv.clone()))
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
        let mut callbacks: Vec<&mut dyn Callback> =
            Vec::with_capacity(opts.callbacks.len() + 2);
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
        let validation = validation.as_ref().map(|(xv, yv)| Data {
            x: xv.view(),
            ys: yv.as_slice(),
            weights: validation_weight.as_deref(),
        });
        let train = Data {
            x: x.view(),
            ys: &ys,
            weights: sample_weight.as_deref(),
        };
        self.run_epochs(model, train, validation, run, &mut callbacks)?;
        drop(callbacks);
        Ok(history)
    }

    // ANCHOR: fit
    /// The epoch loop of `fit`, with the callbacks in the order they run.
    fn run_epochs(
        &mut self,
        model: &mut dyn Model,
        data: Data,
        validation: Option<Data>,
        run: Run,
        callbacks: &mut [&mut dyn Callback],
    ) -> Result<(), ModelError> {
        let mut stop = false;
        let mut epoch_logs = Logs::new();
        let x = data.x;
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
            let mut tally = Tally::new(self.heads.len());
            for (step, batch) in order.chunks(run.batch_size).enumerate() {
                self.hooks(model, &mut stop, run, callbacks, |cb, ctx| {
                    cb.on_train_batch_begin(step, ctx)
                })?;
                let (loss, head_losses) = self.train_step(model, data, batch);
                tally.add(loss, &head_losses, batch.len());
                let mut logs = std::mem::take(&mut self.logs);
                self.fill_logs(&mut logs, &tally);
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
            self.fill_logs(&mut epoch_logs, &tally);
            if let Some(val) = validation {
                let ev = self.evaluate_matrix(model, val, run.batch_size, 0)?;
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
            compiled: &self.compiled,
            metrics: &self.metrics,
            shuffle_seed: self.shuffle_seed,
            shuffle_position: self.shuffle_rng.get_word_pos(),
        };
        let mut ctx =
            Context::new(model, self.optimizer.as_mut(), stop, run.epochs, run.steps)
                .with_fit_state(state);
        for cb in callbacks.iter_mut() {
            f(&mut **cb, &mut ctx)?;
        }
        Ok(())
    }

    // ANCHOR: train_step
    /// One mini-batch: gather → forward → loss → backward → optimizer step.
    /// Returns the batch's total loss and each output's (computed before the update).
    fn train_step(
        &mut self,
        model: &mut dyn Model,
        data: Data,
        batch: &[usize],
    ) -> (f64, HeadLosses) {
        let losses = self.forward_backward(model, data, batch);
        let mut params = model.params();
        self.optimizer.step(&mut params);
        losses
    }

    /// Forward pass, losses, metrics and backward pass for the rows `batch` of x: leaves
    /// dL/dparams of L = Σ wᵢ·lossᵢ + penalty in the model and returns L and each lossᵢ
    /// (penalty: the weight regularizers' on the weights before the update, added once
    /// to the total and to no output's own loss, as Keras does). With sample weights,
    /// lossᵢ is Σ w·ℓ / B (see `Head::weighted_loss_and_gradient`).
    fn forward_backward(
        &mut self,
        model: &mut dyn Model,
        data: Data,
        batch: &[usize],
    ) -> (f64, HeadLosses) {
        let (x, ys) = (data.x, data.ys);
        self.gather(x, ys, batch);
        if let Some(w) = data.weights {
            weights::gather(&mut self.w_buf, w, batch);
        }
        model.forward(self.x_buf.view(), true);
        let targets: SmallVec<[Targets; 4]> = self
            .targets
            .iter()
            .zip(ys)
            .map(|(b, y)| b.view(y))
            .collect();
        let mut total = 0.0;
        let mut losses = HeadLosses::new();
        for (o, (head, y)) in self.heads.iter_mut().zip(&targets).enumerate() {
            let loss = match data.weights {
                None => head.loss_and_gradient(&*model, y),
                Some(_) => {
                    let w = weights::for_output(&self.w_buf, o);
                    head.weighted_loss_and_gradient(&*model, y, w)
                }
            };
            total += loss * f64::from(head.weight);
            losses.push(loss);
        }
        let w = data.weights.map(|_| self.w_buf.as_slice());
        update_metrics(
            &mut self.metrics,
            &self.metric_outputs,
            &self.metric_weighted,
            &*model,
            &targets,
            w,
        );
        let grads: SmallVec<[OutputGrad<'_>; 4]> =
            self.heads.iter().map(Head::output_grad).collect();
        model.backward(self.x_buf.view(), &grads);
        let penalty = model.regularization_loss();
        if penalty != 0.0 {
            total += penalty;
        }
        model.add_regularization_gradients(); // dL/dw += ∂penalty/∂w
        (total, losses)
    }
    // ANCHOR_END: train_step

    /// The mean loss over all of (x, y) taken as one batch, and its gradient with respect
    /// to every parameter tensor (in `get_weights` order and shapes), updating nothing.
    pub fn loss_and_gradients(
        &mut self,
        model: &mut dyn Model,
        xs: &[ArrayViewD<f32>],
        ys: Vec<Targets>,
    ) -> Result<(f64, Vec<ArrayD<f32>>), ModelError> {
        let _flush = crate::simd::FlushDenormals::new(); // as XLA computes: see simd
        let x = as_matrix(model, xs, "x for loss_and_gradients")?;
        self.check_targets(model, &ys, x.nrows(), "y for loss_and_gradients")?;
        model.prepare_batch(x.nrows())?;
        let all: Vec<usize> = (0..x.nrows()).collect();
        let data = Data {
            x: x.view(),
            ys: &ys,
            weights: None,
        };
        let (loss, _) = self.forward_backward(model, data, &all);
        self.reset_metrics();
        let shapes: Vec<Vec<usize>> =
            model.weights().into_iter().map(|w| w.shape).collect();
        let grads = model
            .params()
            .iter()
            .zip(shapes)
            .map(|(p, shape)| {
                ArrayD::from_shape_vec(IxDyn(&shape), p.grad.to_vec())
                    .expect("grad shape")
            })
            .collect();
        Ok((loss, grads))
    }

    /// Keras's `model.evaluate(x, y)`: loss and metrics over the whole set in batches of
    /// 32, weights frozen.
    pub fn evaluate(
        &mut self,
        model: &mut dyn Model,
        xs: &[ArrayViewD<f32>],
        ys: Vec<Targets>,
        verbose: Verbose,
    ) -> Result<Evaluation, ModelError> {
        self.evaluate_with(model, xs, ys, Evaluate::new().verbose(verbose))
    }

    /// Keras's `model.evaluate(x, y, batch_size=…, verbose=…, sample_weight=w)`: with
    /// sample weights, each batch's loss is Σ w·ℓ / B and its figure in the mean is
    /// weighted by B, as in Keras 3; `weighted_metrics` weigh the samples.
    pub fn evaluate_with(
        &mut self,
        model: &mut dyn Model,
        xs: &[ArrayViewD<f32>],
        ys: Vec<Targets>,
        opts: Evaluate,
    ) -> Result<Evaluation, ModelError> {
        let _flush = crate::simd::FlushDenormals::new(); // as XLA computes: see simd
        let x = as_matrix(model, xs, "x for evaluate")?;
        self.check_targets(model, &ys, x.nrows(), "y for evaluate")?;
        if opts.batch_size == 0 {
            return Err(ModelError::Config {
                what: "batch_size".into(),
                why: "must be at least 1".into(),
            });
        }
        if let Some(w) = &opts.sample_weight {
            self.check_sample_weights(model, w, x.nrows(), "sample_weight for evaluate")?;
        }
        model.prepare_batch(x.nrows().min(opts.batch_size))?;
        let data = Data {
            x: x.view(),
            ys: &ys,
            weights: opts.sample_weight.as_deref(),
        };
        self.evaluate_matrix(model, data, opts.batch_size, opts.verbose)
    }

    /// Loss and metrics over (x, y) in batches of `batch_size`, weights frozen.
    fn evaluate_matrix(
        &mut self,
        model: &mut dyn Model,
        data: Data,
        batch_size: usize,
        verbose: Verbose,
    ) -> Result<Evaluation, ModelError> {
        let (x, ys) = (data.x, data.ys);
        let n = x.nrows();
        let order: Vec<usize> = (0..n).collect();
        let mut bar = (verbose > 0).then(|| ProgbarLogger::new(verbose));
        if let Some(bar) = bar.as_mut() {
            bar.begin(n.div_ceil(batch_size));
        }
        self.reset_metrics();
        let mut tally = Tally::new(self.heads.len());
        let mut logs = Logs::new();
        let mut losses = HeadLosses::new();
        // the weights are frozen: every batch's penalty is the same
        let penalty = model.regularization_loss();
        for (step, batch) in order.chunks(batch_size).enumerate() {
            self.gather(x, ys, batch);
            if let Some(w) = data.weights {
                weights::gather(&mut self.w_buf, w, batch);
            }
            model.forward(self.x_buf.view(), false);
            let targets: SmallVec<[Targets; 4]> = self
                .targets
                .iter()
                .zip(ys)
                .map(|(b, y)| b.view(y))
                .collect();
            losses.clear();
            let mut total = 0.0;
            for (o, (head, y)) in self.heads.iter().zip(&targets).enumerate() {
                let loss = match data.weights {
                    None => head.loss(&*model, y),
                    Some(_) => head.weighted_loss(
                        &*model,
                        y,
                        weights::for_output(&self.w_buf, o),
                    ),
                };
                total += loss * f64::from(head.weight);
                losses.push(loss);
            }
            if penalty != 0.0 {
                total += penalty; // as Keras's test_step: the loss with the penalty
            }
            let w = data.weights.map(|_| self.w_buf.as_slice());
            update_metrics(
                &mut self.metrics,
                &self.metric_outputs,
                &self.metric_weighted,
                &*model,
                &targets,
                w,
            );
            tally.add(total, &losses, batch.len());
            if let Some(bar) = bar.as_mut() {
                if bar.due() {
                    self.fill_logs(&mut logs, &tally);
                    bar.update(step + 1, &logs);
                } else {
                    bar.tick(step + 1);
                }
            }
        }
        if let Some(bar) = bar.as_mut() {
            self.fill_logs(&mut logs, &tally);
            bar.end(&logs);
        }
        // Keras's order: the total, each output's loss, then the metrics
        let mut metrics = Vec::with_capacity(self.metrics.len() + self.heads.len());
        if self.heads.len() > 1 {
            for (head, &sum) in self.heads.iter().zip(&tally.heads) {
                metrics.push((head.loss_key.clone(), tally.mean(sum)));
            }
        }
        let first_metric = metrics.len();
        metrics.extend(
            self.metrics
                .iter()
                .map(|m| (m.name().to_string(), m.result())),
        );
        if self.heads.len() > 1 {
            // Keras 3 lists the per-output metrics after the losses, sorted by key
            // (`Trainer._flatten_metrics_in_order`)
            metrics[first_metric..].sort_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(Evaluation {
            loss: tally.mean(tally.total),
            metrics,
        })
    }

    /// Copies the rows `batch` of x (and of each output's targets) into the batch
    /// buffers, resizing them only when the batch size changes.
    fn gather(&mut self, x: ArrayView2<f32>, ys: &[Targets], batch: &[usize]) {
        gather_rows(&mut self.x_buf, x, batch);
        for (buf, y) in self.targets.iter_mut().zip(ys) {
            buf.gather(y, batch);
        }
    }

    /// Checks sample weights against n samples and the model's outputs.
    fn check_sample_weights(
        &self,
        model: &dyn Model,
        w: &SampleWeights,
        n: usize,
        what: &str,
    ) -> Result<(), ModelError> {
        let names: Vec<String> = model.outputs().into_iter().map(|o| o.name).collect();
        weights::check_sample_weights(w, n, &names, what)
    }

    fn reset_metrics(&mut self) {
        self.metrics.iter_mut().for_each(|m| m.reset());
    }

    /// `loss`, each output's loss when there are several, and each metric's current
    /// result, under Keras's keys.
    fn fill_logs(&self, logs: &mut Logs, tally: &Tally) {
        logs.set("loss", tally.mean(tally.total));
        if self.heads.len() > 1 {
            for (head, &sum) in self.heads.iter().zip(&tally.heads) {
                logs.set(&head.loss_key, tally.mean(sum));
            }
        }
        for m in &self.metrics {
            logs.set(m.name(), m.result());
        }
    }

    /// Checks, for every output, the sample count, that dense rows are finite, and that
    /// the targets fit the loss and the output (see `TargetKind`).
    fn check_targets(
        &self,
        model: &dyn Model,
        ys: &[Targets],
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
        let outputs = model.outputs();
        if ys.len() != outputs.len() {
            let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
            return Err(ModelError::Data {
                what: what.to_string(),
                expected: format!(
                    "one set of targets per output ({}: {}), e.g. (&y_main, &y_aux)",
                    outputs.len(),
                    names.join(", ")
                ),
                found: format!("{}", ys.len()),
            });
        }
        for ((y, head), output) in ys.iter().zip(&self.heads).zip(&outputs) {
            let what = if outputs.len() == 1 {
                what.to_string()
            } else {
                format!("{what} (output {})", output.name)
            };
            if y.len() != n {
                return Err(ModelError::Data {
                    what,
                    expected: format!("{n} targets, one per sample of x"),
                    found: format!("{} targets", y.len()),
                });
            }
            if let Targets::Dense(d) = y {
                checks::check_finite(*d, &[d.ncols()], &what)?;
            }
            let loss = head.loss.as_ref();
            losses::check_targets(
                loss.name(),
                loss.target_kind(),
                y,
                output.width,
                &what,
            )?;
        }
        Ok(())
    }
}

/// Folds the batch into every metric (each reading output `outputs[j]`): those flagged
/// `weighted` (`weighted_metrics`) with the batch's sample weights `w` when there are
/// some, every other metric unweighted (Keras 3's rule).
fn update_metrics(
    metrics: &mut [Box<dyn Metric>],
    outputs: &[usize],
    weighted: &[bool],
    model: &dyn Model,
    targets: &[Targets],
    w: Option<&[Vec<f32>]>,
) {
    for ((m, &o), &takes) in metrics.iter_mut().zip(outputs).zip(weighted) {
        match w {
            Some(w) if takes => {
                m.update_weighted(model.output(o), &targets[o], weights::for_output(w, o))
            }
            _ => m.update(model.output(o), &targets[o]),
        }
    }
}

/// The generator that shuffles every epoch: the model's seed, on a stream of its own.
fn shuffle_rng(seed: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    rng
}

/// One data set of a `fit` or `evaluate` call: x as one matrix, the targets of each
/// output, and the sample weights (one array for all outputs, or one per output).
#[derive(Clone, Copy)]
struct Data<'d, 't> {
    x: ArrayView2<'d, f32>,
    ys: &'d [Targets<'t>],
    weights: Option<&'d [Vec<f32>]>,
}

/// The sizes of one `fit` call.
#[derive(Clone, Copy)]
struct Run {
    epochs: usize,
    steps: usize,
    batch_size: usize,
    shuffle: bool,
}
