//! Models: the `Model` trait the trainer works on, `Sequential`, and the functional API.

mod architecture;
mod buffers;
mod functional;
mod network;
mod sequential;

pub use architecture::Architecture;
pub use functional::{
    concatenate, Call, Functional, FunctionalConfig, Input, NodeConfig, NodeOp, Tensor,
};
pub use network::{InputInfo, Model, OutputGrad, OutputInfo};
pub use sequential::{NamedLayer, Sequential, SequentialConfig};
