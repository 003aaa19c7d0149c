"""`ldifctl.yaml`: the repository's settings (never secrets), read and checked whole by
every command. The sections beside the top-level keys have modules of their own:
`server:` (server.py), `mail:` (mail.py), `apply:` (apply.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ldifctl.model import dn as dnmod
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import (
    ATTRIBUTE_NAME,
    RULES,
    AttributeType,
    Schema,
    build_schema,
    builtin_name,
)
from ldifctl.repo.checkout_rewrites import refuse_rewritten
from ldifctl.repo.files import read_regular
from ldifctl.repo.settings import fields
from ldifctl.repo.settings.apply import apply_settings
from ldifctl.repo.settings.mail import parse_mail
from ldifctl.repo.settings.secrets import PASSWORD_FILE_VAR, PASSWORD_VAR
from ldifctl.repo.settings.server import ServerConfig, server
from ldifctl.repo.yamlio.document import Document, KeyPath, Plain, load_document

CONFIG_FILE = fields.CONFIG_FILE
_SECRET_KEYS = {"password", "bind_pw", "bind_password"}
_TOP_KEYS = ("apply", "attributes", "base_dn", "directory", "ignore_attributes", "mail",
             "policies", "server")
_ATTRIBUTE_KEYS = ("equality", "single_value")


@dataclass(frozen=True)
class Config:
    root: Path
    base_dns: tuple[str, ...]
    directory: str = "directory"
    policies: str = "policies"
    server: ServerConfig = field(default_factory=ServerConfig)
    ignore_attributes: tuple[str, ...] = ()
    attributes: tuple[AttributeType, ...] = ()
    mail: Document | None = None  # read into tables by mail.py
    apply: Document | None = None  # read into thresholds by apply.py
    warnings: tuple[str, ...] = ()  # settings that are allowed but weaken security
    source: bytes = field(default=b"", compare=False)  # the file's bytes (they key caches)

    def schema(self) -> Schema:
        return build_schema({a.name: a for a in self.attributes}, self.ignore_attributes)

    @property
    def directory_path(self) -> Path:
        return self.root / self.directory

    @property
    def policies_path(self) -> Path:
        return self.root / self.policies


def load_config(repo_root: Path, environ: Mapping[str, str]) -> Config:
    """Read and check `ldifctl.yaml`, then apply LDIFCTL_URI / LDIFCTL_BIND_DN."""
    try:
        data = read_regular(str(repo_root / CONFIG_FILE), CONFIG_FILE, "a settings file")
        refuse_rewritten(repo_root, [CONFIG_FILE], str, "settings file")
    except FileNotFoundError:
        raise LdifctlError(
            f"{CONFIG_FILE} not found in {repo_root}: create {CONFIG_FILE} "
            "(at least 'base_dn: dc=example,dc=net') or run ldifctl from the repository root"
        ) from None
    except OSError as err:
        raise LdifctlError(f"{CONFIG_FILE}: cannot read it: {err.strerror}") from None
    return parse_config(data, CONFIG_FILE, repo_root, environ)


def parse_config(data: bytes, where: str, root: Path, environ: Mapping[str, str]) -> Config:
    """Settings from the bytes of an `ldifctl.yaml` (named `where` in errors)."""
    return _config(load_document(data, where), root, environ, data)


def _config(doc: Document, root: Path, environ: Mapping[str, str], source: bytes) -> Config:
    _reject_secrets(doc, doc.value, ())
    fields.mapping(doc, (), _TOP_KEYS)
    attributes = _attributes(doc)
    ignored = _ignore_attributes(doc)
    schema = build_schema({a.name: a for a in attributes}, ignored)
    base_dns = _base_dns(doc, schema)
    directory, policies = _folder(doc, "directory"), _folder(doc, "policies")
    server_config, warnings = server(doc, root, environ)
    mail, apply = _raw_section(doc, "mail"), _raw_section(doc, "apply")
    # Every command checks the whole file, even the sections it does not use: a mistake
    # in `apply:` must not pass `validate` and `plan` to stop the apply after the merge.
    parse_mail(mail)
    apply_settings(apply, base_dns, schema)
    return Config(
        root, base_dns, directory, policies, server_config, ignored, attributes,
        mail=mail, apply=apply, warnings=warnings, source=source,
    )


def _reject_secrets(doc: Document, value: Plain, path: KeyPath) -> None:
    """A password in a git-tracked file leaks to every clone: refuse it wherever it is."""
    children: list[tuple[str | int, Plain]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    for key, child in children:
        if isinstance(key, str) and key.lower() in _SECRET_KEYS:
            where = fields.dotted((*path, key))
            raise doc.error(
                (*path, key), f"{where}: secrets never live in {CONFIG_FILE}: "
                f"remove it and set {PASSWORD_VAR} or {PASSWORD_FILE_VAR}",
            )
        _reject_secrets(doc, child, (*path, key))


# --- The sections.


def _base_dns(doc: Document, schema: Schema) -> tuple[str, ...]:
    value = fields.at(doc, ("base_dn",))
    if value is fields.MISSING:
        raise doc.error((), "base_dn is missing: add 'base_dn: dc=example,dc=net' "
                        "(the subtree ldifctl manages)")
    paths: list[KeyPath]
    if isinstance(value, str) and value:
        texts, paths = [value], [("base_dn",)]
    elif isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        texts, paths = [str(v) for v in value], [("base_dn", i) for i in range(len(value))]
    else:
        raise doc.error(("base_dn",), "base_dn must be a DN or a list of DNs")
    if len(texts) > MAX_BASE_DNS:
        raise doc.error(
            ("base_dn", MAX_BASE_DNS),
            f"base_dn lists {len(texts)} DNs, more than the {MAX_BASE_DNS} ldifctl reads: "
            "every entry is placed against each, and each against the others, so this many "
            "would make every check slow; name the subtree that holds them instead",
        )
    for text, path in zip(texts, paths, strict=True):
        if problem := fields.dn_problem(text):
            raise doc.error(path, f"base_dn: {problem}")
    _check_nesting(doc, texts, paths, schema)
    return tuple(texts)


# A directory has a base or a few. The bound keeps a pull request's ldifctl.yaml from
# making `validate` run for minutes: 20,000 base DNs took it 90 s at 3,000 entries (each
# base checked against the others).
MAX_BASE_DNS = 32


def _check_nesting(doc: Document, dns: list[str], paths: list[KeyPath], schema: Schema) -> None:
    """Two overlapping bases would load and write one subtree twice."""
    keys = [schema.dn_key(d) for d in dns]
    for i, key in enumerate(keys):
        for j, outer in enumerate(keys[:i]):
            if dnmod.is_within(key, outer) or dnmod.is_within(outer, key):
                raise doc.error(
                    paths[i], f"base_dn {dns[i]!r} overlaps {dns[j]!r} (line "
                    f"{doc.line(paths[j])}): list only the outer one",
                )


def _folder(doc: Document, key: str) -> str:
    value = fields.text(doc, (key,), "a folder name") or key
    if not fields.inside_repository(value):
        raise doc.error((key,), f"{key} must be a folder inside the repository, outside "
                        f".git, written relative to {CONFIG_FILE} with '/', got {value!r}")
    return value


def _ignore_attributes(doc: Document) -> tuple[str, ...]:
    value = fields.at(doc, ("ignore_attributes",))
    if value is fields.MISSING or value is None:
        return ()
    if not isinstance(value, list):
        message = "ignore_attributes must be a list of attribute names"
        raise doc.error(("ignore_attributes",), message)
    for i, name in enumerate(value):
        _attribute_name(doc, ("ignore_attributes", i), name)
    return tuple(str(v) for v in value)


def _attribute_name(doc: Document, path: KeyPath, name: Plain) -> None:
    if not isinstance(name, str) or not ATTRIBUTE_NAME.fullmatch(name):
        shown = fields.show(name)
        raise doc.error(path, f"{fields.dotted(path[:-1])}: {shown} is not an attribute name")


def _attributes(doc: Document) -> tuple[AttributeType, ...]:
    value = fields.at(doc, ("attributes",))
    if value is fields.MISSING or value is None:
        return ()
    if not isinstance(value, dict):
        raise doc.error(("attributes",), "attributes must be a mapping of attribute name to "
                        "{equality: <matching rule>, single_value: true|false}")
    return tuple(_attribute_type(doc, name) for name in value)


def _attribute_type(doc: Document, name: str) -> AttributeType:
    path: fields.Keys = ("attributes", name)
    _attribute_name(doc, path, name)
    if known := builtin_name(name):
        raise doc.error(path, f"attributes: {name} is the OID of {known}, which ldifctl "
                        f"knows: remove {name} (declare {known} by its name to change its rule)")
    fields.mapping(doc, path, _ATTRIBUTE_KEYS, required=True)
    rules = ", ".join(sorted(RULES))
    rule = fields.text(doc, (*path, "equality"), "a matching rule name")
    if rule is None:
        raise doc.error(path, f"{fields.dotted(path)}.equality is missing: use one of {rules}")
    if rule not in RULES:
        raise doc.error((*path, "equality"), f"{fields.dotted(path)}.equality: {rule!r} is not a "
                        f"matching rule ldifctl knows: use one of {rules}")
    return AttributeType(name, rule, fields.boolean(doc, (*path, "single_value")))


def _raw_section(doc: Document, key: str) -> Document | None:
    section = doc.child(key)
    if section is None or section.value is None:
        return None
    if not isinstance(section.value, dict):
        raise doc.error((key,), f"{key} must be a mapping")
    return section
