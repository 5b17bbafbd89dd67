//! Models: the `Model` trait the trainer works on, and `Sequential`.

mod network;
mod sequential;

pub use network::{Model, OutputGrad, OutputInfo};
pub use sequential::{NamedLayer, Sequential, SequentialConfig};
