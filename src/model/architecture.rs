//! `Architecture`: a model's layers and connections as data, whichever API built it —
//! what `save_model` stores and `load_model` / `load_functional` rebuild.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{FunctionalConfig, SequentialConfig};

/// The architecture of a `Sequential` or a `Functional` model.
#[derive(Debug, Clone, PartialEq)]
pub enum Architecture {
    Sequential(SequentialConfig),
    Functional(FunctionalConfig),
}

impl Architecture {
    /// `"Sequential"` or `"Functional"`, Keras's class names.
    pub fn class_name(&self) -> &'static str {
        match self {
            Architecture::Sequential(_) => "Sequential",
            Architecture::Functional(_) => "Functional",
        }
    }
}

/// Written as the config itself: a `Sequential`'s JSON is unchanged from the files annlab
/// wrote before functional models could be saved.
impl Serialize for Architecture {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Architecture::Sequential(c) => c.serialize(serializer),
            Architecture::Functional(c) => c.serialize(serializer),
        }
    }
}

/// Read as a functional graph when it has `nodes`, else as a `Sequential`, so that a
/// malformed file gets the error of the kind it claims to be (not serde's "did not
/// match any variant").
impl<'de> Deserialize<'de> for Architecture {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let functional = value.get("nodes").is_some();
        let result = if functional {
            serde_json::from_value(value).map(Architecture::Functional)
        } else {
            serde_json::from_value(value).map(Architecture::Sequential)
        };
        result.map_err(serde::de::Error::custom)
    }
}
