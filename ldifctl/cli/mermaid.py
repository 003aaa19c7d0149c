"""The routes a change moves as a Mermaid `flowchart`, which GitHub and GitLab draw in a
comment: one node per address, each alias step an edge, each route's end a node of its
kind; steps only the old state takes are dashed (red), steps only the new one takes are
thick (green).

Addresses and DNs come from users: every label is quoted and every character Mermaid or
Markdown could read as syntax, or that is not ASCII, is written as an entity (`#35;`).
"""

from __future__ import annotations

import re

from ldifctl.mail.address_impact import AddressImpact, Edge
from ldifctl.model.errors import printable

MAX_ROUTES = 25  # a picture of more routes is not read; the table lists them all
_PLAIN = re.compile(r"[A-Za-z0-9@.+_ -]")
_ENDS = {  # the shape of each kind of end: Mermaid's open and close
    "mailbox": ("[(", ")]"),
    "external": (">", "]"),
    "undeliverable": ("{{", "}}"),
}
_STYLE = {"old": "-.->", "new": "==>", "both": "-->"}
_COLOUR = {"old": "#c0392b", "new": "#1e8449"}  # red: no longer taken; green: taken now


def label(text: str) -> str:
    """A quoted Mermaid label that shows `text` as written."""
    # Shown escaped first, as the table shows them: Mermaid would decode `#8238;` back to
    # a bidi override (or a zero-width space) and draw an address that is not there.
    shown = printable(text)
    return '"' + "".join(c if _PLAIN.fullmatch(c) else f"#{ord(c)};" for c in shown) + '"'


def flowchart(impacts: list[AddressImpact]) -> str:
    """The routes of the first MAX_ROUTES addresses (the caller says how many are left)."""
    shown, ids = impacts[:MAX_ROUTES], dict[str, str]()
    starts = [_id(i.address.lower(), ids) for i in shown]
    marked = _marked(shown)
    edges = [_edge_line(edge, mark, ids) for edge, mark in marked.items()]
    colours = [
        f"  linkStyle {i} stroke:{_COLOUR[mark]}"
        for i, mark in enumerate(marked.values())
        if mark in _COLOUR
    ]
    nodes = [f"  {n}[{label(name)}]" for name, n in ids.items() if not name.startswith("\0")]
    # The addresses whose routing changed are drawn bold: the eye starts there.
    styles = [f"  style {n} stroke-width:3px" for n in dict.fromkeys(starts)]
    return "\n".join(["flowchart LR", *nodes, *edges, *styles, *colours]) + "\n"


def _marked(impacts: list[AddressImpact]) -> dict[Edge, str]:
    old = {e for i in impacts for e in i.old_edges}
    new = {e for i in impacts for e in i.new_edges}
    found = {e: "both" for e in old & new}
    found |= {e: "old" for e in old - new}
    found |= {e: "new" for e in new - old}
    return dict(sorted(found.items()))


def _edge_line(edge: Edge, mark: str, ids: dict[str, str]) -> str:
    source = _id(edge.source, ids)
    arrow = _STYLE[mark]
    if edge.target:
        return f"  {source} {arrow} {_id(edge.target, ids)}"
    opening, closing = _ENDS.get(edge.kind, ("[", "]"))
    end = _id(f"\0{edge.source}\0{edge.kind}", ids)
    return f"  {source} {arrow} {end}{opening}{label(edge.kind)}{closing}"


def _id(name: str, ids: dict[str, str]) -> str:
    return ids.setdefault(name, f"n{len(ids)}")
