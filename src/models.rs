//! Models the books define once and later chapters build again.

use crate::activations::Activation;
use crate::layers::{Dense, Flatten, Layer};
use crate::model::Sequential;

// ANCHOR: model_fn
/// HG 7-3's `model_fn(a_layer=None)`: Flatten(28, 28) → Dense(100, relu) → `[a_layer]` →
/// Dense(10, softmax), its weights drawn from `seed`. HG passes any layer; the book
/// passes `Dropout(0.3)`: `model_fn(seed, Some(Box::new(Dropout::new(0.3))))`.
pub fn model_fn(seed: u64, a_layer: Option<Box<dyn Layer>>) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(100).activation(Activation::Relu));
    if let Some(layer) = a_layer {
        model.add_boxed(layer);
    }
    model.add(Dense::new(10).activation(Activation::Softmax));
    model
}
// ANCHOR_END: model_fn

/// HOML 10's classifier: Flatten(28, 28) → Dense(300, relu) → Dense(100, relu) →
/// Dense(10, softmax), its weights drawn from `seed` (266,610 parameters). The benches,
/// `examples/epoch_timing.rs` and the thread test train it; chapter ch03 builds it cell by
/// cell, as the book does.
pub fn homl_classifier(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(300).activation(Activation::Relu));
    model.add(Dense::new(100).activation(Activation::Relu));
    model.add(Dense::new(10).activation(Activation::Softmax));
    model
}
