# Keras 3 figures of the augmentation layers (issue 15): each layer on a fixed image with a
# degenerate factor range (lower = upper), so that Keras's random transform is
# deterministic, and RandomFlip with its flip forced (transform_images with flips = True).
# tests/augmentation.rs quotes these figures; it also compares annlab's summary() with the
# table printed last.
# Run: KERAS_BACKEND=jax /work/venv-keras/bin/python keras/augmentation.py
# (Keras 3.15.1, jax backend)
import os
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
from keras import layers

np.set_printoptions(precision=7, suppress=True, linewidth=150)

# 5×7, one channel: pixel (r, c) = (7r + c) / 10
small = (np.arange(35, dtype="float32").reshape(1, 5, 7, 1)) / np.float32(10)
# 4×5, two channels: pixel (r, c, k) = (10r + 2c + k) / 10
two = (np.arange(4 * 5 * 2, dtype="float32").reshape(1, 4, 5, 2)) / np.float32(10)
# 28×28, a Fashion-MNIST-like pattern: a bright blob on a dark ground with a stripe
r, c = np.meshgrid(np.arange(28), np.arange(28), indexing="ij")
big = (np.exp(-((r - 12.0) ** 2 + (c - 15.0) ** 2) / 60.0) * 0.9 + 0.1 * ((r + 2 * c) % 5 == 0))
big = big.astype("float32").reshape(1, 28, 28, 1)


def show(name, out):
    out = np.asarray(out).astype("float64")
    print(name, "[" + ", ".join(repr(round(float(v), 6)) for v in out.ravel()) + "]")


def show_big(name, out):
    out = np.asarray(out).astype("float64").ravel()
    weights = np.arange(784) % 97
    print(name, "sum", repr(round(float(out.sum()), 6)),
          "weighted", repr(round(float((out * weights).sum()), 4)),
          "pixels", [repr(round(float(out[i]), 6)) for i in (0, 27, 28 * 27, 783, 28 * 12 + 15, 28 * 5 + 1)])


print(keras.__version__)
for mode in ["horizontal", "vertical", "horizontal_and_vertical"]:
    flip = layers.RandomFlip(mode)
    show("flip " + mode, flip.transform_images(small, {"flips": np.array([[[[True]]]])}))

cases = [
    ("translation (0.1,0.1) (-0.2,-0.2)", layers.RandomTranslation((0.1, 0.1), (-0.2, -0.2))),
    ("translation (-0.8,-0.8) (0.9,0.9)", layers.RandomTranslation((-0.8, -0.8), (0.9, 0.9))),
    ("translation (0.6,0.6) (-1,-1)", layers.RandomTranslation((0.6, 0.6), (-1.0, -1.0))),
    ("rotation (0.05,0.05)", layers.RandomRotation((0.05, 0.05))),
    ("rotation (-0.25,-0.25)", layers.RandomRotation((-0.25, -0.25))),
    ("zoom (0.2,0.2)", layers.RandomZoom((0.2, 0.2))),
    ("zoom (-0.3,-0.3) (0.5,0.5)", layers.RandomZoom((-0.3, -0.3), (0.5, 0.5))),
    ("brightness (0.1,0.1) (0,3)", layers.RandomBrightness((0.1, 0.1), value_range=(0, 3))),
    ("brightness (-0.25,-0.25) (0,2)", layers.RandomBrightness((-0.25, -0.25), value_range=(0, 2))),
]
for name, layer in cases:
    show(name, layer(small, training=True))
    show(name + " inference", layer(small, training=False))

show("two rotation (0.05,0.05)", layers.RandomRotation((0.05, 0.05))(two, training=True))
show("two translation (0.1,0.1) (-0.2,-0.2)",
     layers.RandomTranslation((0.1, 0.1), (-0.2, -0.2))(two, training=True))

show_big("big input", big)
show_big("big flip horizontal",
         layers.RandomFlip("horizontal").transform_images(big, {"flips": np.array([[[[True]]]])}))
show_big("big translation (0.1,0.1) (-0.1,-0.1)",
         layers.RandomTranslation((0.1, 0.1), (-0.1, -0.1))(big, training=True))
show_big("big rotation (0.05,0.05)", layers.RandomRotation((0.05, 0.05))(big, training=True))
show_big("big zoom (0.2,0.2)", layers.RandomZoom((0.2, 0.2))(big, training=True))
show_big("big zoom (-0.2,-0.2)", layers.RandomZoom((-0.2, -0.2))(big, training=True))

# the class names and output shapes summary() shows (a fresh session: default names)
keras.backend.clear_session()
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.RandomFlip("horizontal"),
    layers.RandomTranslation(0.1, 0.1),
    layers.Flatten(),
    layers.Dense(100, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
lines = []
model.summary(print_fn=lambda s, **kw: lines.append(s))
print("\n".join(lines))
