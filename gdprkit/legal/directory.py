"""Supervisory authorities and platform controllers, from a dated snapshot.

The data ships with the package (``legal/data/``): a CC0 snapshot of
datenanfragen/data (see ``SOURCE.md`` there).  Contact details go stale, so
every record says, field by field, where its value came from: the snapshot
(with commit and date) or the user's override file
``<config dir>/directory-overrides.json``::

    {"authorities": {"IT": {"email": "..."}, "DE-BY": {"phone": "..."}},
     "platforms": {"linkedin": {"email": "..."}}}

Override keys are authority codes (``IT``, ``UK``, ``DE-BY``; ``DE`` is the
federal BfDI) or slugs, and platform names or slugs.  A field set to ``null``
is removed.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ..errors import BadInput, NotFound
from .deadlines import split_country_code

__all__ = [
    "OVERRIDE_FILE_NAME",
    "Authority",
    "Platform",
    "authority",
    "authority_codes",
    "authority_for_complaint",
    "complaint_guidance",
    "metadata",
    "override_path",
    "platform",
    "platform_names",
    "platforms",
    "require_field",
    "snapshot_label",
]

OVERRIDE_FILE_NAME = "directory-overrides.json"
_DATA = Path(__file__).with_name("data")

# Record attribute -> key in the snapshot JSON.
_COMMON_KEYS = {
    "name": "name",
    "address": "address",
    "email": "email",
    "phone": "phone",
    "fax": "fax",
    "web": "web",
    "webform": "webform",
    "suggested_transport": "suggested-transport-medium",
    "comments": "comments",
}
_LIST_FIELDS = ("address", "comments")
_TRANSPORTS = ("email", "letter", "fax", "webform")


# -- records -------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class _Record:
    slug: str
    name: str
    address: tuple[str, ...] = ()
    email: str | None = None
    phone: str | None = None
    fax: str | None = None
    web: str | None = None
    webform: str | None = None
    suggested_transport: str | None = None
    comments: tuple[str, ...] = ()
    sources: dict[str, str | None] = field(default_factory=dict)
    snapshot_date: str = ""
    override_file: str = ""

    SECTION: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[str, ...]] = ()

    @property
    def key(self) -> str:
        """The key that names this record in the override file."""
        return self.slug

    @property
    def address_text(self) -> str:
        return "\n".join(self.address)

    def source(self, field_name: str) -> str | None:
        """Where the value of ``field_name`` came from (None when it has none)."""
        return self.sources.get(field_name)

    def name_in(self, lang: str) -> str:
        """The name a letter in ``lang`` gives this record.

        The snapshot's names often add an English gloss ("Garante per la
        protezione dei dati personali (Italian Data Protection Authority)"):
        English letters keep it, the others use the official name alone, or
        the authority's own name in that language where it has one
        (``data/authority-names.json``).  A name from the override file is
        used as it is.
        """
        if "name" in self.overridden():
            return self.name
        entry = _snapshot().names.get(self.slug, {})
        if lang in entry:
            return entry[lang]
        if lang == "en":
            return self.name
        return entry.get("native", self.name)

    def overridden(self) -> list[str]:
        return [f for f, s in self.sources.items() if s and s.startswith("override ")]

    def _fields_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.FIELDS:
            value = getattr(self, name)
            out[name] = list(value) if isinstance(value, tuple) else value
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            **self._fields_dict(),
            "source": {name: self.sources.get(name) for name in self.FIELDS},
            "snapshot_date": self.snapshot_date,
            "override_file": self.override_file,
        }


@dataclass(frozen=True, kw_only=True)
class Authority(_Record):
    """A data protection supervisory authority (where to lodge an Art. 77 complaint)."""

    code: str  # IT, GB, DE (federal BfDI), DE-BY ...
    country: str  # ISO 3166-1 alpha-2, upper case
    complaint_language: str | None = None
    scope: str | None = None  # what it is competent for, where that is limited
    note: str | None = None

    SECTION: ClassVar[str] = "authorities"
    FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "address",
        "email",
        "phone",
        "fax",
        "web",
        "webform",
        "complaint_language",
        "suggested_transport",
        "comments",
    )

    @property
    def key(self) -> str:
        return self.code

    def to_dict(self) -> dict[str, Any]:
        base = super().to_dict()
        return {
            "code": self.code,
            "country": self.country,
            "scope": self.scope,
            "note": self.note,
            **base,
        }


@dataclass(frozen=True, kw_only=True)
class Platform(_Record):
    """The controller behind a platform or mailing-list service."""

    request_language: str | None = None
    runs: tuple[str, ...] = ()
    relevant_countries: tuple[str, ...] = ()
    # gdprkit's EEA controller standing in for a snapshot record that names a
    # group entity elsewhere (google -> google-ireland), and the reverse link
    eea_controller: str | None = None
    eea_entity_of: str | None = None

    SECTION: ClassVar[str] = "platforms"
    FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "address",
        "email",
        "phone",
        "fax",
        "web",
        "webform",
        "request_language",
        "suggested_transport",
        "comments",
    )

    def to_dict(self) -> dict[str, Any]:
        base = super().to_dict()
        base["runs"] = list(self.runs)
        base["relevant_countries"] = list(self.relevant_countries)
        base["eea_controller"] = self.eea_controller
        base["eea_entity_of"] = self.eea_entity_of
        return base


_KEYS = {
    Authority: {**_COMMON_KEYS, "complaint_language": "complaint-language"},
    Platform: {**_COMMON_KEYS, "request_language": "request-language"},
}


# -- the shipped snapshot --------------------------------------------------------
@dataclass(frozen=True)
class _Snapshot:
    meta: dict
    label: str
    authorities: dict[str, dict]  # slug -> raw record
    platforms: dict[str, dict]
    codes: dict[str, list[tuple[str, dict]]]  # code -> [(slug, extra fields)]
    germany: dict
    aliases: dict[str, str]
    names: dict[str, dict[str, str]]  # slug -> {"native"|lang: name}
    eea: dict[str, dict]  # slug -> raw record of an EEA controller the snapshot lacks
    eea_meta: dict


def _load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@functools.lru_cache(maxsize=1)
def _snapshot() -> _Snapshot:
    auth = _load_json(_DATA / "supervisory-authorities.json")
    plat = _load_json(_DATA / "platforms.json")
    germany = _load_json(_DATA / "de_subdivisions.json")
    aliases = _load_json(_DATA / "platform-aliases.json")["aliases"]
    names = _load_json(_DATA / "authority-names.json")["names"]
    eea = _load_json(_DATA / "platform-eea-controllers.json")
    meta = auth["metadata"]
    label = f"snapshot datenanfragen/data@{meta['source_commit'][:7]} ({meta['snapshot_date']})"

    authorities = {r["slug"]: r for r in auth["records"]}
    codes: dict[str, list[tuple[str, dict]]] = {}
    for slug, rec in authorities.items():
        if rec["country"] != "de":
            codes.setdefault(rec["country"].upper(), []).append((slug, {}))
    federal = germany["federal"]
    codes["DE"] = [(federal["slug"], {"scope": federal["scope"]})]
    for code, state in germany["states"].items():
        extra = {
            "scope": state.get("scope", germany["state_scope"]),
            "note": state.get("note"),
        }
        codes[code] = [(state["slug"], extra)]
    return _Snapshot(
        meta=meta,
        label=label,
        authorities=authorities,
        platforms={r["slug"]: r for r in plat["records"]},
        codes=codes,
        germany=germany,
        aliases={_norm(k): v for k, v in aliases.items()},
        names=names,
        eea={r["slug"]: r for r in eea["records"]},
        eea_meta=eea["metadata"],
    )


def metadata() -> dict:
    """Source repository, commit and ``snapshot_date`` of the shipped directory."""
    snap = _snapshot()
    return {
        "source_repository": snap.meta["source_repository"],
        "source_commit": snap.meta["source_commit"],
        "snapshot_date": snap.meta["snapshot_date"],
        "licence": snap.meta["licence"],
        "label": snap.label,
    }


def snapshot_label() -> str:
    """``"snapshot datenanfragen/data@0a29c3d (2026-07-21)"``."""
    return _snapshot().label


def authority_codes() -> list[str]:
    """Every code :func:`authority` answers (``UK`` and ``EL`` work as aliases too)."""
    return sorted(_snapshot().codes)


def platform_names() -> list[str]:
    """Slugs and aliases that :func:`platform` knows (names and services work too)."""
    snap = _snapshot()
    return sorted(set(snap.platforms) | set(snap.eea) | set(snap.aliases))


# -- overrides -----------------------------------------------------------------
def override_path() -> Path:
    """``<user config dir>/directory-overrides.json`` (honours ``$GDPRKIT_CONFIG_DIR``)."""
    from ..paths import user_config_dir

    return user_config_dir() / OVERRIDE_FILE_NAME


def _read_overrides() -> tuple[Path, dict[str, dict[str, dict]]]:
    """Overrides by section and slug, validated; empty when there is no file."""
    path = override_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return path, {"authorities": {}, "platforms": {}}
    except (OSError, UnicodeDecodeError) as err:
        raise BadInput(f"cannot read the directory override file {path}: {err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise BadInput(
            f"the directory override file {path} is not valid JSON: {err.msg} "
            f"at line {err.lineno} column {err.colno}"
        ) from None
    if not isinstance(data, dict):
        raise BadInput(f"the directory override file {path} must hold a JSON object")
    unknown = set(data) - {"authorities", "platforms"}
    if unknown:
        raise BadInput(
            f"the directory override file {path} has an unknown section {sorted(unknown)[0]!r}",
            hint="valid sections: authorities, platforms",
        )
    result: dict[str, dict[str, dict]] = {"authorities": {}, "platforms": {}}
    for section, cls, resolve in (
        ("authorities", Authority, _authority_slug_for_key),
        ("platforms", Platform, _platform_slug),
    ):
        entries = data.get(section, {})
        if not isinstance(entries, dict):
            raise BadInput(f"{path}: {section!r} must be a JSON object")
        for key, fields in entries.items():
            slug = resolve(key)
            if slug is None:
                kind = "authority" if section == "authorities" else "platform"
                raise BadInput(
                    f"{path}: unknown {kind} {key!r} in {section!r}",
                    hint="valid: "
                    + ", ".join(
                        authority_codes() if section == "authorities" else platform_names()
                    ),
                )
            result[section].setdefault(slug, {}).update(
                _check_fields(path, section, cls, key, fields)
            )
    return path, result


def _check_fields(path: Path, section: str, cls: type, key: str, fields: Any) -> dict[str, Any]:
    if not isinstance(fields, dict):
        raise BadInput(f"{path}: {section}.{key} must be a JSON object of fields")
    by_name = {}
    for attr, source_key in _KEYS[cls].items():
        by_name[attr] = attr
        by_name[source_key] = attr
    checked: dict[str, Any] = {}
    for name, value in fields.items():
        attr = by_name.get(name)
        if attr is None:
            raise BadInput(
                f"{path}: {section}.{key} has an unknown field {name!r}",
                hint="valid: " + ", ".join(cls.FIELDS),
            )
        if value is None:
            checked[attr] = None
        elif attr in _LIST_FIELDS:
            if isinstance(value, str):
                value = value.splitlines()
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise BadInput(
                    f"{path}: {section}.{key}.{name} must be a string or a list of strings"
                )
            checked[attr] = [v for v in value if v.strip()] or None
        elif not isinstance(value, str):
            raise BadInput(f"{path}: {section}.{key}.{name} must be a string or null")
        elif attr == "suggested_transport" and value not in _TRANSPORTS:
            raise BadInput(
                f"{path}: {section}.{key}.{name} must be one of " + ", ".join(_TRANSPORTS)
            )
        else:
            checked[attr] = value.strip() or None
    return checked


# -- building records ------------------------------------------------------------
def _default_transport(cls: type, values: dict[str, Any]) -> str:
    # datenanfragen/data schema defaults when a record has no transport medium.
    if cls is Authority:
        if values.get("fax"):
            return "fax"
        if values.get("address"):
            return "letter"
        return "email"
    return "email" if values.get("email") else "letter"


def _build(cls: type, raw: dict, overrides: dict[str, Any], path: Path, *,
           label: str | None = None, date: str | None = None, **extra) -> _Record:
    """A record from ``raw`` (the snapshot's, unless ``label`` and ``date`` name
    another source) with the user's ``overrides`` applied, field by field."""
    snap = _snapshot()
    label = label or snap.label
    values: dict[str, Any] = {}
    sources: dict[str, str | None] = {}
    for attr, source_key in _KEYS[cls].items():
        value = raw.get(source_key)
        values[attr] = value if value not in ("", []) else None
        sources[attr] = label if values[attr] is not None else None
    for attr, value in overrides.items():
        values[attr] = value
        sources[attr] = f"override {path}"
    if values["suggested_transport"] is None:
        values["suggested_transport"] = _default_transport(cls, values)
        sources["suggested_transport"] = "default of the datenanfragen/data schema"
    if values["name"] is None:  # an override may not blank the name
        values["name"] = raw["name"]
        sources["name"] = label
    for attr in _LIST_FIELDS:
        values[attr] = tuple(values[attr] or ())
    return cls(
        slug=raw["slug"],
        sources=sources,
        snapshot_date=date or snap.meta["snapshot_date"],
        override_file=str(path),
        **values,
        **extra,
    )


# -- authorities -------------------------------------------------------------------
def _authority_key(code: str) -> str:
    """Normalise an authority code: ``uk`` -> ``GB``, ``de-by`` -> ``DE-BY``."""
    cc, sub = split_country_code(code)
    return f"{cc}-{sub}" if sub else cc


def _authority_slug_for_key(key: str) -> str | None:
    snap = _snapshot()
    if key in snap.authorities:
        return key
    try:
        code = _authority_key(key)
    except BadInput:
        return None
    entries = snap.codes.get(code)
    return entries[0][0] if entries else None


def _codes_hint() -> str:
    return "valid: " + ", ".join(authority_codes()) + " (UK works for GB)"


def authority(code: str) -> list[Authority]:
    """The supervisory authorities for a country code (``IT``, ``uk``, ``DE-BY``).

    For most countries this is one authority.  ``DE`` gives the federal BfDI
    followed by the 16 state authorities (see :func:`complaint_guidance`);
    ``DE-XX`` gives the authority of that Land.  Other countries' subdivision
    codes (``ES-CT``) give the national authority.  Church and broadcasting
    authorities are never returned.
    """
    snap = _snapshot()
    cc, sub = split_country_code(code)
    key = f"{cc}-{sub}" if cc == "DE" and sub else cc
    entries = snap.codes.get(key)
    if not entries:
        if cc == "DE" and sub:
            raise NotFound(
                f"no German state {code!r}",
                hint="valid: " + ", ".join(c for c in authority_codes() if c.startswith("DE-")),
            )
        raise NotFound(f"no supervisory authority for {code!r}", hint=_codes_hint())
    if key == "DE":
        entries = entries + [snap.codes[state][0] for state in snap.germany["states"]]
    path, overrides = _read_overrides()
    result = []
    for slug, extra in entries:
        raw = snap.authorities[slug]
        own_code = next(c for c, es in snap.codes.items() if es[0][0] == slug)
        result.append(
            _build(
                Authority,
                raw,
                overrides["authorities"].get(slug, {}),
                path,
                code=own_code,
                country=raw["country"].upper(),
                scope=extra.get("scope"),
                note=extra.get("note"),
            )
        )
    return result


def authority_for_complaint(code: str) -> Authority:
    """The one authority to lodge an Art. 77 complaint with, for a requester in ``code``.

    Germany needs the Land: ``DE`` alone raises :class:`BadInput` asking for
    ``DE-XX``.
    """
    cc, sub = split_country_code(code)
    if cc == "DE" and not sub:
        raise BadInput(
            "Germany has one supervisory authority per Land: give the state as DE-XX",
            hint="valid: " + ", ".join(c for c in authority_codes() if c.startswith("DE-")),
        )
    return authority(code)[0]


def complaint_guidance(code: str) -> str | None:
    """Which of several authorities to complain to (Germany), else None."""
    cc, sub = split_country_code(code)
    if cc == "DE" and not sub:
        return _snapshot().germany["guidance"]
    return None


# -- platforms -------------------------------------------------------------------
def _runs_variants(entry: str) -> set[str]:
    """``'Outlook.com (live.com)'`` -> {'outlook.com (live.com)', 'outlook.com', 'live.com'}."""
    out = {_norm(entry)}
    head, _, rest = entry.partition("(")
    out.add(_norm(head))
    if rest:
        out.add(_norm(rest.rstrip(")")))
    for part in entry.split("/"):
        out.add(_norm(part))
    return {v for v in out if v}


def _platform_slug(name: str) -> str | None:
    snap = _snapshot()
    wanted = _norm(name)
    if not wanted:
        return None
    for slug, rec in (*snap.platforms.items(), *snap.eea.items()):
        if wanted == slug or wanted == _norm(rec["name"]):
            return slug
    if wanted in snap.aliases:
        return snap.aliases[wanted]
    for slug, rec in snap.platforms.items():
        if any(wanted in _runs_variants(r) for r in rec.get("runs", [])):
            return slug
    return None


def _platform_record(slug: str, overrides: dict, path: Path) -> Platform:
    snap = _snapshot()
    extra: dict[str, Any] = {}
    if slug in snap.eea:
        raw = snap.eea[slug]
        date = snap.eea_meta["compiled"]
        extra = {"label": f"gdprkit's own record ({date}), not in the snapshot", "date": date,
                 "eea_entity_of": raw["eea_entity_of"]}
    else:
        raw = snap.platforms[slug]
        eea = next((s for s, r in snap.eea.items() if r["eea_entity_of"] == slug), None)
        extra = {"eea_controller": eea}
    return _build(
        Platform,
        raw,
        overrides["platforms"].get(slug, {}),
        path,
        runs=tuple(raw.get("runs", [])),
        relevant_countries=tuple(raw.get("relevant-countries", [])),
        **extra,
    )


def _eea_slug(slug: str, country: str | None) -> str:
    """The EEA controller standing in for ``slug`` for a user in ``country``, else ``slug``."""
    if not country:
        return slug
    cc = split_country_code(country)[0].lower()
    cc = {"uk": "gb", "el": "gr"}.get(cc, cc)
    for eea_slug, raw in _snapshot().eea.items():
        if raw["eea_entity_of"] == slug and cc in raw["relevant-countries"]:
            return eea_slug
    return slug


def platform(name: str, *, country: str | None = None) -> Platform:
    """The controller behind a platform, by name, slug, alias or service it runs.

    Case does not matter: ``LinkedIn``, ``meta``, ``Gmail``, ``X``, ``Brevo``.
    ``country`` is the user's (ISO code): for a user in the EEA or
    Switzerland, a platform whose snapshot record names a group entity
    elsewhere gives its EEA controller instead (``google``: Google LLC; in
    the EEA and Switzerland, Google Ireland Limited).  Without ``country``,
    the record the name names.
    """
    slug = _platform_slug(name)
    if slug is None:
        raise NotFound(
            f"no platform {name!r} in the directory", hint="valid: " + ", ".join(platform_names())
        )
    path, overrides = _read_overrides()
    return _platform_record(_eea_slug(slug, country), overrides, path)


def platforms() -> list[Platform]:
    """Every platform controller of the snapshot (the EEA controllers gdprkit adds
    are reached through :func:`platform` with a ``country``, or by their name)."""
    path, overrides = _read_overrides()
    return [_platform_record(slug, overrides, path) for slug in _snapshot().platforms]


# -- for letters -------------------------------------------------------------------
_FIELD_WORDS = {"email": "e-mail address", "address": "postal address"}
_FIELD_EXAMPLES = {"address": ["street and number", "postcode and town", "country"]}


def require_field(record: _Record, field_name: str, *, need: str | None = None,
                  alternative: str | None = None) -> Any:
    """The value of ``field_name``, or :class:`BadInput` saying how to supply it.

    The message names the field as the override file spells it
    (``authorities.IT.email``) and the file; ``need`` says why it is needed
    ("an eml letter is sent to it"), ``alternative`` what else the user can do.
    """
    if field_name not in record.FIELDS:
        raise ValueError(f"{type(record).__name__} has no field {field_name!r}")
    value = getattr(record, field_name)
    if value in (None, "", ()):
        where = f"{record.SECTION}.{record.key}.{field_name}"
        what = _FIELD_WORDS.get(field_name, field_name)
        example = json.dumps(
            {record.SECTION: {record.key: {field_name: _FIELD_EXAMPLES.get(field_name, "...")}}},
            ensure_ascii=False,
        )
        raise BadInput(
            f"{record.name} has no {what} in the gdprkit directory"
            + (f" ({need})" if need else "")
            + f": set {where} in {record.override_file or override_path()}",
            hint=f"for example {example}" + (f", or {alternative}" if alternative else ""),
        )
    return value
