"""Parse rate of entry files: the one-pass reader, the canonical fast path and libyaml,
on 10k canonical files.

    .venv/bin/python benchmarks/bench_entry_parse.py [COUNT]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import yaml
from generate import entries

from ldifctl.model import entry_paths
from ldifctl.model.schema import build_schema
from ldifctl.repo.entries import canonical
from ldifctl.repo.entries import read as entry_read
from ldifctl.repo.entries.render import render_entry


def rate(label: str, count: int, run: Callable[[], object]) -> None:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<44} {count / best:>9,.0f} files/s  ({best * 1000:.0f} ms)")


def main(count: int) -> None:
    schema = build_schema()
    files = []
    for e in entries(count):
        data = render_entry(e, schema).encode()
        files.append((data, "directory/" + entry_paths.to_relpath(e.dn), e.dn))
    print(f"{len(files)} canonical files, {sum(len(d) for d, _, _ in files) / len(files):.0f} "
          "bytes each on average")
    fast = entry_read.read_fast

    def parse_all() -> None:
        for data, where, dn in files:
            entry_read.parse_entry(data, where, dn, schema)

    def each(step: Callable[[bytes], object]) -> Callable[[], None]:
        def run() -> None:
            for data, _, _ in files:
                step(data)  # results dropped, as validate drops them after checking
        return run

    rate("yaml.load CSafeLoader (reference)", count,
         each(lambda d: yaml.load(d, Loader=yaml.CSafeLoader)))
    rate("yaml.compose CBaseLoader (reference)", count,
         each(lambda d: yaml.compose(d.decode(), Loader=yaml.CBaseLoader)))
    rate("read_fast only (no checks)", count, each(lambda d: fast(d.decode())))
    rate("parse_entry (one-pass reader, canonical.py)", count, parse_all)
    one_pass = canonical.read_entry
    canonical.read_entry = lambda *args: None
    try:
        rate("parse_entry, one-pass reader off (read_fast)", count, parse_all)
        entry_read.read_fast = lambda text: None
        rate("parse_entry, libyaml path (both off)", count, parse_all)
    finally:
        canonical.read_entry, entry_read.read_fast = one_pass, fast

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
