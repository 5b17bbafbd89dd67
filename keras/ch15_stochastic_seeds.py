"""Keras 3's stochastic gradient descent run of ch15 (batch_size 1, SGD lr 0.01, one
epoch) and its batch-GD run (batch_size 48,000, lr 0.1, 20 epochs) on the HG split, for
the seeds given: the spread a single seed's figure sits in.

    KERAS_BACKEND=jax python keras/ch15_stochastic_seeds.py 0 1 2
"""
import gzip
import sys

import numpy as np
import keras
from sklearn.model_selection import train_test_split

D = "/usr/share/datasets/fashion-mnist/"


def idx(name, offset):
    with gzip.open(D + name) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


x = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28) / 255.0
y = idx("train-labels-idx1-ubyte.gz", 8)
x_tr, x_val, y_tr, y_val = train_test_split(x, y, test_size=0.2, random_state=42)

for seed in [int(s) for s in sys.argv[1:]] or [42]:
    for batch, lr, epochs in [(1, 0.01, 1), (48000, 0.1, 20)]:
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(100, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_tr, y_tr, batch_size=batch, epochs=epochs, verbose=0)
        loss, acc = model.evaluate(x_val, y_val, verbose=0)
        print(f"seed {seed} batch {batch} lr {lr} epochs {epochs}: "
              f"val loss {loss:.4f} acc {acc:.4f}", flush=True)
