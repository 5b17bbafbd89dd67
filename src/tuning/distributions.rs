//! Parameter distributions as data, and the draw of a randomized search's candidates
//! (scikit-learn's `ParameterSampler`).
//!
//! A parameter is either a list to pick from (`"n_hidden": [0, 1, 2, 3]`) or a
//! log-uniform range (`"learning_rate": reciprocal(3e-4, 3e-2)`). scipy's `reciprocal`
//! (= `loguniform`) on [a, b] has density p(x) = 1 / (x · ln(b/a)), so ln x is uniform on
//! [ln a, ln b]; its inverse CDF is x = a · (b/a)^u, and `rvs` draws u uniform in
//! [0, 1) (`keras/ch13_sklearn.py` checks this against scipy). Every decade of the range
//! is equally likely: 3e-4..3e-3 as often as 3e-3..3e-2.
//!
//! The draw follows `ParameterSampler.__iter__` (`sklearn/model_selection/_search.py`):
//!
//! ```text
//! if every parameter is a list:        # a finite grid
//!     sample min(n_iter, grid size) distinct grid points, without replacement
//! else:
//!     repeat n_iter times: for each parameter, in order,
//!         list → one element, uniformly;  range → a · (b/a)^u
//! ```
//!
//! with one generator (ChaCha8, seeded with the search's seed) drawing every candidate up
//! front, so one seed gives one list of candidates, whatever runs them. scikit-learn caps
//! `n_iter` at the grid size with a warning; a library cannot print, so the cap shows as
//! fewer candidates. Parameters are drawn in the order given (scikit-learn sorts the
//! names; a list in Rust already has one order), and the numbers are ChaCha's, not numpy's.

use rand::seq::index;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::error::TuningError;
use super::params::{Params, Value};

/// How one hyperparameter is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// One of these values, each equally likely.
    Choice(Vec<Value>),
    /// scipy's `reciprocal(low, high)`: ln x uniform on [ln low, ln high].
    LogUniform { low: f64, high: f64 },
}

impl Distribution {
    /// One draw: a uniform index into the list, or low · (high/low)^u with u in [0, 1).
    fn draw(&self, rng: &mut ChaCha8Rng) -> Value {
        match self {
            Distribution::Choice(values) => values[rng.gen_range(0..values.len())],
            Distribution::LogUniform { low, high } => {
                let u: f64 = rng.gen(); // [0, 1)
                Value::Float(low * (high / low).powf(u))
            }
        }
    }
}

/// The distributions of a search, by name, in order (scikit-learn's `param_distributions`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParamDistributions(Vec<(String, Distribution)>);

impl ParamDistributions {
    pub fn new() -> Self {
        ParamDistributions(Vec::new())
    }

    /// `name: [v₁, v₂, …]`: any values convertible to integers or floats, e.g. `[0, 1, 2,
    /// 3]` or `1..=99`.
    pub fn choice<V: Into<Value>>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        let values = values.into_iter().map(Into::into).collect();
        self.0
            .push((name.to_string(), Distribution::Choice(values)));
        self
    }

    /// `name: reciprocal(low, high)`, checked by `validate`.
    pub fn log_uniform(mut self, name: &str, low: f64, high: f64) -> Self {
        self.0
            .push((name.to_string(), Distribution::LogUniform { low, high }));
        self
    }

    /// The names and distributions, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Distribution)> {
        self.0.iter().map(|(n, d)| (n.as_str(), d))
    }

    /// Checks every distribution: a list holds at least one value, a range has
    /// 0 < low < high (both finite), and no name is given twice.
    pub fn validate(&self) -> Result<(), TuningError> {
        for (i, (name, dist)) in self.0.iter().enumerate() {
            if self.0[..i].iter().any(|(n, _)| n == name) {
                return Err(TuningError::DuplicateName { name: name.clone() });
            }
            match dist {
                Distribution::Choice(v) if v.is_empty() => {
                    return Err(TuningError::EmptyChoice { name: name.clone() })
                }
                &Distribution::LogUniform { low, high }
                    if !(low > 0.0 && low < high && high.is_finite()) =>
                {
                    return Err(TuningError::LogUniformRange {
                        name: name.clone(),
                        low,
                        high,
                    })
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The number of points of the grid when every parameter is a list (the product of
    /// the lists' lengths, saturating), `None` when some parameter is a range.
    pub fn grid_size(&self) -> Option<usize> {
        self.0.iter().try_fold(1usize, |size, (_, d)| match d {
            Distribution::Choice(v) => Some(size.saturating_mul(v.len())),
            Distribution::LogUniform { .. } => None,
        })
    }

    /// The candidates of a randomized search of `n_iter` draws with this seed (see the
    /// module's documentation). `n_iter` = 0 and invalid distributions are errors.
    pub fn sample(&self, n_iter: usize, seed: u64) -> Result<Vec<Params>, TuningError> {
        self.validate()?;
        if n_iter == 0 {
            return Err(TuningError::NoCandidates);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        if let Some(size) = self.grid_size() {
            // distinct grid points; point k has the last parameter varying fastest
            let picks = index::sample(&mut rng, size, n_iter.min(size));
            return Ok(picks.into_iter().map(|k| self.grid_point(k)).collect());
        }
        Ok((0..n_iter)
            .map(|_| {
                let mut params = Params::new();
                for (name, dist) in &self.0 {
                    params.set(name, dist.draw(&mut rng));
                }
                params
            })
            .collect())
    }

    /// Grid point `k` (scikit-learn's `ParameterGrid[k]`): k written in the mixed radix
    /// of the lists' lengths, the last parameter the least significant digit.
    fn grid_point(&self, mut k: usize) -> Params {
        let mut values = Vec::with_capacity(self.0.len());
        for (name, dist) in self.0.iter().rev() {
            if let Distribution::Choice(v) = dist {
                values.push((name, v[k % v.len()]));
                k /= v.len();
            }
        }
        let mut params = Params::new();
        for (name, value) in values.into_iter().rev() {
            params.set(name, value);
        }
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn homl() -> ParamDistributions {
        ParamDistributions::new()
            .choice("n_hidden", [0, 1, 2, 3])
            .choice("n_neurons", 1..=99)
            .log_uniform("learning_rate", 3e-4, 3e-2)
    }

    #[test]
    fn an_empty_list_of_values_is_an_error_naming_the_parameter() {
        let d = ParamDistributions::new().choice::<i32>("n_hidden", []);
        let e = d.sample(10, 42).unwrap_err();
        assert!(matches!(e, TuningError::EmptyChoice { .. }), "{e}");
        assert!(e.to_string().contains("\"n_hidden\""), "{e}");
    }

    #[test]
    fn a_log_uniform_range_with_low_not_below_high_or_not_positive_is_an_error() {
        for (low, high) in [
            (3e-2, 3e-4),
            (1e-3, 1e-3),
            (0.0, 1.0),
            (-1.0, 1.0),
            (1.0, f64::INFINITY),
        ] {
            let d = ParamDistributions::new().log_uniform("learning_rate", low, high);
            let e = d.sample(10, 42).unwrap_err();
            assert!(
                matches!(e, TuningError::LogUniformRange { .. }),
                "{low} {high}: {e}"
            );
            assert!(e.to_string().contains("0 < low < high"), "{e}");
        }
    }

    #[test]
    fn n_iter_zero_and_a_name_given_twice_are_errors() {
        assert!(matches!(
            homl().sample(0, 42),
            Err(TuningError::NoCandidates)
        ));
        let twice = homl().choice("n_hidden", [1]);
        assert!(matches!(
            twice.sample(3, 42),
            Err(TuningError::DuplicateName { .. })
        ));
    }

    #[test]
    fn candidates_come_from_their_distributions_and_one_seed_gives_one_list() {
        let a = homl().sample(200, 42).unwrap();
        assert_eq!(a, homl().sample(200, 42).unwrap());
        assert_ne!(a, homl().sample(200, 43).unwrap());
        // the first k candidates of a longer search are the candidates of a search of k
        assert_eq!(a[..10], homl().sample(10, 42).unwrap()[..]);
        let mut decades = [0usize; 2];
        for p in &a {
            let names: Vec<&str> = p.iter().map(|(n, _)| n).collect();
            assert_eq!(names, ["n_hidden", "n_neurons", "learning_rate"]);
            assert!(p.usize_or("n_hidden", 9).unwrap() <= 3);
            assert!((1..=99).contains(&p.usize_or("n_neurons", 0).unwrap()));
            let lr = p.f64_or("learning_rate", 0.0).unwrap();
            assert!((3e-4..3e-2).contains(&lr), "{lr}");
            decades[usize::from(lr >= 3e-3)] += 1;
        }
        // log-uniform: each decade holds half the draws (binomial(200, ½): σ ≈ 7)
        assert!(decades[0].abs_diff(100) < 30, "{decades:?}");
    }

    #[test]
    fn a_grid_of_lists_is_sampled_without_replacement_and_capped_at_its_size() {
        let d = ParamDistributions::new()
            .choice("a", [1, 2])
            .choice("b", [3, 4]);
        assert_eq!(d.grid_size(), Some(4));
        let c = d.sample(5, 0).unwrap();
        assert_eq!(c.len(), 4, "scikit-learn runs 4 of n_iter=5 on a grid of 4");
        for (i, p) in c.iter().enumerate() {
            assert!(!c[..i].contains(p), "{c:?}");
        }
        // grid point k: the last parameter varies fastest
        assert_eq!(d.grid_point(1), Params::new().with("a", 1).with("b", 4));
        assert_eq!(d.grid_point(2), Params::new().with("a", 2).with("b", 3));
    }
}
