# Keras 3 figures of weight regularizers (issue 15): a Dense(3, tanh) → Dense(1) model with
# fixed weights, L1L2(l1=0.01, l2=0.02) on the first kernel, L2(0.05) on the first bias
# and L1(0.03) on the second kernel, MSE, SGD(learning_rate=0.1), one batch of 3 samples.
# Prints the regularization penalty (sum(model.losses)), evaluate's loss (MSE + penalty),
# the gradient of each tensor (from one SGD step: g = (w_before − w_after) / lr) and the
# History of two epochs. tests/regularizers.rs quotes these figures.
# Run: KERAS_BACKEND=jax /work/venv-keras/bin/python keras/regularizers.py
# (Keras 3.15.1, jax backend)
import os
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
from keras import layers, regularizers

x = np.array([[0.5, -1.0], [1.5, 2.0], [-0.5, 0.25]], dtype="float32")
y = np.array([[1.0], [-0.5], [0.25]], dtype="float32")
w = [
    np.array([[0.3, -0.2, 0.1], [0.4, 0.25, -0.35]], dtype="float32"),
    np.array([0.1, -0.1, 0.2], dtype="float32"),
    np.array([[0.5], [-0.6], [0.7]], dtype="float32"),
    np.array([0.05], dtype="float32"),
]


def build():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(3, activation="tanh",
                     kernel_regularizer=regularizers.L1L2(l1=0.01, l2=0.02),
                     bias_regularizer=regularizers.L2(0.05)),
        layers.Dense(1, kernel_regularizer=regularizers.L1(0.03)),
    ])
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=0.1))
    model.set_weights(w)
    return model


model = build()
print(keras.__version__)
print("penalty", repr(float(sum(float(l) for l in model.losses))))
mse = float(np.mean((model.predict(x, verbose=0) - y) ** 2))
print("mse", repr(mse))
print("evaluate", repr(float(model.evaluate(x, y, batch_size=3, verbose=0))))
model.fit(x, y, batch_size=3, epochs=1, shuffle=False, verbose=0)
for before, after in zip(w, model.get_weights()):
    print("grad", [repr(float(v)) for v in ((before - after) / np.float32(0.1)).ravel()])
model = build()
history = model.fit(x, y, batch_size=3, epochs=2, shuffle=False, verbose=0,
                    validation_data=(x, y))
print("history loss", [repr(v) for v in history.history["loss"]])
print("history val_loss", [repr(v) for v in history.history["val_loss"]])
