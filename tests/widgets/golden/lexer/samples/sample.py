#!/usr/bin/env python3
"""A small module.

It has a docstring over several lines,
and a non-ASCII string below.
"""

import os
from pathlib import Path

GREETING = "héllo ✓ 𝄞"
LIMIT = 42


class Counter:
    """Counts things."""

    def __init__(self, start=0):
        self.value = start

    def add(self, amount: int) -> int:
        # Add and return the new value.
        self.value += amount
        return self.value


def main():
    counter = Counter()
    for name in os.listdir(Path.home()):
        if name.startswith("."):
            continue
        counter.add(1)
    print(f"{counter.value} files, {GREETING}")
    return None if counter.value else False


if __name__ == "__main__":
    main()
