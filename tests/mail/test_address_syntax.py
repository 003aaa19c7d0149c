"""The whole-column address test says "all plain" exactly when every value, judged alone,
is a plain address; its quick path never passes a column the full pattern would not."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ldifctl.mail.address_syntax import is_plain
from ldifctl.mail.columns.text import _ADDRESS_LINES, ColumnText, _quickly_plain, all_plain

# Few characters, chosen where the rules bite: dots, hyphens, @, a character atoms allow,
# upper case (a column is judged lower-cased, each value as it is).
PIECES = st.text(alphabet="abB9.-@+", min_size=0, max_size=12)
LONG = st.sampled_from(["a" * 62 + "@x.net", "a" * 65 + "@x.net", "a@" + "b" * 64 + ".net"])
VALUES = st.lists(st.one_of(PIECES, LONG, st.just("user1@domain1.example")), max_size=6)


def column(values: list[str]) -> ColumnText:
    return ColumnText.of([tuple(v.encode() for v in values)])


@settings(max_examples=600, deadline=None)
@given(VALUES)
@example(["a-.b@x.net"])  # a hyphen before a dot is fine in a local part
@example(["a@x-.net"])  # ... and not at the end of a label
@example(["a@x.net."])
@example(["a@x.ne-"])
@example(["a@.x.net"])
@example(["a..b@x.net"])
@example(["a@x.-net"])
@example(["a.@x.net"])
@example(["a@.x.net"])
@example(["a..b@x.net"])
@example([".a@x.net"])
@example(["a@xnet"])
@example(["a" * 64 + "@x.net"])
@example(["A@X.NET", "B.b@x-Y.net"])
def test_all_plain_is_every_value_plain(values: list[str]) -> None:
    assert all_plain(column(values)) == all(is_plain(v.encode()) for v in values)


@settings(max_examples=600, deadline=None)
@given(VALUES)
def test_the_quick_path_implies_the_full_pattern(values: list[str]) -> None:
    if not values:
        return
    lines = "\n".join(values).encode() + b"\n"
    if "\n".join(values).count("\n") == len(values) - 1 and _quickly_plain(values, lines):
        assert _ADDRESS_LINES.fullmatch(lines) is not None


def test_the_usual_column_takes_the_quick_path() -> None:
    values = [f"user{i}@domain{i % 50}.example" for i in range(1000)]
    assert _quickly_plain(values, "\n".join(values).encode() + b"\n")
