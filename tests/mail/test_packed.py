"""The packed texts of the address index (mail/columns/packed.py): changed, then packed
again for the cache, they hold what a rebuild from the final contents holds."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from ldifctl.mail.columns.packed import Keyed, Lines

ADDRESSES = st.sampled_from([f"{u}@{d}" for u in ("a", "b", "ab", "z") for d in ("x.test", "y")])
ENTRIES = st.integers(min_value=0, max_value=6)
OPS = st.lists(st.tuples(st.sampled_from(["add", "drop"]), ADDRESSES, ENTRIES), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(ADDRESSES, ENTRIES), max_size=20), OPS)
def test_a_changed_keyed_packs_as_a_fresh_one(
    pairs: list[tuple[str, int]], ops: list[tuple[str, str, int]]
) -> None:
    keyed = Keyed(pairs)
    model = {(k, e) for k, e in pairs}
    for op, key, entry in ops:
        if op == "add" and (key, entry) not in model:  # as the index adds: never twice
            keyed.add(key, entry)
            model.add((key, entry))
        elif op == "drop":
            keyed.drop(key, entry)
            model.discard((key, entry))
    again = Keyed.from_data(keyed.as_data())
    assert again.as_data() == Keyed(sorted(model)).as_data()
    for key in {k for k, _ in model} | {k for _, k, _ in ops}:
        assert again.get(key) == sorted(e for k, e in model if k == key)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(max_size=5), max_size=20),
    st.lists(st.tuples(st.integers(0, 25), st.text(max_size=5)), max_size=10),
    st.lists(st.text(max_size=5), max_size=5),
)
def test_changed_lines_pack_as_fresh_ones(
    texts: list[str], replaced: list[tuple[int, str]], appended: list[str]
) -> None:
    lines, model = Lines(texts), list(texts)
    for text in appended:
        lines.append(text)
        model.append(text)
    for i, text in replaced:
        if i < len(model):
            lines[i] = text
            model[i] = text
    assert [lines[i] for i in range(len(lines))] == model
    again = Lines.from_data(lines.as_data())
    assert lines.as_data() == Lines(model).as_data()
    assert again.packed() == model


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(ADDRESSES, ENTRIES), max_size=40), st.randoms(use_true_random=False))
def test_keyed_holds_each_key_once_with_its_entries_sorted(
    pairs: list[tuple[str, int]], rng: random.Random
) -> None:
    """Pairs in any order, some given twice: each key once, in order, with each of its
    entries once, in order (one entry as itself, more as a list)."""
    rng.shuffle(pairs)
    keyed = Keyed(pairs + pairs[: len(pairs) // 3])
    model: dict[str, set[int]] = {}
    for key, entry in pairs:
        model.setdefault(key, set()).add(entry)
    keys = sorted(model)
    held = [sorted(model[k])[0] if len(model[k]) == 1 else sorted(model[k]) for k in keys]
    assert keyed.keys.packed() == keys
    assert keyed.holders == held
