//! A Keras-style progress bar:
//! `1500/1500 ━━━━━━━━━━━━━━━━━━━━ 1s 0.4ms/step - loss: 0.5367 - accuracy: 0.8117`.
//!
//! On a terminal it redraws one line in place (`\r`, at most every 50 ms). When output
//! is not a terminal (a file, a pipe, CI) it writes only the final line of each bar, so
//! logs hold no control characters.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const WIDTH: usize = 20;
const REDRAW: Duration = Duration::from_millis(50);

/// How much `fit` and `evaluate` print: Keras's `verbose` 0, 1 or 2.
pub type Verbose = u8;

/// One bar over `target` steps.
pub struct ProgressBar<'w> {
    target: usize,
    verbose: Verbose,
    tty: bool,
    out: Box<dyn Write + 'w>,
    start: Instant,
    last_draw: Option<Instant>,
}

impl ProgressBar<'static> {
    /// A bar on standard output; redraws in place only when stdout is a terminal.
    pub fn stdout(target: usize, verbose: Verbose) -> Self {
        let tty = std::io::stdout().is_terminal();
        ProgressBar::new(target, verbose, Box::new(std::io::stdout()), tty)
    }
}

impl<'w> ProgressBar<'w> {
    /// A bar writing to `out`; `tty` selects in-place redrawing.
    pub fn new(target: usize, verbose: Verbose, out: Box<dyn Write + 'w>, tty: bool) -> Self {
        ProgressBar {
            target,
            verbose,
            tty,
            out,
            start: Instant::now(),
            last_draw: None,
        }
    }

    /// Whether an `update` now would draw (so callers need not compute figures when not).
    pub fn due(&self) -> bool {
        self.verbose == 1 && self.tty && self.last_draw.is_none_or(|t| t.elapsed() >= REDRAW)
    }

    /// Reports that `step` of `target` steps are done, with the running figures.
    pub fn update<K: AsRef<str>>(&mut self, step: usize, figures: &[(K, f64)]) {
        if !self.due() || step >= self.target {
            return;
        }
        self.last_draw = Some(Instant::now());
        let elapsed = self.start.elapsed().as_secs_f64();
        let eta = elapsed / step.max(1) as f64 * (self.target - step) as f64;
        let line = self.line(step, &format!("{:.0}s", eta.ceil()), "", figures);
        // \r returns to the line start; \x1b[K clears what a longer line left behind.
        let _ = write!(self.out, "\r{line}\x1b[K");
        let _ = self.out.flush();
    }

    /// Ends the bar with the final figures: one finished line.
    pub fn finish<K: AsRef<str>>(&mut self, figures: &[(K, f64)]) {
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
                figures,
            )
        } else {
            let figs = figures_str(figures);
            format!(
                "{}/{} - {elapsed:.0}s - {}{figs}",
                self.target,
                self.target,
                per_step_str(per_step)
            )
        };
        let prefix = if self.tty && self.verbose == 1 {
            "\r"
        } else {
            ""
        };
        let clear = if self.tty && self.verbose == 1 {
            "\x1b[K"
        } else {
            ""
        };
        let _ = writeln!(self.out, "{prefix}{line}{clear}");
        let _ = self.out.flush();
    }

    /// Prints a plain line (e.g. `Epoch 1/5`) unless quiet.
    pub fn message(&mut self, text: &str) {
        if self.verbose > 0 {
            let _ = writeln!(self.out, "{text}");
        }
    }

    fn line<K: AsRef<str>>(
        &self,
        step: usize,
        time: &str,
        per_step: &str,
        figures: &[(K, f64)],
    ) -> String {
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
            "{step:>digits$}/{} {bar} {time}{per_step}{}",
            self.target,
            figures_str(figures)
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

/// ` - loss: 0.5367 - accuracy: 0.8117`
fn figures_str<K: AsRef<str>>(figures: &[(K, f64)]) -> String {
    figures
        .iter()
        .map(|(k, v)| format!(" - {}: {v:.4}", k.as_ref()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A writer the test can read back.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("sink lock").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn run(tty: bool, verbose: Verbose) -> String {
        let sink = Sink::default();
        let mut bar = ProgressBar::new(100, verbose, Box::new(sink.clone()), tty);
        bar.message("Epoch 1/1");
        for step in 1..=100 {
            bar.update(step, &[("loss", 0.5)]);
        }
        bar.finish(&[("loss", 0.25), ("accuracy", 0.875)]);
        let bytes = sink.0.lock().expect("sink lock").clone();
        String::from_utf8(bytes).expect("utf-8")
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
        assert!(
            last.ends_with(" - loss: 0.2500 - accuracy: 0.8750"),
            "{last}"
        );
        assert_eq!(text.lines().count(), 2);
    }

    #[test]
    fn bar_on_a_terminal_redraws_in_place() {
        let text = run(true, 1);
        assert!(text.contains('\r'));
        assert!(text.trim_end().ends_with("accuracy: 0.8750\x1b[K"));
    }

    #[test]
    fn quiet_prints_nothing_and_verbose_two_prints_one_line_per_bar() {
        assert_eq!(run(true, 0), "");
        let text = run(false, 2);
        assert_eq!(text.lines().count(), 2);
        assert!(text.lines().nth(1).expect("line").starts_with("100/100 - "));
    }
}
