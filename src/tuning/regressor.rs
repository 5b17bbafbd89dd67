//! `KerasRegressor`: a model-building function wrapped so that it behaves like a
//! scikit-learn regressor — `fit`, `predict`, `score` — as HOML's
//! `keras.wrappers.scikit_learn.KerasRegressor(build_model)`, so search code treats any
//! model-building function alike.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2};

use super::error::TuningError;
use super::params::Params;
use crate::callbacks::{Callback, History};
use crate::model::Sequential;
use crate::progress::Verbose;
use crate::train::{Fit, Train};

/// A model-building function: hyperparameters and a seed in, a compiled `Sequential` out
/// (HOML's `build_model(n_hidden=1, n_neurons=30, learning_rate=3e-3)`, which compiles
/// with its optimizer). Shared by every fit of a search, on every thread.
pub type BuildFn =
    Arc<dyn Fn(&Params, u64) -> Result<Sequential, TuningError> + Send + Sync>;

/// Makes a fresh callback for each fit (each fit of a search runs its own
/// `EarlyStopping`, on its own thread).
pub type CallbackFactory = Arc<dyn Fn() -> Box<dyn Callback> + Send + Sync>;

/// What `KerasRegressor::fit` passes on to `model.fit` (scikit-learn's `**fit_params`):
/// epochs, batch size, verbosity, validation data and callbacks, one fresh set per fit.
#[derive(Clone)]
pub struct FitParams<'a> {
    pub(crate) epochs: usize,
    batch_size: usize,
    verbose: Verbose,
    validation: Option<(ArrayView2<'a, f32>, ArrayView2<'a, f32>)>,
    callbacks: Vec<CallbackFactory>,
}

impl<'a> FitParams<'a> {
    /// `fit(..., epochs=epochs)`: batch 32, quiet (fits of a search run side by side).
    pub fn new(epochs: usize) -> Self {
        FitParams {
            epochs,
            batch_size: 32,
            verbose: 0,
            validation: None,
            callbacks: Vec::new(),
        }
    }
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// 0 quiet, 1 progress bar, 2 one line per epoch (for a lone fit).
    pub fn verbose(mut self, verbose: Verbose) -> Self {
        self.verbose = verbose;
        self
    }
    /// `validation_data=(X_valid, y_valid)`: what every fit reports `val_loss` on, and
    /// so what `EarlyStopping` watches. In a search this stays the same set for every
    /// candidate and fold, as HOML passes it to `rnd_search_cv.fit`: the fold's held-out
    /// rows are only scored, never watched.
    pub fn validation_data(
        mut self,
        x: ArrayView2<'a, f32>,
        y: ArrayView2<'a, f32>,
    ) -> Self {
        self.validation = Some((x, y));
        self
    }
    /// `callbacks=[...]`: `make` is called once per fit for a fresh callback, e.g.
    /// `|| Box::new(EarlyStopping::new().patience(10))`.
    pub fn callback(
        mut self,
        make: impl Fn() -> Box<dyn Callback> + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.push(Arc::new(make));
        self
    }
}

/// A model-building function with its hyperparameters and seed, and, once fitted, the
/// model it trained. `fit` builds a new model every time (as Keras's wrapper does), so
/// fitting twice with the same seed trains the same model twice.
pub struct KerasRegressor {
    build: BuildFn,
    params: Params,
    seed: u64,
    model: Option<Sequential>,
    history: Option<History>,
}

impl KerasRegressor {
    /// `KerasRegressor(build_model)`: no parameters set (the function's defaults), seed 0.
    pub fn new(
        build: impl Fn(&Params, u64) -> Result<Sequential, TuningError>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        Self::from_fn(Arc::new(build), Params::new(), 0)
    }

    pub(crate) fn from_fn(build: BuildFn, params: Params, seed: u64) -> Self {
        KerasRegressor {
            build,
            params,
            seed,
            model: None,
            history: None,
        }
    }

    /// `set_params(**params)`: these parameters override the ones set before.
    pub fn with_params(mut self, params: &Params) -> Self {
        self.params = self.params.merged(params);
        self
    }

    /// The seed the model is built with (its initial weights and its shuffling).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The parameters set (those not set take the building function's defaults).
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The building function, shared.
    pub(crate) fn build_fn(&self) -> BuildFn {
        Arc::clone(&self.build)
    }

    /// Builds a new model with the parameters and seed, and trains it on (x, y) as
    /// `model.fit(x, y, **fit_params)`; returns its History. `y` is `[n, 1]`.
    pub fn fit(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        opts: &FitParams,
    ) -> Result<&History, TuningError> {
        check_rows("fit", x, y)?;
        if let Some((xv, yv)) = &opts.validation {
            check_rows("validation_data", *xv, *yv)?;
        }
        self.model = None;
        self.history = None;
        let mut model = (self.build)(&self.params, self.seed)?;
        let mut callbacks: Vec<Box<dyn Callback>> =
            opts.callbacks.iter().map(|f| f()).collect();
        let mut fit = Fit::new(opts.epochs)
            .batch_size(opts.batch_size)
            .verbose(opts.verbose);
        if let Some((xv, yv)) = &opts.validation {
            fit = fit.validation_data(xv, yv);
        }
        for cb in callbacks.iter_mut() {
            fit = fit.callback(cb.as_mut());
        }
        let history = model.fit(&x, &y, fit)?;
        self.model = Some(model);
        Ok(self.history.insert(history))
    }

    /// The trained model's predictions `[n, 1]`.
    pub fn predict(&mut self, x: ArrayView2<f32>) -> Result<Array2<f32>, TuningError> {
        let model = self
            .model
            .as_mut()
            .ok_or(TuningError::NotFitted("predict"))?;
        Ok(model.predict(&x)?)
    }

    /// scikit-learn's score for this wrapper: the negative of the compiled loss over
    /// (x, y) as `evaluate` computes it (batches of 32, sample-weighted) — −MSE for a
    /// model compiled with `loss="mse"`, so that greater is better.
    pub fn score(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
    ) -> Result<f64, TuningError> {
        check_rows("score", x, y)?;
        let model = self.model.as_mut().ok_or(TuningError::NotFitted("score"))?;
        Ok(-model.evaluate(&x, &y, 0)?.loss)
    }

    /// The trained model, once fitted (HOML's `best_estimator_.model`).
    pub fn model(&self) -> Option<&Sequential> {
        self.model.as_ref()
    }

    /// The trained model, writable (to `evaluate` it, save it, …).
    pub fn model_mut(&mut self) -> Option<&mut Sequential> {
        self.model.as_mut()
    }

    /// The History of the last fit.
    pub fn history(&self) -> Option<&History> {
        self.history.as_ref()
    }
}

/// x and y must have one row each per sample.
pub(crate) fn check_rows(
    what: &'static str,
    x: ArrayView2<f32>,
    y: ArrayView2<f32>,
) -> Result<(), TuningError> {
    if x.nrows() != y.nrows() {
        return Err(TuningError::Lengths {
            what,
            x_rows: x.nrows(),
            y_rows: y.nrows(),
        });
    }
    Ok(())
}
