//! `Sequential`: a stack of layers, as `keras.Sequential`.

use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{buffers, naming, Model, OutputGrad, OutputInfo};
use crate::error::{shape_str, ModelError};
use crate::layers::{
    check_batch, elements, within_limit, Layer, LayerConfig, Params, Weight,
};
use crate::summary;
use crate::train::Trainer;

/// A linear stack of layers, as `keras.Sequential`. Train it with Keras's calls —
/// `compile`, `fit`, `evaluate`, `predict` — from the `Train` trait (in the prelude).
///
/// ```
/// use annlab::prelude::*;
///
/// # fn main() -> Result<(), ModelError> {
/// // keras.Sequential([Dense(8, activation="relu", input_shape=(2,)),
/// //                   Dense(2, activation="softmax")])
/// let mut model = Sequential::new(42); // the seed of the weights, shuffles, dropout
/// model.add(Dense::new(8).activation(Activation::Relu).input_shape(&[2]));
/// model.add(Dense::new(2).activation(Activation::Softmax));
/// let summary = model.summary()?; //       Keras 3's table
/// // (2·8 + 8) + (8·2 + 2) = 42 parameters
/// assert!(summary.contains(" Total params: 42 (168.00 B)"), "{summary}");
/// # Ok(())
/// # }
/// ```
pub struct Sequential {
    seed: u64,
    layers: Vec<Box<dyn Layer>>,
    names: Vec<String>,
    /// shapes[0] is the input shape, shapes[i + 1] the output of layer i
    shapes: Vec<Vec<usize>>,
    /// param_paths[i]: the paths of layer i's `weights` (`"dense/kernel"`, …), frozen
    /// or not
    param_paths: Vec<Vec<String>>,
    built: bool,
    trainer: Option<Trainer>,
    /// acts[i] is the output of layer i for the last batch: [batch, features]
    acts: Vec<Array2<f32>>,
    /// grads[i] = dL/d acts[i]
    grads: Vec<Array2<f32>>,
    /// needs_grad_x[i]: some layer before i has parameters, so layer i must pass dL/dx back
    needs_grad_x: Vec<bool>,
}

/// The architecture of a `Sequential` model: its layers' names and configs (Keras's
/// `model.get_config()`), as JSON that rebuilds the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequentialConfig {
    pub name: String,
    pub seed: u64,
    pub layers: Vec<NamedLayer>,
}

/// One layer of a `SequentialConfig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedLayer {
    pub name: String,
    #[serde(flatten)]
    pub layer: LayerConfig,
}

impl Sequential {
    /// An empty model. `seed` fixes the initial weights and every epoch's shuffle:
    /// the same seed gives bit-identical figures run after run on the same machine
    /// (another CPU may pick other matrix-product kernels and round differently).
    pub fn new(seed: u64) -> Self {
        Sequential {
            seed,
            layers: Vec::new(),
            names: Vec::new(),
            shapes: Vec::new(),
            param_paths: Vec::new(),
            built: false,
            trainer: None,
            acts: Vec::new(),
            grads: Vec::new(),
            needs_grad_x: Vec::new(),
        }
    }

    /// Appends a layer, named as Keras would (`dense`, `dense_1`, …); the first one must
    /// declare its input shape. The model is built again (fresh weights) and must be
    /// compiled again before training.
    pub fn add(&mut self, layer: impl Layer + 'static) {
        self.add_boxed(Box::new(layer));
    }

    /// `add` for a layer already boxed (one chosen at run time, as `model_fn` takes).
    pub fn add_boxed(&mut self, layer: Box<dyn Layer>) {
        let kind = layer.kind();
        let base = naming::snake_case(kind);
        let count = self.layers.iter().filter(|l| l.kind() == kind).count();
        let name = if count == 0 {
            base
        } else {
            format!("{base}_{count}")
        };
        self.layers.push(layer);
        self.names.push(name);
        self.built = false;
        self.trainer = None;
    }

    /// The layers, in order.
    pub fn layers(&self) -> &[Box<dyn Layer>] {
        &self.layers
    }

    /// The layers' names, in order (`["flatten", "dense", "dense_1"]`).
    pub fn layer_names(&self) -> &[String] {
        &self.names
    }

    /// Number of outputs per sample (after `build`).
    pub fn output_size(&self) -> usize {
        self.shapes.last().map_or(0, |s| s.iter().product())
    }

    /// The architecture, as Keras's `get_config()`.
    pub fn config(&self) -> SequentialConfig {
        SequentialConfig {
            name: "sequential".into(),
            seed: self.seed,
            layers: self
                .layers
                .iter()
                .zip(&self.names)
                .map(|(l, name)| NamedLayer {
                    name: name.clone(),
                    layer: l.config(),
                })
                .collect(),
        }
    }

    /// An unbuilt model with this architecture (Keras's `from_config`): the same layer
    /// names, and with the same seed the same initial weights.
    pub fn from_config(config: &SequentialConfig) -> Result<Self, ModelError> {
        let mut model = Sequential::new(config.seed);
        for named in &config.layers {
            model.add_boxed(named.layer.to_layer()?);
            if model.names.last() != Some(&named.name) {
                // keep the stored name (a renamed layer's weights are found by it)
                *model.names.last_mut().expect("just pushed") = named.name.clone();
            }
        }
        Ok(model)
    }

    /// The compiled trainer, if `compile` has been called since the last `add`.
    pub fn trainer(&self) -> Option<&Trainer> {
        self.trainer.as_ref()
    }

    /// The trainer slot that `Train`'s methods fill and use.
    pub fn trainer_slot(&mut self) -> &mut Option<Trainer> {
        &mut self.trainer
    }

    /// Resizes the per-layer batch buffers when the batch size changes, allocating them
    /// fallibly (`prepare_batch` has checked their size against the limit).
    fn try_ensure_batch(&mut self, batch: usize) -> Result<(), ModelError> {
        if self.acts.first().map(|a| a.nrows()) == Some(batch) {
            return Ok(());
        }
        // each width ≤ MAX_ELEMENTS, checked by build
        let layers = (self.names.iter().map(String::as_str))
            .zip(self.shapes[1..].iter().map(|s| s.iter().product()));
        (self.acts, self.grads) = buffers::try_batch_buffers(batch, layers)?;
        Ok(())
    }

    /// Resizes the per-layer batch buffers when the batch size changes.
    fn ensure_batch(&mut self, batch: usize) {
        if self.acts.first().map(|a| a.nrows()) != Some(batch) {
            let widths = self.shapes[1..].iter().map(|s| s.iter().product());
            (self.acts, self.grads) = buffers::batch_buffers(batch, widths);
        }
    }
}

impl Model for Sequential {
    fn name(&self) -> &str {
        "sequential"
    }

    fn seed(&self) -> u64 {
        self.seed
    }

    /// Creates every layer's parameters and checks that each layer accepts the shape
    /// the one before gives it. `compile`, `fit` and `summary` build when needed.
    fn build(&mut self) -> Result<(), ModelError> {
        if self.built {
            return Ok(());
        }
        let first = self.layers.first().ok_or_else(|| {
            ModelError::Usage(
                "the model has no layers: add some with model.add(...)".into(),
            )
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
        check_input_shape(&input, &self.names[0])?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        self.shapes = vec![input];
        // every count in u128 and against MAX_ELEMENTS, before the layer allocates
        let mut total: u128 = 0;
        for (layer, name) in self.layers.iter_mut().zip(&self.names) {
            let input = self.shapes.last().expect("input shape pushed first");
            let kind = layer.kind();
            let what = || format!("layer {name} ({kind})");
            if let Some(planned) = layer.planned_param_count(input) {
                within_limit(Some(planned), what, "its parameters would be")?;
                let with_it = Some(total + planned);
                within_limit(with_it, what, "with it the model's parameters would be")?;
            }
            let output = layer
                .build(input, &mut rng)
                .map_err(|e| naming::name_layer(e, name))?;
            within_limit(
                elements(&output),
                || format!("output {} of layer {name}", shape_str(&output, true)),
                "each sample would hold",
            )?;
            // a layer that cannot plan its parameters is checked once it has them
            total += layer.param_count() as u128;
            within_limit(Some(total), what, "with it the model's parameters are")?;
            self.shapes.push(output);
        }
        // each layer that draws while training gets a generator of its own: the model's
        // seed on stream 2 + its position (stream 0 initialises, stream 1 shuffles)
        for (i, layer) in self.layers.iter_mut().enumerate() {
            let mut generator = ChaCha8Rng::seed_from_u64(self.seed);
            generator.set_stream(2 + i as u64);
            layer.set_generator(generator);
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
        self.param_paths = self
            .layers
            .iter()
            .zip(&self.names)
            .map(|(l, name)| {
                l.weights()
                    .into_iter()
                    .map(move |w| format!("{name}/{}", w.name))
                    .collect()
            })
            .collect();
        self.acts.clear();
        self.grads.clear();
        self.built = true;
        Ok(())
    }

    fn input_shape(&self) -> Option<&[usize]> {
        self.shapes.first().map(Vec::as_slice)
    }

    /// Per sample: the input, and for every layer its output, the output's gradient and
    /// up to two buffers of the same size inside the layer — 4 × each output. The
    /// model's own buffers (outputs and gradients) are then allocated, fallibly.
    fn prepare_batch(&mut self, batch: usize) -> Result<(), ModelError> {
        self.build()?;
        // each shape holds at most MAX_ELEMENTS values (build checked): no overflow
        let values = |s: &Vec<usize>| s.iter().product::<usize>() as u128;
        let outputs: u128 = self.shapes[1..].iter().map(values).sum();
        check_batch(batch, values(&self.shapes[0]) + 4 * outputs)?;
        self.try_ensure_batch(batch)
    }

    fn outputs(&self) -> Vec<OutputInfo> {
        match (self.layers.last(), self.names.last()) {
            (Some(last), Some(name)) if self.built => vec![OutputInfo {
                name: name.clone(),
                width: self.output_size(),
                activation: last.output_activation(),
                has_logits: last.logits().is_some(),
            }],
            _ => Vec::new(),
        }
    }

    // ANCHOR: forward
    /// Runs every layer on the batch x: `acts[0] = layer0(x)`, `acts[i] = layer_i(acts[i−1])`.
    fn forward(&mut self, x: ArrayView2<f32>, training: bool) {
        self.ensure_batch(x.nrows());
        for i in 0..self.layers.len() {
            let (lower, upper) = self.acts.split_at_mut(i);
            let input = if i == 0 {
                x.view()
            } else {
                lower[i - 1].view()
            };
            self.layers[i].forward(input, upper[0].view_mut(), training);
        }
    }
    // ANCHOR_END: forward

    fn output(&self, index: usize) -> ArrayView2<'_, f32> {
        debug_assert_eq!(index, 0, "a Sequential model has one output");
        self.acts.last().expect("forward ran").view()
    }

    fn logits(&self, index: usize) -> Option<ArrayView2<'_, f32>> {
        debug_assert_eq!(index, 0, "a Sequential model has one output");
        self.layers.last()?.logits()
    }

    // ANCHOR: backward
    /// From the output's gradient back to the first layer with parameters: each layer
    /// adds dL/dx into the zeroed gradient of the layer before.
    fn backward(&mut self, x: ArrayView2<f32>, grads: &[OutputGrad<'_>]) {
        let last = self.layers.len() - 1;
        for layer in &mut self.layers {
            layer.zero_grad();
        }
        for i in (0..=last).rev() {
            let (lower, upper) = self.grads.split_at_mut(i);
            let grad_x = if self.needs_grad_x[i] {
                let gx = &mut lower[i - 1]; // dL/d acts[i − 1], summed into from 0
                gx.fill(0.0);
                Some(gx.view_mut())
            } else {
                None
            };
            let input = if i == 0 {
                x.view()
            } else {
                self.acts[i - 1].view()
            };
            if i < last {
                let grad_y = upper[0].view();
                self.layers[i].backward(input, self.acts[i].view(), grad_y, grad_x);
                continue;
            }
            match grads[0] {
                OutputGrad::Logits(grad_z) => {
                    self.layers[i].backward_from_logits(input, grad_z, grad_x)
                }
                OutputGrad::Output(grad_y) => {
                    self.layers[i].backward(input, self.acts[i].view(), grad_y, grad_x)
                }
            }
        }
    }
    // ANCHOR_END: backward

    fn regularization_loss(&self) -> f64 {
        self.layers.iter().map(|l| l.regularization_loss()).sum()
    }

    fn add_regularization_gradients(&mut self) {
        for layer in &mut self.layers {
            layer.add_regularization_gradients();
        }
    }

    /// The trainable layers' parameters (a frozen layer's are left out).
    fn params(&mut self) -> Params<'_> {
        let mut all = Params::new();
        for (layer, paths) in self.layers.iter_mut().zip(&self.param_paths) {
            if !layer.trainable() {
                continue;
            }
            for (mut p, path) in layer.params().into_iter().zip(paths) {
                p.path = path;
                all.push(p);
            }
        }
        all
    }

    fn weights(&self) -> Vec<Weight<'_>> {
        self.layers
            .iter()
            .zip(&self.param_paths)
            .filter(|(l, _)| l.trainable())
            .flat_map(|(l, paths)| {
                l.weights().into_iter().zip(paths).map(|(w, path)| Weight {
                    name: path.clone(),
                    ..w
                })
            })
            .collect()
    }

    fn named_layers(&self) -> Vec<(&str, &dyn Layer)> {
        self.names
            .iter()
            .map(String::as_str)
            .zip(self.layers.iter().map(|l| l.as_ref() as &dyn Layer))
            .collect()
    }

    fn layer_mut(&mut self, name: &str) -> Option<&mut dyn Layer> {
        let i = self.names.iter().position(|n| n == name)?;
        Some(self.layers[i].as_mut())
    }

    fn summary(&mut self) -> Result<String, ModelError> {
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
                params: (layer.param_count())
                    .saturating_add(layer.non_trainable_param_count()),
            })
            .collect();
        let totals = summary::Totals {
            trainable: self.param_count(),
            non_trainable: self.non_trainable_param_count(),
            optimizer: self.trainer().and_then(Trainer::optimizer_params),
        };
        Ok(summary::render("sequential", &rows, totals))
    }

    /// The trainable layers' scalars.
    fn param_count(&self) -> usize {
        // at most MAX_ELEMENTS once built; saturating for a layer that misreports
        self.layers
            .iter()
            .filter(|l| l.trainable())
            .fold(0usize, |n, l| n.saturating_add(l.param_count()))
    }

    fn architecture(&self) -> Option<super::Architecture> {
        Some(super::Architecture::Sequential(self.config()))
    }

    fn generator_positions(&self) -> Vec<(String, u128)> {
        let layers = self.layers.iter().map(|l| l.as_ref() as &dyn Layer);
        buffers::generator_positions(self.names.iter().map(String::as_str).zip(layers))
    }

    fn set_generator_positions(
        &mut self,
        positions: &[(String, u128)],
    ) -> Result<(), ModelError> {
        let names = self.names.iter().map(String::as_str);
        buffers::set_generator_positions(positions, names.zip(self.layers.iter_mut()))
    }
}

/// The first layer's declared input shape: at least one dimension, none of them 0, and
/// at most `MAX_ELEMENTS` values per sample.
fn check_input_shape(shape: &[usize], first: &str) -> Result<(), ModelError> {
    let what = || format!("input_shape {} of layer {first}", shape_str(shape, false));
    let why = if shape.is_empty() {
        "it needs at least one dimension, e.g. (784,) or (28, 28)"
    } else if shape.contains(&0) {
        "every dimension must be at least 1"
    } else {
        within_limit(elements(shape), what, "each sample would hold")?;
        return Ok(());
    };
    Err(ModelError::Config {
        what: what(),
        why: why.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::{Dense, FlattenConfig};
    use ndarray::ArrayViewMut2;

    /// A layer that reports `params` parameters once built and holds none: a model's
    /// size without its memory.
    struct Claims {
        params: usize,
        plans: bool,
        built: bool,
    }

    fn claims(params: usize, plans: bool) -> Claims {
        Claims {
            params,
            plans,
            built: false,
        }
    }

    impl Layer for Claims {
        fn kind(&self) -> &'static str {
            "Claims"
        }
        fn config(&self) -> LayerConfig {
            LayerConfig::Flatten(FlattenConfig { input_shape: None })
        }
        fn build(
            &mut self,
            input_shape: &[usize],
            _rng: &mut ChaCha8Rng,
        ) -> Result<Vec<usize>, ModelError> {
            self.built = true;
            Ok(input_shape.to_vec())
        }
        fn planned_param_count(&self, _input_shape: &[usize]) -> Option<u128> {
            self.plans.then_some(self.params as u128)
        }
        fn output_size(&self) -> usize {
            2
        }
        fn forward(
            &mut self,
            _x: ArrayView2<f32>,
            _y: ArrayViewMut2<f32>,
            _training: bool,
        ) {
        }
        fn backward(
            &mut self,
            _x: ArrayView2<f32>,
            _y: ArrayView2<f32>,
            _grad_y: ArrayView2<f32>,
            _grad_x: Option<ArrayViewMut2<f32>>,
        ) {
        }
        fn param_count(&self) -> usize {
            if self.built {
                self.params
            } else {
                0
            }
        }
    }

    #[test]
    fn the_parameter_limit_counts_the_whole_model_and_stops_before_the_layer_that_crosses_it(
    ) {
        // 6 + 2²⁹ + 2²⁹ = 2³⁰ + 6 parameters: the third layer crosses the limit
        let mut model = Sequential::new(0);
        model.add(Dense::new(2).input_shape(&[2]));
        model.add(claims(1 << 29, true));
        model.add(claims(1 << 29, true));
        let err = model.build().unwrap_err().to_string();
        assert!(
            err.starts_with(
                "layer claims_1 (Claims) is too large: with it the model's parameters \
                 would be 1,073,741,830 f32 values"
            ),
            "{err}"
        );
        // refused before it was built
        assert_eq!(model.layers()[2].param_count(), 0);
        assert_eq!(model.layers()[1].param_count(), 1 << 29);
    }

    #[test]
    fn a_layer_that_cannot_plan_its_parameters_is_counted_once_built() {
        let mut model = Sequential::new(0);
        model.add(Dense::new(2).input_shape(&[2]));
        model.add(claims(1 << 30, false));
        let err = model.build().unwrap_err().to_string();
        assert!(
            err.starts_with(
                "layer claims (Claims) is too large: with it the model's parameters \
                 are 1,073,741,830 f32 values"
            ),
            "{err}"
        );
    }

    #[test]
    fn prepare_batch_refuses_a_batch_over_the_limit_and_allocates_one_below() {
        // per sample: 3 inputs + 4 × (4 + 2) outputs = 27 values; 2³⁰ / 27 = 39,768,215.2
        let mut model = Sequential::new(0);
        model.add(Dense::new(4).input_shape(&[3]));
        model.add(Dense::new(2));
        let err = model.prepare_batch(39_768_216).unwrap_err().to_string();
        assert!(
            err.starts_with("a batch of 39,768,216 samples is too large")
                && err.contains("1,073,741,832 f32 values")
                && err.ends_with("choose a smaller batch_size"),
            "{err}"
        );
        model.prepare_batch(5).expect("5 samples fit");
        let dims: Vec<_> = model
            .acts
            .iter()
            .chain(&model.grads)
            .map(|a| a.dim())
            .collect();
        assert_eq!(dims, [(5, 4), (5, 2), (5, 4), (5, 2)]);
    }

    #[test]
    fn a_layer_error_names_the_layer() {
        let mut model = Sequential::new(0);
        model.add(Dense::new(3).input_shape(&[2]));
        model.add(crate::layers::Dropout::new(1.0));
        let err = model.build().unwrap_err().to_string();
        assert!(
            err.starts_with("invalid Dropout rate of layer dropout: must be in [0, 1)"),
            "{err}"
        );
    }
}
