# Keras 3 figures of BatchNormalization (issue 15): the summary of HG's relu-100 model
# with BatchNormalization (79,910 params, 200 non-trainable), and, on a fixed batch of 4
# samples of 3 features, the training-mode output, the moving statistics after that one
# call and the inference-mode output from them. tests/batch_normalization.rs quotes these.
# Run: COLUMNS=80 KERAS_BACKEND=jax /work/venv-keras/bin/python keras/batch_normalization.py
# (Keras 3.15.1, jax backend)
import os
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(100),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Dense(10, activation="softmax"),
])
model.summary(line_length=None)
print([w.path for w in model.weights])

np.set_printoptions(precision=8, floatmode="unique")
x = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 0.25], [-1.0, 4.0, 1.0], [0.5, 2.0, -0.75]],
             dtype="float32")
bn = layers.BatchNormalization()
bn.build((None, 3))
bn.gamma.assign(np.array([1.5, -0.5, 2.0], dtype="float32"))
bn.beta.assign(np.array([0.1, 0.2, -0.3], dtype="float32"))
print("training:", np.asarray(bn(x, training=True)).tolist())
print("moving_mean:", np.asarray(bn.moving_mean).tolist())
print("moving_variance:", np.asarray(bn.moving_variance).tolist())
print("inference:", np.asarray(bn(x, training=False)).tolist())
