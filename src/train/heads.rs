//! The loss heads `compile` attaches, one per output of the model, and what a batch
//! gathers for them: each output's targets, its loss and gradient, and the running means
//! the logs show (`loss`, `<output>_loss`, `<output>_<metric>`).

use ndarray::{Array2, ArrayView2, Axis};
use smallvec::SmallVec;

use super::options::LossSpec;
use crate::activations::Activation;
use crate::error::ModelError;
use crate::losses::{self, Loss, Targets};
use crate::metrics::Metric;
use crate::model::{Model, OutputGrad};

/// A loss attached to one output of the model, with its weight in the total loss
/// (Keras's `loss_weights`).
pub(super) struct Head {
    /// Which of the model's outputs it reads.
    pub(super) output: usize,
    /// `<output name>_loss`: its loss's key in the logs when there are several outputs.
    pub(super) loss_key: String,
    pub(super) loss: Box<dyn Loss>,
    pub(super) weight: f32,
    /// The activation (softmax or sigmoid) the output ends in when the loss reads its
    /// logits instead, as Keras does: exact, and never a lost gradient.
    pub(super) fused: Option<Activation>,
    /// weight · dL/d(output or logits) of the current batch, [batch, width]
    pub(super) grad: Array2<f32>,
}

impl Head {
    /// The batch's mean loss (unweighted), and weight · its gradient into `self.grad`,
    /// from the model's output.
    pub(super) fn loss_and_gradient(&mut self, model: &dyn Model, y: &Targets) -> f64 {
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
        }
        loss
    }

    /// The batch's mean loss (unweighted), weights frozen.
    pub(super) fn loss(&self, model: &dyn Model, y: &Targets) -> f64 {
        match self.fused {
            Some(act) => {
                let z = model
                    .logits(self.output)
                    .expect("fused outputs have logits");
                fused_loss(self.loss.as_ref(), act, z, y, None)
            }
            None => self.loss.value(model.output(self.output), y),
        }
    }

    /// With one weight wᵢ per sample of the batch (B samples): the loss Σᵢ wᵢ·ℓᵢ / B
    /// (Keras 3's "sum_over_batch_size"), and into `self.grad` weight · its gradient —
    /// row i of the unweighted mean's gradient scaled by wᵢ, since ℓᵢ reads row i only.
    pub(super) fn weighted_loss_and_gradient(
        &mut self,
        model: &dyn Model,
        y: &Targets,
        w: &[f32],
    ) -> f64 {
        self.loss_and_gradient(model, y);
        for (mut row, &wi) in self.grad.rows_mut().into_iter().zip(w) {
            row *= wi;
        }
        self.weighted_loss(model, y, w)
    }

    /// The batch's loss Σᵢ wᵢ·ℓᵢ / B (unweighted by the head's weight), weights frozen.
    pub(super) fn weighted_loss(&self, model: &dyn Model, y: &Targets, w: &[f32]) -> f64 {
        let loss = self.loss.as_ref();
        let sum = match self.fused {
            Some(act) => {
                let z = model
                    .logits(self.output)
                    .expect("fused outputs have logits");
                losses::weighted_sum(z, y, w, |z, y| fused_loss(loss, act, z, y, None))
            }
            None => losses::weighted_sum(model.output(self.output), y, w, |p, y| {
                loss.value(p, y)
            }),
        };
        sum / w.len().max(1) as f64
    }

    pub(super) fn output_grad(&self) -> OutputGrad<'_> {
        match self.fused {
            Some(_) => OutputGrad::Logits(self.grad.view()),
            None => OutputGrad::Output(self.grad.view()),
        }
    }
}

/// One batch's losses: each head's (unweighted) and the total Σ wᵢ·lossᵢ. On the stack
/// for up to four outputs, so a step allocates nothing.
pub(super) type HeadLosses = SmallVec<[f64; 4]>;

/// Running sums over an epoch (or an evaluation): Σ batch·loss for the total and for each
/// head, and the samples seen — Keras's `Mean` metrics, weighted by the batch size.
pub(super) struct Tally {
    pub(super) total: f64,
    pub(super) heads: HeadLosses,
    pub(super) seen: usize,
}

impl Tally {
    pub(super) fn new(heads: usize) -> Self {
        Tally {
            total: 0.0,
            heads: SmallVec::from_elem(0.0, heads),
            seen: 0,
        }
    }

    pub(super) fn add(&mut self, total: f64, heads: &[f64], batch: usize) {
        self.total += total * batch as f64;
        for (sum, l) in self.heads.iter_mut().zip(heads) {
            *sum += l * batch as f64;
        }
        self.seen += batch;
    }

    pub(super) fn mean(&self, sum: f64) -> f64 {
        sum / self.seen.max(1) as f64
    }
}

/// One output's targets for the current batch, gathered from the whole set.
#[derive(Default)]
pub(super) struct TargetBuf {
    pub(super) labels: Vec<usize>,
    pub(super) dense: Array2<f32>,
}

impl TargetBuf {
    /// Copies the rows `batch` of `y` in.
    pub(super) fn gather(&mut self, y: &Targets, batch: &[usize]) {
        match y {
            Targets::Labels(l) => {
                self.labels.clear();
                self.labels.extend(batch.iter().filter_map(|&i| l.get(i)));
            }
            Targets::Dense(d) => gather_rows(&mut self.dense, *d, batch),
        }
    }

    /// The gathered batch, in the form of `y`.
    pub(super) fn view(&self, y: &Targets) -> Targets<'_> {
        match y {
            Targets::Labels(_) => Targets::Labels(&self.labels),
            Targets::Dense(_) => Targets::Dense(self.dense.view()),
        }
    }
}

/// A metric under another key: one output's of a model with several, logged as
/// `<output>_<metric>` as Keras names it, or a weighted metric (`weighted_accuracy`).
pub(super) struct OutputMetric {
    pub(super) key: String,
    pub(super) inner: Box<dyn Metric>,
}

impl Metric for OutputMetric {
    fn name(&self) -> &str {
        &self.key
    }
    fn reset(&mut self) {
        self.inner.reset();
    }
    fn update(&mut self, y_pred: ArrayView2<f32>, y_true: &Targets) {
        self.inner.update(y_pred, y_true);
    }
    fn result(&self) -> f64 {
        self.inner.result()
    }
    fn takes_sample_weight(&self) -> bool {
        self.inner.takes_sample_weight()
    }
    fn update_weighted(
        &mut self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        weights: &[f32],
    ) {
        self.inner.update_weighted(y_pred, y_true, weights);
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

/// One loss per output: a single loss named is attached to every output, as in Keras.
pub(super) fn head_losses(
    specs: Vec<LossSpec>,
    outputs: usize,
    names: &dyn Fn() -> String,
) -> Result<Vec<Box<dyn Loss>>, ModelError> {
    let resolve = |spec: LossSpec| match spec {
        Ok(loss) => Ok(loss),
        Err(name) => losses::from_name(&name),
    };
    match specs.len() {
        n if n == outputs => specs.into_iter().map(resolve).collect(),
        1 => match specs.into_iter().next() {
            Some(Err(name)) => (0..outputs).map(|_| losses::from_name(&name)).collect(),
            _ => Err(ModelError::Config {
                what: "loss".into(),
                why: format!(
                    "one loss object for {outputs} outputs ({}): name the loss (\
                     Compile::new(\"mse\")) to attach it to every output, or give one per \
                     output with Compile::losses",
                    names()
                ),
            }),
        },
        n => Err(ModelError::Config {
            what: "loss".into(),
            why: format!(
                "{n} losses for {outputs} outputs ({}): give one loss per output, or one \
                 for all",
                names()
            ),
        }),
    }
}

/// Copies the rows `batch` of `src` into `dst`, resizing it when the shape changes.
pub(super) fn gather_rows(dst: &mut Array2<f32>, src: ArrayView2<f32>, batch: &[usize]) {
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
