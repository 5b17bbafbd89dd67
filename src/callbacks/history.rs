//! `History`: the per-epoch figures `fit` returns, as Keras's `history.history` — a
//! callback that `fit` always installs.

use std::time::Instant;

use super::{Callback, Context, Logs};
use crate::error::ModelError;

/// Per-epoch figures keyed by name (`accuracy`, `loss`, `val_accuracy`, `val_loss`, …),
/// in the order they were first recorded (sorted, as `Logs` are), plus the wall-clock
/// seconds of each epoch.
///
/// Equality compares the figures only: timings differ run to run, figures must not.
#[derive(Debug, Clone, Default)]
pub struct History {
    keys: Vec<String>,
    values: Vec<Vec<f64>>,
    seconds: Vec<f64>,
    epoch_start: Option<Instant>,
}

impl PartialEq for History {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys
            && self.values.len() == other.values.len()
            && self.values.iter().zip(&other.values).all(|(a, b)| {
                a.iter()
                    .map(|v| v.to_bits())
                    .eq(b.iter().map(|v| v.to_bits()))
            })
    }
}

impl History {
    /// Appends one epoch's figures and its duration.
    pub fn record(&mut self, logs: &Logs, seconds: f64) {
        for (key, value) in logs.iter() {
            match self.keys.iter().position(|k| k == key) {
                Some(i) => self.values[i].push(value),
                None => {
                    self.keys.push(key.to_string());
                    self.values.push(vec![value]);
                }
            }
        }
        self.seconds.push(seconds);
    }

    /// The figures recorded under `key`, one per epoch.
    pub fn get(&self, key: &str) -> Option<&[f64]> {
        let i = self.keys.iter().position(|k| k == key)?;
        Some(&self.values[i])
    }

    /// The last epoch's figure under `key`.
    pub fn last(&self, key: &str) -> Option<f64> {
        self.get(key)?.last().copied()
    }

    /// The keys, in the order first recorded.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Number of epochs recorded.
    pub fn epochs(&self) -> usize {
        self.seconds.len()
    }

    /// Wall-clock seconds of each epoch (training and validation).
    pub fn seconds(&self) -> &[f64] {
        &self.seconds
    }

    /// Mean seconds per epoch.
    pub fn mean_seconds(&self) -> f64 {
        if self.seconds.is_empty() {
            0.0
        } else {
            self.seconds.iter().sum::<f64>() / self.seconds.len() as f64
        }
    }

    /// The history as JSON, `{"accuracy": [...], "loss": [...], ...}`, keys sorted
    /// (timings left out).
    pub fn to_json(&self) -> String {
        let map: serde_json::Map<String, serde_json::Value> = self
            .keys
            .iter()
            .zip(&self.values)
            .map(|(k, v)| (k.clone(), serde_json::json!(v)))
            .collect();
        serde_json::Value::Object(map).to_string()
    }

    /// Draws every figure of the history against the epoch, as HOML's
    /// `pd.DataFrame(history.history).plot(grid=True)`: one line per key, a grid, epochs
    /// ticked at whole numbers, y from 0 to 1 when every figure lies in [0, 1] (accuracy
    /// and a small loss) and the figures' range otherwise, the legend beside the plot.
    /// `path` ending in `.svg` writes the SVG and a PNG beside it; `.png` only the PNG.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), annlab::plot::PlotError> {
    /// # let history = annlab::callbacks::History::default();
    /// history.plot("figures/my_model.png")?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn plot(
        &self,
        path: impl AsRef<std::path::Path>,
    ) -> Result<(), crate::plot::PlotError> {
        let path = path.as_ref();
        let points: Vec<Vec<(f64, f64)>> = self
            .values
            .iter()
            .map(|v| {
                v.iter()
                    .enumerate()
                    .map(|(i, &y)| ((i + 1) as f64, y))
                    .collect()
            })
            .collect();
        let series: Vec<(&str, &[(f64, f64)])> = self
            .keys
            .iter()
            .zip(&points)
            .map(|(k, p)| (k.as_str(), p.as_slice()))
            .collect();
        let unit = self
            .values
            .iter()
            .flatten()
            .all(|v| (0.0..=1.0).contains(v));
        let chart = crate::plot::XyChart {
            title: "History",
            x_label: "epoch",
            y_label: "",
            series: &series,
            y_range: unit.then_some((0.0, 1.0)),
        };
        chart.check().map_err(|reason| crate::plot::PlotError {
            path: path.display().to_string(),
            reason: format!("the history has nothing to draw ({reason})"),
        })?;
        crate::plot::write_figure(path, &chart)
    }
}

impl Callback for History {
    fn on_epoch_begin(
        &mut self,
        _epoch: usize,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.epoch_start = Some(Instant::now());
        Ok(())
    }

    fn on_epoch_end(
        &mut self,
        _epoch: usize,
        logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let seconds = self.epoch_start.map_or(0.0, |t| t.elapsed().as_secs_f64());
        self.record(logs, seconds);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_history_plots_to_png_and_svg_and_refuses_other_names_and_emptiness() {
        let mut history = super::History::default();
        let dir =
            std::env::temp_dir().join(format!("annlab-history-{}", std::process::id()));
        let empty = history.plot(dir.join("empty.png")).unwrap_err().to_string();
        assert!(empty.contains("nothing to draw"), "{empty}");
        for (acc, loss) in [(0.7, 0.9), (0.8, 0.6), (0.85, 0.5)] {
            let logs: super::Logs =
                [("accuracy", acc), ("loss", loss)].into_iter().collect();
            history.record(&logs, 0.1);
        }
        history.plot(dir.join("h.svg")).unwrap();
        let png = std::fs::read(dir.join("h.png")).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG beside the SVG");
        let svg = std::fs::read_to_string(dir.join("h.svg")).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("accuracy"),
            "{svg:.200}"
        );
        let bad = history.plot(dir.join("h.jpg")).unwrap_err().to_string();
        assert!(bad.contains(".svg or .png"), "{bad}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    use super::*;

    fn logs(pairs: &[(&str, f64)]) -> Logs {
        pairs.iter().copied().collect()
    }

    #[test]
    fn history_keeps_figures_per_key_in_keras_sorted_order() {
        let mut h = History::default();
        h.record(&logs(&[("loss", 0.5), ("accuracy", 0.8)]), 1.0);
        h.record(&logs(&[("loss", 0.4), ("accuracy", 0.85)]), 3.0);
        assert_eq!(h.get("loss"), Some(&[0.5, 0.4][..]));
        assert_eq!(h.last("accuracy"), Some(0.85));
        assert_eq!(h.keys(), ["accuracy", "loss"]);
        assert_eq!(h.epochs(), 2);
        assert_eq!(h.mean_seconds(), 2.0);
        assert_eq!(h.to_json(), r#"{"accuracy":[0.8,0.85],"loss":[0.5,0.4]}"#);
    }

    #[test]
    fn histories_equal_when_figures_equal_whatever_the_timings() {
        let (mut a, mut b) = (History::default(), History::default());
        a.record(&logs(&[("loss", 0.5)]), 1.0);
        b.record(&logs(&[("loss", 0.5)]), 9.0);
        assert_eq!(a, b);
        b.record(&logs(&[("loss", 0.4)]), 1.0);
        assert_ne!(a, b);
    }
}
