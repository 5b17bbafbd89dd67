//! Training: `compile`'s `Trainer` with the fit / evaluate / predict loops, the options
//! they take, and the `Train` trait that gives every model Keras's calls.

mod checks;
mod keras;
mod options;
mod trainer;

pub use keras::Train;
pub use options::{AsTargets, Compile, Evaluation, Fit};
pub use trainer::{predict, FitState, Trainer, TrainingState};
