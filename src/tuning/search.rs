//! `RandomizedSearchCV`: scikit-learn's randomized search with k-fold cross-validation
//! over a `KerasRegressor`, its fits run across the cores with rayon, and
//! `cross_val_score` for one set of parameters through the same code.
//!
//! Reproducibility: one seed fixes everything. The candidates are drawn up front from
//! one generator seeded with it (`ParamDistributions::sample`); the fit of candidate c on
//! fold f builds its model (initial weights and shuffling) with its own seed
//! `fit_seed(seed, c, f, k)`; and the results are gathered in (candidate, fold) order
//! whatever order the fits finish in. A fit reads nothing another fit writes, so 1 thread
//! and N threads give the same bits.

use std::sync::Mutex;
use std::time::Instant;

use ndarray::{ArrayView2, Axis};
use rayon::prelude::*;

use super::distributions::ParamDistributions;
use super::error::TuningError;
use super::kfold::{Fold, KFold};
use super::observer::{FitReport, SearchObserver};
use super::params::Params;
use super::regressor::{check_rows, BuildFn, FitParams, KerasRegressor};

/// SplitMix64's `n`-th output from `seed` (Steele, Lea & Flood 2014):
///
/// ```text
/// z = seed + n·γ  (mod 2⁶⁴),  γ = 0x9E3779B97F4A7C15
/// z = (z ⊕ z≫30)·0xBF58476D1CE4E5B9;  z = (z ⊕ z≫27)·0x94D049BB133111EB;  z ⊕ z≫31
/// ```
///
/// Neighbouring `n` give unrelated seeds, and no state is shared between fits.
pub fn split_mix64(seed: u64, n: u64) -> u64 {
    let mut z = seed.wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// ANCHOR: fit_seed
/// The seed of candidate `candidate`'s fit on fold `fold` of `k`: SplitMix64's output
/// number 1 + candidate·(k+1) + fold. Fold `k` (one past the last) is the refit's.
pub fn fit_seed(seed: u64, candidate: usize, fold: usize, k: usize) -> u64 {
    split_mix64(seed, 1 + (candidate * (k + 1) + fold) as u64)
}
// ANCHOR_END: fit_seed

/// One candidate's row of `cv_results_`.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateResult {
    /// `params`: the drawn parameters (the estimator's own fill the rest).
    pub params: Params,
    /// `split0_test_score`, `split1_test_score`, …: the score of the fit on fold f's
    /// training rows, on fold f's held-out rows.
    pub split_scores: Vec<f64>,
    /// `mean_test_score` = Σ_f score_f / k.
    pub mean_test_score: f64,
    /// `std_test_score` = √(Σ_f (score_f − mean)² / k) (population, as numpy's).
    pub std_test_score: f64,
    /// `rank_test_score`: 1 + the number of candidates with a strictly greater mean
    /// (ties share the lowest rank, scipy's `rankdata(method="min")`); a NaN mean ranks
    /// below every other candidate.
    pub rank_test_score: usize,
    /// The epochs each fold's fit ran (fewer than asked when early stopping ended it).
    pub epochs: Vec<usize>,
}

/// What a search found: every candidate's row, the best, and the best refitted. It stays
/// on the thread that ran the search (the refit model is not `Send`): to run a search
/// inside `ThreadPool::install`, return what is needed of it, such as `candidates`.
pub struct SearchResults {
    /// One row per candidate, in the order drawn (`cv_results_`).
    pub candidates: Vec<CandidateResult>,
    /// `best_index_`: the first candidate of rank 1.
    pub best_index: usize,
    /// `best_estimator_`: the best parameters fitted on all the rows given to `fit`.
    pub best_estimator: Option<KerasRegressor>,
    /// `mean_fit_time`'s raw figures: seconds of each fold's fit, per candidate (apart
    /// from the scores, since times differ from run to run).
    pub fit_seconds: Vec<Vec<f64>>,
    /// Seconds of the refit.
    pub refit_seconds: Option<f64>,
}

impl SearchResults {
    /// `best_params_`.
    pub fn best_params(&self) -> &Params {
        &self.candidates[self.best_index].params
    }

    /// `best_score_`: the best candidate's `mean_test_score`.
    pub fn best_score(&self) -> f64 {
        self.candidates[self.best_index].mean_test_score
    }

    /// `cv_results_` as a table sorted by rank (ties in drawing order): rank, mean and
    /// std of the fold scores, each fold's score, the epochs each fold's fit ran, and the
    /// parameters.
    pub fn table(&self) -> String {
        let k = self.candidates.first().map_or(0, |c| c.split_scores.len());
        let mut order: Vec<usize> = (0..self.candidates.len()).collect();
        order.sort_by_key(|&i| (self.candidates[i].rank_test_score, i));
        let mut out = format!("{:>4}  {:>9}  {:>9}", "rank", "mean", "std");
        for f in 0..k {
            out += &format!("  {:>9}", format!("split{f}"));
        }
        out += &format!("  {:<10}  params\n", "epochs");
        for i in order {
            let c = &self.candidates[i];
            out += &format!(
                "{:>4}  {:>9}  {:>9}",
                c.rank_test_score,
                score(c.mean_test_score),
                score(c.std_test_score)
            );
            for &s in &c.split_scores {
                out += &format!("  {:>9}", score(s));
            }
            let epochs: Vec<String> = c.epochs.iter().map(|e| e.to_string()).collect();
            out += &format!("  {:<10}  {:.5}\n", epochs.join("/"), c.params);
        }
        out
    }
}

/// A score in a 9-wide column: 4 decimals, or 3 significant digits in scientific form
/// beyond ±10,000 (a fold whose held-out rows an unstable model predicts wildly).
fn score(v: f64) -> String {
    if v.abs() >= 1e4 {
        format!("{v:.2e}")
    } else {
        format!("{v:.4}")
    }
}

/// scikit-learn's `RandomizedSearchCV(estimator, param_distributions, n_iter, cv)` with
/// `refit=True`, for a `KerasRegressor`: draws `n_iter` candidates, scores each by k-fold
/// cross-validation (`KFold(cv)`, no shuffle), ranks them by mean score, and refits the
/// best on all the rows. Defaults as scikit-learn's: `n_iter` 10, `cv` 5, refit.
pub struct RandomizedSearchCV {
    build: BuildFn,
    base: Params,
    distributions: ParamDistributions,
    n_iter: usize,
    cv: usize,
    seed: u64,
    refit: bool,
}

impl RandomizedSearchCV {
    /// A search over `distributions` for `estimator`'s building function (its parameters
    /// are the base each candidate overrides; its seed is not used: every fit has its
    /// own, from the search's seed).
    pub fn new(estimator: &KerasRegressor, distributions: ParamDistributions) -> Self {
        RandomizedSearchCV {
            build: estimator.build_fn(),
            base: estimator.params().clone(),
            distributions,
            n_iter: 10,
            cv: 5,
            seed: 0,
            refit: true,
        }
    }
    pub fn n_iter(mut self, n_iter: usize) -> Self {
        self.n_iter = n_iter;
        self
    }
    /// The number of folds of `KFold(cv)`.
    pub fn cv(mut self, cv: usize) -> Self {
        self.cv = cv;
        self
    }
    /// The seed of the candidates and of every fit.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Whether to fit the best candidate on all the rows at the end (default true).
    pub fn refit(mut self, refit: bool) -> Self {
        self.refit = refit;
        self
    }

    /// The candidates `fit` will try, in order.
    pub fn candidates(&self) -> Result<Vec<Params>, TuningError> {
        self.distributions.sample(self.n_iter, self.seed)
    }

    /// `rnd_search_cv.fit(x, y, **fit_params)`: every (candidate, fold) fit on the
    /// current rayon pool, then the ranking and the refit. `opts` goes to every fit
    /// (HOML: 100 epochs, `validation_data=(X_valid, y_valid)`, `EarlyStopping(10)`).
    /// The first failed fit in (candidate, fold) order is the error, naming both.
    pub fn fit(
        &self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        opts: &FitParams,
        observer: &mut dyn SearchObserver,
    ) -> Result<SearchResults, TuningError> {
        check_rows("fit", x, y)?;
        let candidates = self.candidates()?;
        let folds = KFold::new(self.cv)?.split(x.nrows())?;
        let params: Vec<Params> =
            candidates.iter().map(|c| self.base.merged(c)).collect();
        let cv = CrossValidation {
            build: &self.build,
            x: x.view(),
            y: y.view(),
            folds: &folds,
            opts,
            seed: self.seed,
        };
        let outcomes = cv.run(&params, &candidates, observer)?;
        let mut results = rank(candidates, outcomes);
        if self.refit {
            let best = results.best_index;
            let seed = fit_seed(self.seed, best, folds.len(), folds.len());
            let mut estimator =
                KerasRegressor::from_fn(self.build.clone(), params[best].clone(), seed);
            let start = Instant::now();
            estimator.fit(x, y, opts)?;
            results.refit_seconds = Some(start.elapsed().as_secs_f64());
            results.best_estimator = Some(estimator);
        }
        Ok(results)
    }
}

/// `cross_val_score(estimator, x, y, cv=KFold(cv), fit_params=opts)`: the estimator's
/// parameters scored on each fold, fold f's fit seeded `fit_seed(seed, 0, f, cv)` — the
/// same code, folds and seeds as the first candidate of a search with this seed.
pub fn cross_val_score(
    estimator: &KerasRegressor,
    x: ArrayView2<f32>,
    y: ArrayView2<f32>,
    cv: usize,
    opts: &FitParams,
    seed: u64,
) -> Result<CandidateResult, TuningError> {
    check_rows("fit", x, y)?;
    let folds = KFold::new(cv)?.split(x.nrows())?;
    let build = estimator.build_fn();
    let cv = CrossValidation {
        build: &build,
        x: x.view(),
        y: y.view(),
        folds: &folds,
        opts,
        seed,
    };
    let params = vec![estimator.params().clone()];
    let outcomes = cv.run(&params, &params, &mut ())?;
    Ok(rank(params, outcomes).candidates.remove(0))
}

/// One fit's outcome.
struct Outcome {
    score: f64,
    epochs: usize,
    seconds: f64,
}

/// The fits of a cross-validation: what every fit shares.
struct CrossValidation<'c, 'v, 'd> {
    build: &'c BuildFn,
    x: ArrayView2<'v, f32>,
    y: ArrayView2<'v, f32>,
    folds: &'c [Fold],
    opts: &'c FitParams<'d>,
    seed: u64,
}

/// The observer and what it has been told, behind the lock the fits share.
struct Tally<'o> {
    observer: &'o mut dyn SearchObserver,
    /// `scores[c][f]` once fold f of candidate c has finished.
    scores: Vec<Vec<Option<f64>>>,
}

impl Tally<'_> {
    /// Tells the observer that fold f of candidate c has finished, and that candidate c
    /// has, when it was its last fold.
    fn report(&mut self, c: usize, f: usize, o: &Outcome, params: &Params) {
        let report = FitReport {
            candidate: c,
            fold: f,
            score: o.score,
            epochs: o.epochs,
            seconds: o.seconds,
        };
        self.observer.on_fit_end(&report);
        self.scores[c][f] = Some(o.score);
        if let Some(s) = self.scores[c].iter().copied().collect::<Option<Vec<f64>>>() {
            self.observer.on_candidate_end(c, params, mean(&s));
        }
    }
}

impl CrossValidation<'_, '_, '_> {
    /// Every (candidate, fold) fit, in parallel; the outcomes in candidate-major order.
    /// `params[c]` is what candidate c is built with; `shown[c]` what the observer sees.
    fn run(
        &self,
        params: &[Params],
        shown: &[Params],
        observer: &mut dyn SearchObserver,
    ) -> Result<Vec<Vec<Outcome>>, TuningError> {
        let k = self.folds.len();
        observer.on_search_begin(params.len(), k);
        let tally = Mutex::new(Tally {
            observer,
            scores: vec![vec![None; k]; params.len()],
        });
        // ANCHOR: parallel
        let results: Vec<Result<Outcome, TuningError>> = (0..params.len() * k)
            .into_par_iter() // the jobs in (candidate, fold) order…
            .map(|job| {
                let (c, f) = (job / k, job % k);
                let outcome = self.fit_one(&params[c], c, f);
                if let Ok(o) = &outcome {
                    // a poisoned lock only means another observer call panicked
                    let mut t = tally.lock().unwrap_or_else(|e| e.into_inner());
                    t.report(c, f, o, &shown[c]);
                }
                outcome.map_err(|e| TuningError::Fit {
                    candidate: c,
                    fold: f,
                    params: format!("{:.5}", shown[c]),
                    source: Box::new(e),
                })
            })
            .collect(); // …gathered in that order, whatever order they finish in
                        // ANCHOR_END: parallel
        let tally = tally.into_inner().unwrap_or_else(|e| e.into_inner());
        tally.observer.on_search_end();
        let mut outcomes = Vec::with_capacity(params.len());
        let mut results = results.into_iter();
        for _ in 0..params.len() {
            outcomes.push(results.by_ref().take(k).collect::<Result<Vec<_>, _>>()?);
        }
        Ok(outcomes)
    }

    /// Candidate c's fit on fold f's training rows, scored on its held-out rows.
    fn fit_one(
        &self,
        params: &Params,
        c: usize,
        f: usize,
    ) -> Result<Outcome, TuningError> {
        let fold = &self.folds[f];
        let (x_train, y_train) = (
            self.x.select(Axis(0), &fold.train),
            self.y.select(Axis(0), &fold.train),
        );
        let (x_test, y_test) = (
            self.x.select(Axis(0), &fold.test),
            self.y.select(Axis(0), &fold.test),
        );
        let seed = fit_seed(self.seed, c, f, self.folds.len());
        let mut estimator =
            KerasRegressor::from_fn(self.build.clone(), params.clone(), seed);
        let start = Instant::now();
        let epochs = estimator
            .fit(x_train.view(), y_train.view(), self.opts)?
            .epochs();
        let seconds = start.elapsed().as_secs_f64();
        let score = estimator.score(x_test.view(), y_test.view())?;
        Ok(Outcome {
            score,
            epochs,
            seconds,
        })
    }
}

/// Σ s / n, summed in order.
fn mean(scores: &[f64]) -> f64 {
    scores.iter().sum::<f64>() / scores.len() as f64
}

/// The rows of `cv_results_` from the outcomes: mean, std, rank, and the best index.
fn rank(candidates: Vec<Params>, outcomes: Vec<Vec<Outcome>>) -> SearchResults {
    let mut rows: Vec<CandidateResult> = Vec::with_capacity(candidates.len());
    let mut fit_seconds = Vec::with_capacity(candidates.len());
    for (params, outcome) in candidates.into_iter().zip(outcomes) {
        let split_scores: Vec<f64> = outcome.iter().map(|o| o.score).collect();
        let m = mean(&split_scores);
        let var = split_scores.iter().map(|s| (s - m).powi(2)).sum::<f64>()
            / split_scores.len() as f64;
        rows.push(CandidateResult {
            params,
            mean_test_score: m,
            std_test_score: var.sqrt(),
            rank_test_score: 0,
            epochs: outcome.iter().map(|o| o.epochs).collect(),
            split_scores,
        });
        fit_seconds.push(outcome.iter().map(|o| o.seconds).collect());
    }
    // scikit-learn's `_store(..., rank=True)`: NaN means become (lowest mean − 1), so they
    // tie with each other below every other candidate; all NaN → all rank 1
    let lowest = rows
        .iter()
        .map(|r| r.mean_test_score)
        .filter(|m| !m.is_nan())
        .fold(f64::INFINITY, f64::min);
    let key = |m: f64| if m.is_nan() { lowest - 1.0 } else { m };
    let means: Vec<f64> = rows.iter().map(|r| key(r.mean_test_score)).collect();
    for (row, &m) in rows.iter_mut().zip(&means) {
        row.rank_test_score = 1 + means.iter().filter(|&&other| other > m).count();
    }
    let best_index = rows
        .iter()
        .position(|r| r.rank_test_score == 1)
        .unwrap_or(0);
    SearchResults {
        candidates: rows,
        best_index,
        best_estimator: None,
        fit_seconds,
        refit_seconds: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes(scores: &[[f64; 3]]) -> Vec<Vec<Outcome>> {
        scores
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&score| Outcome {
                        score,
                        epochs: 1,
                        seconds: 0.0,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn ranks_follow_scikit_learn_ties_share_the_lowest_rank_and_nan_ranks_last() {
        // keras/ch13_sklearn.py: the same scores through RandomizedSearchCV give
        // mean [-0.4, -0.4, -0.2, nan, -0.9], std [0.0816…, 0.0816…, 2.8e-17, nan, 0],
        // rank [2, 2, 1, 5, 4], best p = 2
        let scores = [
            [-0.5, -0.3, -0.4],
            [-0.3, -0.5, -0.4],
            [-0.2, -0.2, -0.2],
            [f64::NAN, -0.1, -0.1],
            [-0.9, -0.9, -0.9],
        ];
        let params = (0..5).map(|p| Params::new().with("p", p)).collect();
        let r = rank(params, outcomes(&scores));
        let ranks: Vec<usize> = r.candidates.iter().map(|c| c.rank_test_score).collect();
        assert_eq!(ranks, [2, 2, 1, 5, 4]);
        assert_eq!(r.best_index, 2);
        assert_eq!(r.best_params(), &Params::new().with("p", 2));
        let c0 = &r.candidates[0];
        assert_eq!(c0.mean_test_score, -0.4000000000000001); // numpy's, to the bit
        assert!((c0.std_test_score - 0.08164965809277261).abs() < 1e-16);
        assert!(r.candidates[3].mean_test_score.is_nan());
    }

    #[test]
    fn all_nan_means_all_rank_first_and_the_first_is_best() {
        let r = rank(
            vec![Params::new(), Params::new()],
            outcomes(&[[f64::NAN; 3], [f64::NAN; 3]]),
        );
        assert_eq!(r.candidates[1].rank_test_score, 1);
        assert_eq!(r.best_index, 0);
    }

    #[test]
    fn fit_seeds_differ_between_every_candidate_and_fold() {
        let mut seeds: Vec<u64> = (0..10)
            .flat_map(|c| (0..4).map(move |f| fit_seed(42, c, f, 3)))
            .collect();
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), 40);
        // SplitMix64 seeded with 0: the first output is 0xE220A8397B1DCDAF
        assert_eq!(split_mix64(0, 1), 0xE220_A839_7B1D_CDAF);
    }
}
