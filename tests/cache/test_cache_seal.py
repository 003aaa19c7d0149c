"""A tampered cache under `.git/ldifctl/` never changes a verdict, and never crashes one.

Each cache file is sealed with an HMAC under a key kept outside the repo (ldifctl/cache/files.py).
Every test tampers with the cache of a real git repo that holds a policy error (cn=central
forwards to one of its own aliases), then checks that `validate` and `plan` say exactly
what they say with no cache at all.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mail_kit import example_repo
from repo_kit import DirectoryRepo, run

from ldifctl.cache import fields as cache_fields
from ldifctl.cache import files as cache_files
from ldifctl.repo.settings.secrets import KEY_VAR

CENTRAL = "directory/dc=net/dc=example/ou=people/cn=central.yaml"
JANE = "directory/dc=net/dc=example/ou=Mail/uid=janedoe.yaml"
GOOD, BAD = "central@company.com", "info@company.com"  # BAD: one of its own aliases
ENTRIES, FINDINGS, JUDGED = "entries.marshal", "findings.json", "judged-*.marshal"
MAGIC = b"ldifctl-cache-1\n"
HEADER = len(MAGIC) + 32  # the magic line and the HMAC before the content
KEY = "k" * 40


def edit(repo: DirectoryRepo, relpath: str, old: str, new: str) -> None:
    path = repo.root / relpath
    path.write_text(path.read_text().replace(old, new))


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    """The worked example, with a self-forward in the working tree; both caches filled."""
    repo = example_repo(tmp_path)
    edit(repo, CENTRAL, f"mailForwardingAddress: {GOOD}", f"mailForwardingAddress: {BAD}")
    assert run(repo, "validate")[0] == 1
    assert run(repo, "plan")[0] == 1
    names = sorted(p.name for p in cache(repo).iterdir())
    assert names[:2] == [ENTRIES, FINDINGS]
    assert len(judged(repo)) == 2  # the last states validate and plan judged
    return repo


def judged(repo: DirectoryRepo) -> list[str]:
    """The files of the states judged last (cache/judged.py), one per purpose."""
    return sorted(p.name for p in cache(repo).glob("judged-*.marshal"))


def cache(repo: DirectoryRepo) -> Path:
    return repo.root / ".git" / "ldifctl"


def verdicts(repo: DirectoryRepo) -> list[tuple[int, str, str]]:
    return [run(repo, "validate"), run(repo, "plan")]


def uncached_verdicts(repo: DirectoryRepo) -> list[tuple[int, str, str]]:
    shutil.rmtree(cache(repo))
    return verdicts(repo)


def assert_unchanged(repo: DirectoryRepo, tamper: Callable[[Path], None]) -> None:
    """After `tamper` (of the cache folder), both verdicts are what no cache gives."""
    tamper(cache(repo))
    found = verdicts(repo)
    assert all("unexpected error" not in err for _, _, err in found)
    assert [code for code, _, _ in found] == [1, 1]
    assert found == uncached_verdicts(repo)


def rewrite(path: Path, change: Callable[[bytes], bytes]) -> None:
    path.write_bytes(change(path.read_bytes()))


def split(data: bytes) -> tuple[bytes, bytes]:
    """(the seal, the content) of a cache file (no seal: as an unsealed cache has it)."""
    at = HEADER if data.startswith(MAGIC) else 0
    return data[:at], data[at:]


def findings_cleared(content: bytes) -> bytes:
    """The stored findings of every state judged, made empty: all "valid"."""
    states = json.loads(content)
    for state in states.values():
        state["findings"] = []
    return json.dumps(states).encode()


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",  # emptied
        lambda data: flip(data, len(data) - 10),  # a byte of the content
        lambda data: flip(data, HEADER - 1),  # a byte of the seal
        lambda data: data[HEADER:],  # the bare content, as an older ldifctl wrote it
    ],
    ids=["truncated", "emptied", "content-byte", "seal-byte", "unsealed"],
)
@pytest.mark.parametrize("name", [ENTRIES, FINDINGS, JUDGED])
def test_a_damaged_cache_file_changes_no_verdict(
    repo: DirectoryRepo, name: str, change: Callable[[bytes], bytes]
) -> None:
    edit(repo, JANE, "sn: Doe", "sn: Roe")  # a new state: the entries are read too
    names = judged(repo) if name == JUDGED else [name]

    def damaged(folder: Path) -> None:
        for each in names:
            rewrite(folder / each, change)

    assert_unchanged(repo, damaged)


def test_the_judged_state_emptied_in_valid_marshal_changes_no_verdict(
    repo: DirectoryRepo,
) -> None:
    """The attack on the incremental way: the last judged state made clean (no
    findings, cn=central claiming nothing), the seal left as it was; then an edit
    elsewhere, judged by what changed since."""

    def cleared(folder: Path) -> None:
        for name in judged(repo):
            seal, content = split((folder / name).read_bytes())
            stamp, stored = unfielded(content)
            stored["findings"] = []
            names = stored["index"]["names"]
            stored["index"]["owned"] = ("", bytes(4 * (len(names) + 1)))  # no addresses
            (folder / name).write_bytes(seal + stamp + fielded(stored))
        (folder / FINDINGS).unlink()
        edit(repo, JANE, "sn: Doe", "sn: Roe")

    assert_unchanged(repo, cleared)


def test_findings_emptied_in_valid_json_change_no_verdict(repo: DirectoryRepo) -> None:
    """The attack of the issue: no findings for the state, the seal left as it was."""

    def empty_findings(folder: Path) -> None:
        seal, content = split((folder / FINDINGS).read_bytes())
        (folder / FINDINGS).write_bytes(seal + findings_cleared(content))

    assert_unchanged(repo, empty_findings)


def test_an_entry_edited_in_valid_marshal_changes_no_verdict(repo: DirectoryRepo) -> None:
    """The other attack: cn=central's cached entry made innocent, findings dropped."""

    def innocent(folder: Path) -> None:
        seal, content = split((folder / ENTRIES).read_bytes())
        stamp, stored = unfielded(content)
        rows = stored["entries"]["0"]
        for key, packed in rows.items():
            if key.startswith("dc=net/dc=example/ou=people/cn=central.yaml\0"):
                values = tuple(
                    (GOOD.encode(),) if n == "mailForwardingAddress" else v
                    for n, v in zip(packed[1][0], packed[2], strict=True)
                )
                rows[key] = (*packed[:2], values, *packed[3:])
        (folder / ENTRIES).write_bytes(seal + stamp + fielded(stored))
        (folder / FINDINGS).unlink()

    assert_unchanged(repo, innocent)


def test_a_cache_sealed_under_another_key_changes_no_verdict(repo: DirectoryRepo) -> None:
    """What another machine, or a pull request's CI job without the secret, wrote."""

    def forged(folder: Path) -> None:
        other = {KEY_VAR: "another key, not the one this machine holds"}
        content = split((folder / FINDINGS).read_bytes())[1]
        cache_files.write(folder / FINDINGS, findings_cleared(content), other)

    assert_unchanged(repo, forged)


def test_cache_files_swapped_between_repos_change_no_verdict(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    """Sealed by this very key, but of a clean repo: entries and findings are keyed by
    content, so nothing of the other repo answers for this one."""
    clean = example_repo(tmp_path / "clean")
    assert run(clean, "validate")[0] == 0 and run(clean, "plan")[0] == 0

    def swapped(folder: Path) -> None:
        for name in (ENTRIES, FINDINGS, *judged(clean)):
            shutil.copyfile(cache(clean) / name, folder / name)

    assert_unchanged(repo, swapped)


def unfielded(content: bytes) -> tuple[bytes, Any]:
    """A cache file's content (written field by field, cache/fields.py): the line of the
    stamp it was written under, its data nested again."""
    stamp, newline, data = content.partition(b"\n")
    return stamp + newline, cache_fields.nested(data)


def fielded(stored: dict[str, Any]) -> bytes:
    """Data as the cache writes it: a field per row chunk of the entries, per part of a
    judged state's index, per other value."""
    fields: list[cache_fields.Field] = []
    for name, value in stored.items():
        if name in ("index", "entries") and isinstance(value, dict):
            fields += [((name, inner), part) for inner, part in value.items()]
        else:
            fields.append(((name,), value))
    return b"".join(cache_fields.chunks(fields))


def refielded(content: bytes, change: Callable[[Any], Any]) -> bytes:
    stamp, stored = unfielded(content)
    return stamp + fielded(change(stored))


def reshaped_entries(content: bytes, reshape: Callable[[Any], Any]) -> bytes:
    def reshaped(stored: Any) -> Any:
        chunks = stored["entries"].items()
        return {**stored, "entries": {n: {k: reshape(p) for k, p in c.items()} for n, c in chunks}}

    return refielded(content, reshaped)


def reshaped_findings(content: bytes) -> bytes:
    states = json.loads(content)
    return json.dumps({key: {"findings": [[1, 2]], "entries": "x"} for key in states}).encode()


RESHAPED: list[tuple[str, Callable[[bytes], bytes]]] = [
    (ENTRIES, lambda content: reshaped_entries(content, lambda packed: ("dn",))),
    (  # text where the attributes belong
        ENTRIES,
        lambda content: reshaped_entries(content, lambda p: (p[0], "mail: x", *p[2:])),
    ),
    (ENTRIES, lambda content: refielded(content, lambda s: {**s, "entries": [1, 2]})),
    (ENTRIES, lambda content: refielded(content, lambda s: {"entries": {"0": [1, 2]}})),
    (  # a value short of the layout's names
        ENTRIES,
        lambda content: reshaped_entries(content, lambda p: (*p[:2], p[2][1:], *p[3:])),
    ),
    (  # a layout without its lines
        ENTRIES,
        lambda content: reshaped_entries(content, lambda p: (p[0], (p[1][0],), *p[2:])),
    ),
    (FINDINGS, reshaped_findings),
    (FINDINGS, lambda content: b"[1, 2, 3]"),
    (JUDGED, lambda content: reshaped_index(content, "names", [1, 2])),
    (JUDGED, lambda content: reshaped_index(content, "claimers", [["a@b"]])),
    (JUDGED, lambda content: refielded(content, lambda s: {**s, "findings": [[1]]})),
    (JUDGED, lambda content: refielded(content, lambda s: {**s, "index": [1, 2]})),
    (JUDGED, lambda content: content[:-3]),  # the last field cut short
]


def reshaped_index(content: bytes, field: str, value: object) -> bytes:
    return refielded(content, lambda s: {**s, "index": {**s["index"], field: value}})


@pytest.mark.parametrize(
    ("name", "reshape"),
    RESHAPED,
    ids=[
        "entries-cut-short",
        "entries-attributes-as-text",
        "entries-a-list",
        "entries-a-chunk-a-list",
        "entries-values-short-of-names",
        "entries-layout-without-lines",
        "rows",
        "a-list",
        "judged-names-as-numbers",
        "judged-claimers-one-list",
        "judged-rows",
        "judged-index-a-list",
        "judged-cut-short",
    ],
)
def test_a_sealed_file_of_the_wrong_shape_is_rebuilt(
    repo: DirectoryRepo,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    reshape: Callable[[bytes], bytes],
) -> None:
    """Right key, right stamp, wrong shape: ignored and rebuilt, never an unexpected error."""
    monkeypatch.setenv(KEY_VAR, KEY)
    environ = {KEY_VAR: KEY}
    verdicts(repo)  # fills the cache under this key

    def reshaped(folder: Path) -> None:
        for each in judged(repo) if name == JUDGED else [name]:
            content = cache_files.read(folder / each, environ)
            assert content is not None
            cache_files.write(folder / each, reshape(content), environ)
        if name in (ENTRIES, JUDGED):
            edit(repo, JANE, "sn: Doe", "sn: Roe")  # a state not judged yet: entries are read

    assert_unchanged(repo, reshaped)


def test_each_findings_row_of_the_wrong_shape_is_rebuilt(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_VAR, KEY)
    environ = {KEY_VAR: KEY}
    verdicts(repo)

    def bad_rows(folder: Path) -> None:
        stored = cache_files.read(folder / FINDINGS, environ)
        assert stored is not None
        text = stored.decode().replace('"findings": [[', '"findings": [[7, ')
        cache_files.write(folder / FINDINGS, text.encode(), environ)

    assert_unchanged(repo, bad_rows)


def test_the_key_never_lives_in_the_repo(repo: DirectoryRepo, cache_key_home: Path) -> None:
    key = (cache_key_home / "ldifctl" / "cache-key").read_bytes()
    assert len(key) == 32 and (cache_key_home / "ldifctl" / "cache-key").stat().st_mode & 0o77 == 0
    for path in repo.root.rglob("*"):
        assert not path.is_file() or key not in path.read_bytes(), path


def test_a_short_key_in_the_environment_is_an_error(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_VAR, "short")
    assert run(repo, "validate") == (
        1,
        "",
        "error: LDIFCTL_CACHE_KEY is too short (5 characters): use at least 32 random ones, "
        "e.g. from `openssl rand -hex 32`\n",
    )


def test_a_file_written_in_parts_reads_back_whole(tmp_path: Path) -> None:
    """The stamp, then the payload: written one after the other, sealed as one content."""
    environ = {KEY_VAR: KEY}
    path = tmp_path / "cache" / "entries.marshal"
    data = {"entries": {"a.yaml\0g:1": ("cn=a", (("cn", (b"a",)),), 1, (), ())}}
    cache_files.write_marshalled(path, environ, "stamp", data)
    assert cache_files.read_marshalled(path, environ, "stamp") == data
    assert cache_files.read_marshalled(path, environ, "other stamp") == {}
    cache_files.write(path, b"one ", environ, b"two ", b"three")
    assert cache_files.read(path, environ) == b"one two three"


def test_a_write_that_fails_leaves_no_half_file(tmp_path: Path) -> None:
    """A file that cannot take its place (here a folder holds its name) is reported, and
    the half-made temporary file beside it goes."""
    target = tmp_path / "entries.marshal"
    (target / "inside").mkdir(parents=True)
    with pytest.raises(OSError):
        cache_files.write(target, b"stamp\n", {KEY_VAR: KEY}, b"payload")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries.marshal"]
