//! What a search reports while it runs — `SearchObserver` — and `SearchProgress`, the
//! observer that draws it as a Keras-style bar over the fits: fits done, time left, the
//! candidates finished and the best mean score so far. The library never prints: the bar
//! writes to the writer its owner gives it (the chapter gives standard output).

use std::fmt;
use std::io::Write;

use super::params::Params;
use crate::progress::{ProgressBar, Verbose};

/// One finished fit of a search: which candidate and fold, its score on the fold's
/// held-out rows, the epochs it ran (early stopping may end it before `epochs`) and its
/// seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct FitReport {
    pub candidate: usize,
    pub fold: usize,
    pub score: f64,
    pub epochs: usize,
    pub seconds: f64,
}

/// Hooks a search calls as its fits finish.
///
/// Contract: `on_search_begin` once, then `on_fit_end` once per (candidate, fold) fit and
/// `on_candidate_end` once per candidate, right after its last fold's `on_fit_end`, then
/// `on_search_end` once the cross-validation is over (before the refit). Fits run on
/// several threads: the hooks are called one at a time (under a lock), in the order the
/// fits finish, which changes from run to run; the search's results do not depend on it.
/// Every hook does nothing unless implemented.
pub trait SearchObserver: Send {
    fn on_search_begin(&mut self, candidates: usize, folds: usize) {
        let _ = (candidates, folds);
    }
    fn on_fit_end(&mut self, fit: &FitReport) {
        let _ = fit;
    }
    /// `mean_score`: the mean of the candidate's fold scores, as `mean_test_score`.
    fn on_candidate_end(&mut self, candidate: usize, params: &Params, mean_score: f64) {
        let _ = (candidate, params, mean_score);
    }
    fn on_search_end(&mut self) {}
}

/// No display.
impl SearchObserver for () {}

/// A progress bar over a search's fits, in the look of `fit`'s bar:
///
/// ```text
/// Fitting 3 folds for each of 10 candidates, totalling 30 fits
/// 12/30 ━━━━━━━━            41s - best_score: -0.3512 - candidates: 3/10
/// ```
///
/// On a terminal (verbose 1) it redraws in place with the time left; elsewhere it writes
/// only the final line, so logs hold no control characters.
pub struct SearchProgress {
    out: Box<dyn Write + Send>,
    tty: bool,
    verbose: Verbose,
    bar: Option<ProgressBar>,
    fits: usize,
    candidates: usize,
    candidates_done: usize,
    best: Option<f64>,
}

impl SearchProgress {
    /// A bar written to `out`; `tty` selects in-place redrawing; verbose 0 draws nothing.
    pub fn to_writer(out: Box<dyn Write + Send>, tty: bool, verbose: Verbose) -> Self {
        SearchProgress {
            out,
            tty,
            verbose,
            bar: None,
            fits: 0,
            candidates: 0,
            candidates_done: 0,
            best: None,
        }
    }

    fn figures(&self) -> Figures {
        Figures {
            best: self.best,
            done: self.candidates_done,
            candidates: self.candidates,
        }
    }
}

/// ` - best_score: -0.3512 - candidates: 3/10`, what the bar shows after its time.
struct Figures {
    best: Option<f64>,
    done: usize,
    candidates: usize,
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(best) = self.best {
            write!(f, " - best_score: {best:.4}")?;
        }
        write!(f, " - candidates: {}/{}", self.done, self.candidates)
    }
}

impl SearchObserver for SearchProgress {
    fn on_search_begin(&mut self, candidates: usize, folds: usize) {
        self.candidates = candidates;
        if self.verbose > 0 {
            let fits = candidates * folds;
            let _ = writeln!(
                self.out,
                "Fitting {folds} folds for each of {candidates} candidates, totalling {fits} fits"
            );
            self.bar = Some(ProgressBar::new(fits, self.verbose, self.tty));
        }
    }

    fn on_fit_end(&mut self, _fit: &FitReport) {
        self.fits += 1;
        let figures = self.figures();
        if let Some(bar) = self.bar.as_mut() {
            bar.update(&mut self.out, self.fits, &figures);
        }
    }

    fn on_candidate_end(&mut self, _candidate: usize, _params: &Params, mean_score: f64) {
        self.candidates_done += 1;
        // a NaN mean (a diverged fit) is never the best, as in scikit-learn's ranking
        if !mean_score.is_nan() && self.best.is_none_or(|b| mean_score > b) {
            self.best = Some(mean_score);
        }
    }

    fn on_search_end(&mut self) {
        let figures = self.figures();
        if let Some(mut bar) = self.bar.take() {
            bar.finish(&mut self.out, &figures);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::SharedWriter as Shared;

    #[test]
    fn the_bar_counts_fits_and_candidates_and_keeps_the_best_mean_score() {
        let out = Shared::default();
        let mut bar = SearchProgress::to_writer(Box::new(out.clone()), false, 1);
        bar.on_search_begin(2, 3);
        let p = Params::new();
        for (c, mean) in [(1, -0.5), (0, -0.25)] {
            for fold in 0..3 {
                let fit = FitReport {
                    candidate: c,
                    fold,
                    score: mean,
                    epochs: 9,
                    seconds: 0.1,
                };
                bar.on_fit_end(&fit);
            }
            bar.on_candidate_end(c, &p, mean);
        }
        bar.on_search_end();
        let text = out.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Fitting 3 folds for each of 2 candidates, totalling 6 fits"
        );
        assert!(lines[1].starts_with("6/6 ━━━━━━━━━━━━━━━━━━━━ "), "{text}");
        assert!(
            lines[1].ends_with(" - best_score: -0.2500 - candidates: 2/2"),
            "{text}"
        );
        assert_eq!(
            lines.len(),
            2,
            "no control characters or redraws off a terminal"
        );
    }

    #[test]
    fn quiet_progress_writes_nothing_and_a_nan_mean_is_never_the_best() {
        let out = Shared::default();
        let mut bar = SearchProgress::to_writer(Box::new(out.clone()), true, 0);
        bar.on_search_begin(1, 2);
        bar.on_candidate_end(0, &Params::new(), f64::NAN);
        assert_eq!(bar.best, None);
        bar.on_search_end();
        assert!(out.text().is_empty());
    }
}
