#!/usr/bin/env bash
# Times one training epoch of the same two models — HG 7-2's relu model (48,000 images,
# batch 32, RMSprop) and HOML's 300-100-10 classifier (55,000 images, batch 32, SGD) —
# in Keras 3 (TensorFlow CPU backend) and in annlab (release build), on the same
# Fashion-MNIST files, and prints each one's median seconds per epoch and the ratio.
# The first epoch is left out of the median for both (Keras traces its graph there).
#
#   bash bench/compare_keras.sh [EPOCHS]        (default 5; needs PyPI access once)
#
# Creates a virtual environment in target/keras-venv (tensorflow-cpu and numpy from
# PyPI, about 600 MB) the first time. Not part of `cargo test` or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-5}
VENV=${ANNLAB_KERAS_VENV:-target/keras-venv}

# the Fashion-MNIST files, where annlab's loader looks first
data=""
for d in "${ANNLAB_DATA:-}" data /usr/share/datasets/fashion-mnist; do
  if [ -n "$d" ] && [ -f "$d/train-images-idx3-ubyte.gz" ]; then data=$d; break; fi
done
if [ -z "$data" ]; then
  echo "no Fashion-MNIST files: apt-get install dataset-fashion-mnist, or set ANNLAB_DATA" >&2
  exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating $VENV (tensorflow-cpu, numpy)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet tensorflow-cpu numpy
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== annlab (release build), $EPOCHS epochs per model" >&2
cargo run --release --quiet --example epoch_timing -- "$EPOCHS" >"$out/annlab.jsonl"
echo "== Keras 3, TensorFlow CPU, $EPOCHS epochs per model" >&2
TF_CPP_MIN_LOG_LEVEL=3 KERAS_BACKEND=tensorflow \
  "$VENV/bin/python" bench/keras_epoch.py "$data" "$EPOCHS" >"$out/keras.jsonl"

"$VENV/bin/python" - "$out/annlab.jsonl" "$out/keras.jsonl" <<'PY'
import json, platform, statistics, subprocess, sys, datetime
def load(path):
    return {r["model"]: r["seconds"] for r in map(json.loads, open(path))}
annlab, keras_ = load(sys.argv[1]), load(sys.argv[2])
import keras, tensorflow as tf
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
            if l.startswith("model name")), platform.processor())
print(f"{datetime.date.today()}, {cpu}, {subprocess.getoutput('nproc')} cores; "
      f"Keras {keras.__version__}, TensorFlow {tf.__version__}")
print(f"{'model':<18} {'annlab s/epoch':>15} {'Keras s/epoch':>14} {'ratio':>7}")
for model in annlab:
    a = statistics.median(annlab[model][1:] or annlab[model])
    k = statistics.median(keras_[model][1:] or keras_[model])
    print(f"{model:<18} {a:>15.3f} {k:>14.3f} {k / a:>6.1f}×")
PY
