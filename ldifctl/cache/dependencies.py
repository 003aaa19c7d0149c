"""The runtime dependencies as installed, for the caches' keys (keys.py): a new PyYAML,
python-ldap or RE2 may parse or judge differently, and an answer kept from the old one
must then not be found.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable

import yaml

# pyproject.toml's `dependencies`, by their normalised names (tests/cache/test_code_digest.py
# holds the two together).
DEPENDENCIES = ("deepdiff", "gitpython", "google_re2", "python_ldap", "pyyaml", "typer")
_METADATA = (".dist-info", ".egg-info")
_SEPARATORS = re.compile(r"[-_.]+")


def versions(path: Iterable[str] | None = None) -> str:
    """Each dependency's metadata folder on `path` (`sys.path`), by name, which holds its
    version, and modification time (a reinstall writes it anew, even of one version built
    again), and libyaml's version. One listing of each folder of the path, ~0.9 ms of a
    command's start, where importing `importlib.metadata` alone costs ~45 ms."""
    found = installed(sys.path if path is None else path)
    lines = [f"{name}\0{_stamp(found.get(name))}\n" for name in DEPENDENCIES]
    return "".join(lines) + f"libyaml\0{libyaml()}\n"


def installed(path: Iterable[str]) -> dict[str, str]:
    """The metadata folder of each dependency: the first on the path, as
    `importlib.metadata` and the imports find them; never one in the current directory
    (first on the path under `python -m`), which is the repository's, whose files a pull
    request writes."""
    found: dict[str, str] = {}
    here = os.getcwd()
    for folder in path:
        if not folder or os.path.realpath(folder) == here:
            continue
        try:
            names = os.listdir(folder)
        except OSError:  # a zip file, a path hook's name, a folder gone
            continue
        for name in names:
            if name.endswith(_METADATA):
                project = _SEPARATORS.sub("_", name.rsplit(".", 1)[0].split("-")[0]).lower()
                if project in DEPENDENCIES:
                    found.setdefault(project, os.path.join(folder, name))
    return found


def _stamp(metadata: str | None) -> str:
    try:
        return f"{os.path.basename(metadata)}\0{os.stat(metadata).st_mtime_ns}" if metadata else "-"
    except OSError:  # gone since the listing: an install under way
        return "-"


def libyaml() -> str:
    """PyYAML's C loader reads every entry file, and it is libyaml's: a PyYAML built from
    source links the system's, whose upgrade PyYAML's metadata does not show. Already
    loaded: `import yaml` loads it."""
    if not yaml.__with_libyaml__:
        return "-"
    from yaml import _yaml

    return _yaml.get_version_string()
