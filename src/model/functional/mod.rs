//! The functional API: `Input`, layers called on tensors with `on`, `concatenate`, and
//! `Functional::new(seed, inputs, outputs)` — Keras's `keras.Model(inputs=…, outputs=…)`.
//!
//! HOML's wide & deep network, line for line:
//!
//! ```
//! use annlab::prelude::*;
//!
//! let input = Input::new(&[8]); //                              input_ = Input(shape=[8])
//! let hidden1 = Dense::new(30).activation(Activation::Relu).on(&input);
//! let hidden2 = Dense::new(30).activation(Activation::Relu).on(&hidden1);
//! let concat = concatenate(&[&input, &hidden2]); //           Concatenate()([input_, hidden2])
//! let output = Dense::new(1).on(&concat);
//! let mut model = Functional::new(42, &[&input], &[&output])?; // Model(inputs, outputs)
//! assert_eq!(model.param_count(), 1_239);
//! # Ok::<(), annlab::error::ModelError>(())
//! ```
//!
//! A tensor here is symbolic: it records which layer made it from which tensors, and
//! `Functional::new` walks back from the outputs to find the graph, orders the layers as
//! Keras does (by depth, then by the order a depth-first walk from the outputs meets
//! them), builds them and checks every shape. Data flows as `[batch, features]`
//! matrices; a model with several inputs takes them side by side in one matrix, in the
//! order of `inputs` (the trainer joins the arrays a learner passes).

mod config;

pub use config::{FunctionalConfig, NodeConfig, NodeOp};

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use ndarray::{s, Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{buffers, InputInfo, Model, OutputGrad, OutputInfo};
use crate::activations::Activation;
use crate::error::{shape_str, ModelError};
use crate::layers::{check_batch, elements, within_limit, Layer, Params, Weight};
use crate::summary;
use crate::train::Trainer;

/// Creation order of graph nodes: a node's inputs always have smaller ids, so the
/// graph is acyclic by construction.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

// ANCHOR: tensor
/// A symbolic tensor: the output of `Input::new` or of a layer called on a tensor. It
/// holds no numbers, only where it comes from.
#[derive(Clone)]
pub struct Tensor(Rc<Node>);

struct Node {
    id: u64,
    /// The name given with `named`, else Keras's default name chosen by the model.
    name: RefCell<Option<String>>,
    op: Op,
}

enum Op {
    /// `Input(shape=…)`: per-sample shape, without the batch axis.
    Input { shape: Vec<usize> },
    /// A layer called on one tensor; the model takes the layer out when it is built.
    Layer {
        layer: RefCell<Option<Box<dyn Layer>>>,
        kind: &'static str,
        input: Tensor,
    },
    /// `concatenate([a, b, …])` along the last axis.
    Concatenate { inputs: Vec<Tensor> },
}
// ANCHOR_END: tensor

impl Tensor {
    fn new(op: Op) -> Self {
        Tensor(Rc::new(Node {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            name: RefCell::new(None),
            op,
        }))
    }

    /// Names the layer that produces this tensor, as Keras's `name="output"` argument
    /// does: `Dense::new(1).on(&concat).named("output")`,
    /// `Input::new(&[5]).named("wide_input")`.
    pub fn named(self, name: &str) -> Self {
        *self.0.name.borrow_mut() = Some(name.to_string());
        self
    }

    fn id(&self) -> u64 {
        self.0.id
    }

    /// The tensors this one is computed from, in order.
    fn parents(&self) -> Vec<Tensor> {
        match &self.0.op {
            Op::Input { .. } => Vec::new(),
            Op::Layer { input, .. } => vec![input.clone()],
            Op::Concatenate { inputs } => inputs.clone(),
        }
    }

    fn kind(&self) -> &'static str {
        match &self.0.op {
            Op::Input { .. } => "InputLayer",
            Op::Layer { kind, .. } => kind,
            Op::Concatenate { .. } => "Concatenate",
        }
    }
}

/// `keras.Input(shape=…)`: the entry point of a functional model.
pub struct Input;

impl Input {
    /// An input of per-sample `shape` (`&[8]` for 8 features, `&[28, 28]` for an image).
    #[allow(clippy::new_ret_no_self)]
    pub fn new(shape: &[usize]) -> Tensor {
        Tensor::new(Op::Input {
            shape: shape.to_vec(),
        })
    }
}

/// Calling a layer on a tensor, Keras's `Dense(30)(x)`, spelled `Dense::new(30).on(&x)`.
pub trait Call {
    /// The tensor this layer makes from `x`.
    fn on(self, x: &Tensor) -> Tensor;
}

impl<L: Layer + 'static> Call for L {
    fn on(self, x: &Tensor) -> Tensor {
        let kind = self.kind();
        Tensor::new(Op::Layer {
            layer: RefCell::new(Some(Box::new(self))),
            kind,
            input: x.clone(),
        })
    }
}

/// `keras.layers.concatenate([a, b, …])`: the tensors side by side along the last axis.
pub fn concatenate(tensors: &[&Tensor]) -> Tensor {
    Tensor::new(Op::Concatenate {
        inputs: tensors.iter().map(|t| (*t).clone()).collect(),
    })
}

/// One layer of a built functional model.
struct GraphNode {
    name: String,
    kind: &'static str,
    op: GraphOp,
    /// Per-sample output shape.
    shape: Vec<usize>,
    /// Features per sample: the product of `shape`.
    width: usize,
    /// Keras's depth: the longest path from this layer to an output.
    depth: usize,
}

enum GraphOp {
    /// Model input `index`; its values sit in columns `offset..offset + width` of x.
    Input {
        index: usize,
        offset: usize,
    },
    Layer {
        layer: Box<dyn Layer>,
        input: usize,
    },
    Concatenate {
        inputs: Vec<usize>,
    },
}

// ANCHOR: functional
/// A model built from a graph of layers, as `keras.Model(inputs=…, outputs=…)`: several
/// inputs, several outputs, layers that join (`concatenate`) and branch. Train it with
/// the same `compile` / `fit` / `evaluate` / `predict` as `Sequential`.
pub struct Functional {
    seed: u64,
    /// In Keras's layer order, which is also an order to compute them in.
    nodes: Vec<GraphNode>,
    /// The node of each model input, in the order given to `new`.
    inputs: Vec<usize>,
    /// The node of each model output, in the order given to `new`.
    outputs: Vec<usize>,
    /// param_paths[i]: the paths of node i's layer's `weights` (`"dense/kernel"`, …),
    /// frozen or not; none for an input or a concatenation.
    param_paths: Vec<Vec<String>>,
    /// needs_grad[i]: some layer at or before node i has parameters, so dL/d acts[i] is needed
    needs_grad: Vec<bool>,
    trainer: Option<Trainer>,
    /// acts[i] = output of node i for the last batch, [batch, width_i]
    acts: Vec<Array2<f32>>,
    /// grads[i] = dL/d acts[i]
    grads: Vec<Array2<f32>>,
    /// received[i]: grads[i] got a contribution in this backward pass
    received: Vec<bool>,
}
// ANCHOR_END: functional

impl Functional {
    /// Keras's `Model(inputs, outputs)`: finds the layers between them, names the
    /// unnamed ones as Keras does (`dense`, `dense_1`, …, `input_layer`), builds them
    /// from `seed` and checks every shape. Errors name the layers involved: an input
    /// that reaches no output, a layer that needs an input not listed, tensors of
    /// different ranks concatenated, a layer that cannot take its input's shape, a
    /// layer object used in two models.
    pub fn new(
        seed: u64,
        inputs: &[&Tensor],
        outputs: &[&Tensor],
    ) -> Result<Self, ModelError> {
        if inputs.is_empty() || outputs.is_empty() {
            return Err(ModelError::Usage(
                "a functional model needs at least one input and one output: \
                 Functional::new(seed, &[&input], &[&output])"
                    .into(),
            ));
        }
        let graph = Graph::walk(outputs)?;
        let names = graph.names()?;
        // a tensor outside the graph (an unused input) has only the name it was given
        let name_of = |t: &Tensor| match names.get(&t.id()) {
            Some(name) => name.clone(),
            None => {
                t.0.name
                    .borrow()
                    .clone()
                    .unwrap_or_else(|| "(unnamed)".into())
            }
        };

        // every listed input once, an Input, and used
        for (i, t) in inputs.iter().enumerate() {
            if !matches!(t.0.op, Op::Input { .. }) {
                return Err(ModelError::Usage(format!(
                    "input {i} of the model is made by layer {} ({}), not by Input::new: \
                     a model's inputs must be Input tensors",
                    name_of(t),
                    t.kind()
                )));
            }
            if inputs[..i].iter().any(|u| u.id() == t.id()) {
                return Err(ModelError::Usage(format!(
                    "input {} is listed twice in the model's inputs",
                    name_of(t)
                )));
            }
            if !graph.index.contains_key(&t.id()) {
                return Err(ModelError::Usage(format!(
                    "input {} reaches none of the model's outputs ({}): remove it from \
                     the inputs, or connect it",
                    name_of(t),
                    outputs
                        .iter()
                        .map(|o| name_of(o))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        for t in &graph.order {
            if matches!(t.0.op, Op::Input { .. })
                && !inputs.iter().any(|u| u.id() == t.id())
            {
                let user = graph
                    .order
                    .iter()
                    .find(|c| c.parents().iter().any(|p| p.id() == t.id()))
                    .map_or_else(String::new, |c| format!(" (used by {})", name_of(c)));
                return Err(ModelError::Usage(format!(
                    "graph disconnected: input {}{user} is not among the model's inputs; \
                     list it in Functional::new's inputs",
                    name_of(t)
                )));
            }
        }
        for (k, t) in outputs.iter().enumerate() {
            if !matches!(t.0.op, Op::Layer { .. }) {
                return Err(ModelError::Usage(format!(
                    "output {k} of the model is {} ({}): an output must be made by a layer \
                     such as Dense",
                    name_of(t),
                    t.kind()
                )));
            }
        }
        for t in &graph.order {
            if let Op::Layer { layer, .. } = &t.0.op {
                if layer.borrow().is_none() {
                    return Err(ModelError::Usage(format!(
                        "layer {} already belongs to another model: each layer object \
                         goes into one model, so call a new layer",
                        name_of(t)
                    )));
                }
            }
        }

        // all checked: take the layers out of the tensors and lay the graph out
        let position = |t: &Tensor| graph.index[&t.id()];
        let mut offset = 0;
        let mut nodes = Vec::with_capacity(graph.order.len());
        for t in &graph.order {
            let op = match &t.0.op {
                Op::Input { shape } => {
                    let index = inputs.iter().position(|u| u.id() == t.id()).unwrap_or(0);
                    let width = check_input_shape(shape, &name_of(t))?;
                    let op = GraphOp::Input { index, offset };
                    offset += width;
                    op
                }
                Op::Layer { layer, input, .. } => GraphOp::Layer {
                    layer: layer.borrow_mut().take().expect("checked above"),
                    input: position(input),
                },
                Op::Concatenate { inputs } => GraphOp::Concatenate {
                    inputs: inputs.iter().map(position).collect(),
                },
            };
            nodes.push(GraphNode {
                name: name_of(t),
                kind: t.kind(),
                op,
                shape: Vec::new(),
                width: 0,
                depth: graph.depth[&t.id()],
            });
        }
        // input offsets follow the order of `inputs`, not the layer order
        let mut next = 0;
        for &t in inputs {
            let i = position(t);
            let width = elements(input_shape_of(t)).unwrap_or(0) as usize; // checked above
            if let GraphOp::Input { offset, .. } = &mut nodes[i].op {
                *offset = next;
            }
            next += width;
        }
        let mut model = Functional {
            seed,
            inputs: inputs.iter().map(|t| position(t)).collect(),
            outputs: outputs.iter().map(|t| position(t)).collect(),
            nodes,
            param_paths: Vec::new(),
            needs_grad: Vec::new(),
            trainer: None,
            acts: Vec::new(),
            grads: Vec::new(),
            received: Vec::new(),
        };
        model.build_layers(&graph, inputs)?;
        Ok(model)
    }

    /// Builds every layer in order from the model's seed, checking shapes.
    fn build_layers(
        &mut self,
        graph: &Graph,
        inputs: &[&Tensor],
    ) -> Result<(), ModelError> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut layer_index = 0u64;
        // every count in u128 and against MAX_ELEMENTS, before a layer allocates
        let mut total: u128 = 0;
        for i in 0..self.nodes.len() {
            let (before, rest) = self.nodes.split_at_mut(i);
            let node = &mut rest[0];
            let shape = match &mut node.op {
                GraphOp::Input { index, .. } => input_shape_of(inputs[*index]).to_vec(),
                GraphOp::Layer { layer, input } => {
                    let input_shape = &before[*input].shape;
                    let kind = layer.kind();
                    let what = || format!("layer {} ({kind})", node.name);
                    if let Some(planned) = layer.planned_param_count(input_shape) {
                        within_limit(Some(planned), what, "its parameters would be")?;
                        let with_it = Some(total + planned);
                        within_limit(
                            with_it,
                            what,
                            "with it the model's parameters would be",
                        )?;
                    }
                    let source = &before[*input].name;
                    let shape = layer.build(input_shape, &mut rng).map_err(|e| {
                        match super::naming::name_layer(e, &node.name) {
                            ModelError::Shape {
                                layer,
                                kind,
                                expected,
                                found,
                            } => ModelError::Shape {
                                layer,
                                kind,
                                expected,
                                found: format!("{found} from {source}"),
                            },
                            other => other,
                        }
                    })?;
                    // a layer that cannot plan its parameters is checked once it has them
                    total += layer.param_count() as u128;
                    within_limit(
                        Some(total),
                        what,
                        "with it the model's parameters are",
                    )?;
                    // each layer that draws while training gets a generator of its own,
                    // stream 2 + its position among the layers, as in Sequential
                    let mut generator = ChaCha8Rng::seed_from_u64(self.seed);
                    generator.set_stream(2 + layer_index);
                    layer.set_generator(generator);
                    layer_index += 1;
                    shape
                }
                GraphOp::Concatenate { inputs } => {
                    concatenated_shape(&node.name, inputs.iter().map(|&j| &before[j]))?
                }
            };
            node.width = within_limit(
                elements(&shape),
                || format!("output {} of layer {}", shape_str(&shape, true), node.name),
                "each sample would hold",
            )?;
            node.shape = shape;
        }
        let _ = graph;
        self.needs_grad = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            let needs = match &node.op {
                GraphOp::Input { .. } => false,
                GraphOp::Layer { layer, input } => {
                    layer.param_count() > 0 || self.needs_grad[*input]
                }
                GraphOp::Concatenate { inputs } => {
                    inputs.iter().any(|&j| self.needs_grad[j])
                }
            };
            self.needs_grad.push(needs);
        }
        self.param_paths = self
            .nodes
            .iter()
            .map(|n| match &n.op {
                GraphOp::Layer { layer, .. } => layer
                    .weights()
                    .into_iter()
                    .map(|w| format!("{}/{}", n.name, w.name))
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        Ok(())
    }

    /// The layers' names, in Keras's order (inputs included).
    pub fn layer_names(&self) -> Vec<&str> {
        self.nodes.iter().map(|n| n.name.as_str()).collect()
    }

    /// The compiled trainer, if `compile` has been called.
    pub fn trainer(&self) -> Option<&Trainer> {
        self.trainer.as_ref()
    }

    /// The trainer slot that `Train`'s methods fill and use.
    pub fn trainer_slot(&mut self) -> &mut Option<Trainer> {
        &mut self.trainer
    }

    /// Resizes the per-node batch buffers when the batch size changes, allocating them
    /// fallibly (`prepare_batch` has checked their size against the limit).
    fn try_ensure_batch(&mut self, batch: usize) -> Result<(), ModelError> {
        if self.acts.first().map(|a| a.nrows()) == Some(batch) {
            return Ok(());
        }
        let layers = self.nodes.iter().map(|n| (n.name.as_str(), n.width));
        (self.acts, self.grads) = buffers::try_batch_buffers(batch, layers)?;
        self.received = vec![false; self.nodes.len()];
        Ok(())
    }

    /// Resizes the per-node batch buffers when the batch size changes.
    fn ensure_batch(&mut self, batch: usize) {
        if self.acts.first().map(|a| a.nrows()) != Some(batch) {
            let widths = self.nodes.iter().map(|n| n.width);
            (self.acts, self.grads) = buffers::batch_buffers(batch, widths);
            self.received = vec![false; self.nodes.len()];
        }
    }

    /// Whether Keras would print this model's summary as a plain stack: one layer per
    /// depth, each with one input.
    fn sequential_like(&self) -> bool {
        let mut depths: Vec<usize> = self.nodes.iter().map(|n| n.depth).collect();
        depths.dedup();
        depths.len() == self.nodes.len()
            && self.nodes.iter().all(
                |n| !matches!(&n.op, GraphOp::Concatenate { inputs } if inputs.len() > 1),
            )
    }

    fn connections(&self, node: &GraphNode) -> Vec<String> {
        let parents: Vec<usize> = match &node.op {
            GraphOp::Input { .. } => Vec::new(),
            GraphOp::Layer { input, .. } => vec![*input],
            GraphOp::Concatenate { inputs } => inputs.clone(),
        };
        parents
            .iter()
            .map(|&j| format!("{}[0][0]", self.nodes[j].name))
            .collect()
    }
}

fn input_shape_of(t: &Tensor) -> &[usize] {
    match &t.0.op {
        Op::Input { shape } => shape,
        _ => &[],
    }
}

/// An input's values per sample: at least one dimension, none of them 0, and at most
/// `MAX_ELEMENTS` values.
fn check_input_shape(shape: &[usize], name: &str) -> Result<usize, ModelError> {
    let what = || format!("shape {} of input {name}", shape_str(shape, false));
    let why = if shape.is_empty() {
        "it needs at least one dimension, e.g. (8,) or (28, 28)"
    } else if shape.contains(&0) {
        "every dimension must be at least 1"
    } else {
        return within_limit(elements(shape), what, "each sample would hold");
    };
    Err(ModelError::Config {
        what: what(),
        why: why.into(),
    })
}

/// Concatenation along the last axis: every input has the same rank and the same
/// leading dimensions; the last dimensions add.
fn concatenated_shape<'a>(
    name: &str,
    inputs: impl Iterator<Item = &'a GraphNode>,
) -> Result<Vec<usize>, ModelError> {
    let inputs: Vec<&GraphNode> = inputs.collect();
    let first = &inputs[0].shape;
    let describe = || {
        inputs
            .iter()
            .map(|n| format!("{} {}", n.name, shape_str(&n.shape, true)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if first.is_empty()
        || inputs.iter().any(|n| {
            n.shape.len() != first.len()
                || n.shape[..n.shape.len() - 1] != first[..first.len() - 1]
        })
    {
        return Err(ModelError::Shape {
            layer: name.to_string(),
            kind: "Concatenate",
            expected: "inputs of the same rank that differ only in their last dimension"
                .into(),
            found: describe(),
        });
    }
    let last = inputs
        .iter()
        .try_fold(0usize, |acc, n| {
            acc.checked_add(*n.shape.last().expect("rank ≥ 1"))
        })
        .ok_or_else(|| ModelError::Config {
            what: format!("layer {name}"),
            why: format!("concatenating {} is too large", describe()),
        })?;
    let mut shape = first.clone();
    *shape.last_mut().expect("rank ≥ 1") = last;
    Ok(shape)
}

/// The graph between the outputs and the inputs, found by a depth-first walk from the
/// outputs (Keras's `map_graph`).
struct Graph {
    /// Tensors in Keras's layer order: depth descending, then first-visit order.
    order: Vec<Tensor>,
    /// Position of each tensor (by id) in `order`.
    index: HashMap<u64, usize>,
    /// Depth of each tensor: the longest path from it to an output.
    depth: HashMap<u64, usize>,
}

impl Graph {
    fn walk(outputs: &[&Tensor]) -> Result<Graph, ModelError> {
        // first-visit (pre-order) index of every tensor, walking parents in order
        let mut visit: HashMap<u64, usize> = HashMap::new();
        let mut tensors: Vec<Tensor> = Vec::new();
        let mut stack: Vec<Tensor> = outputs.iter().rev().map(|t| (*t).clone()).collect();
        while let Some(t) = stack.pop() {
            if visit.contains_key(&t.id()) {
                continue;
            }
            visit.insert(t.id(), tensors.len());
            for p in t.parents().into_iter().rev() {
                stack.push(p);
            }
            tensors.push(t);
        }
        // depth: outputs 0; a tensor's parents lie at least one deeper. Ids grow from
        // parents to children, so visiting by decreasing id sees every child first.
        let mut by_id: Vec<&Tensor> = tensors.iter().collect();
        by_id.sort_by_key(|t| std::cmp::Reverse(t.id()));
        let mut depth: HashMap<u64, usize> = HashMap::new();
        for t in by_id {
            let d = *depth.entry(t.id()).or_insert(0);
            for p in t.parents() {
                let e = depth.entry(p.id()).or_insert(0);
                *e = (*e).max(d + 1);
            }
        }
        tensors.sort_by_key(|t| (std::cmp::Reverse(depth[&t.id()]), visit[&t.id()]));
        let index = tensors
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id(), i))
            .collect();
        Ok(Graph {
            order: tensors,
            index,
            depth,
        })
    }

    /// Every layer's name: the one given with `named`, or Keras's default — the class
    /// name in snake case, numbered in creation order (`dense`, `dense_1`, …), with
    /// `input_layer` for inputs. Two layers of one name are an error.
    fn names(&self) -> Result<HashMap<u64, String>, ModelError> {
        let mut by_id: Vec<&Tensor> = self.order.iter().collect();
        by_id.sort_by_key(|t| t.id());
        let given: Vec<String> = by_id
            .iter()
            .filter_map(|t| t.0.name.borrow().clone())
            .collect();
        let mut names = HashMap::new();
        let mut used: HashMap<String, u64> = HashMap::new();
        let mut counts: HashMap<&'static str, usize> = HashMap::new();
        for t in by_id {
            let name = match t.0.name.borrow().clone() {
                Some(name) => name,
                None => {
                    let base = match t.kind() {
                        "InputLayer" => "input_layer".to_string(),
                        kind => super::naming::snake_case(kind),
                    };
                    loop {
                        let n = counts.entry(t.kind()).or_insert(0);
                        let candidate = if *n == 0 {
                            base.clone()
                        } else {
                            format!("{base}_{n}")
                        };
                        *n += 1;
                        if !given.contains(&candidate) {
                            break candidate;
                        }
                    }
                }
            };
            if used.insert(name.clone(), t.id()).is_some() {
                return Err(ModelError::Usage(format!(
                    "two layers of the model are named {name:?}: layer names must be unique"
                )));
            }
            names.insert(t.id(), name);
        }
        Ok(names)
    }
}

impl Model for Functional {
    fn name(&self) -> &str {
        "functional"
    }

    fn architecture(&self) -> Option<super::Architecture> {
        Some(super::Architecture::Functional(self.config()))
    }

    fn seed(&self) -> u64 {
        self.seed
    }

    /// A functional model is built when it is made; nothing is left to do.
    fn build(&mut self) -> Result<(), ModelError> {
        Ok(())
    }

    fn input_shape(&self) -> Option<&[usize]> {
        match self.inputs.as_slice() {
            [only] => Some(&self.nodes[*only].shape),
            _ => None,
        }
    }

    fn inputs(&self) -> Vec<InputInfo> {
        self.inputs
            .iter()
            .map(|&i| InputInfo {
                name: self.nodes[i].name.clone(),
                shape: self.nodes[i].shape.clone(),
            })
            .collect()
    }

    /// Per sample: x (every input side by side), and for every node its output, the
    /// output's gradient and up to two buffers of the same size inside the layer.
    fn prepare_batch(&mut self, batch: usize) -> Result<(), ModelError> {
        // each width is at most MAX_ELEMENTS (checked when built): no overflow in u128
        let x: u128 = self
            .inputs
            .iter()
            .map(|&i| self.nodes[i].width as u128)
            .sum();
        let nodes: u128 = self.nodes.iter().map(|n| n.width as u128).sum();
        check_batch(batch, x + 4 * nodes)?;
        self.try_ensure_batch(batch)
    }

    fn outputs(&self) -> Vec<OutputInfo> {
        self.outputs
            .iter()
            .map(|&i| {
                let node = &self.nodes[i];
                let (activation, has_logits) = match &node.op {
                    GraphOp::Layer { layer, .. } => {
                        (layer.output_activation(), layer.logits().is_some())
                    }
                    _ => (Activation::Linear, false),
                };
                OutputInfo {
                    name: node.name.clone(),
                    width: node.width,
                    activation,
                    has_logits,
                }
            })
            .collect()
    }

    // ANCHOR: forward
    /// Computes every node in order: an input copies its columns of x, a layer reads
    /// its input's activation, a concatenation lays its inputs side by side.
    fn forward(&mut self, x: ArrayView2<f32>, training: bool) {
        self.ensure_batch(x.nrows());
        for i in 0..self.nodes.len() {
            let (before, rest) = self.acts.split_at_mut(i);
            let out = &mut rest[0];
            match &mut self.nodes[i].op {
                GraphOp::Input { offset, .. } => {
                    let w = out.ncols();
                    out.assign(&x.slice(s![.., *offset..*offset + w]));
                }
                GraphOp::Layer { layer, input } => {
                    layer.forward(before[*input].view(), out.view_mut(), training)
                }
                GraphOp::Concatenate { inputs } => {
                    let mut c = 0;
                    for &j in inputs.iter() {
                        let w = before[j].ncols();
                        out.slice_mut(s![.., c..c + w]).assign(&before[j]);
                        c += w;
                    }
                }
            }
        }
    }
    // ANCHOR_END: forward

    fn output(&self, index: usize) -> ArrayView2<'_, f32> {
        self.acts[self.outputs[index]].view()
    }

    fn logits(&self, index: usize) -> Option<ArrayView2<'_, f32>> {
        match &self.nodes[self.outputs[index]].op {
            GraphOp::Layer { layer, .. } => layer.logits(),
            _ => None,
        }
    }

    // ANCHOR: backward
    /// From the outputs back: each head's dL/dy adds into its output's gradient; each
    /// node, latest first, passes its gradient to its inputs (a layer through its own
    /// backward pass, a concatenation by splitting the columns). Where a tensor feeds
    /// two nodes, both gradients add.
    fn backward(&mut self, x: ArrayView2<f32>, grads: &[OutputGrad<'_>]) {
        let _ = x;
        for node in &mut self.nodes {
            if let GraphOp::Layer { layer, .. } = &mut node.op {
                layer.zero_grad();
            }
        }
        for (g, r) in self.grads.iter_mut().zip(&mut self.received) {
            g.fill(0.0);
            *r = false;
        }
        for (&o, grad) in self.outputs.iter().zip(grads) {
            if let OutputGrad::Output(g) = grad {
                self.grads[o] += g;
                self.received[o] = true;
            }
        }
        for i in (0..self.nodes.len()).rev() {
            let (lower, upper) = self.grads.split_at_mut(i);
            let grad_y = upper[0].view();
            match &mut self.nodes[i].op {
                GraphOp::Input { .. } => {}
                GraphOp::Layer { layer, input } => {
                    let j = *input;
                    let pass = self.needs_grad[j];
                    if self.received[i] {
                        let grad_x = pass.then(|| lower[j].view_mut());
                        layer.backward(
                            self.acts[j].view(),
                            self.acts[i].view(),
                            grad_y,
                            grad_x,
                        );
                    }
                    // a head that read this layer's logits: dL/dz straight in
                    for (k, &o) in self.outputs.iter().enumerate() {
                        if let (true, OutputGrad::Logits(grad_z)) = (o == i, grads[k]) {
                            let grad_x = pass.then(|| lower[j].view_mut());
                            layer.backward_from_logits(
                                self.acts[j].view(),
                                grad_z,
                                grad_x,
                            );
                        }
                    }
                    self.received[j] |= pass;
                }
                GraphOp::Concatenate { inputs } => {
                    if !self.received[i] {
                        continue;
                    }
                    let mut c = 0;
                    for &j in inputs.iter() {
                        let w = lower[j].ncols();
                        if self.needs_grad[j] {
                            lower[j] += &grad_y.slice(s![.., c..c + w]);
                            self.received[j] = true;
                        }
                        c += w;
                    }
                }
            }
        }
    }
    // ANCHOR_END: backward

    fn regularization_loss(&self) -> f64 {
        self.nodes
            .iter()
            .map(|n| match &n.op {
                GraphOp::Layer { layer, .. } => layer.regularization_loss(),
                _ => 0.0,
            })
            .sum()
    }

    fn add_regularization_gradients(&mut self) {
        for node in &mut self.nodes {
            if let GraphOp::Layer { layer, .. } = &mut node.op {
                layer.add_regularization_gradients();
            }
        }
    }

    /// The trainable layers' parameters (a frozen layer's are left out).
    fn params(&mut self) -> Params<'_> {
        let mut all = Params::new();
        for (node, paths) in self.nodes.iter_mut().zip(&self.param_paths) {
            if let GraphOp::Layer { layer, .. } = &mut node.op {
                if !layer.trainable() {
                    continue;
                }
                for (mut p, path) in layer.params().into_iter().zip(paths) {
                    p.path = path;
                    all.push(p);
                }
            }
        }
        all
    }

    fn weights(&self) -> Vec<Weight<'_>> {
        self.nodes
            .iter()
            .zip(&self.param_paths)
            .filter_map(|(n, paths)| match &n.op {
                GraphOp::Layer { layer, .. } if layer.trainable() => Some((layer, paths)),
                _ => None,
            })
            .flat_map(|(l, paths)| {
                l.weights().into_iter().zip(paths).map(|(w, path)| Weight {
                    name: path.clone(),
                    ..w
                })
            })
            .collect()
    }

    fn named_layers(&self) -> Vec<(&str, &dyn Layer)> {
        self.nodes
            .iter()
            .filter_map(|n| match &n.op {
                GraphOp::Layer { layer, .. } => {
                    Some((n.name.as_str(), layer.as_ref() as &dyn Layer))
                }
                _ => None,
            })
            .collect()
    }

    fn layer_mut(&mut self, name: &str) -> Option<&mut dyn Layer> {
        self.nodes.iter_mut().find_map(|n| match &mut n.op {
            GraphOp::Layer { layer, .. } if n.name == name => {
                Some(layer.as_mut() as &mut dyn Layer)
            }
            _ => None,
        })
    }

    /// Keras 3's functional summary: with a "Connected to" column, and `InputLayer`
    /// rows; a plain chain prints as Keras prints it, without the column.
    fn summary(&mut self) -> Result<String, ModelError> {
        let rows: Vec<summary::Row> = self
            .nodes
            .iter()
            .map(|n| summary::Row {
                name: n.name.clone(),
                kind: n.kind,
                output_shape: shape_str(&n.shape, true),
                params: match &n.op {
                    GraphOp::Layer { layer, .. } => (layer.param_count())
                        .saturating_add(layer.non_trainable_param_count()),
                    _ => 0,
                },
            })
            .collect();
        let totals = summary::Totals {
            trainable: self.param_count(),
            non_trainable: self.non_trainable_param_count(),
            optimizer: self.trainer().and_then(Trainer::optimizer_params),
        };
        if self.sequential_like() {
            return Ok(summary::render("functional", &rows, totals));
        }
        let connections: Vec<Vec<String>> =
            self.nodes.iter().map(|n| self.connections(n)).collect();
        Ok(summary::render_connected(
            "functional",
            &rows,
            &connections,
            totals,
        ))
    }

    fn param_count(&self) -> usize {
        self.nodes
            .iter()
            .map(|n| match &n.op {
                GraphOp::Layer { layer, .. } if layer.trainable() => layer.param_count(),
                _ => 0,
            })
            .fold(0usize, usize::saturating_add)
    }

    fn generator_positions(&self) -> Vec<(String, u128)> {
        let layers = self.nodes.iter().filter_map(|n| match &n.op {
            GraphOp::Layer { layer, .. } => {
                Some((n.name.as_str(), layer.as_ref() as &dyn Layer))
            }
            _ => None,
        });
        buffers::generator_positions(layers)
    }

    fn set_generator_positions(
        &mut self,
        positions: &[(String, u128)],
    ) -> Result<(), ModelError> {
        let layers = self.nodes.iter_mut().filter_map(|n| match &mut n.op {
            GraphOp::Layer { layer, .. } => Some((n.name.as_str(), layer)),
            _ => None,
        });
        buffers::set_generator_positions(positions, layers)
    }
}
