"""The `apply:` section of ldifctl.yaml: safety thresholds, protected entries, pipelining."""

from __future__ import annotations

from dataclasses import dataclass, fields

from ldifctl.model import dn as dnmod
from ldifctl.model.schema import Schema, build_schema
from ldifctl.repo.settings.fields import inside_repository, whole_number
from ldifctl.repo.yamlio.document import Document, Plain


@dataclass(frozen=True)
class ApplySettings:
    # Like octoDNS: refuse a plan that deletes or rewrites more than this share of the
    # managed entries, unless --force.
    max_delete_percent: float = 30.0
    max_update_percent: float = 30.0
    # Below this many managed entries a share says little (1 of 3 is 33 %): not checked.
    min_existing: int = 10
    # Entries that are never deleted, renamed or modified without --force (base_dn too).
    protected: tuple[str, ...] = ()
    # Operations in flight at once; slapd drops a connection with ~1000 queued.
    window: int = 128
    report_dir: str = ".ldifctl"


_KEYS = tuple(f.name for f in fields(ApplySettings))
MAX_WINDOW = 256


def apply_settings(
    doc: Document | None, base_dns: tuple[str, ...] = (), schema: Schema | None = None
) -> ApplySettings:
    """Check and read `apply:`; absent keys keep their defaults."""
    if doc is None:
        return ApplySettings()
    assert isinstance(doc.value, dict)  # config.py checked that `apply:` is a mapping
    for key in doc.value:
        if key not in _KEYS:
            raise doc.error((key,), f"unknown key {key!r} in apply: use {', '.join(_KEYS)}")
    default = ApplySettings()
    return ApplySettings(
        _percent(doc, "max_delete_percent", default.max_delete_percent),
        _percent(doc, "max_update_percent", default.max_update_percent),
        _count(doc, "min_existing", default.min_existing, 0, None),
        _dns(doc, "protected", base_dns, schema or build_schema()),
        _count(doc, "window", default.window, 1, MAX_WINDOW),
        _text(doc, "report_dir", default.report_dir),
    )


def _raw(doc: Document, key: str) -> Plain:
    assert isinstance(doc.value, dict)
    return doc.value.get(key)


def _percent(doc: Document, key: str, default: float) -> float:
    text = _raw(doc, key)
    if text is None:
        return default
    try:
        value = float(str(text))
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise doc.error((key,), f"apply.{key} must be a percentage from 0 to 100, got {text!r}")
    return value


def _count(doc: Document, key: str, default: int, low: int, high: int | None) -> int:
    text = _raw(doc, key)
    if text is None:
        return default
    number, high = whole_number(text), 2**31 - 1 if high is None else high
    if number is None or not low <= number <= high:
        raise doc.error((key,), f"apply.{key} must be a whole number from {low} to {high}, "
                        f"got {text!r}")
    return number


def _dns(doc: Document, key: str, base_dns: tuple[str, ...], schema: Schema) -> tuple[str, ...]:
    value = _raw(doc, key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise doc.error((key,), f"apply.{key} must be a list of DNs")
    for i, text in enumerate(value):
        try:
            dnmod.parse(str(text))
        except dnmod.DnError as err:
            raise doc.error(
                (key, i), f"apply.{key}: {err}: write it like ou=Mail,dc=example,dc=net"
            ) from None
        # Also catches `[cn=a,dc=example,dc=net]`: a flow list splits a DN at its commas.
        if base_dns and not any(
            dnmod.is_within(schema.dn_key(str(text)), schema.dn_key(b)) for b in base_dns
        ):
            raise doc.error(
                (key, i),
                f"apply.{key}: {text} is outside base_dn: give the full "
                "DN, one per line of a block list",
            )
    return tuple(str(v) for v in value)


def _text(doc: Document, key: str, default: str) -> str:
    value = _raw(doc, key)
    if value is None:
        return default
    # Reports hold the server's data: they stay inside the repository (ignored by git).
    if not isinstance(value, str) or not inside_repository(value):
        raise doc.error(
            (key,), f"apply.{key} must be a folder inside the repository, outside .git, "
            f"written relative to ldifctl.yaml with '/', got {value!r}"
        )
    return value
