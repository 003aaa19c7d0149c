"""Files git rewrites on checkout: ldifctl reads none of them from disk.

Three git attributes make the file a checkout writes differ from the blob that was
committed, reviewed and planned: `working-tree-encoding` (SHIFT_JIS turns a `¥` into `\\`,
so a quoted YAML value ends elsewhere and the file holds other keys), `ident` (`$Id$`
grows a blob id) and `filter` (git-lfs on a CI runner swaps the whole file). A pull request
can set any of them in a `.gitattributes`. Its plan, read from the commit, showed one
thing; `apply` after the merge read the disk and sent another (a forward the plan never
showed). So a file of the repository that ldifctl would read from disk (ldifctl.yaml, the
CA file, a policy file, an entry file) is refused when git rewrites it, and the message
names the file and the attribute. `text` and `eol` only turn LF into CRLF, which YAML
reads as the same line break: they are allowed.

`git check-attr` answers, with the index out of its sight: the index only tells where a
`.gitattributes` is missing from the work tree, and loading it cost 14 ms at 100k files.
The attributes that matter are those the checkout applied, from the `.gitattributes`
files it wrote, from `.git/info/attributes` and from git's config: all three are read.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ldifctl.model.errors import LdifctlError, printable

ATTRIBUTES = ("filter", "ident", "working-tree-encoding")
# Values that leave a file as it was: an attribute not given, or turned off.
_INERT = frozenset({"unspecified", "unset"})
# Encodings git takes as its own (an empty value as none): utf8.c, same_encoding().
_UTF8 = frozenset({"", "UTF-8", "UTF8"})
_NOT_A_REPO = b"not a git repository"


def rewritten(folder: Path, paths: Sequence[str]) -> dict[str, str]:
    """Those of `paths` (relative to `folder`) that git rewrites on checkout, each with the
    attribute that does (`working-tree-encoding: SHIFT_JIS`); none outside git."""
    if not paths:
        return {}
    data = b"".join(os.fsencode(p) + b"\0" for p in paths)
    # A name no file has: git reads no index, and writes none (check-attr never does).
    # (os.urandom: `secrets` and its hmac and random cost 6-8 ms of every command's start.)
    no_index = folder / f".ldifctl-no-index-{os.urandom(8).hex()}"
    env = {**_as_for_the_caller(os.environ), "GIT_INDEX_FILE": str(no_index), "LC_ALL": "C",
           "LANGUAGE": "C"}
    try:
        done = subprocess.run(
            ["git", "check-attr", "-z", "--stdin", *ATTRIBUTES],
            cwd=folder, input=data, capture_output=True, env=env, check=False,
        )
    except OSError:  # no git, or no such folder: nothing was checked out by git
        return {}
    if done.returncode:
        if _NOT_A_REPO in done.stderr:
            return {}
        raise LdifctlError(
            f"{folder}: git check-attr failed ({_said(done.stderr)}): ldifctl asks it which "
            "files git rewrites on checkout; fix what git says"
        )
    fields = done.stdout.split(b"\0")
    found: dict[str, str] = {}
    for at in range(0, len(fields) - 2, 3):
        path, attribute, value = (os.fsdecode(f) for f in fields[at : at + 3])
        if _rewrites(attribute, value):
            found.setdefault(path, f"{attribute}: {value}")
    return found


def _said(stderr: bytes) -> str:
    return printable(stderr.decode(errors="replace").strip())


def _as_for_the_caller(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment, naming the repository as git would for a command run where
    ldifctl was. check-attr runs in `folder`: a relative GIT_DIR would not be found there
    (the check skipped as outside git), and with GIT_DIR alone git takes the folder it
    runs in as the work tree's top, whose `.gitattributes` files above it it never reads."""
    env, here = dict(environ), os.getcwd()
    if "GIT_DIR" in env:
        env.setdefault("GIT_WORK_TREE", here)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR"):
        if name in env:
            env[name] = os.path.join(here, env[name])  # an absolute value stays as it is
    return env


def _rewrites(attribute: str, value: str) -> bool:
    if value in _INERT:
        return False
    if attribute == "working-tree-encoding":  # git's same_encoding(): no conversion
        return value.upper() not in _UTF8
    if attribute == "filter":  # a filter is a driver's name; set alone, git runs none
        return value != "set"
    return value == "set"  # ident


def refuse_rewritten(
    folder: Path, paths: Sequence[str], shown: Callable[[str], str], what: str
) -> None:
    """An error naming the first of `paths` git rewrites on checkout, and how many more."""
    found = rewritten(folder, paths)
    if not found:
        return
    first = next(p for p in paths if p in found)
    more = len(found) - 1
    also = f" (and {more} more file{'s' if more > 1 else ''} of the repository)" if more else ""
    raise LdifctlError(
        f"{shown(first)}{also}: git rewrites this file on checkout ({found[first]}, from a "
        f".gitattributes file or git's config): the {what} on disk is not the one that was "
        "committed and reviewed, so ldifctl does not read it. Remove the attribute "
        f"(`git check-attr -a -- {shown(first)}` shows it), then delete the file and check "
        "it out again"
    )
