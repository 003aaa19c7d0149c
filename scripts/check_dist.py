"""The release files: `python -m build` makes an sdist and, from it, a wheel that holds
everything ldifctl needs at run time. Run by .ci/run; tests/project/test_install.py checks
the files it builds with `check`.

    .venv/bin/python scripts/check_dist.py      # builds into a temporary folder
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def version() -> str:
    text = (ROOT / "ldifctl/__init__.py").read_text()
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    assert found, "ldifctl/__init__.py has no __version__"
    return found[1]


def build(out: Path) -> tuple[Path, Path]:
    """The wheel and the sdist, built into `out`."""
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"python -m build failed:\n{done.stdout}{done.stderr}")
    v = version()
    return out / f"ldifctl-{v}-py3-none-any.whl", out / f"ldifctl-{v}.tar.gz"


def expected() -> set[str]:
    """Every module of the source tree, the schema files, and the type marker."""
    package = ROOT / "ldifctl"
    files = {p for p in package.rglob("*") if p.suffix in (".py", ".ldif") or p.name == "py.typed"}
    return {p.relative_to(ROOT).as_posix() for p in files if "__pycache__" not in p.parts}


def problems(wheel: Path, sdist: Path) -> list[str]:
    found = []
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        points = f"ldifctl-{version()}.dist-info/entry_points.txt"
        entry = whl.read(points).decode() if points in names else ""
    found += [f"{wheel.name} lacks {name}" for name in sorted(expected() - names)]
    if "ldifctl = ldifctl.cli.entry:main" not in entry:
        found.append(f"{wheel.name} has no `ldifctl` console script")
    with tarfile.open(sdist) as tar:
        inside = {name.partition("/")[2] for name in tar.getnames()}
    wanted = expected() | {"pyproject.toml", "README.md", "LICENSE"}
    found += [f"{sdist.name} lacks {name}" for name in sorted(wanted - inside)]
    return found


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        wheel, sdist = build(Path(out))
        found = problems(wheel, sdist)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        raise SystemExit(1)
    print(f"built and checked {wheel.name} and {sdist.name}")


if __name__ == "__main__":
    main()
