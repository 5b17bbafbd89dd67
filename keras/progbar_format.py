"""Keras 3's own terminal output, with a fake clock, for tests/keras_output.rs.

Run: KERAS_BACKEND=jax python keras/progbar_format.py
Prints, as Python reprs (escape codes visible):
  1. Progbar(target=1500) lines: step 1 at 0.5 s, step 750 at 1.249 s (mid-epoch, the
     ETA and the time per step), finalized at 2.0 s; and a second bar whose estimate
     needs minutes.
  2. model.summary() of a Sequential model before and after one epoch of fit with Adam.
On Linux, Keras 3 treats stdout as a dynamic display ("posix" in sys.modules), so it
writes the same bytes to a pipe as to a terminal.
"""
import io
import sys
import contextlib

import numpy as np
import keras
from keras.src.utils import progbar as pb

clock = [100.0]
pb.time.time = lambda: clock[0]


def capture(fn):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn()
    return buf.getvalue()


def bar_run():
    bar = pb.Progbar(target=1500, stateless_metrics=set())
    out = []
    for t, step, logs, fin in [
        (100.5, 1, [("accuracy", 0.5), ("loss", 1.25)], False),
        (101.249, 750, [("accuracy", 0.8117), ("loss", 0.5367)], False),
        (102.0, 1500, [("accuracy", 0.8125), ("loss", 0.5361)], True),
    ]:
        clock[0] = t
        out.append(capture(lambda: bar.update(step, logs, finalize=fin)))
    return out


clock[0] = 100.0
for i, s in enumerate(bar_run()):
    print(f"bar{i}:", repr(s))

clock[0] = 0.0
bar = pb.Progbar(target=1500, stateless_metrics=set())
clock[0] = 2.0
s1 = capture(lambda: bar.update(1, [("loss", 0.00012345)], finalize=False))
clock[0] = 152.0
s2 = capture(lambda: bar.update(10, [("loss", 0.5)], finalize=False))
print("slow1:", repr(s1))
print("slow10:", repr(s2))

pb.time.time = __import__("time").time
keras.utils.set_random_seed(42)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
print("summary_before:", repr(capture(model.summary)))
x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
y = np.array([0, 1] * 4)
model.fit(x, y, epochs=1, verbose=0)
print("summary_after:", repr(capture(model.summary)))
