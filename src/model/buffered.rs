//! `Buffered`: a layer as a learner's own model holds it (Keras's subclassing API), with
//! the buffers of its output and of its input gradient, so that the model's `forward` and
//! `backward` read like Keras's `call`:
//!
//! ```
//! use annlab::model::Buffered;
//! use annlab::prelude::*;
//! use rand::SeedableRng;
//!
//! let mut hidden = Buffered::new("dense", Dense::new(3).activation(Activation::Tanh));
//! hidden.build(&[2], &mut rand_chacha::ChaCha8Rng::seed_from_u64(0))?; // W [2, 3], b [3]
//! let x = array![[1.0f32, 2.0], [3.0, 4.0]]; //                          [batch 2, 2]
//! let y = hidden.forward(x.view(), true); //            y = tanh(x·W + b)   [2, 3]
//! assert_eq!(y.dim(), (2, 3));
//! let grad_y = Array2::<f32>::ones((2, 3)); //                             dL/dy [2, 3]
//! hidden.zero_grad();
//! let grad_x = hidden.backward(x.view(), grad_y.view()); // dL/dx = dL/dz·Wᵀ [2, 2]
//! assert_eq!(grad_x.dim(), (2, 2));
//! # Ok::<(), annlab::error::ModelError>(())
//! ```
//!
//! `Sequential` and `Functional` keep every layer's output and gradient in buffers of their
//! own; a model written by hand would have to do the same for each layer, and pass the
//! right buffers to `Layer::forward` and `Layer::backward`. `Buffered` does it once: the
//! model keeps one `Buffered` per layer and reads the outputs from it.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use rand_chacha::ChaCha8Rng;

use super::naming::name_layer;
use super::OutputGrad;
use crate::error::{shape_str, ModelError};
use crate::layers::{self, Layer, Params, Weight};
use crate::optimizers::OptimizerState;
use crate::summary;

/// A layer with a name, its output `y` of the last forward pass `[batch, outputs]` and its
/// input gradient dL/dx of the last backward pass `[batch, inputs]`.
pub struct Buffered<L: Layer> {
    layer: L,
    /// The Keras layer name, `"dense_1"`.
    name: String,
    /// `"dense_1/kernel"`, `"dense_1/bias"`: the paths of the layer's tensors.
    paths: Vec<String>,
    /// Values per input sample (after `build`).
    inputs: usize,
    /// Per-sample output shape (after `build`).
    output_shape: Vec<usize>,
    /// y = layer(x) of the last forward pass, `[batch, outputs]`.
    y: Array2<f32>,
    /// dL/dx of the last backward pass, `[batch, inputs]`.
    grad_x: Array2<f32>,
    /// The batch size of the first call: Keras builds a subclassed model's layers on its
    /// first batch, and its summary shows the shapes of that call (`(32, 30)`).
    first_batch: Option<usize>,
}

impl<L: Layer> Buffered<L> {
    /// Holds `layer` under the Keras name `name` (`"dense"`, `"dense_1"`, …: Keras 3 names
    /// a subclassed model's layers by class and creation order, not by attribute).
    pub fn new(name: &str, layer: L) -> Self {
        Buffered {
            layer,
            name: name.to_string(),
            paths: Vec::new(),
            inputs: 0,
            output_shape: Vec::new(),
            y: Array2::zeros((0, 0)),
            grad_x: Array2::zeros((0, 0)),
            first_batch: None,
        }
    }

    /// The layer's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The layer itself (e.g. to read a `Dense`'s kernel).
    pub fn layer(&self) -> &L {
        &self.layer
    }

    /// Creates the layer's parameters for samples of `input_shape`, drawing them from
    /// `rng` (so layers built one after another from one seeded generator get the same
    /// weights as in `Sequential` or `Functional`). Returns the per-sample output shape;
    /// an error names the layer.
    pub fn build(
        &mut self,
        input_shape: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        let kind = self.layer.kind();
        let what = || format!("layer {} ({kind})", self.name);
        if let Some(planned) = self.layer.planned_param_count(input_shape) {
            layers::within_limit(Some(planned), what, "its parameters would be")?;
        }
        let output = self
            .layer
            .build(input_shape, rng)
            .map_err(|e| name_layer(e, &self.name))?;
        self.inputs = layers::within_limit(
            layers::elements(input_shape),
            || {
                format!(
                    "input {} of layer {}",
                    shape_str(input_shape, true),
                    self.name
                )
            },
            "each sample would hold",
        )?;
        layers::within_limit(
            layers::elements(&output),
            || format!("output {} of layer {}", shape_str(&output, true), self.name),
            "each sample would hold",
        )?;
        self.paths = self
            .layer
            .weights()
            .iter()
            .map(|w| format!("{}/{}", self.name, w.name))
            .collect();
        self.output_shape = output.clone();
        self.y = Array2::zeros((0, 0));
        self.grad_x = Array2::zeros((0, 0));
        Ok(output)
    }

    /// Values per output sample; 0 before `build`.
    pub fn output_width(&self) -> usize {
        if self.output_shape.is_empty() {
            return 0;
        }
        self.output_shape.iter().product()
    }

    /// The values per sample this layer holds while training: its input gradient (inputs)
    /// and, per output value, its output and up to two buffers inside the layer — what
    /// `Model::prepare_batch` counts against annlab's size limit.
    pub fn values_per_sample(&self) -> u128 {
        self.inputs as u128 + 3 * self.output_width() as u128
    }

    /// Allocates the buffers for batches of `batch` samples, fallibly: memory the system
    /// refuses is an error naming the layer, not an abort.
    pub fn prepare(&mut self, batch: usize) -> Result<(), ModelError> {
        if self.y.nrows() == batch && self.grad_x.nrows() == batch {
            return Ok(());
        }
        let what = format!("the batch buffers of layer {}", self.name);
        self.y = batch_buffer(batch, self.output_width(), &what)?;
        self.grad_x = batch_buffer(batch, self.inputs, &what)?;
        Ok(())
    }

    // ANCHOR: forward
    /// y = layer(x) for a batch x `[batch, inputs]`: Keras's `self.hidden1(x)`. Returns
    /// y `[batch, outputs]`, kept until the next call (see `output`).
    ///
    /// # Panics
    /// If x does not have the width the layer was built for (or the layer was not built):
    /// a mistake in the model's code, not in its data, which `fit` has checked against
    /// the model's `inputs` before calling `forward`.
    pub fn forward(&mut self, x: ArrayView2<f32>, training: bool) -> ArrayView2<'_, f32> {
        self.check_input(x);
        let batch = x.nrows();
        if self.y.nrows() != batch {
            self.y = Array2::zeros((batch, self.output_width()));
        }
        self.first_batch.get_or_insert(batch);
        self.layer.forward(x, self.y.view_mut(), training);
        self.y.view()
    }
    // ANCHOR_END: forward

    /// The output y of the last forward pass, `[batch, outputs]`.
    pub fn output(&self) -> ArrayView2<'_, f32> {
        self.y.view()
    }

    /// The pre-activation z of the last forward pass, for a layer that keeps it (`Dense`).
    pub fn logits(&self) -> Option<ArrayView2<'_, f32>> {
        self.layer.logits()
    }

    /// Starts the parameter-gradient sums again: call it on every layer before a backward
    /// pass (a layer called twice in one pass then gets the sum of both gradients).
    pub fn zero_grad(&mut self) {
        self.layer.zero_grad();
    }

    // ANCHOR: backward
    /// The backward pass for the x of the last forward pass and grad_y = dL/dy
    /// `[batch, outputs]`: adds dL/dW and dL/db into the parameter gradients and returns
    /// dL/dx `[batch, inputs]`, writable, so that a gradient from another path can be
    /// added to it.
    ///
    /// # Panics
    /// If x or grad_y do not have the shapes of the last forward pass (a mistake in the
    /// model's code).
    pub fn backward(
        &mut self,
        x: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
    ) -> ArrayViewMut2<'_, f32> {
        self.check_backward(x, grad_y.dim());
        self.clear_grad_x(x.nrows());
        self.layer
            .backward(x, self.y.view(), grad_y, Some(self.grad_x.view_mut()));
        self.grad_x.view_mut()
    }
    // ANCHOR_END: backward

    /// `backward` for a layer that makes one of the model's outputs, from the gradient the
    /// trainer sends into that output: dL/dy, or dL/dz when the loss read the logits.
    pub fn backward_output(
        &mut self,
        x: ArrayView2<f32>,
        grad: OutputGrad<'_>,
    ) -> ArrayViewMut2<'_, f32> {
        match grad {
            OutputGrad::Output(grad_y) => self.backward(x, grad_y),
            OutputGrad::Logits(grad_z) => {
                self.check_backward(x, grad_z.dim());
                self.clear_grad_x(x.nrows());
                self.layer
                    .backward_from_logits(x, grad_z, Some(self.grad_x.view_mut()));
                self.grad_x.view_mut()
            }
        }
    }

    /// The model's code calls the layer on what it was built for.
    fn check_input(&self, x: ArrayView2<f32>) {
        assert!(
            !self.output_shape.is_empty(),
            "layer {} is called before it is built: build it in the model's build",
            self.name
        );
        assert!(
            x.ncols() == self.inputs,
            "layer {} was built for inputs of {} values per sample and is called on {}: \
             build it for the input the model's forward gives it",
            self.name,
            self.inputs,
            x.ncols()
        );
    }

    /// The backward pass gets the shapes of the last forward pass.
    fn check_backward(&self, x: ArrayView2<f32>, grad: (usize, usize)) {
        self.check_input(x);
        assert!(
            x.nrows() == self.y.nrows() && grad == self.y.dim(),
            "layer {}: backward got x of {} rows and a gradient {grad:?}, but its last \
             forward pass gave an output {:?}: pass the x of that forward pass and dL/dy of \
             its output's shape",
            self.name,
            x.nrows(),
            self.y.dim()
        );
    }

    /// dL/dx starts at 0: the layer adds into it.
    fn clear_grad_x(&mut self, batch: usize) {
        if self.grad_x.nrows() != batch {
            self.grad_x = Array2::zeros((batch, self.inputs));
        } else {
            self.grad_x.fill(0.0);
        }
    }

    /// The penalty of the layer's weight regularizers (0 without any): a learner's model
    /// sums it over its layers in `Model::regularization_loss`.
    pub fn regularization_loss(&self) -> f64 {
        self.layer.regularization_loss()
    }

    /// Adds the penalty's gradient into the layer's parameter gradients: a learner's
    /// model calls it on each layer in `Model::add_regularization_gradients`.
    pub fn add_regularization_gradients(&mut self) {
        self.layer.add_regularization_gradients();
    }

    /// The layer's trainable tensors with their gradients and paths (`"dense/kernel"`);
    /// none while the layer is frozen.
    pub fn params(&mut self) -> Params<'_> {
        if !self.layer.trainable() {
            return Params::new();
        }
        let mut params = self.layer.params();
        for (p, path) in params.iter_mut().zip(&self.paths) {
            p.path = path;
        }
        params
    }

    /// The layer's trainable tensors, read-only, named by path (`"dense/kernel"`), in the
    /// order of `params`; none while the layer is frozen.
    pub fn weights(&self) -> Vec<Weight<'_>> {
        if !self.layer.trainable() {
            return Vec::new();
        }
        self.layer
            .weights()
            .into_iter()
            .zip(&self.paths)
            .map(|(w, path)| Weight {
                name: path.clone(),
                ..w
            })
            .collect()
    }

    /// The tensors no optimizer updates, named by path: the frozen layer's weights, then
    /// those the layer updates itself (`"batch_normalization/moving_mean"`). A learner's
    /// model that holds such a layer lists it in `Model::named_layers` (and gives it in
    /// `Model::layer_mut`), and the model's defaults save, restore and count them.
    pub fn non_trainable_weights(&self) -> Vec<Weight<'_>> {
        let frozen = (!self.layer.trainable()).then(|| self.layer.weights());
        let own = frozen.into_iter().flatten();
        own.chain(self.layer.non_trainable_weights())
            .map(|w| Weight {
                name: format!("{}/{}", self.name, w.name),
                ..w
            })
            .collect()
    }

    /// The layer, writable (to restore its tensors, or freeze it with
    /// `Layer::set_trainable`).
    pub fn layer_mut(&mut self) -> &mut L {
        &mut self.layer
    }

    /// Number of trainable scalars (0 while the layer is frozen).
    pub fn param_count(&self) -> usize {
        if self.layer.trainable() {
            self.layer.param_count()
        } else {
            0
        }
    }

    /// The layer's row of a subclassed model's summary: `dense (Dense)`, the output shape
    /// of its first call (`(32, 30)`, or `?` before any), its parameter count.
    pub fn summary_row(&self) -> summary::Row {
        let output_shape = match self.first_batch {
            Some(batch) => {
                let shape: Vec<String> = std::iter::once(batch)
                    .chain(self.output_shape.iter().copied())
                    .map(|d| d.to_string())
                    .collect();
                format!("({})", shape.join(", "))
            }
            None => "?".to_string(),
        };
        summary::Row {
            name: self.name.clone(),
            kind: self.layer.kind(),
            output_shape,
            params: (self.layer.param_count())
                .saturating_add(self.layer.non_trainable_param_count()),
        }
    }

    /// Whether the layer has run a batch.
    pub fn called(&self) -> bool {
        self.first_batch.is_some()
    }
}

/// `Ok` when a batch of `batch` samples, each needing `per_sample` buffer values, fits
/// annlab's size limit (`layers::MAX_ELEMENTS`); otherwise an error telling to choose a
/// smaller batch size. For a learner's own `Model::prepare_batch`.
pub fn check_batch(batch: usize, per_sample: u128) -> Result<(), ModelError> {
    layers::check_batch(batch, per_sample)
}

/// A zeroed `[batch, width]` buffer, allocated fallibly (an error naming `what` rather
/// than an abort when memory is refused). For a learner's own `Model::prepare_batch`.
pub fn batch_buffer(
    batch: usize,
    width: usize,
    what: &str,
) -> Result<Array2<f32>, ModelError> {
    let shape = [batch, width];
    let len = layers::within_limit(
        layers::elements(&shape),
        || format!("{what} {}", shape_str(&shape, false)),
        "it would hold",
    )?;
    let values = layers::try_zeros(len, what)?;
    Ok(Array2::from_shape_vec(shape, values).expect("batch·width values"))
}

/// How many variables Keras 3 counts in an optimizer (the summary's "Optimizer params"):
/// its step counter, its learning rate (a variable unless a schedule sets it), its
/// scalars and every slot value. annlab creates the slots on the first step, Keras when
/// the optimizer is built; the two agree once the model has trained.
pub fn optimizer_params(state: &OptimizerState) -> usize {
    1 + usize::from(state.learning_rate.is_some())
        + state.scalars.len()
        + state.tensors.iter().map(|(_, v)| v.len()).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activations::Activation;
    use crate::layers::Dense;
    use ndarray::array;
    use rand::SeedableRng;

    #[test]
    fn a_buffered_dense_computes_what_the_layer_computes_and_names_its_weights() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut buffered =
            Buffered::new("dense_2", Dense::new(2).activation(Activation::Tanh));
        assert_eq!(buffered.summary_row().output_shape, "?");
        buffered.build(&[3], &mut rng).unwrap();
        let mut same = ChaCha8Rng::seed_from_u64(3);
        let mut plain = Dense::new(2).activation(Activation::Tanh);
        plain.build(&[3], &mut same).unwrap();

        let x = array![[0.5f32, -1.0, 2.0], [1.5, 0.25, -0.5]];
        let y = buffered.forward(x.view(), true).to_owned();
        let mut y_plain = Array2::zeros((2, 2));
        plain.forward(x.view(), y_plain.view_mut(), true);
        assert_eq!(y, y_plain);

        let grad_y = array![[1.0f32, -2.0], [0.5, 3.0]];
        buffered.zero_grad();
        let grad_x = buffered.backward(x.view(), grad_y.view()).to_owned();
        let mut grad_x_plain = Array2::zeros((2, 3));
        plain.zero_grad();
        plain.backward(
            x.view(),
            y_plain.view(),
            grad_y.view(),
            Some(grad_x_plain.view_mut()),
        );
        assert_eq!(grad_x, grad_x_plain);
        let names: Vec<&str> = buffered.params().iter().map(|p| p.path).collect();
        assert_eq!(names, ["dense_2/kernel", "dense_2/bias"]);
        let grads: Vec<Vec<f32>> =
            buffered.params().iter().map(|p| p.grad.to_vec()).collect();
        let grads_plain: Vec<Vec<f32>> =
            plain.params().iter().map(|p| p.grad.to_vec()).collect();
        assert_eq!(grads, grads_plain);
        assert_eq!(buffered.weights()[0].name, "dense_2/kernel");
        assert_eq!(buffered.summary_row().output_shape, "(2, 2)");
        assert_eq!(buffered.summary_row().params, 8);
    }

    #[test]
    fn a_backward_pass_starts_the_input_gradient_from_zero() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let mut buffered = Buffered::new("dense", Dense::new(1));
        buffered.build(&[2], &mut rng).unwrap();
        let x = array![[1.0f32, 2.0]];
        buffered.forward(x.view(), false);
        let grad_y = array![[1.0f32]];
        let first = buffered.backward(x.view(), grad_y.view()).to_owned();
        let second = buffered.backward(x.view(), grad_y.view()).to_owned();
        assert_eq!(first, second);
        // dL/dx = dL/dy · Wᵀ
        let w = buffered.layer().kernel().column(0).to_owned();
        assert_eq!(first.row(0).to_owned(), w);
    }

    #[test]
    fn a_layer_that_cannot_take_its_input_is_an_error_naming_it() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let err = Buffered::new("dense_1", Dense::new(2))
            .build(&[4, 4], &mut rng)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("layer dense_1 (Dense)"), "{err}");
        let err = Buffered::new("dense_3", Dense::new(0))
            .build(&[4], &mut rng)
            .unwrap_err()
            .to_string();
        assert!(err.contains("of layer dense_3"), "{err}");
    }

    #[test]
    #[should_panic(
        expected = "layer dense_2 was built for inputs of 5 values per sample \
                               and is called on 35"
    )]
    fn calling_a_layer_on_another_width_than_it_was_built_for_names_the_layer() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let mut layer = Buffered::new("dense_2", Dense::new(1));
        layer.build(&[5], &mut rng).unwrap();
        layer.forward(Array2::zeros((2, 35)).view(), false);
    }

    #[test]
    #[should_panic(expected = "layer dense is called before it is built")]
    fn calling_a_layer_before_it_is_built_names_the_layer() {
        let mut layer = Buffered::new("dense", Dense::new(1));
        layer.forward(Array2::zeros((2, 3)).view(), false);
    }

    #[test]
    fn a_batch_buffer_over_the_limit_is_an_error() {
        let err = batch_buffer(1 << 20, 1 << 11, "the concat")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("the concat (1048576, 2048) is too large"),
            "{err}"
        );
        assert_eq!(batch_buffer(3, 2, "x").unwrap().dim(), (3, 2));
        let err = check_batch(1 << 29, 3).unwrap_err().to_string();
        assert!(err.ends_with("choose a smaller batch_size"), "{err}");
    }
}
