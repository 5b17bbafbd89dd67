//! A functional model's architecture as data (Keras's `get_config` / `from_config` for a
//! `Model(inputs, outputs)`): its nodes in layer order, each with the nodes it reads, so
//! that `save_model` can store it and `load_functional` rebuild it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{concatenate, Functional, GraphOp, Input, Op, Tensor};
use crate::error::ModelError;
use crate::layers::LayerConfig;

/// The architecture of a `Functional` model: every node in Keras's layer order (an order
/// to compute them in), the model's inputs and outputs by name, and the seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionalConfig {
    pub name: String,
    pub seed: u64,
    pub nodes: Vec<NodeConfig>,
    /// The input nodes, in the order `fit` takes their arrays.
    pub inputs: Vec<String>,
    /// The output nodes, in the order of the losses.
    pub outputs: Vec<String>,
}

/// One node of a functional graph: its name, what it computes, and the names of the
/// nodes it reads (none for an input).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeConfig {
    pub name: String,
    pub op: NodeOp,
    #[serde(default)]
    pub inbound: Vec<String>,
}

/// What a node computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NodeOp {
    /// `Input(shape=…)`, per-sample shape.
    Input { shape: Vec<usize> },
    /// A layer called on its one inbound node.
    Layer(LayerConfig),
    /// `concatenate` of its inbound nodes along the last axis.
    Concatenate,
}

impl Functional {
    /// The architecture as data: the same node names, so weights are found by them.
    pub fn config(&self) -> FunctionalConfig {
        let name = |i: &usize| self.nodes[*i].name.clone();
        FunctionalConfig {
            name: "functional".into(),
            seed: self.seed,
            nodes: self
                .nodes
                .iter()
                .map(|node| {
                    let (op, inbound) = match &node.op {
                        GraphOp::Input { .. } => (
                            NodeOp::Input {
                                shape: node.shape.clone(),
                            },
                            Vec::new(),
                        ),
                        GraphOp::Layer { layer, input } => {
                            (NodeOp::Layer(layer.config()), vec![name(input)])
                        }
                        GraphOp::Concatenate { inputs } => {
                            (NodeOp::Concatenate, inputs.iter().map(name).collect())
                        }
                    };
                    NodeConfig {
                        name: node.name.clone(),
                        op,
                        inbound,
                    }
                })
                .collect(),
            inputs: self.inputs.iter().map(name).collect(),
            outputs: self.outputs.iter().map(name).collect(),
        }
    }

    /// The model this architecture describes, unbuilt layers built from its seed (so the
    /// same seed gives the same initial weights) and every node named as stored. A node
    /// that reads a node not defined before it, a layer with other than one inbound node,
    /// or an input or output that names no node is an error naming it; then every check
    /// of `Functional::new` applies.
    pub fn from_config(config: &FunctionalConfig) -> Result<Self, ModelError> {
        let mut tensors: HashMap<&str, Tensor> =
            HashMap::with_capacity(config.nodes.len());
        let unknown = |node: &str, missing: &str| {
            ModelError::Usage(format!(
                "node {node:?} of the architecture reads {missing:?}, which is not defined \
                 before it"
            ))
        };
        for node in &config.nodes {
            let inbound = node
                .inbound
                .iter()
                .map(|n| {
                    tensors
                        .get(n.as_str())
                        .ok_or_else(|| unknown(&node.name, n))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let tensor = match (&node.op, inbound.as_slice()) {
                (NodeOp::Input { shape }, []) => Input::new(shape),
                (NodeOp::Layer(config), [input]) => {
                    let layer = config.to_layer()?;
                    Tensor::new(Op::Layer {
                        kind: layer.kind(),
                        layer: std::cell::RefCell::new(Some(layer)),
                        input: (*input).clone(),
                    })
                }
                (NodeOp::Concatenate, inputs) if !inputs.is_empty() => {
                    concatenate(inputs)
                }
                _ => {
                    return Err(ModelError::Usage(format!(
                        "node {:?} of the architecture has {} inbound nodes, which its \
                         operation cannot take",
                        node.name,
                        inbound.len()
                    )))
                }
            };
            if tensors
                .insert(node.name.as_str(), tensor.named(&node.name))
                .is_some()
            {
                return Err(ModelError::Usage(format!(
                    "the architecture names two nodes {:?}",
                    node.name
                )));
            }
        }
        let find = |role: &str, name: &String| {
            tensors.get(name.as_str()).ok_or_else(|| {
                ModelError::Usage(format!(
                    "the architecture's {role} {name:?} is none of its nodes"
                ))
            })
        };
        let inputs = config
            .inputs
            .iter()
            .map(|n| find("input", n))
            .collect::<Result<Vec<_>, _>>()?;
        let outputs = config
            .outputs
            .iter()
            .map(|n| find("output", n))
            .collect::<Result<Vec<_>, _>>()?;
        Functional::new(config.seed, &inputs, &outputs)
    }
}
