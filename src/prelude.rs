//! What a chapter imports: `use annlab::prelude::*;`.

pub use crate::activations::Activation;
pub use crate::datasets::{fashion_mnist, hg_split, homl_split, Split, CLASS_NAMES};
pub use crate::error::ModelError;
pub use crate::history::History;
pub use crate::layers::{ActivationLayer, Dense, Flatten, Layer};
pub use crate::losses::{Loss, Targets};
pub use crate::metrics::Metric;
pub use crate::model::{AsTargets, Compile, Evaluation, Fit, Sequential};
pub use crate::optimizers::{
    Adadelta, Adagrad, Adam, Adamax, ExponentialDecay, LearningRateSchedule, Nadam, Optimizer,
    PiecewiseConstantDecay, RMSprop, SGD,
};
pub use ndarray::{array, s, Array1, Array2, Array3, Axis};
