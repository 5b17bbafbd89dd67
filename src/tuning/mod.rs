//! Hyperparameter tuning (HOML 10, "Fine-Tuning Neural Network Hyperparameters"): a
//! scikit-learn-style regressor wrapper, parameter distributions, k-fold
//! cross-validation, a randomized search run in parallel with the same results on any
//! number of threads, its progress display, and the learning-rate finder.

mod distributions;
mod error;
mod kfold;
mod lr_finder;
mod observer;
mod params;
mod regressor;
mod search;

pub use distributions::{Distribution, ParamDistributions};
pub use error::TuningError;
pub use kfold::{Fold, KFold};
pub use lr_finder::{LrCurve, LrFinder, WINDOW};
pub use observer::{FitReport, SearchObserver, SearchProgress};
pub use params::{Params, Value};
pub use regressor::{BuildFn, CallbackFactory, FitParams, KerasRegressor};
pub use search::{
    cross_val_score, fit_seed, split_mix64, CandidateResult, RandomizedSearchCV,
    SearchResults,
};
