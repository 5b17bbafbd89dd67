#!/usr/bin/env python3
"""Wraps printed output to 90 columns for the book (a filter: stdin to stdout).

A Keras-style epoch line breaks before a ` - name: value` figure, other long lines at
the last space before column 90; continuation lines are indented by four spaces. Python
rather than Rust: it is a text filter for book/regenerate.sh, not part of the crate."""
import sys

WIDTH = 90


def wrap(line):
    out = []
    while len(line) > WIDTH:
        cut = line.rfind(" - ", 0, WIDTH)
        if cut <= 4:
            cut = line.rfind(" ", 0, WIDTH)
        if cut <= 4:
            break
        out.append(line[:cut].rstrip())
        line = "    " + line[cut:].lstrip()
    out.append(line)
    return out


for raw in sys.stdin:
    for piece in wrap(raw.rstrip("\n")):
        print(piece)
