#!/usr/bin/env bash
# Builds the book in English and Korean with pinned tools and fails on any warning, a
# broken internal link, or a code or output line over 90 columns. CI runs it (.ci/run).
# The tools are installed with `cargo install --locked` when missing (about 6 minutes
# on 2 cores, once).
set -euo pipefail
cd "$(dirname "$0")/.."
MDBOOK_VERSION=0.5.4
I18N_VERSION=0.4.0
if ! mdbook --version 2>/dev/null | grep -q "v$MDBOOK_VERSION"; then
  cargo install --locked --quiet mdbook --version "$MDBOOK_VERSION"
fi
if ! cargo install --list | grep -q "^mdbook-i18n-helpers v$I18N_VERSION:"; then
  cargo install --locked --quiet mdbook-i18n-helpers --version "$I18N_VERSION"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for lang in en ko; do
  log="$out/$lang.log"
  MDBOOK_BOOK__LANGUAGE=$lang mdbook build book -d "$out/$lang" >"$log" 2>&1 || status=1
  if grep -E ' (WARN|ERROR) ' "$log"; then
    echo "book ($lang): mdbook printed warnings or errors" >&2
    status=1
  fi
done
python3 book/check_links.py "$out/en" "$out/ko" || status=1
# code the book includes: at most 90 columns (rustfmt.toml's max_width; comments by hand)
python3 book/check_code_width.py || status=1
# printed output as the book shows it: at most 90 columns (book/wrap90.py wraps it)
python3 - <<'PY' || status=1
import glob, sys
long = [(f, i + 1, len(l)) for f in sorted(glob.glob("book/src/output/*.txt"))
        for i, l in enumerate(open(f, encoding="utf-8").read().splitlines()) if len(l) > 90]
for f, i, n in long:
    print(f"{f}:{i}: {n} columns (over 90)")
sys.exit(1 if long else 0)
PY
[ "$status" = 0 ] && echo "book: en and ko built, links and widths checked"
exit "$status"
