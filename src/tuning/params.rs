//! `Params`: one set of hyperparameters, as scikit-learn's `best_params_` dict — names in
//! a fixed order, each an integer or a float — and the typed getters a model-building
//! function reads them with, its own defaults filling what is not given (as Python's
//! `build_model(n_hidden=1, n_neurons=30, learning_rate=3e-3)`).

use std::fmt;

use super::error::TuningError;

/// One hyperparameter value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

impl fmt::Display for Value {
    /// An integer as is; a float with Rust's shortest exact form (`0.005803602934201024`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Float(v) => match f.precision() {
                Some(p) => write!(f, "{v:.p$}"),
                None => write!(f, "{v}"),
            },
        }
    }
}

/// Named hyperparameters in the order they were given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Params(Vec<(String, Value)>);

impl Params {
    /// No parameters: the model-building function's defaults.
    pub fn new() -> Self {
        Params(Vec::new())
    }

    /// These parameters with `name` set to `value` (replacing an earlier value).
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.set(name, value.into());
        self
    }

    /// Sets `name` to `value`, in place if present, appended if not.
    pub fn set(&mut self, name: &str, value: Value) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    /// These parameters overridden by `other`'s (scikit-learn's
    /// `clone(estimator).set_params(**candidate)`).
    pub fn merged(&self, other: &Params) -> Params {
        let mut out = self.clone();
        for (name, value) in &other.0 {
            out.set(name, *value);
        }
        out
    }

    /// The value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// The names and values, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Value)> {
        self.0.iter().map(|(n, v)| (n.as_str(), *v))
    }

    /// The number of parameters given.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no parameter is given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `name` as a count (`n_hidden`, `n_neurons`), or `default` when not given. A float
    /// or a negative integer is an error naming it.
    pub fn usize_or(&self, name: &str, default: usize) -> Result<usize, TuningError> {
        match self.get(name) {
            None => Ok(default),
            Some(Value::Int(v)) => usize::try_from(v).map_err(|_| TuningError::Param {
                name: name.to_string(),
                expected: "a count ≥ 0",
                found: v.to_string(),
            }),
            Some(Value::Float(v)) => Err(TuningError::Param {
                name: name.to_string(),
                expected: "an integer",
                found: format!("the float {v}"),
            }),
        }
    }

    /// `name` as a real number (`learning_rate`; an integer is taken as its value), or
    /// `default` when not given.
    pub fn f64_or(&self, name: &str, default: f64) -> Result<f64, TuningError> {
        Ok(match self.get(name) {
            None => default,
            Some(Value::Int(v)) => v as f64,
            Some(Value::Float(v)) => v,
        })
    }
}

impl fmt::Display for Params {
    /// `n_hidden=3, n_neurons=74, learning_rate=0.0058036` (floats to the precision
    /// asked, shortest exact form otherwise), as scikit-learn's verbose lines name a
    /// candidate; `defaults` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return write!(f, "defaults");
        }
        for (i, (name, value)) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            match (value, f.precision()) {
                (Value::Float(v), Some(p)) => {
                    write!(f, "{sep}{name}={}", significant(*v, p))?
                }
                _ => write!(f, "{sep}{name}={value}")?,
            }
        }
        Ok(())
    }
}

/// `v` with `digits` significant digits, without trailing zeros: 0.005803602934 → `0.0058036`
/// for 5.
fn significant(v: f64, digits: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return v.to_string();
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_parameter_takes_the_default_and_a_given_one_overrides_it() {
        let p = Params::new()
            .with("n_hidden", 3)
            .with("learning_rate", 0.01);
        assert_eq!(p.usize_or("n_hidden", 1).unwrap(), 3);
        assert_eq!(p.usize_or("n_neurons", 30).unwrap(), 30);
        assert_eq!(p.f64_or("learning_rate", 3e-3).unwrap(), 0.01);
        let merged = Params::new().with("n_hidden", 1).merged(&p);
        assert_eq!(merged.get("n_hidden"), Some(Value::Int(3)));
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn a_float_or_negative_count_is_an_error_naming_the_parameter() {
        let p = Params::new().with("n_hidden", 1.5).with("n_neurons", -2);
        let e = p.usize_or("n_hidden", 1).unwrap_err().to_string();
        assert!(e.contains("n_hidden") && e.contains("1.5"), "{e}");
        let e = p.usize_or("n_neurons", 1).unwrap_err().to_string();
        assert!(e.contains("n_neurons") && e.contains("-2"), "{e}");
    }

    #[test]
    fn params_print_as_scikit_learns_verbose_lines_name_a_candidate() {
        let p = Params::new()
            .with("n_hidden", 3)
            .with("n_neurons", 74)
            .with("learning_rate", 0.005803602934201024);
        assert_eq!(
            p.to_string(),
            "n_hidden=3, n_neurons=74, learning_rate=0.005803602934201024"
        );
        assert_eq!(
            format!("{p:.5}"),
            "n_hidden=3, n_neurons=74, learning_rate=0.0058036"
        );
        assert_eq!(Params::new().to_string(), "defaults");
    }
}
