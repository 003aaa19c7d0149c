"""A pull request's file names, DNs and values in what CI shows: none starts a line of the
job's log of its own (GitHub runs a line `::error::…`, `::add-mask::…` or
`::stop-commands::…` as a command to the runner), rewrites one on a terminal (a carriage
return, an escape sequence), or breaks out of its place in the plan comment (a line break
in a file name made a heading, or an HTML comment that hid the rest of the comment).
Each is shown escaped, as Python writes it in a string.
"""

from __future__ import annotations

from pathlib import Path

from attack_kit import refused, run
from mail_kit import example_repo
from repo_kit import DirectoryRepo, base_repo

from ldifctl.model.errors import MAX_LINE, clipped, printable

PEOPLE = "directory/dc=net/dc=example/ou=people"
MAIL = "directory/dc=net/dc=example/ou=Mail"


def people(tmp_path: Path) -> DirectoryRepo:
    repo = base_repo(tmp_path / "repo")
    (repo.root / PEOPLE).mkdir()
    return repo


def test_printable_escapes_what_a_terminal_or_a_log_acts_on() -> None:
    # A line break, a carriage return, an escape sequence, a bidi override, a byte of a
    # name that is not UTF-8 (held as a surrogate); printable text, tabs aside, as it is.
    assert printable("a\nb\rc\x1b[2Kd\u202ee\udce9 café ü") == (
        "a\\nb\\rc\\x1b[2Kd\\u202ee\\xe9 café ü"
    )


def test_a_line_break_in_a_file_name_is_refused_and_shown_escaped(tmp_path: Path) -> None:
    """ldifctl names a file `%0A` for a line break in an RDN: a raw one is a name it never
    wrote, refused before anything else, on the working tree and in a commit."""
    repo = people(tmp_path)
    name = "cn=x\n::error::all good\n<!--.yaml"
    (repo.root / PEOPLE / name).write_text("dn: cn=x,ou=people,dc=example,dc=net\n")
    shown = f"{PEOPLE}/cn=x\\n::error::all good\\n<!--.yaml"
    because = (
        ": the name holds a control character (shown escaped): rename it, writing each as "
        "ldifctl does, `%` and its hex code (a line break `%0A`)\n"
    )
    done = run(repo, "validate")
    refused(done, shown)
    assert done.err == f"error: {shown}{because}"
    repo.commit("a file named across three lines")
    done = run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")
    assert (done.code, done.err) == (1, f"error: HEAD:{shown}{because}")


def test_a_dn_and_values_that_hold_line_breaks_stay_on_their_line(tmp_path: Path) -> None:
    """A file named as ldifctl names it (`%0A`), whose DN and values hold a line break, a
    carriage return and an escape sequence: every finding is one line of the log, and one
    item of the comment's list."""
    repo = example_repo(tmp_path)
    (repo.root / MAIL / "uid=x%0A::error::y.yaml").write_text(
        'dn: "uid=x\\n::error::y,ou=Mail,dc=example,dc=net"\n'
        "objectClass: [inetOrgPerson]\n"
        "cn: x\n"
        'sn: "s\\r\\e[2Kvalid"\n'
        'mail: "a@domain1.net\\n::add-mask::b"\n'
    )
    where = f"{MAIL}/uid=x%0A::error::y.yaml"
    address, domain = "a@domain1.net\\n::add-mask::b", "domain1.net\\n::add-mask::b"
    done = run(repo, "validate")
    assert done.code == 1
    assert done.err.splitlines() == [
        f"{where}:1: error [structure/rdn-value] the RDN value uid=x\\n::error::y is not "
        "among the entry's uid values: add it",
        f"{where}:5: error [address-syntax] mail '{address}' is not a mail address "
        f"('{domain}' is not a domain name): write it as user@example.net",
        f"{where}:5: error [hosted-domain] {address} is in {domain}, which is not a hosted "
        "domain (no virtual_mailbox_domains table finds it): Postfix does not accept mail "
        "for it; add the domain or correct the address",
        "18 entries in directory: 3 error(s)",
    ]
    lines = run(repo, "plan", "--format", "markdown").out.splitlines()
    # Only the comment's own marker and headings begin a line as Markdown structure.
    assert [ln for ln in lines if ln.startswith(("<!--", "#", "::"))] == [
        "<!-- ldifctl:plan -->",
        "### ldifctl plan: `HEAD` → `working tree`",
        "#### Mail routing",
        "#### Changes",
        "#### How it will be applied",
    ]
    assert (
        f"- ❌ `{where}:1` **structure/rdn-value** `the RDN value uid=x\\n::error::y is "
        "not among the entry's uid values: add it`"
    ) in lines
    assert (
        "| `uid=x\\n::error::y,ou=Mail,dc=example,dc=net` | add | objectClass: `inetOrgPerson`; "
        f"cn: `x`; mail: `{address}`; sn: `s\\r\\x1b[2Kvalid` |"
    ) in lines


def test_a_route_shows_an_escape_in_a_value_escaped(tmp_path: Path) -> None:
    """`ldifctl resolve` prints the targets entries give: an escape sequence in one is
    shown, never sent to the terminal."""
    repo = example_repo(tmp_path)
    (repo.root / MAIL / "uid=evil.yaml").write_text(
        "dn: uid=evil,ou=Mail,dc=example,dc=net\n"
        "objectClass: [inetOrgPerson, PostfixBookMailAccount]\n"
        "cn: e\nsn: e\nuid: evil\n"
        'mail: "x\\e[2K@domain1.net"\n'
        "mailAlias: evil@domain1.net\n"
    )
    done = run(repo, "resolve", "evil@domain1.net")
    assert "\x1b" not in done.out
    assert done.out.splitlines()[1] == "  alias         evil@domain1.net -> x\\x1b, [2K@domain1.net"


def test_a_message_that_quotes_megabytes_keeps_its_start_and_end(tmp_path: Path) -> None:
    """A 2.5 MB pattern in a policy file was quoted whole, one line of the log. A line
    keeps its start (where) and its end (what to do) around a count of what was cut."""
    repo = base_repo(tmp_path / "repo")
    pattern = "(" + "|".join(f"a{i}b" for i in range(300_000)) + ")"
    policy = f"custom:\n  huge:\n    kind: pattern\n    attribute: sn\n    pattern: '{pattern}'\n"
    repo.write_raw("policies/huge.yaml", (policy + "    message: m\n").encode())
    done = run(repo, "validate")
    whole = (
        f"error: policies/huge.yaml:5: custom.huge.pattern '{pattern}' is not a regular "
        "expression RE2 accepts (pattern too large - compile failed): patterns run in linear "
        "time with RE2's syntax, which has no backreferences or lookarounds (see README, "
        "custom rules); rewrite it"
    )
    cut = len(whole) - 3_500
    assert (done.code, done.err.splitlines()) == (
        1, [f"{whole[:2_500]}… [{cut:,} characters left out] …{whole[-1_000:]}"]
    )


def test_a_line_of_4000_characters_is_whole_and_one_more_is_clipped() -> None:
    line = "x" * (MAX_LINE - 1) + "y"
    assert clipped(line) == line
    assert clipped(line + "z") == f"{'x' * 2_500}… [501 characters left out] …{line[-999:]}z"
