//! `Logs`: the figures a callback receives, as Keras's `logs` dict.

use std::fmt;

/// A small map from Keras's keys (`loss`, `accuracy`, `val_loss`, `val_accuracy`, …) to
/// figures, kept sorted by key: Keras 3 sorts the logs it prints and records
/// (`pythonify_logs` in `keras/src/utils/python_utils.py`), so the bar reads
/// `accuracy: 0.8792 - loss: 0.3349` and so does this map. Setting a key that is already
/// there allocates nothing, so `fit` reuses one `Logs` for every batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Logs {
    entries: Vec<(String, f64)>,
}

impl Logs {
    /// No figures.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, keeping the keys sorted.
    pub fn set(&mut self, key: &str, value: f64) {
        match self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => self.entries[i].1 = value,
            Err(i) => self.entries.insert(i, (key.to_string(), value)),
        }
    }

    /// The figure under `key`.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.entries[i].1)
    }

    /// `(key, figure)` pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'a> FromIterator<(&'a str, f64)> for Logs {
    fn from_iter<I: IntoIterator<Item = (&'a str, f64)>>(iter: I) -> Self {
        let mut logs = Logs::new();
        for (k, v) in iter {
            logs.set(k, v);
        }
        logs
    }
}

/// ` - accuracy: 0.8117 - loss: 0.5367`, as Keras's progress bar prints figures.
impl fmt::Display for Logs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, v) in self.iter() {
            write!(f, " - {k}: {}", format_value(v))?;
        }
        Ok(())
    }
}

/// One figure as Keras's `Progbar` formats it (Python's `{:.4f}` when |v| > 1e-3, else
/// `{:.4e}`): `0.5367`, `1.2346e-04`, `0.0000e+00`, `nan`.
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    if v.abs() > 1e-3 {
        return format!("{v:.4}");
    }
    // Rust writes 1.2346e-4; Python writes the exponent signed, two digits at least
    let rust = format!("{v:.4e}");
    let (mantissa, exp) = rust.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent is an integer");
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_keep_their_keys_sorted_and_print_like_keras() {
        let mut logs = Logs::new();
        logs.set("loss", 0.33491);
        logs.set("accuracy", 0.87921);
        logs.set("val_loss", 0.4);
        logs.set("loss", 0.3349); // replaced in place
        assert_eq!(
            logs.keys().collect::<Vec<_>>(),
            ["accuracy", "loss", "val_loss"]
        );
        assert_eq!(logs.get("loss"), Some(0.3349));
        assert_eq!(logs.get("val_accuracy"), None);
        assert_eq!(
            logs.to_string(),
            " - accuracy: 0.8792 - loss: 0.3349 - val_loss: 0.4000"
        );
    }

    #[test]
    fn small_and_non_finite_figures_print_as_python_formats_them() {
        assert_eq!(format_value(1.23456e-4), "1.2346e-04");
        assert_eq!(format_value(0.0), "0.0000e+00");
        assert_eq!(format_value(-0.002), "-0.0020");
        assert_eq!(format_value(f64::NAN), "nan");
        assert_eq!(format_value(f64::NEG_INFINITY), "-inf");
    }
}
