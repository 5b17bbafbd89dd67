//! The `Layer` trait every layer implements, the `Param` an optimizer updates and the
//! read-only `Weight` a model reports.

use ndarray::{ArrayView2, ArrayViewMut2};
use rand_chacha::ChaCha8Rng;
use smallvec::SmallVec;

use super::LayerConfig;
use crate::activations::Activation;
use crate::error::ModelError;

/// One trainable tensor, flattened row-major, with the gradient of the last backward
/// pass beside it. Optimizers update `value` from `grad` and key their state by `path`.
pub struct Param<'a> {
    /// `"kernel"` or `"bias"`, as Keras names them.
    pub name: &'static str,
    /// The tensor's Keras path, `"dense_1/kernel"`: filled in by the model, which knows
    /// the layer's name (a layer on its own leaves it empty).
    pub path: &'a str,
    pub value: &'a mut [f32],
    pub grad: &'a mut [f32],
}

/// A layer's or model's parameters: on the stack for up to 16 tensors, so collecting
/// them for every optimizer step allocates nothing.
pub type Params<'a> = SmallVec<[Param<'a>; 16]>;

/// One trainable tensor, read-only, with its shape: `kernel` `[n_inputs, units]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Weight<'a> {
    /// `"kernel"`, `"bias"`; a model reports the full path (`"dense/kernel"`).
    pub name: String,
    pub shape: Vec<usize>,
    /// The values, row-major.
    pub value: &'a [f32],
}

/// A layer of a model.
///
/// Contract:
/// - `build` is called once with the per-sample input shape (no batch axis) and returns
///   the per-sample output shape. It refuses, before allocating, a parameter tensor or
///   an output sample of more than `MAX_ELEMENTS` values (`ModelError::TooLarge`), and
///   counts sizes with checked arithmetic (`elements`), so that no size wraps around. Data flows as 2-D batches `[batch, features]`,
///   features being the product of the shape, so `Flatten` changes only the shape a
///   model reports.
/// - `forward` writes `y` for a batch `x`; `training` is true inside `fit` (dropout and
///   the like act only then).
/// - `backward` is then called with the same `x` and `y` and `grad_y` = dL/dy. It **adds**
///   dL/dx into `grad_x` when given, and **adds** dL/dparams into the parameter
///   gradients, so that a tensor read by two layers, or a layer called twice, receives
///   the sum of both gradients. `zero_grad` (which the model calls once before each
///   backward pass) starts the parameter sums again; it may do so lazily.
/// - `params` lists the trainable tensors with their gradients and `weights` the same
///   tensors read-only with their shapes, in one fixed order (whether or not the layer
///   is frozen: the model leaves a frozen layer's tensors out of its own `params`).
///   `non_trainable_weights` lists the tensors the layer updates itself, if any.
/// - Neither `forward` nor `backward` allocates once the batch size is stable.
pub trait Layer {
    /// The Keras class name shown by `summary`: `"Dense"`, `"Flatten"`, …
    fn kind(&self) -> &'static str;

    /// The settings that rebuild this layer (Keras's `get_config`), weights excluded.
    fn config(&self) -> LayerConfig;

    /// Checks the input shape, creates the parameters and returns the output shape.
    fn build(
        &mut self,
        input_shape: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError>;

    /// The input shape this layer declares, as `input_shape=(28, 28)` does in Keras;
    /// the first layer of a model must declare one.
    fn declared_input_shape(&self) -> Option<&[usize]> {
        None
    }

    /// How many trainable scalars `build(input_shape)` will create, counted without
    /// allocating (in u128, so no count wraps), so that a model refuses a size beyond
    /// `MAX_ELEMENTS` before any layer allocates. `None` (the default) when the layer
    /// cannot tell: the model then checks `param_count` after `build`.
    fn planned_param_count(&self, input_shape: &[usize]) -> Option<u128> {
        let _ = input_shape;
        None
    }

    /// Number of features in one output sample (valid after `build`).
    fn output_size(&self) -> usize;

    /// y = layer(x); x: `[batch, n_inputs]`, y: `[batch, output_size]`.
    fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, training: bool);

    /// Adds dL/dparams into the parameter gradients and dL/dx into `grad_x` when given.
    fn backward(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    );

    /// Starts the parameter-gradient sums again before a backward pass.
    fn zero_grad(&mut self) {}

    /// Gives a layer that draws random numbers while training (dropout) its own
    /// generator; the model seeds one per layer from its seed, so that the same seed
    /// draws the same numbers.
    fn set_generator(&mut self, rng: ChaCha8Rng) {
        let _ = rng;
    }

    /// Where the layer's generator stands, for layers that have one (saved with the
    /// training state, so that training continues with the same draws).
    fn generator_position(&self) -> Option<u128> {
        None
    }

    /// Moves the layer's generator to `position`.
    fn set_generator_position(&mut self, position: u128) {
        let _ = position;
    }

    /// The penalty of the layer's weight regularizers on its current weights (0 for a
    /// layer without any): what training adds to the loss of every batch.
    fn regularization_loss(&self) -> f64 {
        0.0
    }

    /// Adds the gradient of `regularization_loss` into the parameter gradients, after a
    /// backward pass (a no-op for a layer without regularizers).
    fn add_regularization_gradients(&mut self) {}

    /// The trainable tensors with their gradients, in a fixed order (paths left empty).
    fn params(&mut self) -> Params<'_> {
        Params::new()
    }

    /// The trainable tensors, read-only, with their shapes, in the order of `params`.
    fn weights(&self) -> Vec<Weight<'_>> {
        Vec::new()
    }

    /// Number of trainable scalars.
    fn param_count(&self) -> usize {
        0
    }

    /// The tensors the layer keeps but never trains by gradient (Keras's non-trainable
    /// variables: `BatchNormalization`'s `moving_mean` and `moving_variance`), read-only
    /// with their shapes, in a fixed order. They are saved and restored with the
    /// trainable ones, counted as non-trainable by `summary`, and no optimizer sees them
    /// (they are not in `params`). The default, for most layers, is none.
    fn non_trainable_weights(&self) -> Vec<Weight<'_>> {
        Vec::new()
    }

    /// The tensors of `non_trainable_weights`, writable, in the same order (for restoring
    /// them from a file or another model).
    fn non_trainable_weights_mut(&mut self) -> Vec<&mut [f32]> {
        Vec::new()
    }

    /// Number of scalars in `non_trainable_weights`.
    fn non_trainable_param_count(&self) -> usize {
        self.non_trainable_weights()
            .iter()
            .map(|w| w.value.len())
            .sum()
    }

    /// Whether the layer is trained (Keras's `layer.trainable`, true by default). A
    /// frozen layer's `weights` get no gradient step: its model lists them among its
    /// non-trainable weights and leaves them out of `params`. The default, for a layer
    /// that cannot be frozen, is always true.
    fn trainable(&self) -> bool {
        true
    }

    /// Freezes (`false`) or unfreezes the layer. Layers with weights override it
    /// (`Dense`, `BatchNormalization`, which then also runs in inference mode, as in
    /// Keras); the default ignores it, and a model refuses to freeze a layer with
    /// weights that does not take it.
    fn set_trainable(&mut self, trainable: bool) {
        let _ = trainable;
    }

    /// The activation the layer ends with; a model fuses a final softmax with
    /// cross-entropy (exact log-softmax, as Keras does).
    fn output_activation(&self) -> Activation {
        Activation::Linear
    }

    /// The pre-activation z of the last forward pass, for layers ending with softmax.
    fn logits(&self) -> Option<ArrayView2<'_, f32>> {
        None
    }

    /// Backward pass given dL/dz for the pre-activation (the fused softmax path), with
    /// `backward`'s adding rule. Layers that return `Some` from `logits` implement it.
    fn backward_from_logits(
        &mut self,
        x: ArrayView2<f32>,
        grad_z: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        let _ = (x, grad_z, grad_x);
    }
}

/// A shape error naming the layer, what it expects and what it got.
pub(crate) fn shape_error(
    kind: &'static str,
    expected: String,
    found: &[usize],
) -> ModelError {
    ModelError::Shape {
        layer: String::new(),
        kind,
        expected,
        found: crate::error::shape_str(found, false),
    }
}
