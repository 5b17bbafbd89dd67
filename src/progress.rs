//! A Keras-style progress bar, drawn as Keras 3's `Progbar` draws it:
//! `1500/1500 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - accuracy: 0.8125 - loss: 0.5361`.
//!
//! On a terminal it redraws one line in place at most every 50 ms, with Keras's colours
//! (the step count and the time bold, the done part of the bar green, the rest grey), the
//! time left (`ETA`) and the time per step mid-epoch, and the elapsed time at the end. When
//! output is not a terminal (a file, a pipe, CI) it writes only the final line of each
//! bar, without escape codes, so logs hold no control characters (Keras 3 on Linux writes
//! its terminal bytes to a pipe too). The bar only formats: whoever owns it (the
//! `ProgbarLogger` callback) passes the writer and the figures, already written as
//! ` - accuracy: 0.8117 - loss: 0.5367` (what `Logs` displays).
//!
//! Times: the time per step ignores the first step (often slow, as in Keras):
//! `(now − t₁) / (step − 1)` once step 1 is done, `now / step` before; the ETA is that
//! times the steps left.

use std::fmt::Display;
use std::io::Write;
use std::time::Instant;

const WIDTH: usize = 20;
/// Keras's `interval`: the least time between two redraws, in seconds.
const REDRAW: f64 = 0.05;
const BOLD: &str = "\x1b[1m";
const GREEN: &str = "\x1b[32m";
const GREY: &str = "\x1b[37m";
const RESET: &str = "\x1b[0m";

/// How much `fit` and `evaluate` print: Keras's `verbose` 0, 1 or 2.
pub type Verbose = u8;

/// One bar over `target` steps.
pub struct ProgressBar {
    target: usize,
    verbose: Verbose,
    tty: bool,
    origin: Instant,
    /// the clock when the bar began, in seconds (0: the clock is seconds since `origin`)
    start: f64,
    /// the clock when step 1 ended
    after_first_step: Option<f64>,
    /// seconds since the start of the last redraw
    last_draw: Option<f64>,
    /// the visible width of the line last drawn (what the next redraw backs over)
    prev_width: usize,
}

impl ProgressBar {
    /// A bar over `target` steps; `tty` selects in-place redrawing with colours.
    pub fn new(target: usize, verbose: Verbose, tty: bool) -> Self {
        ProgressBar {
            target,
            verbose,
            tty,
            origin: Instant::now(),
            start: 0.0,
            after_first_step: None,
            last_draw: None,
            prev_width: 0,
        }
    }

    /// The same bar on a clock that read `start` seconds when it began: `update_at` and
    /// `finish_at` then take readings of that clock (tests replay Keras's fake clock).
    pub fn started_at(mut self, start: f64) -> Self {
        self.start = start;
        self
    }

    fn now(&self) -> f64 {
        self.origin.elapsed().as_secs_f64()
    }

    /// Whether an `update` now would draw (so callers need not compute figures when not).
    pub fn due(&self) -> bool {
        self.verbose == 1
            && self.tty
            && self.last_draw.is_none_or(|t| self.now() - t >= REDRAW)
    }

    /// Reports that `step` of `target` steps are done, with the running figures.
    pub fn update(&mut self, out: &mut dyn Write, step: usize, logs: &dyn Display) {
        let now = self.now();
        self.update_at(out, step, logs, now);
    }

    /// Records that `step` steps are done without figures (for the time per step) when
    /// the caller skips `update` because the bar is not `due`.
    pub fn tick(&mut self, step: usize) {
        let now = self.now();
        self.step_duration(step, now);
    }

    /// Ends the bar with the final figures: one finished line.
    pub fn finish(&mut self, out: &mut dyn Write, logs: &dyn Display) {
        let now = self.now();
        self.finish_at(out, logs, now);
    }

    /// `update` at clock reading `now`, in seconds (tests drive the clock).
    pub fn update_at(
        &mut self,
        out: &mut dyn Write,
        step: usize,
        logs: &dyn Display,
        now: f64,
    ) {
        let per_step = self.step_duration(step, now);
        if self.verbose != 1 || !self.tty || step >= self.target {
            return;
        }
        if self.last_draw.is_some_and(|t| now - t < REDRAW) {
            return;
        }
        self.last_draw = Some(now);
        // ETA = time per step · steps left, truncated to whole seconds as Keras's `%d`
        let eta = per_step * (self.target - step) as f64;
        self.draw(out, step, &eta_str(eta), per_step, logs, false);
    }

    /// `finish` at clock reading `now`, in seconds (tests drive the clock).
    pub fn finish_at(&mut self, out: &mut dyn Write, logs: &dyn Display, now: f64) {
        if self.verbose == 0 {
            return;
        }
        let per_step = self.step_duration(self.target, now);
        let elapsed = now - self.start;
        if self.verbose == 1 {
            self.draw(
                out,
                self.target,
                &format!("{elapsed:.0}s"),
                per_step,
                logs,
                true,
            );
        } else {
            let digits = self.target.to_string().len();
            let _ = writeln!(
                out,
                "{:>digits$}/{} - {elapsed:.0}s -{}{logs}",
                self.target,
                self.target,
                per_step_str(per_step)
            );
        }
        let _ = out.flush();
    }

    /// Keras's `_estimate_step_duration`: seconds per step, the first step left out once
    /// there are others.
    fn step_duration(&mut self, step: usize, now: f64) -> f64 {
        if step == 0 {
            return 0.0;
        }
        let per_step = match self.after_first_step {
            Some(t1) if step > 1 => (now - t1) / (step - 1) as f64,
            _ => (now - self.start) / step as f64,
        };
        if step == 1 {
            self.after_first_step = Some(now);
        }
        per_step
    }

    fn draw(
        &mut self,
        out: &mut dyn Write,
        step: usize,
        time: &str,
        per_step: f64,
        logs: &dyn Display,
        last: bool,
    ) {
        // filled cells: WIDTH · step / target (all of them for an empty bar)
        let done = (WIDTH * step)
            .checked_div(self.target)
            .unwrap_or(WIDTH)
            .min(WIDTH);
        let digits = self.target.to_string().len();
        let count = format!("{step:>digits$}/{}", self.target);
        let info = format!("{}{logs}", per_step_str(per_step));
        if !self.tty {
            if last {
                let bar = "━".repeat(done) + &" ".repeat(WIDTH - done);
                let _ = writeln!(out, "{count} {bar} {time}{info}");
            }
            return;
        }
        let mut line = "\x08".repeat(self.prev_width) + "\r";
        line += &format!("{BOLD}{count}{RESET} ");
        if done > 0 {
            line += &format!("{GREEN}{}{RESET}", "━".repeat(done));
        }
        line += &format!("{GREY}{}{RESET}", "━".repeat(WIDTH - done));
        line += &format!(" {BOLD}{time}{RESET}{info}");
        let width = [count.as_str(), " ", time, " ", &info]
            .iter()
            .map(|s| s.chars().count())
            .sum::<usize>()
            + WIDTH;
        // spaces cover what a longer previous line left behind
        line += &" ".repeat(self.prev_width.saturating_sub(width));
        if last {
            line.push('\n');
        }
        self.prev_width = width;
        let _ = write!(out, "{line}");
        let _ = out.flush();
    }
}

/// The time left as Keras prints it: `42s`, `12:29`, `6:53:53` (whole seconds, truncated).
fn eta_str(eta: f64) -> String {
    let s = eta as u64;
    if eta > 3600.0 {
        format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
    } else if eta > 60.0 {
        format!("{}:{:02}", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// ` 2ms/step`, ` 412us/step` or ` 0s/step`, as Keras's `_format_time` writes it.
fn per_step_str(seconds: f64) -> String {
    if seconds >= 1.0 || seconds == 0.0 {
        format!(" {seconds:.0}s/step")
    } else if seconds >= 1e-3 {
        format!(" {:.0}ms/step", seconds * 1e3)
    } else {
        format!(" {:.0}us/step", seconds * 1e6)
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
    fn bar_on_a_terminal_redraws_in_place_in_colour() {
        let text = run(true, 1);
        assert!(text.starts_with("\r\x1b[1m  1/100\x1b[0m "), "{text:?}");
        assert!(text.contains("\x08\r"), "a redraw backs over the last line");
        assert!(
            text.ends_with("loss: 0.2500\n") || text.ends_with(" \n"),
            "{text:?}"
        );
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
