"""Seconds per training epoch of the models examples/epoch_timing.rs times in annlab,
in Keras 3 on the same Fashion-MNIST files. Prints one JSON object per model, as the
Rust example does. Run by bench/compare_keras.sh."""
import gzip, json, os, sys, time

import numpy as np
import keras


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class EpochTimer(keras.callbacks.Callback):
    """From on_epoch_begin to on_epoch_end, as annlab's EpochTimer."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)


def main():
    data, epochs = sys.argv[1], int(sys.argv[2])
    x = idx(os.path.join(data, "train-images-idx3-ubyte.gz")).astype("float32") / 255.0
    y = idx(os.path.join(data, "train-labels-idx1-ubyte.gz")).astype("int64")
    keras.utils.set_random_seed(42)
    # HG 7-2: the sizes of train_test_split(test_size=0.2): 48,000 training images
    order = np.random.default_rng(42).permutation(len(x))
    x_hg, y_hg = x[order[12_000:]], y[order[12_000:]]
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = EpochTimer()
    model.fit(x_hg, y_hg, epochs=epochs, verbose=0, callbacks=[timer])
    print(json.dumps({"model": "hg_7_2_relu", "seconds": timer.seconds}))

    # HOML 10: the last 55,000 training images
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(300, activation="relu"),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=0.01), metrics=["accuracy"])
    timer = EpochTimer()
    model.fit(x[5000:], y[5000:], epochs=epochs, verbose=0, callbacks=[timer])
    print(json.dumps({"model": "homl_300_100_10", "seconds": timer.seconds}))


if __name__ == "__main__":
    main()
