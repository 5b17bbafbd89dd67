# Keras 3 figures of HOML's callback cells (chapter 12), as the chapter runs them:
# Dense(30, relu) -> Dense(30, relu) -> Dense(1), SGD(1e-3), MSE; 10 epochs with
# ModelCheckpoint(save_best_only=True), load_model of the best, compile again, then up to
# 100 epochs with the same checkpoint and EarlyStopping(patience=10,
# restore_best_weights=True); on annlab's California-housing file with scikit-learn's
# features and HOML's split. Seeds 0-4 (or those given).
# Run: KERAS_BACKEND=jax python keras/ch12_early_stopping_seeds.py [seeds...]
# (Keras 3.15.1, jax backend, scikit-learn 1.9.1; output quoted in book/src/reference.md)
import os, sys, gzip, tempfile
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
raw = np.loadtxt(gzip.open(os.path.join(os.path.dirname(__file__), "..", "data", "cal_housing.data.gz")), delimiter=",")
cal = raw[:, [8, 7, 2, 3, 4, 5, 6, 1, 0]]
target, data = cal[:, 0] / 100000.0, cal[:, 1:].copy()
data[:, 2] /= data[:, 5]; data[:, 3] /= data[:, 5]; data[:, 5] = data[:, 4] / data[:, 5]
X_full, X_test, y_full, y_test = train_test_split(data, target, random_state=42)
X_train, X_valid, y_train, y_valid = train_test_split(X_full, y_full, random_state=42)
sc = StandardScaler(); X_train = sc.fit_transform(X_train); X_valid = sc.transform(X_valid); X_test = sc.transform(X_test)
print(keras.__version__, flush=True)
L = keras.layers
for seed in [int(s) for s in sys.argv[1:]] or range(5):
    keras.utils.set_random_seed(seed)
    m = keras.Sequential([L.Input(shape=[8]), L.Dense(30, activation="relu"), L.Dense(30, activation="relu"), L.Dense(1)])
    m.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    path = os.path.join(tempfile.mkdtemp(), "my_keras_model.keras")
    ck = keras.callbacks.ModelCheckpoint(path, save_best_only=True)
    m.fit(X_train, y_train, epochs=10, validation_data=(X_valid, y_valid), callbacks=[ck], verbose=0)
    m = keras.models.load_model(path)
    m.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    es = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
    h = m.fit(X_train, y_train, epochs=100, validation_data=(X_valid, y_valid), callbacks=[ck, es], verbose=0)
    best = int(np.argmin(h.history["val_loss"]))
    print(f"seed {seed}: epochs run {len(h.history['loss'])}, best epoch {best}, best val_loss {min(h.history['val_loss']):.4f}, test MSE {m.evaluate(X_test, y_test, verbose=0):.4f}", flush=True)
