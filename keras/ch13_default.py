# Keras 3 figures of HOML's wrapped default model (chapter 13, "Fine-Tuning Neural Network
# Hyperparameters"): build_model(n_hidden=1, n_neurons=30, learning_rate=3e-3) fitted for
# up to 100 epochs with validation_data=(X_valid, y_valid) and EarlyStopping(patience=10),
# as KerasRegressor.fit does, then scored on the test set (score = -MSE); and the same
# model scored by 3-fold cross-validation (KFold(3), no shuffle, each fold's fit still
# validating on X_valid, as RandomizedSearchCV.fit passes HOML's fit arguments on).
# annlab's data file, scikit-learn's features and HOML's split; seeds 0-4.
# Run: KERAS_BACKEND=jax /work/venv-keras/bin/python keras/ch13_default.py [seeds...]
# (Keras 3.15.1, jax backend, scikit-learn 1.9.1; output quoted in book/src/reference.md)
import os, sys, gzip, time
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
from sklearn.model_selection import train_test_split, KFold
from sklearn.preprocessing import StandardScaler
raw = np.loadtxt(gzip.open(os.path.join(os.path.dirname(__file__), "..", "data", "cal_housing.data.gz")), delimiter=",")
cal = raw[:, [8, 7, 2, 3, 4, 5, 6, 1, 0]]
target, data = cal[:, 0] / 100000.0, cal[:, 1:].copy()
data[:, 2] /= data[:, 5]; data[:, 3] /= data[:, 5]; data[:, 5] = data[:, 4] / data[:, 5]
X_full, X_test, y_full, y_test = train_test_split(data, target, random_state=42)
X_train, X_valid, y_train, y_valid = train_test_split(X_full, y_full, random_state=42)
sc = StandardScaler(); X_train = sc.fit_transform(X_train); X_valid = sc.transform(X_valid); X_test = sc.transform(X_test)
print(keras.__version__, X_train.shape, X_valid.shape, X_test.shape, flush=True)


def build_model(n_hidden=1, n_neurons=30, learning_rate=3e-3):
    model = keras.Sequential([keras.layers.Input(shape=[8])])
    for _ in range(n_hidden):
        model.add(keras.layers.Dense(n_neurons, activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=learning_rate))
    return model


def fit(X, y):
    model = build_model()
    h = model.fit(X, y, epochs=100, validation_data=(X_valid, y_valid), verbose=0,
                  callbacks=[keras.callbacks.EarlyStopping(patience=10)])
    return model, len(h.history["loss"])


for seed in [int(s) for s in sys.argv[1:]] or range(5):
    t = time.time()
    keras.utils.set_random_seed(seed)
    model, epochs = fit(X_train, y_train)
    mse = model.evaluate(X_test, y_test, verbose=0)
    cv = []
    for train, test in KFold(3).split(X_train):
        model, e = fit(X_train[train], y_train[train])
        cv.append((model.evaluate(X_train[test], y_train[test], verbose=0), e))
    print(f"seed {seed}: test MSE {mse:.4f} after {epochs} epochs; 3-fold CV MSE "
          f"{np.mean([m for m, _ in cv]):.4f} (folds {', '.join(f'{m:.4f}/{e} ep' for m, e in cv)})"
          f"  [{time.time() - t:.0f} s]", flush=True)
