"""A pull request author's hostile YAML in an entry file: every one gets an error naming
the file from a real `ldifctl` process held to CPU and memory limits (never a crash, a
hang or a runaway), and `plan` prints no LDIF that could be piped on."""

from __future__ import annotations

from pathlib import Path

import pytest
from attack_kit import ADDRESS_SPACE, refused, refused_everywhere, run
from repo_kit import DirectoryRepo, base_entries

PEOPLE = "directory/dc=net/dc=example/ou=people"
WHERE = f"{PEOPLE}/cn=evil.yaml"
DN = "cn=evil,ou=people,dc=example,dc=net"
HEAD = f"dn: {DN}\nobjectClass: [inetOrgPerson]\ncn: evil\nsn: e\n"


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    repo.commit("base")
    return repo


def put(repo: DirectoryRepo, data: str | bytes, where: str = WHERE) -> None:
    repo.write_raw(where, data.encode() if isinstance(data, str) else data)


def laughs(levels: int, width: int) -> str:
    """Billion laughs: each list holds `width` aliases of the one before."""
    lines = [f"x0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + f"\ndescription: *a{levels - 1}\n"


# validate lists 20 errors at most: each family stays below that.
BOMBS: dict[str, str | bytes] = {
    "billion-laughs": HEAD + laughs(9, 9),
    "alias-cycle": HEAD + "description: &a [x, *a]\n",
    "undefined-alias": HEAD + "description: *nowhere\n",
    "deep-flow-lists": HEAD + "description: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep-flow-maps": HEAD + "description: " + "{a: " * 50_000 + "b" + "}" * 50_000 + "\n",
    "deep-block-lists": HEAD + "description:\n  " + "- " * 20_000 + "a\n",
    "merge-key": HEAD + "<<: {mail: boss@example.org}\n",
    "merge-key-alias": HEAD + "x: &m {mail: boss@example.org}\n<<: *m\n",
}
ODD_KEYS_TAGS_BYTES: dict[str, str | bytes] = {
    "duplicate-key": HEAD + "sn: f\n",
    "key-differing-in-case": HEAD + "SN: f\n",
    "integer-key": HEAD + "1: a\n",
    "list-key": HEAD + "? [a, b]\n: c\n",
    "binary-key": HEAD + "? !!binary YQ==\n: c\n",
    "python-name-tag": HEAD + "description: !!python/name:os.system\n",
    "int-tag": HEAD + "uidNumber: !!int 0\n",
    "tab-indent": HEAD + "description:\n\t- a\n",
    "second-document": HEAD + "---\n" + HEAD,
    "raw-nul": HEAD + "description: a\0b\n",
    "latin-1": HEAD.encode() + b"description: caf\xe9\n",
    "utf8-surrogate": HEAD.encode() + b"description: \xed\xa0\x80\n",
    "overlong-slash": HEAD.encode() + b"description: \xc0\xaf\n",
    "utf-16": HEAD.encode("utf-16"),
    "not-a-mapping": "- " + HEAD,
}


def put_each(repo: DirectoryRepo, attacks: dict[str, str | bytes]) -> dict[str, str]:
    """One file per attack, each named for it; returns attack -> path."""
    paths = {}
    for name, text in attacks.items():
        paths[name] = f"{PEOPLE}/cn={name}.yaml"
        data = text.encode() if isinstance(text, str) else text
        put(repo, data.replace(b"evil", name.encode()), paths[name])
    return paths


def unnamed(err: str, paths: dict[str, str], rev: str = "") -> list[str]:
    """The attacks whose file no error line names."""
    return [name for name, path in paths.items() if f"error: {rev}{path}:" not in err]


@pytest.mark.parametrize("attacks", [BOMBS, ODD_KEYS_TAGS_BYTES], ids=["bombs", "odd"])
def test_hostile_yaml_is_an_error_at_each_file(
    repo: DirectoryRepo, attacks: dict[str, str | bytes]
) -> None:
    """Bombs, nesting, merge keys, odd keys/tags/bytes: an error at each file, no LDIF."""
    paths = put_each(repo, attacks)
    validated, planned = run(repo, "validate"), run(repo, "plan")
    repo.commit("attacks")
    between = run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")
    for done, rev in ((validated, ""), (planned, ""), (between, "HEAD:")):
        refused(done, PEOPLE)
        assert unnamed(done.err, paths, rev) == [], done.err
    assert planned.out == between.out == ""


def test_a_python_tag_never_runs_code(repo: DirectoryRepo, tmp_path: Path) -> None:
    """`!!python/object/apply:os.system` is a refused tag, never a call."""
    marker = tmp_path / "ran"
    put(repo, HEAD + f"description: !!python/object/apply:os.system ['touch {marker}']\n")
    refused_everywhere(repo, WHERE)
    repo.commit("tag")
    refused(run(repo, "export", "--rev", "HEAD"), WHERE)
    assert not marker.exists()


def test_a_huge_value_is_judged_within_the_limits(repo: DirectoryRepo) -> None:
    """A 5 MB scalar (not a number) is read once, judged, refused at its file."""
    put(repo, HEAD + "uidNumber: " + "1a" * 2_500_000 + "\n")
    refused(run(repo, "validate"), WHERE)
    assert run(repo, "plan").code == 1


def test_a_byte_order_mark_is_no_part_of_the_first_key(repo: DirectoryRepo) -> None:
    """A UTF-8 BOM is read past: the entry is exactly the one the file names."""
    put(repo, b"\xef\xbb\xbf" + HEAD.encode())
    done = run(repo, "plan")
    assert (done.code, done.out) == (
        0,
        f"dn: {DN}\nchangetype: add\nobjectClass: inetOrgPerson\ncn: evil\nsn: e\n\n",
    )


def amplified_scalar() -> str:
    """A 200 kB value and 10,000 aliases of it (under attribute options): ~500 kB of file
    that means 2 GB of values."""
    refs = "".join(f"description;lang-x{i}: *s\n" for i in range(10_000))
    return HEAD.replace("sn: e\n", "sn: &s " + "A" * 200_000 + "\n") + refs


def amplified_list() -> str:
    """1,000 distinct values and 3,000 aliases of the list: 3 million values."""
    values = ", ".join(f"v{i}" for i in range(1_000))
    refs = "".join(f"description;lang-x{i}: *l\n" for i in range(3_000))
    return HEAD + f"seeAlso;lang-x: &l [{values}]\n" + refs


@pytest.mark.parametrize("text", [amplified_scalar(), amplified_list()], ids=["scalar", "list"])
def test_aliases_cannot_amplify_an_entry_file(repo: DirectoryRepo, text: str) -> None:
    """Aliases of a big scalar or a long list under many attribute names: an error."""
    put(repo, text)
    # A quarter of the usual limit: the example repo needs ~200 MB; the bomb fails sooner.
    refused(run(repo, "validate", address_space=ADDRESS_SPACE // 4), WHERE)
