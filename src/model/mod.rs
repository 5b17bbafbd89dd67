//! Models: the `Model` trait the trainer works on, `Sequential`, the functional API, and
//! `Buffered`, the layer holder a learner's own model (Keras's subclassing API) is built of.

mod buffered;
mod functional;
mod network;
mod sequential;

pub use buffered::{batch_buffer, check_batch, optimizer_params, Buffered};
pub use functional::{concatenate, Call, Functional, Input, Tensor};
pub use network::{InputInfo, Model, OutputGrad, OutputInfo};
pub use sequential::{NamedLayer, Sequential, SequentialConfig};
