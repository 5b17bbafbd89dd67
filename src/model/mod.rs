//! Models: the `Model` trait the trainer works on, `Sequential`, and the functional API.

mod functional;
mod network;
mod sequential;

pub use functional::{concatenate, Call, Functional, Input, Tensor};
pub use network::{InputInfo, Model, OutputGrad, OutputInfo};
pub use sequential::{NamedLayer, Sequential, SequentialConfig};
