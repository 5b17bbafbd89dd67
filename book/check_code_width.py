#!/usr/bin/env python3
"""Every line of code the book includes ({{#include path}} or {{#include path:anchor}}
in book/src/*.md) is at most 90 columns, so it shows whole beside the sidebar at
1280 px. Prints file:line of each longer line and exits 1 when there is one."""
import glob
import os
import re
import sys

WIDTH = 90
INCLUDE = re.compile(r"\{\{#(?:include|rustdoc_include)\s+([^}:\s]+)(?::([A-Za-z0-9_-]+))?\s*\}\}")
long = []
for page in sorted(glob.glob("book/src/*.md")):
    for path, anchor in INCLUDE.findall(open(page, encoding="utf-8").read()):
        source = os.path.normpath(os.path.join("book/src", path))
        if not source.endswith(".rs"):
            continue
        lines = open(source, encoding="utf-8").read().splitlines()
        inside = anchor is None or anchor == ""
        for number, line in enumerate(lines, 1):
            if anchor and re.search(rf"ANCHOR:\s*{anchor}\b", line):
                inside = True
                continue
            if anchor and re.search(rf"ANCHOR_END:\s*{anchor}\b", line):
                inside = False
                continue
            if inside and "ANCHOR" not in line and len(line) > WIDTH:
                long.append(f"{source}:{number}: {len(line)} columns (over {WIDTH})")
for entry in sorted(set(long)):
    print(entry)
print(f"check_code_width: {len(set(long))} line(s) over {WIDTH} columns", file=sys.stderr)
sys.exit(1 if long else 0)
