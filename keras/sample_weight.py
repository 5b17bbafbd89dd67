# Keras 3 figures of sample_weight and class_weight (issue 15): a Dense(3, softmax) model
# on 2 features with fixed weights, sparse categorical cross-entropy, SGD(0.1),
# metrics=["accuracy"] (unweighted in Keras 3) and weighted_metrics=["accuracy"]
# (logged as "weighted_accuracy"), 4 samples with weights [1, 2, 0, 0.5].
# Prints evaluate's figures, one train_on_batch step's loss and updated weights, one
# epoch of fit in batches of 2 (no shuffle), the same with class_weight, a validation
# triple, and evaluate with an L2(0.01) kernel penalty. tests/sample_weight.rs quotes them.
# Run: KERAS_BACKEND=jax /work/venv-keras/bin/python keras/sample_weight.py
# (Keras 3.15.1, jax backend)
import os
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
from keras import layers, regularizers

np.set_printoptions(precision=9)
x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]], dtype="float32")
y = np.array([0, 1, 2, 1])
sw = np.array([1.0, 2.0, 0.0, 0.5], dtype="float32")
w = [
    np.array([[0.5, -0.25, 0.0], [0.0, 0.5, -0.5]], dtype="float32"),
    np.array([0.0, 0.0, 0.0], dtype="float32"),
]


def build(reg=None):
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(3, activation="softmax", kernel_regularizer=reg),
    ])
    model.set_weights(w)
    model.compile(loss="sparse_categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  metrics=["accuracy"], weighted_metrics=["accuracy"])
    return model


def show(name, values):
    print(name, " ".join(f"{v:.9g}" for v in np.ravel(values)))


m = build()
print("evaluate sample_weight", m.evaluate(x, y, sample_weight=sw, verbose=0, return_dict=True))
print("evaluate unweighted", m.evaluate(x, y, verbose=0, return_dict=True))
print("train_on_batch", m.train_on_batch(x, y, sample_weight=sw, return_dict=True))
for i, v in enumerate(m.get_weights()):
    show(f"  weights[{i}]", v)

m = build()
h = m.fit(x, y, sample_weight=sw, batch_size=2, epochs=1, shuffle=False, verbose=0)
print("fit batch 2 sample_weight", h.history)
for i, v in enumerate(m.get_weights()):
    show(f"  weights[{i}]", v)

cw = {0: 1.0, 1: 2.0, 2: 0.0}  # the class weights that give sw[:3]; label 1 of row 3 → 2
m = build()
h = m.fit(x, y, class_weight=cw, batch_size=4, epochs=1, shuffle=False, verbose=0)
print("fit class_weight", cw, h.history)
for i, v in enumerate(m.get_weights()):
    show(f"  weights[{i}]", v)

cw2 = {0: 3.0, 7: 5.0}  # label 1 and 2 missing → 1.0; class 7 absent from y → ignored
m = build()
h = m.fit(x, y, class_weight=cw2, batch_size=4, epochs=1, shuffle=False, verbose=0)
print("fit class_weight", cw2, h.history)

m = build()
h = m.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0,
          validation_data=(x, y, sw))
print("fit validation triple", h.history)

m = build(regularizers.L2(0.01))
print("evaluate L2(0.01) sample_weight", m.evaluate(x, y, sample_weight=sw, verbose=0, return_dict=True))
print("train_on_batch L2(0.01)", m.train_on_batch(x, y, sample_weight=sw, return_dict=True))
for i, v in enumerate(m.get_weights()):
    show(f"  weights[{i}]", v)

for bad, what in [(np.array([1.0, 2.0, 3.0], dtype="float32"), "3 weights"),
                  (np.array([1.0, -1.0, 1.0, 1.0], dtype="float32"), "negative")]:
    try:
        r = build().evaluate(x, y, sample_weight=bad, verbose=0, return_dict=True)
        print("error case", what, "accepted:", r)
    except Exception as e:
        print("error case", what, type(e).__name__, str(e).splitlines()[0][:120])
try:
    build().fit(x, y, sample_weight=sw, class_weight=cw, verbose=0)
except Exception as e:
    print("error case both:", type(e).__name__, str(e).splitlines()[0][:120])
