//! A Keras-style progress bar:
//! `1500/1500 ━━━━━━━━━━━━━━━━━━━━ 1s 400us/step - accuracy: 0.8117 - loss: 0.5367`.
//!
//! On a terminal it redraws one line in place (`\r`, at most every 50 ms). When output
//! is not a terminal (a file, a pipe, CI) it writes only the final line of each bar, so
//! logs hold no control characters. The bar only formats: whoever owns it (the
//! `ProgbarLogger` callback) passes the writer and the figures, already written as
//! ` - accuracy: 0.8117 - loss: 0.5367` (what `Logs` displays).

use std::fmt::Display;
use std::io::Write;
use std::time::{Duration, Instant};

const WIDTH: usize = 20;
const REDRAW: Duration = Duration::from_millis(50);

/// How much `fit` and `evaluate` print: Keras's `verbose` 0, 1 or 2.
pub type Verbose = u8;

/// One bar over `target` steps.
pub struct ProgressBar {
    target: usize,
    verbose: Verbose,
    tty: bool,
    start: Instant,
    last_draw: Option<Instant>,
}

impl ProgressBar {
    /// A bar over `target` steps; `tty` selects in-place redrawing.
    pub fn new(target: usize, verbose: Verbose, tty: bool) -> Self {
        ProgressBar {
            target,
            verbose,
            tty,
            start: Instant::now(),
            last_draw: None,
        }
    }

    /// Whether an `update` now would draw (so callers need not compute figures when not).
    pub fn due(&self) -> bool {
        self.verbose == 1 && self.tty && self.last_draw.is_none_or(|t| t.elapsed() >= REDRAW)
    }

    /// Reports that `step` of `target` steps are done, with the running figures.
    pub fn update(&mut self, out: &mut dyn Write, step: usize, logs: &dyn Display) {
        if !self.due() || step >= self.target {
            return;
        }
        self.last_draw = Some(Instant::now());
        let elapsed = self.start.elapsed().as_secs_f64();
        let eta = elapsed / step.max(1) as f64 * (self.target - step) as f64;
        let line = self.line(step, &format!("{:.0}s", eta.ceil()), "", logs);
        // \r returns to the line start; \x1b[K clears what a longer line left behind.
        let _ = write!(out, "\r{line}\x1b[K");
        let _ = out.flush();
    }

    /// Ends the bar with the final figures: one finished line.
    pub fn finish(&mut self, out: &mut dyn Write, logs: &dyn Display) {
        if self.verbose == 0 {
            return;
        }
        let elapsed = self.start.elapsed().as_secs_f64();
        let per_step = elapsed / self.target.max(1) as f64;
        let line = if self.verbose == 1 {
            self.line(
                self.target,
                &format!("{elapsed:.0}s"),
                &per_step_str(per_step),
                logs,
            )
        } else {
            format!(
                "{}/{} - {elapsed:.0}s - {}{logs}",
                self.target,
                self.target,
                per_step_str(per_step)
            )
        };
        let redraw = self.tty && self.verbose == 1;
        let (prefix, clear) = if redraw { ("\r", "\x1b[K") } else { ("", "") };
        let _ = writeln!(out, "{prefix}{line}{clear}");
        let _ = out.flush();
    }

    fn line(&self, step: usize, time: &str, per_step: &str, logs: &dyn Display) -> String {
        // filled cells: WIDTH · step / target (all of them for an empty bar)
        let done = (WIDTH * step)
            .checked_div(self.target)
            .unwrap_or(WIDTH)
            .min(WIDTH);
        let bar: String = "━".repeat(done) + &" ".repeat(WIDTH - done);
        let digits = self.target.to_string().len();
        let per_step = if per_step.is_empty() {
            String::new()
        } else {
            format!(" {per_step}")
        };
        format!(
            "{step:>digits$}/{} {bar} {time}{per_step}{logs}",
            self.target
        )
    }
}

/// `2ms/step` or `412us/step`, as Keras prints it.
fn per_step_str(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.0}s/step")
    } else if seconds >= 1e-3 {
        format!("{:.0}ms/step", seconds * 1e3)
    } else {
        format!("{:.0}us/step", seconds * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::Logs;

    fn run(tty: bool, verbose: Verbose) -> String {
        let mut out: Vec<u8> = Vec::new();
        let mut bar = ProgressBar::new(100, verbose, tty);
        let running: Logs = [("loss", 0.5)].into_iter().collect();
        for step in 1..=100 {
            bar.update(&mut out, step, &running);
        }
        let last: Logs = [("loss", 0.25), ("accuracy", 0.875)].into_iter().collect();
        bar.finish(&mut out, &last);
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn bar_written_to_a_file_has_no_control_characters() {
        let text = run(false, 1);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        let last = text.lines().last().expect("a final line");
        assert!(last.starts_with("100/100 ━━━━━━━━━━━━━━━━━━━━ "), "{last}");
        // Keras 3 prints the figures sorted by key
        assert!(
            last.ends_with(" - accuracy: 0.8750 - loss: 0.2500"),
            "{last}"
        );
        assert_eq!(text.lines().count(), 1);
    }

    #[test]
    fn bar_on_a_terminal_redraws_in_place() {
        let text = run(true, 1);
        assert!(text.contains('\r'));
        assert!(text.trim_end().ends_with("loss: 0.2500\x1b[K"));
    }

    #[test]
    fn quiet_prints_nothing_and_verbose_two_prints_one_line_per_bar() {
        assert_eq!(run(true, 0), "");
        let text = run(false, 2);
        assert_eq!(text.lines().count(), 1);
        assert!(text.starts_with("100/100 - "));
    }
}

/// A writer whose bytes a unit test reads back afterwards (the bars and progress lines
/// write to any `Write`).
#[cfg(test)]
#[derive(Clone, Default)]
pub(crate) struct SharedWriter(pub(crate) std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

#[cfg(test)]
impl SharedWriter {
    /// Everything written so far, as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("not poisoned").clone()).expect("utf8")
    }
}

#[cfg(test)]
impl Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
