//! Layers: the `Layer` trait and its implementations, one file each.

mod activation;
mod augment;
mod batch_norm;
mod config;
mod dense;
mod dropout;
mod flatten;
mod layer;
mod size;

pub use activation::ActivationLayer;
pub use augment::{
    Factor, RandomBrightness, RandomBrightnessConfig, RandomFlip, RandomFlipConfig,
    RandomRotation, RandomRotationConfig, RandomTranslation, RandomTranslationConfig,
    RandomZoom, RandomZoomConfig,
};
pub use batch_norm::BatchNormalization;
pub use config::BatchNormalizationConfig;
pub use config::{
    ActivationConfig, DenseConfig, DropoutConfig, FlattenConfig, LayerConfig,
};
pub use dense::Dense;
pub use dropout::Dropout;
pub use flatten::Flatten;
pub(crate) use layer::shape_error;
pub use layer::{Layer, Param, Params, Weight};
pub(crate) use size::{check_batch, try_with_capacity, try_zeros, within_limit};
pub use size::{elements, MAX_ELEMENTS};
