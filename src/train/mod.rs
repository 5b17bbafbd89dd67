//! Training: `compile`'s `Trainer` with the fit / evaluate / predict loops, the options
//! they take, and the `Train` trait that gives every model Keras's calls.

mod checks;
mod inputs;
mod keras;
mod options;
mod trainer;

pub use inputs::{IntoInputs, IntoTargets};
pub use keras::Train;
pub use options::{AsTargets, Compile, Evaluation, Fit};
pub use trainer::{predict, predict_all, Compiled, FitState, Trainer, TrainingState};
