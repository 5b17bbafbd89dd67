# scikit-learn's rules that annlab's tuning module follows (chapter 13), printed from the
# library itself: KFold(3) on HOML's 11,610 training rows, RandomizedSearchCV's
# cv_results_ keys, mean/std and ranking (ties share the lowest rank, "min"; a NaN mean
# ranks last; best_index_ is the first rank-1 candidate), and scipy's
# reciprocal/loguniform sampling (a·(b/a)^u with u uniform in [0, 1)).
# Run: /work/venv-keras/bin/python keras/ch13_sklearn.py
# (scikit-learn 1.9.1, scipy; output quoted in src/tuning/ and tests/ch13_tuning.rs)
import numpy as np, scipy, sklearn
from scipy.stats import reciprocal, loguniform
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.model_selection import KFold, RandomizedSearchCV, ParameterSampler

print("scikit-learn", sklearn.__version__, "scipy", scipy.__version__)
for n, k in [(11610, 3), (10, 3), (7, 3), (5, 5)]:
    folds = list(KFold(k).split(np.zeros((n, 1))))
    print(f"KFold({k}) on {n}:", [(len(tr), len(te), int(te[0]), int(te[-1]),
          list(map(int, tr[:2])), list(map(int, tr[-2:]))) for tr, te in folds])
for bad in [(1, 10), (4, 3)]:
    try:
        list(KFold(bad[0]).split(np.zeros((bad[1], 1))))
    except ValueError as e:
        print(f"KFold({bad[0]}) on {bad[1]} rows: ValueError: {e}")

# reciprocal is loguniform: ppf(q) = a·(b/a)^q, so log x is uniform on [log a, log b]
r = reciprocal(3e-4, 3e-2)
print("reciprocal is loguniform:", reciprocal is loguniform or reciprocal.__class__ == loguniform.__class__)
print("ppf(0), ppf(0.5), ppf(1):", r.ppf(0.0), r.ppf(0.5), r.ppf(1.0), "geometric mean", np.sqrt(3e-4 * 3e-2))
rng = np.random.RandomState(0)
u = np.random.RandomState(0).uniform(size=5)
print("rvs(5) == a*(b/a)**u for the same uniforms:", np.allclose(r.rvs(5, random_state=rng), 3e-4 * 100 ** u))
for bad in [(3e-2, 3e-4), (0.0, 1.0)]:
    try:
        print(f"reciprocal{bad}.rvs():", reciprocal(*bad).rvs(random_state=0))
    except Exception as e:
        print(f"reciprocal{bad}: {type(e).__name__}: {e}")
try:
    list(ParameterSampler({"n_hidden": []}, n_iter=2, random_state=0))
except Exception as e:
    print("an empty list:", type(e).__name__, e)
try:
    list(ParameterSampler({"n_hidden": [0, 1]}, n_iter=0, random_state=0))
    print("n_iter=0 samples nothing")
except Exception as e:
    print("n_iter=0:", type(e).__name__, e)
print("all lists, n_iter 5 of a grid of 4:",
      list(ParameterSampler({"a": [1, 2], "b": [3, 4]}, n_iter=5, random_state=0)))


class Scripted(BaseEstimator, RegressorMixin):
    """Scores as scripted per (param, fold), to show the ranking rules."""
    def __init__(self, p=0):
        self.p = p
    def fit(self, X, y):
        self.fold_ = int(X[0, 0]) // 4  # which rows it was not given
        return self
    def score(self, X, y):
        table = {0: [-0.5, -0.3, -0.4], 1: [-0.3, -0.5, -0.4], 2: [-0.2, -0.2, -0.2],
                 3: [np.nan, -0.1, -0.1], 4: [-0.9, -0.9, -0.9]}
        return table[self.p][int(X[0, 0]) // 4]

X = np.arange(12.0).reshape(12, 1); y = np.zeros(12)
s = RandomizedSearchCV(Scripted(), {"p": [0, 1, 2, 3, 4]}, n_iter=5, cv=3, random_state=0,
                       error_score="raise").fit(X, y)
res = s.cv_results_
print("cv_results_ keys:", sorted(res))
order = np.argsort([p["p"] for p in res["params"]])
for key in ["split0_test_score", "split1_test_score", "split2_test_score", "mean_test_score",
            "std_test_score", "rank_test_score"]:
    print(f"{key:18}", [float(v) if "rank" not in key else int(v) for v in np.asarray(res[key])[order]])
print("best_index_ -> p =", res["params"][s.best_index_]["p"], "best_score_", s.best_score_)
