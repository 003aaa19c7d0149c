"""The incremental judgement (policy/incremental.py) gives the answer of a full one.

A random directory is edited round after round (entries added, deleted, renamed,
aliases moved, forwards into and out of loops, children orphaned, commits); after each,
`validate` and `plan` answer through the cache and again cold (`.git/ldifctl/` moved
away): the findings and the entry count must be the same."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mail_kit import CONFIG, DOMAINS, mail_repo, mail_with
from mail_kit import person as mail_person
from repo_kit import PEOPLE, SUFFIX, DirectoryRepo, git_runs, run

from ldifctl import plan as planmod
from ldifctl import validation
from ldifctl.model.findings import Finding
from ldifctl.policy import incremental
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.specs import WORKTREE

PEOPLE_DN = "ou=people,dc=example,dc=net"
HOSTED = ("example.org", "example.com")
POOL = [f"a{i}@{HOSTED[i % 2]}" for i in range(10)] + ["far@elsewhere.test"]
RING = [f"r{i}@example.org" for i in range(5)]  # few: forwards among them close loops


def person(rng: random.Random, cn: str) -> str:
    """An entry with a random share of a mailbox, aliases and a forward: drawn from a
    small pool of addresses, so that entries share them and forwards meet in loops."""
    classes = ["inetOrgPerson", "mailRecipient"]
    lines = [f"dn: cn={cn},{PEOPLE_DN}", f"cn: {cn}", "sn: Person"]
    if rng.random() < 0.5:
        lines.append(f"mail: {cn}@{rng.choice(HOSTED)}")
    if rng.random() < 0.4:
        classes.append("PostfixBookMailAccount")
        lines += ["mailAlias:", *(f"  - {a}" for a in rng.sample(POOL, rng.randint(1, 2)))]
    if rng.random() < 0.7:
        lines.append(f"mailAlternateAddress: {rng.choice(RING + POOL[:3])}")
        lines.append(f"mailForwardingAddress: {target(rng)}")
    return "\n".join([lines[0], f"objectClass: [{', '.join(classes)}]", *lines[1:]]) + "\n"


def target(rng: random.Random) -> str:
    """Another pool address (a chain, maybe a loop), one with an extension, a mailbox
    that may or may not be there, or an address nobody claims."""
    kind = rng.random()
    if kind < 0.4:
        return rng.choice(RING)
    if kind < 0.55:
        return rng.choice(POOL)
    if kind < 0.7:
        local, _, domain = rng.choice(POOL).partition("@")
        return f"{local}+x@{domain}"
    if kind < 0.9:
        return f"p{rng.randrange(30)}@{rng.choice(HOSTED)}"
    return f"nobody{rng.randrange(3)}@{rng.choice(HOSTED)}"


class RandomDirectory:
    def __init__(self, root: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        config = CONFIG + mail_with(recipient_delimiter="+")
        self.repo = DirectoryRepo(root, config)
        entries = {
            "dc=example,dc=net": SUFFIX,
            PEOPLE_DN: PEOPLE,
            "ou=Domains,dc=example,dc=net": DOMAINS,
        }
        for name in HOSTED:
            entries[f"dc={name},ou=Domains,dc=example,dc=net"] = (
                f"dn: dc={name},ou=Domains,dc=example,dc=net\nobjectClass: dNSDomain\n"
                f"dc: {name}\n"
            )
        self.people = [f"p{i}" for i in range(24)]
        entries.update({self.dn(cn): person(self.rng, cn) for cn in self.people})
        self.repo.populate(entries)
        self.repo.commit("base")
        self.serial = len(self.people)
        self.parents: set[str] = set()

    @staticmethod
    def dn(cn: str) -> str:
        return f"cn={cn},{PEOPLE_DN}"

    def edit(self) -> str:
        """One random edit; returns what it did, for the failure message."""
        if not self.repo.path(PEOPLE_DN).exists() and self.rng.random() < 0.5:
            self.toggle_base()  # without it every state is judged whole: soon back
            return "base back"
        kinds = ["add", "delete", "rename", "move alias", "forward", "loop", "sn", "child"]
        # The base goes rarely: a state without it is judged whole.
        kind = self.rng.choices([*kinds, "commit", "base"], [1] * len(kinds) + [1, 0.2])[0]
        chosen = self.rng.choice(self.people)
        if kind == "add" or not self.people:
            self.serial += 1
            cn = f"p{self.serial}"
            self.people.append(cn)
            self.repo.write(self.dn(cn), person(self.rng, cn))
        elif kind == "delete":
            if self.parents and self.rng.random() < 0.5:  # leave a child without its parent
                chosen = self.rng.choice(sorted(self.parents & set(self.people)) or [chosen])
            self.people.remove(chosen)
            self.repo.remove(self.dn(chosen))
        elif kind == "rename":
            text = self.repo.path(self.dn(chosen)).read_text()
            self.people.remove(chosen)
            self.repo.remove(self.dn(chosen))
            self.serial += 1
            cn = f"p{self.serial}"
            self.people.append(cn)
            self.repo.write(self.dn(cn), text.replace(f"cn={chosen},", f"cn={cn},").replace(
                f"cn: {chosen}\n", f"cn: {cn}\n"
            ))
        elif kind == "move alias":
            self.move_alias(chosen, self.rng.choice(self.people))
        elif kind == "loop":
            self.loop(self.rng.sample(self.people, min(len(self.people), self.rng.randint(3, 4))))
        elif kind == "forward":
            self.rewrite(chosen, "mailForwardingAddress: ", target(self.rng))
        elif kind == "sn":
            self.rewrite(chosen, "sn: ", f"Edited{self.rng.randrange(100)}")
        elif kind == "base":
            self.toggle_base()
        elif kind == "child":
            self.parents.add(chosen)
            child = f"cn=kid,{self.dn(chosen)}"
            self.repo.write(child, f"dn: {child}\nobjectClass: inetOrgPerson\ncn: kid\nsn: K\n")
        else:
            self.repo.commit("a round")
        return f"{kind} {chosen}"

    def toggle_base(self) -> None:
        """The search base of the tables goes, or comes back: every entry below it loses
        or gains its addresses at once, whatever file changed."""
        if self.repo.path(PEOPLE_DN).exists():
            self.repo.remove(PEOPLE_DN)
        else:
            self.repo.write(PEOPLE_DN, PEOPLE)

    def rewrite(self, cn: str, prefix: str, value: str) -> None:
        path = self.repo.path(self.dn(cn))
        lines = path.read_text().splitlines()
        lines = [f"{prefix}{value}" if line.startswith(prefix) else line for line in lines]
        path.write_text("\n".join(lines) + "\n")

    def loop(self, members: list[str]) -> None:
        """A forwarding loop through addresses of its own: each member forwards on to
        the next (a random `forward` may break it later, anywhere along)."""
        self.serial += 1
        ring = [f"loop{self.serial}.{i}@example.com" for i in range(len(members))]
        for i, cn in enumerate(members):
            path = self.repo.path(self.dn(cn))
            kept = [ln for ln in path.read_text().splitlines() if not ln.startswith("mailAlt")]
            kept = [ln for ln in kept if not ln.startswith("mailForwarding")]
            path.write_text(
                "\n".join(kept)
                + f"\nmailAlternateAddress: {ring[i]}\n"
                + f"mailForwardingAddress: {ring[(i + 1) % len(ring)]}\n"
            )

    def move_alias(self, giver: str, taker: str) -> None:
        """The alternate address of one entry becomes the other's."""
        given = self.repo.path(self.dn(giver)).read_text()
        found = [ln for ln in given.splitlines() if ln.startswith("mailAlternateAddress: ")]
        if found and giver != taker:
            self.rewrite(taker, "mailAlternateAddress: ", found[0].split(": ", 1)[1])
            self.rewrite(giver, "mailAlternateAddress: ", self.rng.choice(POOL))


def answers(root: Path) -> tuple[tuple[int, list[Finding]], list[Finding]]:
    ws = open_workspace(root)
    checked = validation.validate(ws)
    return checked, list(planmod.plan(ws, "HEAD", WORKTREE).findings)


def cold_answers(root: Path) -> tuple[tuple[int, list[Finding]], list[Finding]]:
    """The answers with no cache at all (the cache of the rounds is kept aside)."""
    cache, aside = root / ".git" / "ldifctl", root / ".git" / "ldifctl-aside"
    shutil.move(cache, aside)
    try:
        return answers(root)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.move(aside, cache)


def differences(warm: Any, cold: Any) -> str:
    (count, checked), planned = warm
    (cold_count, cold_checked), cold_planned = cold
    lines = [f"entries: {count} (cold {cold_count})"]
    pairs = (("validate", checked, cold_checked), ("plan", planned, cold_planned))
    for name, mine, theirs in pairs:
        lines += [f"{name} only warm: {f.text()}" for f in sorted(set(mine) - set(theirs))]
        lines += [f"{name} only cold: {f.text()}" for f in sorted(set(theirs) - set(mine))]
    return "\n".join(lines)


@pytest.fixture
def rejudged(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each incremental judgement answered (rather than judging whole)."""
    real: Callable[..., Any] = incremental.rejudge
    answered: list[bool] = []

    def noting(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        answered.append(result is not None)
        return result

    monkeypatch.setattr(incremental, "rejudge", noting)
    yield answered


@pytest.mark.parametrize(
    ("seed", "keep_prior"),
    [(0, 0), (1, 0), (2, 0), (3, incremental.KEEP_PRIOR), (4, incremental.KEEP_PRIOR)],
)
def test_incremental_answers_are_the_full_answers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    keep_prior: int,
    rejudged: list[bool],
) -> None:
    """With keep_prior 0 every state judged becomes the next run's prior (the index is
    updated round after round); by default the first one stays while changes are few."""
    monkeypatch.setattr(incremental, "KEEP_PRIOR", keep_prior)
    directory = RandomDirectory(tmp_path / "repo", seed)
    answers(directory.repo.root)  # judged whole: the state the next rounds start from
    done = []
    for round_ in range(12):
        done += [directory.edit() for _ in range(directory.rng.randint(1, 3))]
        warm, cold = answers(directory.repo.root), cold_answers(directory.repo.root)
        assert warm == cold, f"seed {seed}, round {round_}: {done}\n{differences(warm, cold)}"
    # Most rounds took the incremental way (the rest judged whole, and still agreed).
    assert sum(rejudged) >= len(rejudged) // 2, rejudged


def test_a_revision_is_never_judged_from_the_working_tree_s_findings(tmp_path: Path) -> None:
    """Findings name their files as the state does (`HEAD:directory/…` for a revision):
    what the working tree's plan judged last is no start for a plan of two revisions."""
    lost = {
        cn: mail_person(cn, mailAlternateAddress=f"{cn}@h1.test", mailForwardingAddress="x@h1.test")
        for cn in ("one", "two")
    }
    repo = mail_repo(tmp_path, lost, domains=("h1.test",))
    assert run(repo, "plan")[0] == 1  # judged whole: both forwards dangle
    one = repo.path("cn=one,ou=people,dc=example,dc=net")
    one.write_text(one.read_text().replace("sn: Person", "sn: Edited"))
    repo.commit("one edited")
    code, _, err = run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")
    where = "HEAD:directory/dc=net/dc=example/ou=people"
    assert code == 1
    assert [line.split(": error")[0] for line in err.splitlines() if "dangling" in line] == [
        f"{where}/cn=one.yaml:7",
        f"{where}/cn=two.yaml:7",
    ]


@pytest.mark.parametrize("seed", [5, 6])
def test_a_first_plan_starts_from_validate_s_judgement(
    tmp_path: Path, seed: int, rejudged: list[bool]
) -> None:
    """pre-commit's `validate`, then the first `plan` (none judged before): the plan
    starts from what validate judged, less the structure checks' findings (an entry of
    the base whose RDN is not among its values: validate reports it, a plan does not,
    as the change does not touch it), and answers as a plan with no cache does."""
    directory = RandomDirectory(tmp_path / "repo", seed)
    root = directory.repo.root
    odd = "cn=odd,ou=people,dc=example,dc=net"
    directory.repo.write(odd, f"dn: {odd}\nobjectClass: [inetOrgPerson]\ncn: other\nsn: O\n")
    directory.repo.commit("an entry whose RDN is not among its values")
    checked = validation.validate(open_workspace(root))[1]  # judged whole
    assert "structure/rdn-value" in {f.rule for f in checked}
    plan_prior = root / ".git" / "ldifctl" / "judged-plan.marshal"
    for round_ in range(8):
        for _ in range(directory.rng.randint(1, 3)):
            directory.edit()
        validation.validate(open_workspace(root))
        plan_prior.unlink(missing_ok=True)  # as if no plan had run yet
        rejudged.clear()
        warm = list(planmod.plan(open_workspace(root), "HEAD", WORKTREE).findings)
        cold = cold_answers(root)[1]
        assert warm == cold, f"seed {seed}, round {round_}\n{set(warm) ^ set(cold)}"
        assert rejudged[:1] == [True] or round_ > 0, rejudged  # from validate's judgement


def test_a_custom_rule_named_like_a_structure_check_keeps_plans_from_validate_s_judgement(
    tmp_path: Path, rejudged: list[bool]
) -> None:
    """Its findings could not be told from the structure checks': the plan judges whole
    and still finds what that rule finds in unchanged entries."""
    directory = RandomDirectory(tmp_path / "repo", 7)
    root = directory.repo.root
    directory.repo.write_raw(
        "policies/custom.yaml",
        b"custom:\n  schema/syntax:\n    kind: pattern\n    attribute: sn\n    pattern: 'x'\n",
    )
    directory.repo.commit("a custom rule")
    validation.validate(open_workspace(root))
    directory.edit()
    validation.validate(open_workspace(root))
    (root / ".git" / "ldifctl" / "judged-plan.marshal").unlink(missing_ok=True)
    rejudged.clear()
    warm = list(planmod.plan(open_workspace(root), "HEAD", WORKTREE).findings)
    assert rejudged == []  # judged whole
    assert warm == cold_answers(root)[1]
    assert sum(f.rule == "schema/syntax" for f in warm) >= 20  # every sn but an edited one


def test_an_edit_reads_its_neighbours_by_the_ids_the_prior_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rejudged: list[bool]
) -> None:
    """The 20 entries that forward to the edited mailbox's address are read from git by
    the blob ids the last judgement kept, without listing their folder; an entry changed
    since the base is read from the disk, as it is now."""
    people = {
        f"p{i}": mail_person(f"p{i}", mailAlternateAddress=f"p{i}@example.org",
                             mailForwardingAddress="hub@example.org")
        for i in range(20)
    }
    people["hub"] = mail_person("hub", mail="hub@example.org")  # a mailbox
    repo = mail_repo(tmp_path, people)
    p3 = repo.path(f"cn=p3,{PEOPLE_DN}")
    p3.write_text(p3.read_text() + "description: changed since the base\n")
    root = repo.root
    assert validation.validate(open_workspace(root))[1] == []  # judged whole: ids kept
    hub = repo.path(f"cn=hub,{PEOPLE_DN}")
    hub.write_text(hub.read_text().replace("hub@example.org", "moved@example.org"))
    runs = git_runs(monkeypatch)
    warm = validation.validate(open_workspace(root))
    assert rejudged == [True]
    assert not [args for args in runs if args[0] == "ls-tree" and "--" in args
                and any(a.endswith("/") or "ou=people/cn=p" in a for a in args)], runs
    assert {f.rule for f in warm[1]} >= {"dangling-forward"}  # 20 forwards to nothing now
    assert warm == cold_answers(root)[0]
    # The plan starts from the same judgement; its routing reads p3 as the base holds it.
    code, _, err = run(repo, "plan")
    assert code == 1 and "unexpected" not in err and "p3@example.org" in err, err
    assert list(planmod.plan(open_workspace(root), "HEAD", WORKTREE).findings) == cold_answers(
        root
    )[1]


def test_a_prior_stored_after_a_bigger_change_still_names_its_neighbours_blobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rejudged: list[bool]
) -> None:
    """A judgement stored by a run that judged by what changed (more than KEEP_PRIOR
    files: here any) carries the blob ids over: the next edit still reads the entries
    that forward to it without listing their folder, each as it is now: p3 edited since
    the base, p4 put back as the base holds it, p5 and p6 changed by a commit (read by
    their old ids, p5 would lose its forward to nowhere, p6 its password)."""
    monkeypatch.setattr(incremental, "KEEP_PRIOR", 0)
    people = {
        f"p{i}": mail_person(f"p{i}", mailAlternateAddress=f"p{i}@example.org",
                             mailForwardingAddress="hub@example.org")
        for i in range(20)
    }
    people["hub"] = mail_person("hub", mail="hub@example.org")
    repo = mail_repo(tmp_path, people)
    root = repo.root
    p3, p4, p5, p6 = (repo.path(f"cn=p{i},{PEOPLE_DN}") for i in (3, 4, 5, 6))
    as_committed = p4.read_text()
    p4.write_text(as_committed + "description: edited, then put back\n")
    assert validation.validate(open_workspace(root))[1] == []  # judged whole
    p4.write_text(as_committed)
    p5.write_text(p5.read_text() + "  - nowhere@example.org\n")  # the last key's list
    p6.write_text(p6.read_text() + "userPassword: secret\n")  # its addresses as they were
    repo.commit("p5 forwards to nowhere too, p6 has a password")
    p3.write_text(p3.read_text() + "description: changed since the base\n")
    second = validation.validate(open_workspace(root))[1]  # by what changed: stored
    assert sorted((f.rule, f.dn) for f in second) == [
        ("dangling-forward", f"cn=p5,{PEOPLE_DN}"),
        ("forbidden-attributes", f"cn=p6,{PEOPLE_DN}"),
    ]
    hub = repo.path(f"cn=hub,{PEOPLE_DN}")
    hub.write_text(hub.read_text().replace("hub@example.org", "moved@example.org"))
    runs = git_runs(monkeypatch)
    warm = validation.validate(open_workspace(root))
    assert rejudged == [True, True]
    listed = [args for args in runs if args[0] == "ls-tree" and "--" in args
              and any(a.endswith("/") or "ou=people/cn=p" in a for a in args)]
    assert listed == [], runs
    assert len([f for f in warm[1] if f.rule == "dangling-forward"]) == 21  # 20, and nowhere
    assert [f.dn for f in warm[1] if f.rule == "forbidden-attributes"] == [f"cn=p6,{PEOPLE_DN}"]
    assert warm == cold_answers(root)[0]


def test_a_search_base_put_back_is_judged_with_the_addresses_below_it(tmp_path: Path) -> None:
    """With the base gone, the entries below it claim nothing, and the index kept from
    that state said so; put back (with a clash made meanwhile), only the base file had
    changed, so the warm answer judged the clash with no claims: `plan` passed what a
    fresh clone refused (unique-aliases). A changed search base is judged whole."""
    directory = RandomDirectory(tmp_path / "repo", 0)
    root = directory.repo.root
    directory.rewrite("p1", "sn: ", "Before")  # a prior with a state judged whole
    answers(root)
    directory.toggle_base()
    answers(root)  # refused whole: a table's base is no entry
    for cn in directory.people[:2]:  # a second claim of an address
        directory.rewrite(cn, "mailAlternateAddress: ", RING[0])
    answers(root)
    directory.toggle_base()
    warm, cold = answers(root), cold_answers(root)
    assert warm == cold, differences(warm, cold)
    assert any(f.rule == "unique-aliases" for f in cold[0][1])
