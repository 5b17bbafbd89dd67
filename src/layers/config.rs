//! Layer configs: the plain settings that rebuild a layer (Keras's `get_config` /
//! `from_config`), serialised to JSON with serde as
//! `{"class_name": "Dense", "config": {"units": 100, "activation": "relu"}}`.

use serde::{Deserialize, Serialize};

use super::{ActivationLayer, BatchNormalization, Dense, Dropout, Flatten, Layer};
use super::{
    RandomBrightness, RandomBrightnessConfig, RandomFlip, RandomFlipConfig,
    RandomRotation, RandomRotationConfig, RandomTranslation, RandomTranslationConfig,
    RandomZoom, RandomZoomConfig,
};
use crate::activations::Activation;
use crate::error::ModelError;
use crate::regularizers::Regularizer;

/// `Dense(units, activation=…, input_shape=…, kernel_regularizer=…, bias_regularizer=…)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DenseConfig {
    pub units: usize,
    /// The Keras name: `"relu"`, `"softmax"`, `"linear"`, …
    pub activation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_shape: Option<Vec<usize>>,
    /// `{"l1": …, "l2": …}`; absent (files written before regularizers) means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_regularizer: Option<Regularizer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias_regularizer: Option<Regularizer>,
    /// Keras's `trainable`; written only when false (a frozen layer), so files of
    /// trainable layers are as before.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// `Flatten(input_shape=…)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlattenConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_shape: Option<Vec<usize>>,
}

/// `Activation("relu")`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationConfig {
    pub activation: String,
}

/// `Dropout(rate)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DropoutConfig {
    pub rate: f32,
}

/// `BatchNormalization(momentum=…, epsilon=…)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchNormalizationConfig {
    pub momentum: f32,
    pub epsilon: f32,
    /// Keras's `trainable`; written only when false.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

/// The config of any layer annlab can rebuild, tagged by its Keras class name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "class_name", content = "config")]
pub enum LayerConfig {
    Dense(DenseConfig),
    Flatten(FlattenConfig),
    Activation(ActivationConfig),
    Dropout(DropoutConfig),
    RandomFlip(RandomFlipConfig),
    RandomTranslation(RandomTranslationConfig),
    RandomRotation(RandomRotationConfig),
    RandomZoom(RandomZoomConfig),
    RandomBrightness(RandomBrightnessConfig),
    BatchNormalization(BatchNormalizationConfig),
}

impl LayerConfig {
    /// A fresh, unbuilt layer with these settings.
    pub fn to_layer(&self) -> Result<Box<dyn Layer>, ModelError> {
        Ok(match self {
            LayerConfig::Dense(c) => {
                let mut layer =
                    Dense::new(c.units).activation(Activation::from_name(&c.activation)?);
                if let Some(shape) = &c.input_shape {
                    layer = layer.input_shape(shape);
                }
                if let Some(r) = c.kernel_regularizer {
                    r.validate("Dense kernel_regularizer")?;
                    layer = layer.kernel_regularizer(r);
                }
                if let Some(r) = c.bias_regularizer {
                    r.validate("Dense bias_regularizer")?;
                    layer = layer.bias_regularizer(r);
                }
                layer.set_trainable(c.trainable);
                Box::new(layer)
            }
            LayerConfig::Flatten(c) => {
                let mut layer = Flatten::new();
                if let Some(shape) = &c.input_shape {
                    layer = layer.input_shape(shape);
                }
                Box::new(layer)
            }
            LayerConfig::Activation(c) => {
                Box::new(ActivationLayer::new(Activation::from_name(&c.activation)?))
            }
            LayerConfig::Dropout(c) => Box::new(Dropout::new(c.rate)),
            LayerConfig::RandomFlip(c) => Box::new(RandomFlip::from_config(c)),
            LayerConfig::RandomTranslation(c) => {
                Box::new(RandomTranslation::from_config(c))
            }
            LayerConfig::RandomRotation(c) => Box::new(RandomRotation::from_config(c)),
            LayerConfig::RandomZoom(c) => Box::new(RandomZoom::from_config(c)),
            LayerConfig::RandomBrightness(c) => {
                Box::new(RandomBrightness::from_config(c))
            }
            LayerConfig::BatchNormalization(c) => {
                let mut layer = BatchNormalization::new()
                    .momentum(c.momentum)
                    .epsilon(c.epsilon);
                layer.set_trainable(c.trainable);
                Box::new(layer)
            }
        })
    }

    /// The config as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("layer configs serialise")
    }

    /// Reads a config written by `to_json`; an unknown class name or a missing setting
    /// is an error that says which.
    pub fn from_json(json: &str) -> Result<Self, ModelError> {
        serde_json::from_str(json).map_err(|e| ModelError::Config {
            what: "layer config".into(),
            why: format!(
                "{e} (known classes: Dense, Flatten, Activation, Dropout, BatchNormalization, \
                 RandomFlip, RandomTranslation, RandomRotation, RandomZoom, RandomBrightness)"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_config_round_trips_through_json_and_rebuilds_the_layer() {
        let layers: Vec<Box<dyn Layer>> = vec![
            Box::new(Flatten::new().input_shape(&[28, 28])),
            Box::new(Dense::new(100).activation(Activation::Relu)),
            Box::new(ActivationLayer::new(Activation::Tanh)),
            Box::new(Dropout::new(0.3)),
            Box::new(BatchNormalization::new().momentum(0.9)),
            Box::new(
                Dense::new(10)
                    .activation(Activation::Softmax)
                    .input_shape(&[5]),
            ),
        ];
        for layer in &layers {
            let config = layer.config();
            let json = config.to_json();
            let back = LayerConfig::from_json(&json).unwrap();
            assert_eq!(back, config, "{json}");
            let rebuilt = back.to_layer().unwrap();
            assert_eq!(rebuilt.kind(), layer.kind());
            assert_eq!(rebuilt.config(), config);
        }
        assert_eq!(
            layers[1].config().to_json(),
            r#"{"class_name":"Dense","config":{"units":100,"activation":"relu"}}"#
        );
        assert_eq!(
            BatchNormalization::new().config().to_json(),
            r#"{"class_name":"BatchNormalization","config":{"momentum":0.99,"epsilon":0.001}}"#
        );
        // a frozen layer says so, and is rebuilt frozen
        let mut frozen = Dense::new(3);
        frozen.set_trainable(false);
        let json = frozen.config().to_json();
        assert_eq!(
            json,
            r#"{"class_name":"Dense","config":{"units":3,"activation":"linear","trainable":false}}"#
        );
        assert!(!LayerConfig::from_json(&json)
            .unwrap()
            .to_layer()
            .unwrap()
            .trainable());
    }

    #[test]
    fn a_dense_config_keeps_its_regularizers_and_one_without_them_still_loads() {
        use crate::regularizers::{l1, l1_l2};
        let layer = Dense::new(4)
            .kernel_regularizer(l1_l2(1e-4, 1e-3))
            .bias_regularizer(l1(0.01));
        let json = layer.config().to_json();
        assert_eq!(
            json,
            r#"{"class_name":"Dense","config":{"units":4,"activation":"linear","#
                .to_string()
                + r#""kernel_regularizer":{"l1":0.0001,"l2":0.001},"#
                + r#""bias_regularizer":{"l1":0.01,"l2":0.0}}}"#
        );
        let rebuilt = LayerConfig::from_json(&json).unwrap().to_layer().unwrap();
        assert_eq!(rebuilt.config(), layer.config());
        // a file written before regularizers existed
        let old = r#"{"class_name":"Dense","config":{"units":4,"activation":"relu"}}"#;
        let LayerConfig::Dense(config) = LayerConfig::from_json(old).unwrap() else {
            panic!("a Dense config")
        };
        assert_eq!(
            (config.kernel_regularizer, config.bias_regularizer),
            (None, None)
        );
        // a negative factor in a file is refused when the layer is made
        let bad = r#"{"class_name":"Dense","config":{"units":4,"activation":"relu","kernel_regularizer":{"l2":-1.0}}}"#;
        let err = LayerConfig::from_json(bad)
            .unwrap()
            .to_layer()
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("l2 must be a finite number"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_class_or_activation_is_a_clear_error() {
        let err = LayerConfig::from_json(r#"{"class_name":"Conv2D","config":{}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Conv2D") && err.contains("known classes"),
            "{err}"
        );
        let config = LayerConfig::from_json(
            r#"{"class_name":"Dense","config":{"units":3,"activation":"swish"}}"#,
        )
        .unwrap();
        let err = config
            .to_layer()
            .err()
            .expect("unknown activation")
            .to_string();
        assert!(err.contains("swish") && err.contains("relu"), "{err}");
    }
}
