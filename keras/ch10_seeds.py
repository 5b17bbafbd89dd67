# Keras 3 figures of HOML's three functional models (chapter 10) on California housing:
# annlab's data file, scikit-learn's feature derivation and HOML's split, seeds 0-4.
# Run from anywhere: KERAS_BACKEND=jax python keras/ch10_seeds.py [seeds...]
# (Keras 3.15.1, jax backend, scikit-learn 1.9.1; output quoted in book/src/reference.md)
import os, sys
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
from housing import homl_sets
(X_train, y_train), (X_valid, y_valid), (X_test, y_test) = homl_sets()
print(keras.__version__, X_train.shape, X_valid.shape, X_test.shape, flush=True)
A = lambda X: X[:, :5]; B = lambda X: X[:, 2:]
L = keras.layers
for seed in [int(s) for s in sys.argv[1:]] or range(5):
    keras.utils.set_random_seed(seed)
    inp = L.Input(shape=[8]); h1 = L.Dense(30, activation="relu")(inp); h2 = L.Dense(30, activation="relu")(h1)
    out = L.Dense(1)(L.concatenate([inp, h2])); m = keras.Model(inputs=[inp], outputs=[out])
    m.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    m.fit(X_train, y_train, epochs=20, validation_data=(X_valid, y_valid), verbose=0)
    wd = m.evaluate(X_test, y_test, verbose=0)
    keras.utils.set_random_seed(seed)
    ia = L.Input(shape=[5], name="wide_input"); ib = L.Input(shape=[6], name="deep_input")
    h1 = L.Dense(30, activation="relu")(ib); h2 = L.Dense(30, activation="relu")(h1)
    out = L.Dense(1, name="output")(L.concatenate([ia, h2])); m = keras.Model(inputs=[ia, ib], outputs=[out])
    m.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    m.fit((A(X_train), B(X_train)), y_train, epochs=20, validation_data=((A(X_valid), B(X_valid)), y_valid), verbose=0)
    two = m.evaluate((A(X_test), B(X_test)), y_test, verbose=0)
    keras.utils.set_random_seed(seed)
    ia = L.Input(shape=[5], name="wide_input"); ib = L.Input(shape=[6], name="deep_input")
    h1 = L.Dense(30, activation="relu")(ib); h2 = L.Dense(30, activation="relu")(h1)
    out = L.Dense(1, name="output")(L.concatenate([ia, h2])); aux = L.Dense(1, name="aux_output")(h2)
    m = keras.Model(inputs=[ia, ib], outputs=[out, aux])
    m.compile(loss=("mse", "mse"), loss_weights=(0.9, 0.1), optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    m.fit((A(X_train), B(X_train)), (y_train, y_train), epochs=20, validation_data=((A(X_valid), B(X_valid)), (y_valid, y_valid)), verbose=0)
    aux_r = m.evaluate((A(X_test), B(X_test)), (y_test, y_test), verbose=0)
    print(f"seed {seed}: wide&deep {wd:.4f}  two-inputs {two:.4f}  aux total/main/aux {aux_r[0]:.4f} {aux_r[1]:.4f} {aux_r[2]:.4f}", flush=True)
