//! Layer names, for every kind of model: Keras's default names (`dense`, `dense_1`, …)
//! and errors that name the layer they come from.

use crate::error::ModelError;

/// `"Dense"` → `"dense"`, `"BatchNormalization"` → `"batch_normalization"`.
pub(crate) fn snake_case(kind: &str) -> String {
    let mut out = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A layer's build error with the layer's name in it (Sequential and Functional).
pub(crate) fn name_layer(e: ModelError, name: &str) -> ModelError {
    match e {
        ModelError::Shape {
            kind,
            expected,
            found,
            ..
        } => ModelError::Shape {
            layer: name.to_string(),
            kind,
            expected,
            found,
        },
        ModelError::Config { what, why } => ModelError::Config {
            what: format!("{what} of layer {name}"),
            why,
        },
        ModelError::TooLarge { what, why } => ModelError::TooLarge {
            what: format!("{what} of layer {name}"),
            why,
        },
        other => other,
    }
}
