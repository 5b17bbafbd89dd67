//! The `Model` trait: what a network is to the trainer — build, forward, backward,
//! parameters — and Keras's weight access by position and by name on top of it.

use ndarray::{ArrayD, ArrayView2, IxDyn};

use crate::activations::Activation;
use crate::error::{shape_str, ModelError};
use crate::layers::{check_batch, elements, Layer, Params, Weight};

/// One output of a model, as the trainer sees it when it attaches a loss (a head).
#[derive(Debug, Clone, PartialEq)]
pub struct OutputInfo {
    /// The name of the layer that produces it (`"dense_1"`).
    pub name: String,
    /// Values per sample.
    pub width: usize,
    /// The activation it ends with; softmax and sigmoid can fuse with cross-entropy.
    pub activation: Activation,
    /// Whether `Model::logits` gives the pre-activation z of this output.
    pub has_logits: bool,
}

/// One input of a model: its name and per-sample shape.
#[derive(Debug, Clone, PartialEq)]
pub struct InputInfo {
    /// `"input_layer"`, or the name given to a functional model's `Input`.
    pub name: String,
    /// Per-sample shape, e.g. `[28, 28]`.
    pub shape: Vec<usize>,
}

/// The gradient a head sends back into one output: dL/dŷ, or dL/dz for the
/// pre-activation when the loss read the logits (the exact fused softmax/sigmoid path).
#[derive(Debug, Clone, Copy)]
pub enum OutputGrad<'a> {
    Output(ArrayView2<'a, f32>),
    Logits(ArrayView2<'a, f32>),
}

// ANCHOR: trait
/// A network the trainer can train: `Sequential`, and later the functional and a
/// learner's own models.
///
/// Contract:
/// - `build` creates every parameter (from the model's seed) and checks shapes; it is
///   idempotent, and everything below may assume it has succeeded.
/// - `forward(x, training)` runs a batch `x` `[batch, input features]` and keeps what
///   `backward` needs; `output(i)` (and `logits(i)`, when `outputs()[i].has_logits`)
///   are then that batch's values `[batch, width]`.
/// - `backward(x, grads)` takes the same `x` and one gradient per output, in output
///   order, and leaves in the parameter gradients exactly this batch's dL/dparams: it
///   starts the sums from zero, and where a tensor feeds two layers their gradients add.
/// - `params` lists every trainable tensor with its gradient and its unique Keras path
///   (`"dense_1/kernel"`), always in the same order; `weights` lists the same tensors
///   read-only with their shapes, in the same order. Collecting `params` allocates
///   nothing for up to 16 tensors. A frozen layer's tensors (`trainable` false) are in
///   neither: they are among `non_trainable_weights`, with the tensors layers update
///   themselves (`BatchNormalization`'s moving statistics), which no optimizer sees.
/// - `all_weights` (what `get_weights`, `named_weights` and the save files hold) lists
///   every tensor in Keras's `model.weights` order: layer by layer, each layer's
///   trainable-kind tensors (kernel, bias; gamma, beta) then its non-trainable ones
///   (moving_mean, moving_variance), whether or not the layer is frozen — so freezing
///   a layer does not change the order.
pub trait Model {
    /// The Keras model name shown by `summary` (`"sequential"`).
    fn name(&self) -> &str;

    /// The seed that fixes the initial weights and every random draw of training.
    fn seed(&self) -> u64;

    /// Creates the parameters and checks that every layer accepts its input.
    fn build(&mut self) -> Result<(), ModelError>;

    /// The per-sample input shape, e.g. `[28, 28]` (after `build`).
    fn input_shape(&self) -> Option<&[usize]>;

    /// The inputs, in the order their arrays are given to `fit` (after `build`); a
    /// model with several takes them side by side in one `[batch, features]` matrix.
    fn inputs(&self) -> Vec<InputInfo> {
        self.input_shape()
            .map(|shape| {
                vec![InputInfo {
                    name: "input_layer".into(),
                    shape: shape.to_vec(),
                }]
            })
            .unwrap_or_default()
    }

    /// The outputs a loss can attach to (after `build`).
    fn outputs(&self) -> Vec<OutputInfo>;

    /// Checks that batches of up to `batch` samples fit annlab's size limit
    /// (`layers::MAX_ELEMENTS`: batch × (input values + 4 × every layer's output values)
    /// at most 2³⁰) before anything is allocated, and may make their buffers ready.
    /// `fit`, `evaluate`, `predict` and `loss_and_gradients` call it after `build` with
    /// their largest batch: the batch size clipped to the number of samples. The
    /// default counts the input and the outputs only; a model with hidden layers counts
    /// them as well (`Sequential` does).
    fn prepare_batch(&mut self, batch: usize) -> Result<(), ModelError> {
        let input = self
            .input_shape()
            .map_or(0, |s| elements(s).unwrap_or(u128::MAX));
        let outputs: u128 = self.outputs().iter().map(|o| o.width as u128).sum();
        check_batch(batch, input.saturating_add(outputs.saturating_mul(4)))
    }

    /// Runs a batch through the network.
    fn forward(&mut self, x: ArrayView2<f32>, training: bool);

    /// Output `index` of the last forward pass, `[batch, width]`.
    fn output(&self, index: usize) -> ArrayView2<'_, f32>;

    /// The pre-activation of output `index` in the last forward pass, when it has one.
    fn logits(&self, index: usize) -> Option<ArrayView2<'_, f32>>;

    /// Back-propagates one gradient per output into every parameter gradient.
    fn backward(&mut self, x: ArrayView2<f32>, grads: &[OutputGrad<'_>]);

    /// Σ of the layers' weight-regularizer penalties on the current weights (Keras's
    /// `sum(model.losses)`): training adds it once to every batch's total loss, in `fit`
    /// and `evaluate`. The default, for a model without regularizers, is 0.
    fn regularization_loss(&self) -> f64 {
        0.0
    }

    /// Adds the penalties' gradients into the parameter gradients; the trainer calls it
    /// after `backward`, before the optimizer step. The default does nothing.
    fn add_regularization_gradients(&mut self) {}

    /// Every trainable tensor with its gradient and path.
    fn params(&mut self) -> Params<'_>;

    /// Every trainable tensor, read-only, with its path and shape.
    fn weights(&self) -> Vec<Weight<'_>>;

    /// Keras's `model.summary()` as a string.
    fn summary(&mut self) -> Result<String, ModelError>;

    /// The architecture as data (layer configs), for a saved model; `None` for a model
    /// that cannot be rebuilt from data.
    fn architecture(&self) -> Option<crate::model::Architecture> {
        None
    }

    /// Where each random-drawing layer's generator stands (`("dropout", words)`).
    fn generator_positions(&self) -> Vec<(String, u128)> {
        Vec::new()
    }

    /// Moves the layers' generators back to positions from `generator_positions`.
    fn set_generator_positions(
        &mut self,
        positions: &[(String, u128)],
    ) -> Result<(), ModelError> {
        match positions.first() {
            None => Ok(()),
            Some((name, _)) => Err(ModelError::Data {
                what: "generator positions".into(),
                expected: "none: this model draws no random numbers".into(),
                found: format!("a position for {name:?}"),
            }),
        }
    }

    /// Number of trainable scalars.
    fn param_count(&self) -> usize {
        self.weights().iter().map(|w| w.value.len()).sum()
    }

    /// The model's layers with their names, in Keras's layer order, for a model made of
    /// `Layer`s (`Sequential`, `Functional`; a learner's model may list its `Buffered`
    /// layers): what the defaults of `non_trainable_weights`, `all_weights`,
    /// `set_trainable` and `copy_layer_weights_from` work on. The default is none.
    fn named_layers(&self) -> Vec<(&str, &dyn Layer)> {
        Vec::new()
    }

    /// The layer called `name`, writable (`None` when there is none).
    fn layer_mut(&mut self, name: &str) -> Option<&mut dyn Layer> {
        let _ = name;
        None
    }

    /// Every tensor no optimizer updates, with its path and shape (Keras's
    /// `model.non_trainable_weights`): layer by layer, a frozen layer's weights, then
    /// the tensors a layer updates itself (`batch_normalization/moving_mean`, …).
    fn non_trainable_weights(&self) -> Vec<Weight<'_>> {
        let mut out = Vec::new();
        for (name, layer) in self.named_layers() {
            let frozen = (!layer.trainable()).then(|| layer.weights());
            let own = frozen.into_iter().flatten();
            out.extend(built_under(name, own.chain(layer.non_trainable_weights())));
        }
        out
    }

    /// Number of non-trainable scalars (what `summary` prints as "Non-trainable params").
    fn non_trainable_param_count(&self) -> usize {
        self.non_trainable_weights()
            .iter()
            .map(|w| w.value.len())
            .sum()
    }

    /// Every tensor, trainable or not, with its path and shape, in Keras's
    /// `model.weights` order (see the trait's contract). The default lists each named
    /// layer's `weights` then `non_trainable_weights`; a model without named layers,
    /// its `weights`.
    fn all_weights(&self) -> Vec<Weight<'_>> {
        let layers = self.named_layers();
        if layers.is_empty() {
            return self.weights();
        }
        let mut out = Vec::new();
        for (name, layer) in layers {
            let all = layer.weights().into_iter();
            out.extend(built_under(name, all.chain(layer.non_trainable_weights())));
        }
        out
    }

    /// Freezes (`false`) or unfreezes layer `name`, Keras's `layer.trainable = False`:
    /// a frozen layer gets no gradient step (from the next one on), `summary` counts its
    /// weights as non-trainable, and it is saved and loaded as before; a frozen
    /// `BatchNormalization` normalises with its moving statistics even inside `fit`.
    /// An unknown name, or a layer with weights that cannot be frozen, is an error.
    fn set_trainable(&mut self, layer: &str, trainable: bool) -> Result<(), ModelError> {
        let names = layer_names(self);
        let target = self
            .layer_mut(layer)
            .ok_or_else(|| unknown_layer(layer, "the model", &names))?;
        target.set_trainable(trainable);
        if target.trainable() != trainable && target.param_count() > 0 {
            return Err(ModelError::Usage(format!(
                "layer {layer} ({}) cannot be frozen: it does not implement                  Layer::set_trainable",
                target.kind()
            )));
        }
        Ok(())
    }

    /// Copies the weights of the layers named `layers` from `source` into this model's
    /// layers of the same names — HOML's reuse of a trained model's lower layers, Keras's
    /// `model_b.get_layer(name).set_weights(model_a.get_layer(name).get_weights())` —
    /// every tensor, trainable or not (a `BatchNormalization` brings its moving
    /// statistics). Freeze them afterwards with `set_trainable`. A name missing from
    /// either model, or tensors of other shapes, is an error naming the layer; nothing
    /// is written unless every layer fits.
    fn copy_layer_weights_from(
        &mut self,
        source: &dyn Model,
        layers: &[&str],
    ) -> Result<(), ModelError> {
        self.build()?;
        let source_names = layer_names(source);
        let mut copies: Vec<(String, ArrayD<f32>)> = Vec::new();
        {
            let target_layers = self.named_layers();
            let target_names: Vec<String> =
                target_layers.iter().map(|(n, _)| n.to_string()).collect();
            for &name in layers {
                let from = source
                    .named_layers()
                    .into_iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, l)| l)
                    .ok_or_else(|| {
                        unknown_layer(name, "the source model", &source_names)
                    })?;
                let to = target_layers
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, l)| *l)
                    .ok_or_else(|| unknown_layer(name, "this model", &target_names))?;
                let all = |l: &'_ dyn Layer| -> Vec<(String, Vec<usize>)> {
                    let w = l.weights().into_iter();
                    w.chain(l.non_trainable_weights())
                        .map(|w| (w.name, w.shape))
                        .collect()
                };
                let (have, want) = (all(from), all(to));
                let show = |ws: &[(String, Vec<usize>)]| {
                    ws.iter()
                        .map(|(n, s)| format!("{n} {}", shape_str(s, false)))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                if have != want {
                    return Err(ModelError::Data {
                        what: format!(
                            "the weights of layer {name} copied from the source model"
                        ),
                        expected: format!(
                            "this model's {} ({})",
                            if want.is_empty() {
                                "none".into()
                            } else {
                                show(&want)
                            },
                            to.kind()
                        ),
                        found: format!(
                            "{} ({})",
                            if have.is_empty() {
                                "none".into()
                            } else {
                                show(&have)
                            },
                            from.kind()
                        ),
                    });
                }
                let values = from.weights().into_iter();
                for w in values.chain(from.non_trainable_weights()) {
                    copies.push((format!("{name}/{}", w.name), to_array(&w)));
                }
            }
        }
        self.set_named_weights(&copies)
    }

    /// Every tensor with its shape, trainable or not, in `all_weights` order (layer by
    /// layer: kernel, bias; gamma, beta, moving_mean, moving_variance): Keras's
    /// `get_weights()`. Empty before the model is built.
    fn get_weights(&self) -> Vec<ArrayD<f32>> {
        self.all_weights().iter().map(to_array).collect()
    }

    /// Replaces every tensor: Keras's `set_weights()`. The list must match
    /// `get_weights` in number and shapes; nothing changes when it does not.
    fn set_weights(&mut self, weights: &[ArrayD<f32>]) -> Result<(), ModelError> {
        self.build()?;
        let paths: Vec<String> = {
            let expected = self.all_weights();
            if weights.len() != expected.len() {
                return Err(ModelError::Data {
                    what: "weights for set_weights".into(),
                    expected: format!(
                        "{} tensors ({})",
                        expected.len(),
                        paths(&expected)
                    ),
                    found: format!("{} tensors", weights.len()),
                });
            }
            for (w, new) in expected.iter().zip(weights) {
                check_shape(w, new.shape())?;
            }
            expected.into_iter().map(|w| w.name).collect()
        };
        for (path, new) in paths.iter().zip(weights) {
            write_weight(self, path, new);
        }
        Ok(())
    }

    /// The tensor at `path` (`"dense/kernel"`, `"batch_normalization/moving_mean"`),
    /// with its shape.
    fn get_weight(&self, path: &str) -> Result<ArrayD<f32>, ModelError> {
        let weights = self.all_weights();
        weights
            .iter()
            .find(|w| w.name == path)
            .map(to_array)
            .ok_or_else(|| unknown_path(path, &weights))
    }

    /// Replaces the tensor at `path`; its shape must match.
    fn set_weight(&mut self, path: &str, value: &ArrayD<f32>) -> Result<(), ModelError> {
        self.build()?;
        {
            let weights = self.all_weights();
            let w = weights
                .iter()
                .find(|w| w.name == path)
                .ok_or_else(|| unknown_path(path, &weights))?;
            check_shape(w, value.shape())?;
        }
        write_weight(self, path, value);
        Ok(())
    }

    /// Every tensor with its path, in `all_weights` order: what `save_weights` stores.
    fn named_weights(&self) -> Vec<(String, ArrayD<f32>)> {
        self.all_weights()
            .iter()
            .map(|w| (w.name.clone(), to_array(w)))
            .collect()
    }

    /// Replaces tensors by path. Every path must be one of the model's and every shape
    /// must match; all are checked before any is written.
    fn set_named_weights(
        &mut self,
        weights: &[(String, ArrayD<f32>)],
    ) -> Result<(), ModelError> {
        self.build()?;
        {
            let known = self.all_weights();
            for (path, value) in weights {
                let w = known
                    .iter()
                    .find(|w| &w.name == path)
                    .ok_or_else(|| unknown_path(path, &known))?;
                check_shape(w, value.shape())?;
            }
        }
        for (path, value) in weights {
            write_weight(self, path, value);
        }
        Ok(())
    }
}
// ANCHOR_END: trait

/// Writes `value` (shape checked by the caller) into the tensor at `path`: through the
/// named layer (`"dense/kernel"` → layer `dense`, its `weights` then its
/// `non_trainable_weights`), else among the model's `params`.
fn write_weight<M: Model + ?Sized>(model: &mut M, path: &str, value: &ArrayD<f32>) {
    if let Some((layer_name, tensor)) = path.rsplit_once('/') {
        if let Some(layer) = model.layer_mut(layer_name) {
            let names: Vec<String> =
                layer.weights().into_iter().map(|w| w.name).collect();
            if let Some(i) = names.iter().position(|n| n == tensor) {
                if let Some(p) = layer.params().get_mut(i) {
                    copy_into(p.value, value);
                }
                return;
            }
            let names: Vec<String> = (layer.non_trainable_weights().into_iter())
                .map(|w| w.name)
                .collect();
            if let Some(i) = names.iter().position(|n| n == tensor) {
                if let Some(v) = layer.non_trainable_weights_mut().get_mut(i) {
                    copy_into(v, value);
                }
                return;
            }
        }
    }
    if let Some(p) = model.params().iter_mut().find(|p| p.path == path) {
        copy_into(p.value, value);
    }
}

fn layer_names<M: Model + ?Sized>(model: &M) -> Vec<String> {
    model
        .named_layers()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect()
}

fn unknown_layer(name: &str, model: &str, names: &[String]) -> ModelError {
    ModelError::Data {
        what: format!("layer {name:?}"),
        expected: format!("one of the layers of {model}: {}", names.join(", ")),
        found: "no layer of that name".into(),
    }
}

/// A layer's tensors named by their path under layer `name` (`"dense/kernel"`), the
/// empty ones left out: an unbuilt layer reports its tensors empty, and an unbuilt
/// model has no weights to list (nor to save).
fn built_under<'a>(
    name: &'a str,
    weights: impl Iterator<Item = Weight<'a>> + 'a,
) -> impl Iterator<Item = Weight<'a>> + 'a {
    weights
        .filter(|w| !w.value.is_empty())
        .map(move |w| Weight {
            name: format!("{name}/{}", w.name),
            ..w
        })
}

fn to_array(w: &Weight<'_>) -> ArrayD<f32> {
    ArrayD::from_shape_vec(IxDyn(&w.shape), w.value.to_vec())
        .expect("weight shape matches")
}

/// Copies `new` (any memory order) into a row-major tensor of the same shape.
fn copy_into(dst: &mut [f32], new: &ArrayD<f32>) {
    for (d, &v) in dst.iter_mut().zip(new.iter()) {
        *d = v;
    }
}

fn paths(weights: &[Weight<'_>]) -> String {
    weights
        .iter()
        .map(|w| w.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_path(path: &str, weights: &[Weight<'_>]) -> ModelError {
    ModelError::Data {
        what: format!("weight {path:?}"),
        expected: format!("one of the model's weights: {}", paths(weights)),
        found: "no weight of that name".into(),
    }
}

/// A shape error naming the layer and both shapes.
fn check_shape(w: &Weight<'_>, found: &[usize]) -> Result<(), ModelError> {
    if w.shape == found {
        return Ok(());
    }
    let layer = w.name.rsplit_once('/').map_or(w.name.as_str(), |(l, _)| l);
    Err(ModelError::Data {
        what: format!("weight {} of layer {layer}", w.name),
        expected: format!("shape {}", shape_str(&w.shape, false)),
        found: format!("shape {}", shape_str(found, false)),
    })
}
