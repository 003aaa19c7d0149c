"""How ldifctl's whole-directory commands grow with the directory, beside the references.

At each size: `diff a.ldif b.ldif` of two dumps (1% of entries differ: modified, deleted
forwards, added entries) beside PyPI `ldifdiff` and python-ldap's `LDIFRecordList` parse
of both files; `import --from-ldif` of the first dump into a new repo, and `export` of
it; `drift` against a slapd (loaded by slapadd) in sync, with 10% and with 100% of the
entries differing (`sn` changed on the server), beside `ldapsearch` of the same subtree
on the same server. Each line is one fresh process: wall time, CPU time (user + system of
every process it starts: what other jobs on the machine do not stretch), and the peak
memory of its whole process tree (every process it starts, summed: Pss, and Rss in
parentheses, which counts pages a forked child shares with its parent twice;
benchmarks/measure.py). `drift` runs once before it is timed, so the repo's caches are
filled as in daily use. The exponents are log(x2/x1) / log(n2/n1) between the smallest
and the largest size, for time, memory and CPU time: 1 is linear.

    python benchmarks/bench_scaling.py --sizes 10000 100000 [--ldifdiff PATH] [--skip-drift]
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import CONFIG, entries, generate
from live_server import client, connect_repo, loaded_slapd
from measure import Run, run

from ldifctl.diff.entries import sorted_attrs
from ldifctl.diff.ldif_writer import render_content
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry

DATA = Path(__file__).resolve().parent / "data"
TRASH = DATA / "trash"  # repos of the last run, deleted once the figures are taken
LDIFCTL = [sys.executable, "-m", "ldifctl"]
PARSE_BOTH = (
    "import ldif, sys\nfor p in sys.argv[1:]:\n    ldif.LDIFRecordList(open(p, 'rb')).parse()"
)
Results = dict[str, dict[int, Run]]


def changed(all_entries: list[Entry], share: float, seed: int = 7) -> list[Entry]:
    """About `share` of the entries differ: half with another sn, a quarter of forwards
    deleted (nothing forwards to a forward: no check fails), a quarter new entries."""
    rng, out = random.Random(seed), []
    for i, entry in enumerate(all_entries):
        roll = rng.random() / share if share else 2.0
        if roll < 0.25 and entry.dn.startswith("cn=fwd"):
            continue
        if roll < 0.75 and "sn" in entry.attrs:
            entry = Entry(entry.dn, {**entry.attrs, "sn": (b"Changed",)})
        out.append(entry)
        if 0.75 <= roll < 1.0:
            out.append(Entry(f"cn=new{i},ou=people,dc=example,dc=net",
                             {"objectClass": (b"person",), "cn": (b"new%d" % i,), "sn": (b"N",)}))
    return out


def sn_drifted(all_entries: list[Entry], share: float) -> list[Entry]:
    """The server's view: `share` of the entries (every k-th) with another sn."""
    step = max(round(1 / share), 1)
    return [Entry(e.dn, {**e.attrs, "sn": (b"Drifted",)}) if i % step == 0 and "sn" in e.attrs
            else e for i, e in enumerate(all_entries)]


def write_ldif(path: Path, items: list[Entry]) -> Path:
    if not path.exists():
        schema = build_schema()
        path.write_text(render_content((e.dn, sorted_attrs(e, schema)) for e in items))
    return path


def new_repo(path: Path) -> Path:
    """An empty repo at `path`. The last run's is moved aside, and deleted only after
    every figure is taken (`main`): deleting 100k files just before `import` doubled the
    system time of the import that followed (22.2 s against 10.4 s at 100k)."""
    if path.exists():
        path.rename(TRASH / f"{path.name}-{time.time_ns()}")
    path.mkdir(parents=True)
    (path / "ldifctl.yaml").write_text(CONFIG)
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    return path


def ldif_work(size: int, ldifdiff: Path | None, results: Results) -> None:
    base = entries(size)
    a = write_ldif(DATA / f"dump-{size}-a.ldif", base)
    b = write_ldif(DATA / f"dump-{size}-b.ldif", changed(base, 0.01))
    repo = new_repo(DATA / f"scaling-{size}")
    diff = run([*LDIFCTL, "diff", str(a), str(b)], repo)
    results.setdefault("diff a.ldif b.ldif", {})[size] = diff
    results.setdefault("  python-ldap parse of both", {})[size] = run(
        [sys.executable, "-c", PARSE_BOTH, str(a), str(b)], repo)
    if ldifdiff is not None:
        results.setdefault("  PyPI ldifdiff", {})[size] = run([str(ldifdiff), str(a), str(b)], repo)
    results.setdefault("import --from-ldif", {})[size] = run(
        [*LDIFCTL, "import", "--from-ldif", str(a)], repo)
    results.setdefault("export", {})[size] = run([*LDIFCTL, "export"], repo)


def drift_work(size: int, results: Results) -> None:
    repo = generate(DATA / f"repo-{size}", size)
    base = entries(size)
    for label, share in (("in sync", 0.0), ("10% differ", 0.1), ("100% differ", 1.0)):
        served = sn_drifted(base, share) if share else base
        with tempfile.TemporaryDirectory() as tmp, loaded_slapd(Path(tmp), served) as server:
            env = connect_repo(repo, server)
            search = [*client("ldapsearch", server), "-LLL", "-o", "ldif-wrap=no", "-E",
                      "pr=500/noprompt", "-b", server.suffix, "(objectClass=*)", "*"]
            drift = [*LDIFCTL, "drift"]
            run(drift, repo, env, ok=(0, 3))  # fills the caches under .git/ldifctl/
            results.setdefault(f"drift, {label}", {})[size] = run(drift, repo, env, ok=(0, 3))
            results.setdefault(f"  ldapsearch ({label})", {})[size] = run(search, repo, env)
        subprocess.run(["git", "checkout", "-q", "--", "ldifctl.yaml"], cwd=repo, check=True)


def report(results: Results, sizes: list[int]) -> None:
    first, last = sizes[0], sizes[-1]
    head = "".join(f"{n:>9} s {'cpu s':>7} {n:>7} MB {'(Rss)':>8}" for n in sizes)
    print(f"{'work':34}{head}  exponent (time, memory, cpu)")
    for work, by_size in results.items():
        cells = "".join(
            f"{r.seconds:11.2f} {r.cpu:7.2f} {r.peak_mb:10.0f} {r.peak_rss_mb:8.0f}"
            for r in (by_size[n] for n in sizes)
        )
        print(f"{work:34}{cells}  {_exponent(by_size, first, last)}")


def _exponent(by_size: dict[int, Run], first: int, last: int) -> str:
    if first == last:
        return "-"
    span = math.log(last / first)
    t = math.log(by_size[last].seconds / by_size[first].seconds) / span
    m = math.log(by_size[last].peak_mb / by_size[first].peak_mb) / span
    c = math.log(max(by_size[last].cpu, 0.01) / max(by_size[first].cpu, 0.01)) / span
    return f"{t:5.2f}  {m:5.2f}  {c:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--ldifdiff", type=Path, default=Path("/tmp/ldifdiff-venv/bin/ldifdiff"))
    parser.add_argument("--skip-drift", action="store_true")
    args = parser.parse_args()
    ldifdiff = args.ldifdiff if args.ldifdiff.exists() else None
    TRASH.mkdir(parents=True, exist_ok=True)
    results: Results = {}
    try:
        for size in sorted(args.sizes):
            ldif_work(size, ldifdiff, results)
            if not args.skip_drift:
                drift_work(size, results)
        report(results, sorted(args.sizes))
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)


if __name__ == "__main__":
    main()
