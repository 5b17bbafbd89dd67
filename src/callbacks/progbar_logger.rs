//! `ProgbarLogger`: the progress bar as a callback, which `fit` installs when verbose.

use std::io::{IsTerminal, Write};

use super::{Callback, Context, Logs};
use crate::error::ModelError;
use crate::progress::{ProgressBar, Verbose};

/// Prints `Epoch 1/5` and a bar per epoch (Keras's `ProgbarLogger`): redrawn in place on a
/// terminal (verbose 1), one final line per epoch elsewhere; verbose 2 prints one line per
/// epoch; verbose 0 nothing. `evaluate` draws its bar with one too. On a terminal, a fit
/// of several epochs ends with its loss curves in one line each (`loss_sparklines`).
pub struct ProgbarLogger {
    verbose: Verbose,
    out: Box<dyn Write + Send>,
    tty: bool,
    bar: Option<ProgressBar>,
    /// `loss` and `val_loss` of every epoch so far, for the curves at the end
    losses: Vec<(String, Vec<f64>)>,
}

impl ProgbarLogger {
    /// A bar on standard output, redrawn in place only when that is a terminal.
    pub fn new(verbose: Verbose) -> Self {
        let tty = std::io::stdout().is_terminal();
        Self::to_writer(verbose, Box::new(std::io::stdout()), tty)
    }

    /// A bar written to `out` (`tty` selects in-place redrawing), e.g. to test it.
    pub fn to_writer(verbose: Verbose, out: Box<dyn Write + Send>, tty: bool) -> Self {
        ProgbarLogger {
            verbose,
            out,
            tty,
            bar: None,
            losses: Vec::new(),
        }
    }

    /// Starts a bar over `steps` batches.
    pub fn begin(&mut self, steps: usize) {
        self.bar = Some(ProgressBar::new(steps, self.verbose, self.tty));
    }

    /// Whether an update now would draw: callers skip computing figures when not.
    pub fn due(&self) -> bool {
        self.bar.as_ref().is_some_and(ProgressBar::due)
    }

    /// Reports `step` batches done with these running figures (the bar redraws at most
    /// every 50 ms).
    pub fn update(&mut self, step: usize, logs: &Logs) {
        if let Some(bar) = self.bar.as_mut() {
            bar.update(&mut self.out, step, logs);
        }
    }

    /// Records `step` batches done when the caller skips `update` (not `due`), so the
    /// time per step leaves the first step out as Keras's does.
    pub fn tick(&mut self, step: usize) {
        if let Some(bar) = self.bar.as_mut() {
            bar.tick(step);
        }
    }

    /// Ends the bar with the final figures.
    pub fn end(&mut self, logs: &Logs) {
        if let Some(mut bar) = self.bar.take() {
            bar.finish(&mut self.out, logs);
        }
    }

    /// Prints a line (e.g. `Epoch 1/5`) unless quiet.
    pub fn message(&mut self, text: &str) {
        if self.verbose > 0 {
            let _ = writeln!(self.out, "{text}");
        }
    }
}

/// Each loss curve as one line of block characters, lowest ▁ to highest █ over the range of
/// all the curves together, with its first and last values:
/// `loss      █▅▃▂▂▁▁▁  0.5361 → 0.3063`. Non-finite values show as a space; fewer than
/// two epochs give no lines.
pub fn loss_sparklines(curves: &[(String, Vec<f64>)]) -> Vec<String> {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let finite = curves
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let width = curves.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    curves
        .iter()
        .filter(|(_, values)| values.len() >= 2)
        .map(|(key, values)| {
            let line: String = values
                .iter()
                .map(|&v| match v.is_finite() {
                    false => ' ',
                    // the eighth of [lo, hi] that v falls in; a flat curve sits at the bottom
                    true if hi > lo => {
                        BLOCKS[(((v - lo) / (hi - lo)) * 7.0).round() as usize]
                    }
                    true => BLOCKS[0],
                })
                .collect();
            let (first, last) = (values[0], values[values.len() - 1]);
            format!("{key:<width$}  {line}  {first:.4} → {last:.4}")
        })
        .collect()
}

/// The line `fit` prints first in a debug build, which trains about 6× slower than a
/// release build (2.6 s against 0.4 s an epoch of HG 7-2's model): None in a release build.
pub fn debug_build_warning(debug_assertions: bool) -> Option<&'static str> {
    debug_assertions.then_some(
        "annlab: this is a debug build, which trains about 6x slower; \
         run with `cargo run --release` (or `cargo test --release`)",
    )
}

impl Callback for ProgbarLogger {
    fn on_train_end(
        &mut self,
        _logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if self.tty && self.verbose == 1 {
            let lines = loss_sparklines(&self.losses);
            if !lines.is_empty() {
                let _ = writeln!(self.out);
            }
            for line in lines {
                let _ = writeln!(self.out, "{line}");
            }
        }
        Ok(())
    }

    fn on_train_begin(&mut self, _ctx: &mut Context<'_>) -> Result<(), ModelError> {
        self.losses.clear();
        if let Some(warning) = debug_build_warning(cfg!(debug_assertions)) {
            self.message(warning);
        }
        Ok(())
    }

    fn on_epoch_begin(
        &mut self,
        epoch: usize,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        // Keras prints no `Epoch 1/1` for a one-epoch fit
        if ctx.epochs > 1 {
            self.message(&format!("Epoch {}/{}", epoch + 1, ctx.epochs));
        }
        self.begin(ctx.steps);
        Ok(())
    }

    fn on_train_batch_end(
        &mut self,
        batch: usize,
        logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.update(batch + 1, logs);
        Ok(())
    }

    fn on_epoch_end(
        &mut self,
        _epoch: usize,
        logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.end(logs);
        for key in ["loss", "val_loss"] {
            if let Some(v) = logs.get(key) {
                match self.losses.iter_mut().find(|(k, _)| k == key) {
                    Some((_, values)) => values.push(v),
                    None => self.losses.push((key.to_string(), vec![v])),
                }
            }
        }
        Ok(())
    }
}
