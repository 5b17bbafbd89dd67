#!/usr/bin/env bash
# Re-runs every chapter binary: each writes its figures into book/src/figures/ (through
# $ANNLAB_FIGURES; a plain chapter run writes them into figures/, untracked), and its
# printed output is saved into book/src/output/<chapter>.txt with timings stripped, so
# the committed files change only when the figures do (a table's seconds-per-epoch
# column is shown as –; the "seconds per epoch" and "training time elapsed" lines are
# deleted; TensorBoard run directories read run_%Y_%m_%d-%H_%M_%S).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p book/src/output
export ANNLAB_FIGURES="$PWD/book/src/figures"
# with arguments, only those chapters: book/regenerate.sh ch10_functional
bins="${*:-$(sed -n 's/^name = "\(ch[0-9][0-9]_[a-z_]*\)"$/\1/p' Cargo.toml)}"
for bin in $bins; do
  echo "== $bin"
  cargo run --release --quiet --bin "$bin" \
    | sed -E -e 's# [0-9]+s [0-9]+(us|ms|s)/step##' \
             -e '/^seconds per epoch/d' \
             -e 's#rayon threads: [0-9]+#rayon threads: (the cores)#' \
             -e '/^  training time elapsed: [0-9]+\.[0-9]+ s$/d' \
             -e 's#(  [0-9]+\.[0-9]{4})  +[0-9]+\.[0-9]{2}$#\1        –#' \
             -e 's#run_[0-9]{4}(_[0-9]{2}){2}-[0-9]{2}(_[0-9]{2}){2}(_[0-9]+)?#run_%Y_%m_%d-%H_%M_%S#g' \
             -e "s#$PWD/##g" \
    | python3 book/wrap90.py \
    > "book/src/output/$bin.txt"
done
