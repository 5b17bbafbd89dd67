//! `save_model` / `load_model`: the whole model — architecture, weights, compile
//! settings and training state — in one safetensors file (see the module doc for why).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::atomic::write_atomic;
use super::tensors::{self, Tensor};
use super::weights::{set_weights_from, show, weight_tensors, OPTIMIZER_PREFIX};
use super::SaveError;
use crate::callbacks::Context;
use crate::layers::LayerConfig;
use crate::model::{Architecture, Functional, Model, NodeOp, Sequential};
use crate::optimizers::OptimizerConfig;
use crate::train::{Compile, Compiled, Train, TrainingState};

/// The value of the `format` metadata key that marks a whole-model file.
pub const FORMAT: &str = "annlab.model/1";

/// What `__metadata__["model"]` holds, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// The layers, their settings and connections (`Sequential::config`,
    /// `Functional::config`).
    pub architecture: Architecture,
    /// How the model was compiled; `None` for a model never compiled.
    pub compile: Option<CompileConfig>,
    /// Where training stands; its optimizer slots are stored as tensors, not here.
    pub training: Option<TrainingState>,
}

/// `compile(loss=…, optimizer=…, metrics=[…])` as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompileConfig {
    /// The loss's Keras name (`losses::from_name` reads it back); the first output's
    /// when there are several.
    pub loss: String,
    pub optimizer: OptimizerConfig,
    /// The metrics' names (`metrics::from_name` reads them back), for a model with one
    /// output.
    pub metrics: Vec<String>,
    /// Each output's loss, for a model with several outputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub losses: Vec<String>,
    /// `loss_weights`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_weights: Option<Vec<f32>>,
    /// Each output's metrics, for a model with several outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_metrics: Option<Vec<Vec<String>>>,
}

impl CompileConfig {
    /// The settings `compile` was given, with the optimizer as it stands.
    fn new(compiled: &Compiled, optimizer: OptimizerConfig) -> Self {
        let several = compiled.losses.len() > 1;
        CompileConfig {
            loss: compiled.losses.first().copied().unwrap_or_default().into(),
            optimizer,
            metrics: match compiled.metrics.as_slice() {
                [only] => only.clone(),
                _ => Vec::new(),
            },
            losses: if several {
                compiled.losses.iter().map(|l| l.to_string()).collect()
            } else {
                Vec::new()
            },
            loss_weights: compiled.loss_weights.clone(),
            output_metrics: several.then(|| compiled.metrics.clone()),
        }
    }

    /// The `Compile` these settings describe, with `optimizer` built from them.
    fn to_compile(&self, path: &str) -> Result<Compile, SaveError> {
        let optimizer = self.optimizer.build().map_err(SaveError::model(path))?;
        fn names(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let mut spec = if self.losses.is_empty() {
            Compile::new(&self.loss)
        } else {
            Compile::losses(&names(&self.losses))
        };
        spec = spec.optimizer(optimizer);
        if let Some(w) = &self.loss_weights {
            spec = spec.loss_weights(w);
        }
        Ok(match &self.output_metrics {
            Some(lists) => {
                let lists: Vec<Vec<&str>> = lists.iter().map(|l| names(l)).collect();
                let refs: Vec<&[&str]> = lists.iter().map(Vec::as_slice).collect();
                spec.output_metrics(&refs)
            }
            None => spec.metrics(&names(&self.metrics)),
        })
    }
}

// ANCHOR: save_model
/// Keras's `model.save(path)`: weights, optimizer slots (`optimizer/dense/kernel/…`)
/// and, in the header's `__metadata__`, the architecture, compile settings and
/// training state as JSON. Written atomically. A `Sequential` or a `Functional` model;
/// a model that cannot describe its architecture (a learner's own) is an error that
/// says to save its weights.
pub fn save_model<M: Train>(model: &M, path: impl AsRef<Path>) -> Result<(), SaveError> {
    let path = path.as_ref();
    let compile = compile_config(model, path)?;
    write_model_file(model, path, compile, model.training_state())
}

/// How `model` was compiled, as data; `None` if it was not.
fn compile_config<M: Train>(
    model: &M,
    path: &Path,
) -> Result<Option<CompileConfig>, SaveError> {
    let Some(t) = model.trainer() else {
        return Ok(None);
    };
    let optimizer =
        OptimizerConfig::of(t.optimizer()).map_err(SaveError::model(&show(path)))?;
    Ok(Some(CompileConfig::new(t.compiled(), optimizer)))
}

/// `save_model` from inside `fit`, for a callback (`ModelCheckpoint`): the trainer is
/// busy, so the compile settings and training state come from the callback's context.
pub fn save_model_from_context(
    ctx: &mut Context<'_>,
    path: impl AsRef<Path>,
) -> Result<(), SaveError> {
    let path = path.as_ref();
    let fit = ctx.fit_state().copied();
    let optimizer = ctx.optimizer();
    let (compile, training) = match fit {
        None => (None, None),
        Some(fit) => {
            let optimizer_config =
                OptimizerConfig::of(optimizer).map_err(SaveError::model(&show(path)))?;
            let compile = CompileConfig::new(fit.compiled, optimizer_config);
            let training = TrainingState {
                optimizer: optimizer.state(),
                shuffle_seed: fit.shuffle_seed,
                shuffle_position: fit.shuffle_position,
                generators: Vec::new(), // read from the model below
            };
            (Some(compile), Some(training))
        }
    };
    let model = ctx.model();
    let training = training.map(|t| TrainingState {
        generators: model.generator_positions(),
        ..t
    });
    write_model_file(model, path, compile, training)
}
// ANCHOR_END: save_model

/// The bytes [`save_model`] writes; `name` names the file in errors.
#[doc(hidden)]
pub fn save_model_to_bytes<M: Train>(
    model: &M,
    name: &str,
) -> Result<Vec<u8>, SaveError> {
    let path = Path::new(name);
    let compile = compile_config(model, path)?;
    model_file_bytes(model, path, compile, model.training_state())
}

/// Writes the file [`model_file_bytes`] makes, atomically.
fn write_model_file(
    model: &dyn Model,
    path: &Path,
    compile: Option<CompileConfig>,
    training: Option<TrainingState>,
) -> Result<(), SaveError> {
    write_atomic(path, &model_file_bytes(model, path, compile, training)?)
}

/// The file: weights and slots as tensors, the rest as JSON in `__metadata__`.
fn model_file_bytes(
    model: &dyn Model,
    path: &Path,
    compile: Option<CompileConfig>,
    training: Option<TrainingState>,
) -> Result<Vec<u8>, SaveError> {
    let shown = show(path);
    let architecture = model.architecture().ok_or_else(|| SaveError::Metadata {
        path: shown.clone(),
        why: "this model cannot describe its architecture as data (a model written as \
              code, such as a learner's own Model, has no layer configs to save): save its \
              weights with save_weights (or a ModelCheckpoint path ending in \
              .weights.safetensors), and build the model in code before load_weights"
            .into(),
    })?;
    let mut tensors = weight_tensors(model, path)?;
    let training = training.map(|mut state| {
        for (name, values) in std::mem::take(&mut state.optimizer.tensors) {
            let shape = slot_shape(model, &name, values.len());
            tensors.push((format!("{OPTIMIZER_PREFIX}{name}"), shape, values));
        }
        state
    });
    let file = ModelFile {
        architecture,
        compile,
        training,
    };
    let json = serde_json::to_string(&file).map_err(|e| SaveError::Metadata {
        path: shown.clone(),
        why: format!("the model's settings cannot be written as JSON: {e}"),
    })?;
    let metadata = HashMap::from([
        ("format".to_string(), FORMAT.to_string()),
        ("model".to_string(), json),
    ]);
    tensors::encode(&tensors, metadata, &shown)
}

// ANCHOR: load_model
/// Keras's `keras.models.load_model(path)` for a `Sequential` model: the model rebuilt
/// from its architecture, compiled as it was, with its weights and training state, so
/// it predicts exactly as the saved model and its next `fit` continues exactly as the
/// saved model's would.
pub fn load_model(path: impl AsRef<Path>) -> Result<Sequential, SaveError> {
    let path = path.as_ref();
    load_model_from_bytes(&tensors::read_bytes(path)?, &show(path))
}
// ANCHOR_END: load_model

/// `load_model` for a file `save_model` wrote from a `Functional` model.
pub fn load_functional(path: impl AsRef<Path>) -> Result<Functional, SaveError> {
    let path = path.as_ref();
    load_functional_from_bytes(&tensors::read_bytes(path)?, &show(path))
}

/// [`load_model`] from a file's bytes in memory; `name` names the file in errors. The
/// entry point of the `model_file` fuzz target.
#[doc(hidden)]
pub fn load_model_from_bytes(bytes: &[u8], name: &str) -> Result<Sequential, SaveError> {
    load_from_bytes(bytes, name)
}

/// [`load_functional`] from a file's bytes in memory.
#[doc(hidden)]
pub fn load_functional_from_bytes(
    bytes: &[u8],
    name: &str,
) -> Result<Functional, SaveError> {
    load_from_bytes(bytes, name)
}

/// A model `save_model` can store and a load function rebuild from its architecture.
pub trait Rebuild: Train {
    /// `load_model` or `load_functional`: what loads this kind.
    const LOADER: &'static str;
    /// The model this architecture describes, unbuilt; `None` when it describes
    /// another kind of model.
    fn rebuild(
        architecture: &Architecture,
    ) -> Option<Result<Self, crate::error::ModelError>>;
}

impl Rebuild for Sequential {
    const LOADER: &'static str = "load_model";
    fn rebuild(
        architecture: &Architecture,
    ) -> Option<Result<Self, crate::error::ModelError>> {
        match architecture {
            Architecture::Sequential(c) => Some(Sequential::from_config(c)),
            _ => None,
        }
    }
}

impl Rebuild for Functional {
    const LOADER: &'static str = "load_functional";
    fn rebuild(
        architecture: &Architecture,
    ) -> Option<Result<Self, crate::error::ModelError>> {
        match architecture {
            Architecture::Functional(c) => Some(Functional::from_config(c)),
            _ => None,
        }
    }
}

fn load_from_bytes<M: Rebuild>(bytes: &[u8], name: &str) -> Result<M, SaveError> {
    let shown = name.to_string();
    let file = tensors::decode(bytes, &shown)?;
    let meta = read_metadata(&file.metadata, &shown)?;
    let held: usize = file
        .tensors
        .iter()
        .filter(|(name, _, _)| !name.starts_with(OPTIMIZER_PREFIX))
        .map(|(_, _, values)| values.len())
        .sum();
    check_weight_count(&meta.architecture, held, &shown)?;
    if let Some(state) = &meta.training {
        check_training_state(state, &shown)?;
    }
    let rebuilt = M::rebuild(&meta.architecture).ok_or_else(|| {
        let loader = match meta.architecture {
            Architecture::Sequential(_) => Sequential::LOADER,
            Architecture::Functional(_) => Functional::LOADER,
        };
        SaveError::Metadata {
            path: shown.clone(),
            why: format!(
                "it holds a {} model: load it with {loader}",
                meta.architecture.class_name()
            ),
        }
    })?;
    let mut model = rebuilt.map_err(|source| SaveError::Metadata {
        path: shown.clone(),
        why: format!("its architecture cannot be rebuilt: {source}"),
    })?;
    let (slots, weights): (Vec<Tensor>, Vec<Tensor>) = file
        .tensors
        .into_iter()
        .partition(|(name, _, _)| name.starts_with(OPTIMIZER_PREFIX));
    if let Some(c) = &meta.compile {
        let spec = c.to_compile(&shown)?;
        model.compile(spec).map_err(SaveError::model(&shown))?;
    }
    set_weights_from(&mut model, weights, &shown)?;
    match (meta.training, meta.compile.is_some()) {
        (Some(mut state), true) => {
            state.optimizer.tensors = slots
                .into_iter()
                .map(|(name, _, values)| {
                    (name[OPTIMIZER_PREFIX.len()..].to_string(), values)
                })
                .collect();
            model
                .set_training_state(&state)
                .map_err(SaveError::model(&shown))?;
        }
        (None, _) if slots.is_empty() => {}
        _ => {
            return Err(SaveError::Metadata {
                path: shown,
                why: "it holds a training state or optimizer slots but no compile \
                      settings: the file is inconsistent, save the model again"
                    .into(),
            })
        }
    }
    Ok(model)
}

/// Fails unless the file holds at least as many weight values as its architecture
/// needs, counted from the layer configs before anything is built: a corrupt
/// `"units": 4294967296` would otherwise allocate a 68 GB kernel (and abort) before the
/// tensors could be compared. Counts: Dense(u) on n inputs has n·u + u weights, Flatten
/// makes `[∏ shape]`, Activation and Dropout keep the shape, BatchNormalization keeps it
/// and has 4 values per channel (last axis), a concatenation adds the
/// last axes. A layer whose input shape is unknown here (a first layer without one, a
/// node reading an undefined node) is left for the rebuild to report.
fn check_weight_count(
    architecture: &Architecture,
    held: usize,
    path: &str,
) -> Result<(), SaveError> {
    let error = |why: String| {
        SaveError::Metadata {
        path: path.to_string(),
        why: format!(
            "{why}; the file is corrupt or was not written by annlab — save the model again"
        ),
    }
    };
    let too_big =
        |layer: &str| error(format!("its architecture is too large at layer {layer}"));
    let mut needed = 0usize;
    let mut add = |weights: usize, name: &str| -> Result<(), SaveError> {
        needed = needed.checked_add(weights).ok_or_else(|| too_big(name))?;
        if needed > held {
            return Err(error(format!(
                "its architecture needs at least {needed} weight values by layer {name}, but \
                 the file holds {held}"
            )));
        }
        Ok(())
    };
    match architecture {
        Architecture::Sequential(config) => {
            let first_shape =
                config.layers.first().and_then(|l| declared_shape(&l.layer));
            let Some(mut shape) = first_shape else {
                return Ok(());
            };
            for named in &config.layers {
                let (weights, out) = layer_weights(&named.layer, &shape)
                    .ok_or_else(|| too_big(&named.name))?;
                add(weights, &named.name)?;
                shape = out;
            }
        }
        Architecture::Functional(config) => {
            let mut shapes: HashMap<&str, Vec<usize>> = HashMap::new();
            for node in &config.nodes {
                let name = node.name.as_str();
                let inbound: Option<Vec<&Vec<usize>>> = node
                    .inbound
                    .iter()
                    .map(|n| shapes.get(n.as_str()))
                    .collect();
                let Some(inbound) = inbound else {
                    return Ok(());
                };
                let shape = match (&node.op, inbound.as_slice()) {
                    (NodeOp::Input { shape }, _) => shape.clone(),
                    (NodeOp::Layer(layer), [input]) => {
                        let (weights, out) =
                            layer_weights(layer, input).ok_or_else(|| too_big(name))?;
                        add(weights, name)?;
                        out
                    }
                    (NodeOp::Concatenate, [first, ..]) => {
                        let mut out = (*first).clone();
                        let last = inbound
                            .iter()
                            .try_fold(0usize, |sum, s| sum.checked_add(*s.last()?))
                            .ok_or_else(|| too_big(name))?;
                        if let Some(l) = out.last_mut() {
                            *l = last;
                        }
                        out
                    }
                    _ => return Ok(()),
                };
                shapes.insert(name, shape);
            }
        }
    }
    Ok(())
}

/// The input shape a layer config declares, if any.
fn declared_shape(layer: &LayerConfig) -> Option<Vec<usize>> {
    match layer {
        LayerConfig::Dense(c) => c.input_shape.clone(),
        LayerConfig::Flatten(c) => c.input_shape.clone(),
        LayerConfig::Activation(_) | LayerConfig::Dropout(_) => None,
        LayerConfig::RandomFlip(c) => c.input_shape.clone(),
        LayerConfig::RandomTranslation(c) => c.input_shape.clone(),
        LayerConfig::RandomRotation(c) => c.input_shape.clone(),
        LayerConfig::RandomZoom(c) => c.input_shape.clone(),
        LayerConfig::RandomBrightness(c) => c.input_shape.clone(),
        LayerConfig::BatchNormalization(_) => None,
    }
}

/// The weight values a layer of this config has on inputs of `shape`, and its output
/// shape; `None` when a count overflows.
fn layer_weights(layer: &LayerConfig, shape: &[usize]) -> Option<(usize, Vec<usize>)> {
    let product = |s: &[usize]| s.iter().try_fold(1usize, |p, &d| p.checked_mul(d));
    match layer {
        LayerConfig::Dense(c) => {
            let weights = product(shape)?.checked_add(1)?.checked_mul(c.units)?;
            Some((weights, vec![c.units]))
        }
        LayerConfig::Flatten(_) => Some((0, vec![product(shape)?])),
        LayerConfig::Activation(_) | LayerConfig::Dropout(_) => Some((0, shape.to_vec())),
        LayerConfig::RandomFlip(_)
        | LayerConfig::RandomTranslation(_)
        | LayerConfig::RandomRotation(_)
        | LayerConfig::RandomZoom(_)
        | LayerConfig::RandomBrightness(_) => Some((0, shape.to_vec())),
        // γ, β, moving mean and moving variance, one value per channel (the last axis)
        LayerConfig::BatchNormalization(_) => {
            Some((shape.last()?.checked_mul(4)?, shape.to_vec()))
        }
    }
}

/// The most steps a training state may count: 2⁵³, beyond which the step count is no
/// longer exact in the f64 Adam, Adamax and Nadam compute `t` in.
const MAX_ITERATIONS: u64 = 1 << 53;

/// The end of a ChaCha generator's stream (2⁶⁸ words): `set_word_pos` would silently
/// wrap a position past it.
const GENERATOR_WORDS: u128 = 1 << 68;

/// Fails for a training state `save_model` cannot have written: a learning rate that is
/// negative or not finite (training would ascend or turn every weight into NaN), a
/// scalar that is not finite, a step count past [`MAX_ITERATIONS`] (the next step would
/// overflow it or Adam's `t` be inexact) or a generator position past the end of its
/// stream.
fn check_training_state(state: &TrainingState, path: &str) -> Result<(), SaveError> {
    let error = |why: String| SaveError::Metadata {
        path: path.to_string(),
        why: format!(
            "its training state is corrupt: {why} — save the model again, or load its \
             weights only (load_weights)"
        ),
    };
    let optimizer = &state.optimizer;
    if let Some(lr) = optimizer
        .learning_rate
        .filter(|lr| !(lr.is_finite() && *lr >= 0.0))
    {
        return Err(error(format!(
            "learning_rate is {lr}, expected a finite value ≥ 0"
        )));
    }
    if let Some((name, value)) = optimizer.scalars.iter().find(|(_, v)| !v.is_finite()) {
        return Err(error(format!("the optimizer's {name} is {value}")));
    }
    if optimizer.iterations > MAX_ITERATIONS {
        return Err(error(format!(
            "{} optimizer steps, more than 2^53",
            optimizer.iterations
        )));
    }
    let positions = std::iter::once(("the shuffle", state.shuffle_position))
        .chain(state.generators.iter().map(|(name, p)| (name.as_str(), *p)));
    for (name, position) in positions {
        if position >= GENERATOR_WORDS {
            return Err(error(format!(
                "{name} generator is at word {position}, past the end of its stream (2^68)"
            )));
        }
    }
    Ok(())
}

/// The `ModelFile` of a file's metadata, or why there is none.
fn read_metadata(
    metadata: &HashMap<String, String>,
    path: &str,
) -> Result<ModelFile, SaveError> {
    let error = |why: String| SaveError::Metadata {
        path: path.to_string(),
        why,
    };
    if metadata.get("format").map(String::as_str) != Some(FORMAT) {
        return Err(error(format!(
            "it holds no annlab model (its __metadata__ has no format {FORMAT:?}): it is \
             a weights file — build the model in code and call load_weights"
        )));
    }
    let json = metadata
        .get("model")
        .ok_or_else(|| error("its __metadata__ has no \"model\" entry".into()))?;
    serde_json::from_str(json)
        .map_err(|e| error(format!("its model description is not valid: {e}")))
}

/// A slot's shape: its weight's shape when the lengths agree (as Keras stores them),
/// else flat.
fn slot_shape(model: &dyn Model, slot: &str, len: usize) -> Vec<usize> {
    let weight = slot.rsplit_once('/').map_or(slot, |(path, _)| path);
    model
        .weights()
        .into_iter()
        .find(|w| w.name == weight && w.value.len() == len)
        .map_or(vec![len], |w| w.shape)
}
