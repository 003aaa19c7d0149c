"""`ldifctl.yaml`: the repository's settings (never secrets), and the environment overrides."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ldifctl.mail.settings import parse_mail
from ldifctl.model import dn as dnmod
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import RULES, AttributeType, Schema, build_schema, builtin_name
from ldifctl.repo.entries.entry_file import ATTRIBUTE_NAME
from ldifctl.repo.files import check_inside, read_regular
from ldifctl.repo.settings import uris as server_uris
from ldifctl.repo.settings.apply import apply_settings
from ldifctl.repo.yamlio.nodes import Document, KeyPath, Plain, load_document

CONFIG_FILE = "ldifctl.yaml"
PASSWORD_VAR = "LDIFCTL_BIND_PASSWORD"
PASSWORD_FILE_VAR = "LDIFCTL_BIND_PASSWORD_FILE"
# Postfix's read-only account (mail.bind_dn), for `postfix-maps --with-password` only.
POSTFIX_PASSWORD_VAR = "LDIFCTL_POSTFIX_BIND_PASSWORD"
POSTFIX_PASSWORD_FILE_VAR = "LDIFCTL_POSTFIX_BIND_PASSWORD_FILE"
_SECRET_KEYS = {"password", "bind_pw", "bind_password"}
_TOP_KEYS = ("apply", "attributes", "base_dn", "directory", "ignore_attributes", "mail",
             "policies", "server")
_SERVER_KEYS = ("bind_dn", "ca_file", "start_tls", "timeout", "tls_require_cert", "uri")
_ATTRIBUTE_KEYS = ("equality", "single_value")
_TLS_CHECKS = ("demand", "allow", "never")
_MISSING = object()
Keys = tuple[str, ...]  # a path of mapping keys in the document
_ProblemOf = Callable[[str], "str | None"]


@dataclass(frozen=True)
class ServerConfig:
    uri: str | None = None  # one URI, or several separated by spaces (see server_uris)
    start_tls: bool = False
    ca_file: Path | None = None  # resolved against the repository root
    bind_dn: str | None = None
    tls_require_cert: str = "demand"
    timeout: float | None = None  # seconds


@dataclass(frozen=True)
class Config:
    root: Path
    base_dns: tuple[str, ...]
    directory: str = "directory"
    policies: str = "policies"
    server: ServerConfig = ServerConfig()
    ignore_attributes: tuple[str, ...] = ()
    attributes: tuple[AttributeType, ...] = ()
    mail: Document | None = None  # checked by the mail routing module
    apply: Document | None = None  # checked by the apply module
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
    _mapping(doc, (), _TOP_KEYS)
    attributes = _attributes(doc)
    ignored = _ignore_attributes(doc)
    schema = build_schema({a.name: a for a in attributes}, ignored)
    base_dns = _base_dns(doc, schema)
    directory, policies = _folder(doc, "directory"), _folder(doc, "policies")
    server, warnings = _server(doc, root, environ)
    mail, apply = _raw_section(doc, "mail"), _raw_section(doc, "apply")
    # Every command checks the whole file, even the sections it does not use: a mistake
    # in `apply:` must not pass `validate` and `plan` to stop the apply after the merge.
    parse_mail(mail)
    apply_settings(apply, base_dns, schema)
    return Config(
        root, base_dns, directory, policies, server, ignored, attributes,
        mail=mail, apply=apply, warnings=warnings, source=source,
    )


# --- Generic checks.


def _dotted(path: KeyPath) -> str:
    """`mail.virtual_alias_maps[1].bind_pw`: list items counted from 1, as tables are."""
    text = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path)
    return text.lstrip(".") or CONFIG_FILE


def _at(doc: Document, path: Keys) -> Plain | object:
    value: Plain | object = doc.value
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return _MISSING
        value = value[key]
    return value


def _reject_secrets(doc: Document, value: Plain, path: KeyPath) -> None:
    """A password in a git-tracked file leaks to every clone: refuse it wherever it is."""
    children: list[tuple[str | int, Plain]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    for key, child in children:
        if isinstance(key, str) and key.lower() in _SECRET_KEYS:
            raise doc.error(
                (*path, key), f"{_dotted((*path, key))}: secrets never live in {CONFIG_FILE}: "
                f"remove it and set {PASSWORD_VAR} or {PASSWORD_FILE_VAR}",
            )
        _reject_secrets(doc, child, (*path, key))


def _mapping(
    doc: Document, path: Keys, allowed: tuple[str, ...], required: bool = False
) -> dict[str, Plain]:
    """The mapping at `path` ({} when absent); an unknown key is an error."""
    value = _at(doc, path)
    if value is _MISSING or (value is None and not required):
        return {}
    if not isinstance(value, dict):
        raise doc.error(path, f"{_dotted(path)} must be a mapping of {', '.join(allowed)}")
    for key in value:
        if key not in allowed:
            raise doc.error((*path, key), _unknown_key(key, path, allowed))
    return value


def _unknown_key(key: str, path: KeyPath, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    where = _dotted(path)
    return f"unknown key {key!r} in {where}{hint}: the allowed keys are {', '.join(allowed)}"


def _text(doc: Document, path: Keys, what: str) -> str | None:
    """The text at `path` (None when absent); anything else is an error saying `what`."""
    value = _at(doc, path)
    if value is _MISSING:
        return None
    if not isinstance(value, str) or not value:
        raise doc.error(path, f"{_dotted(path)} must be {what}")
    return value


# Values are read as text; YAML 1.1 readers (and people) write a boolean in any of these.
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def _boolean(doc: Document, path: Keys) -> bool:
    value = _at(doc, path)
    if value is _MISSING:
        return False
    if not isinstance(value, str) or value.lower() not in _BOOLEANS:
        raise doc.error(
            path, f"{_dotted(path)} must be true or false (or yes/no, on/off), got {_show(value)}"
        )
    return _BOOLEANS[value.lower()]


def _show(value: Plain | object) -> str:
    if isinstance(value, str):
        return repr(value)
    return "nothing" if value is None else "a list" if isinstance(value, list) else "a mapping"


def _dn_problem(value: str) -> str | None:
    try:
        dnmod.parse(value)
    except dnmod.DnError as err:
        return f"{err}: write it like dc=example,dc=net"
    return None


# --- The sections.


def _base_dns(doc: Document, schema: Schema) -> tuple[str, ...]:
    value = _at(doc, ("base_dn",))
    if value is _MISSING:
        raise doc.error((), "base_dn is missing: add 'base_dn: dc=example,dc=net' "
                        "(the subtree ldifctl manages)")
    paths: list[KeyPath]
    if isinstance(value, str) and value:
        texts, paths = [value], [("base_dn",)]
    elif isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        texts, paths = [str(v) for v in value], [("base_dn", i) for i in range(len(value))]
    else:
        raise doc.error(("base_dn",), "base_dn must be a DN or a list of DNs")
    for text, path in zip(texts, paths, strict=True):
        if problem := _dn_problem(text):
            raise doc.error(path, f"base_dn: {problem}")
    _check_nesting(doc, texts, paths, schema)
    return tuple(texts)


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
    value = _text(doc, (key,), "a folder name") or key
    parts = PurePosixPath(value).parts
    if PurePosixPath(value).is_absolute() or ".." in parts or "\\" in value:
        raise doc.error((key,), f"{key} must be a folder inside the repository, written "
                        f"relative to {CONFIG_FILE} with '/', got {value!r}")
    return value


def _ignore_attributes(doc: Document) -> tuple[str, ...]:
    value = _at(doc, ("ignore_attributes",))
    if value is _MISSING or value is None:
        return ()
    if not isinstance(value, list):
        message = "ignore_attributes must be a list of attribute names"
        raise doc.error(("ignore_attributes",), message)
    for i, name in enumerate(value):
        _attribute_name(doc, ("ignore_attributes", i), name)
    return tuple(str(v) for v in value)


def _attribute_name(doc: Document, path: KeyPath, name: Plain) -> None:
    if not isinstance(name, str) or not ATTRIBUTE_NAME.fullmatch(name):
        raise doc.error(path, f"{_dotted(path[:-1])}: {_show(name)} is not an attribute name")


def _attributes(doc: Document) -> tuple[AttributeType, ...]:
    value = _at(doc, ("attributes",))
    if value is _MISSING or value is None:
        return ()
    if not isinstance(value, dict):
        raise doc.error(("attributes",), "attributes must be a mapping of attribute name to "
                        "{equality: <matching rule>, single_value: true|false}")
    return tuple(_attribute_type(doc, name) for name in value)


def _attribute_type(doc: Document, name: str) -> AttributeType:
    path: Keys = ("attributes", name)
    _attribute_name(doc, path, name)
    if known := builtin_name(name):
        raise doc.error(path, f"attributes: {name} is the OID of {known}, which ldifctl "
                        f"knows: remove {name} (declare {known} by its name to change its rule)")
    _mapping(doc, path, _ATTRIBUTE_KEYS, required=True)
    rules = ", ".join(sorted(RULES))
    rule = _text(doc, (*path, "equality"), "a matching rule name")
    if rule is None:
        raise doc.error(path, f"{_dotted(path)}.equality is missing: use one of {rules}")
    if rule not in RULES:
        raise doc.error((*path, "equality"), f"{_dotted(path)}.equality: {rule!r} is not a "
                        f"matching rule ldifctl knows: use one of {rules}")
    return AttributeType(name, rule, _boolean(doc, (*path, "single_value")))


def _raw_section(doc: Document, key: str) -> Document | None:
    section = doc.child(key)
    if section is None or section.value is None:
        return None
    if not isinstance(section.value, dict):
        raise doc.error((key,), f"{key} must be a mapping")
    return section


# --- server, and the environment.


def _server(
    doc: Document, root: Path, environ: Mapping[str, str]
) -> tuple[ServerConfig, tuple[str, ...]]:
    _mapping(doc, ("server",), _SERVER_KEYS)
    given = _env_or_file(doc, environ, "LDIFCTL_URI", "uri", server_uris.problem)
    # Every consumer (python-ldap, ldapsearch, Postfix) gets the list as parsed here.
    uri = " ".join(server_uris.split(given)) if given else None
    bind_dn = _env_or_file(doc, environ, "LDIFCTL_BIND_DN", "bind_dn", _dn_problem)
    start_tls = _boolean(doc, ("server", "start_tls"))
    plain = [u for u in server_uris.split(uri or "") if not u.startswith("ldap://")]
    if start_tls and plain:
        raise doc.error(("server", "start_tls"), f"server.start_tls is true but the uri "
                        f"{plain[0]!r} is not ldap://: use ldap:// with start_tls, or ldaps:// "
                        "without it")
    check, warnings = _tls_require_cert(doc)
    server = ServerConfig(uri, start_tls, _ca_file(doc, root), bind_dn, check, _timeout(doc))
    return server, warnings


def _ca_file(doc: Document, root: Path) -> Path | None:
    """An absolute path is the operator's (`/etc/ssl/certs/...`); a relative one is a file
    of this repository, read where it stands like every other: never through a link, never
    out of the repository with `..`."""
    path: Keys = ("server", "ca_file")
    text = _text(doc, path, "a file name")
    if text is None or PurePosixPath(text).is_absolute():
        return Path(text) if text else None
    if ".." in PurePosixPath(text).parts or "\\" in text:
        raise doc.error(path, f"server.ca_file: a relative path names a file of this repository, "
                        f"written relative to {CONFIG_FILE} with '/' and no '..', got {text!r}: "
                        "give an absolute path for a file outside it (/etc/ssl/certs/ca.pem)")
    try:
        check_inside(root, root / text, "a CA file")
    except LdifctlError as err:
        raise doc.error(path, f"server.ca_file: {err}") from None
    return root / text


def _env_or_file(
    doc: Document, environ: Mapping[str, str], variable: str, key: str,
    problem_of: _ProblemOf,
) -> str | None:
    """The environment wins over the file; both are checked, and errors say which one."""
    if value := environ.get(variable):
        if problem := problem_of(value):
            raise LdifctlError(f"{variable}: {problem} (fix the environment variable)")
        return value
    value = _text(doc, ("server", key), "text")
    if value is not None and (problem := problem_of(value)):
        raise doc.error(("server", key), f"server.{key}: {problem}")
    return value


def _tls_require_cert(doc: Document) -> tuple[str, tuple[str, ...]]:
    path: Keys = ("server", "tls_require_cert")
    value = _text(doc, path, f"one of {', '.join(_TLS_CHECKS)}") or "demand"
    if value not in _TLS_CHECKS:
        raise doc.error(path, f"server.tls_require_cert must be one of "
                        f"{', '.join(_TLS_CHECKS)}, got {value!r}")
    if value == "demand":
        return value, ()
    warning = doc.error(path, f"server.tls_require_cert is {value!r}: the server's certificate "
                        "is not verified, so anyone on the network path can pose as the server "
                        "and read the bind password; use demand with ca_file")
    return value, (str(warning),)


def _timeout(doc: Document) -> float | None:
    path: Keys = ("server", "timeout")
    text = _text(doc, path, "a number of seconds")
    if text is None:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (0 < seconds < math.inf):
        raise doc.error(path, f"server.timeout must be a number of seconds above 0, got {text!r}")
    return seconds


def bind_password(
    environ: Mapping[str, str], variable: str = PASSWORD_VAR, file_variable: str = PASSWORD_FILE_VAR
) -> str | None:
    """The bind password from the environment, read only when a bind needs it."""
    direct, path = environ.get(variable), environ.get(file_variable)
    if direct and path:
        raise LdifctlError(f"both {variable} and {file_variable} are set: unset one")
    if direct or not path:
        return direct or None
    return _password_from_file(path, file_variable)


def _password_from_file(path: str, variable: str) -> str:
    # Messages name the variable and the path, never anything read from the file.
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise LdifctlError(f"{variable}: cannot read {path}: {err.strerror}") from None
    text = _utf8_or_none(data)
    if text is None:
        raise LdifctlError(f"{variable}: {path} is not UTF-8 text")
    password = text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")
    if not password:
        raise LdifctlError(f"{variable}: {path} is empty: an empty password is an "
                           "anonymous bind; write the password into the file")
    return password


def _utf8_or_none(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
