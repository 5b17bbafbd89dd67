//! Models: the `Model` trait the trainer works on, `Sequential`, the functional API, and
//! `Buffered`, the layer holder a learner's own model (Keras's subclassing API) is built of.

mod architecture;
mod buffered;
mod buffers;
mod functional;
mod naming;
mod network;
mod sequential;

pub use architecture::Architecture;
pub use buffered::{batch_buffer, check_batch, optimizer_params, Buffered};
pub use functional::{
    concatenate, Call, Functional, FunctionalConfig, Input, NodeConfig, NodeOp, Tensor,
};
pub use network::{InputInfo, Model, OutputGrad, OutputInfo};
pub use sequential::{NamedLayer, Sequential, SequentialConfig};
