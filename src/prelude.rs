//! What a chapter imports: `use annlab::prelude::*;`.

pub use crate::activations::Activation;
pub use crate::callbacks::{run_logdir, TensorBoard};
pub use crate::callbacks::{
    CSVLogger, Callback, Context, EarlyStopping, History, LambdaCallback, Logs, Mode,
    ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN,
};
pub use crate::datasets::{fashion_mnist, hg_split, homl_split, Split, CLASS_NAMES};
pub use crate::error::ModelError;
pub use crate::layers::BatchNormalization;
pub use crate::layers::{ActivationLayer, Dense, Dropout, Flatten, Layer};
pub use crate::layers::{
    RandomBrightness, RandomFlip, RandomRotation, RandomTranslation, RandomZoom,
};
pub use crate::losses::{Loss, Targets};
pub use crate::metrics::Metric;
pub use crate::model::{concatenate, Call, Functional, Input, Model, Sequential, Tensor};
pub use crate::models::model_fn;
pub use crate::optimizers::{
    Adadelta, Adagrad, Adam, Adamax, ExponentialDecay, LearningRateSchedule, Nadam,
    Optimizer, PiecewiseConstantDecay, RMSprop, SGD,
};
pub use crate::regularizers::{l1, l1_l2, l2, Regularizer};
pub use crate::train::{AsTargets, Compile, Evaluate, Evaluation, Fit, Train};
pub use ndarray::{array, s, Array1, Array2, Array3, Axis};
