//! Training: `compile`'s `Trainer` with the fit / evaluate / predict loops, the options
//! they take, and the `Train` trait that gives every model Keras's calls.

mod checks;
mod heads;
mod inputs;
mod keras;
mod options;
mod predict;
mod trainer;
mod weights;

pub use inputs::{AsTargets, IntoInputs, IntoTargets};
pub use keras::Train;
pub use options::{Compile, Evaluate, Evaluation, Fit};
pub use predict::{predict, predict_all};
pub use trainer::{Compiled, FitState, Trainer, TrainingState};
