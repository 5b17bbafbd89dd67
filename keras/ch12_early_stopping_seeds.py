# Keras 3 figures of HOML's callback cells (chapter 12), as the chapter runs them:
# Dense(30, relu) -> Dense(30, relu) -> Dense(1), SGD(1e-3), MSE; 10 epochs with
# ModelCheckpoint(save_best_only=True), load_model of the best, compile again, then up to
# 100 epochs with the same checkpoint and EarlyStopping(patience=10,
# restore_best_weights=True); on annlab's California-housing file with scikit-learn's
# features and HOML's split. Seeds 0-4 (or those given).
# Run: KERAS_BACKEND=jax python keras/ch12_early_stopping_seeds.py [seeds...]
# (Keras 3.15.1, jax backend, scikit-learn 1.9.1; output quoted in book/src/reference.md)
import os, sys, tempfile
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
from housing import homl_sets
(X_train, y_train), (X_valid, y_valid), (X_test, y_test) = homl_sets()
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
