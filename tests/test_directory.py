"""The supervisory-authority and platform directory, with per-field provenance."""

from __future__ import annotations

import json
import re

import pytest

from gdprkit.errors import BadInput, NotFound
from gdprkit.legal import directory
from gdprkit.legal.directory import (
    authority,
    authority_for_complaint,
    platform,
    require_field,
)

SNAPSHOT = "snapshot datenanfragen/data@0a29c3d (2026-07-21)"
EU27 = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]
EEA_AND_MORE = ["IS", "LI", "NO", "CH", "GB"]
DE_STATES = {
    "DE-BW": "debawueldb",
    "DE-BY": "debaylda",
    "DE-BE": "deberlbdi",
    "DE-BB": "debralda",
    "DE-HB": "debrelfdi",
    "DE-HH": "dehmbbfdi",
    "DE-HE": "dehessbdi",
    "DE-MV": "demvldi",
    "DE-NI": "dendslfd",
    "DE-NW": "denrwldi",
    "DE-RP": "derlpbdi",
    "DE-SL": "desaarudz",
    "DE-SN": "desaechsdsb",
    "DE-ST": "desalbd",
    "DE-SH": "deshuld",
    "DE-TH": "detlfdi",
}


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    """A private config dir, so a developer's own overrides never leak into tests."""
    monkeypatch.setenv("GDPRKIT_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def write_overrides(config_dir, data) -> str:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "directory-overrides.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_metadata():
    meta = directory.metadata()
    assert meta["source_repository"] == "https://github.com/datenanfragen/data"
    assert meta["source_commit"] == "0a29c3d6feee53b02e73204a3dbd312eafe56629"
    assert meta["snapshot_date"] == "2026-07-21"
    assert directory.snapshot_label() == SNAPSHOT


@pytest.mark.parametrize("code", EU27 + EEA_AND_MORE)
def test_every_country_resolves(code):
    records = authority(code)
    assert records and records[0].country == code
    assert records[0].name and records[0].address
    if code != "DE":
        assert len(records) == 1 and records[0].code == code
        assert authority_for_complaint(code.lower()) == records[0]


def test_aliases_uk_and_el():
    assert authority("UK")[0].slug == "gbico"
    assert authority("uk")[0].code == "GB"
    assert authority("EL")[0].slug == "grdpa"


def test_italy_fields_and_sources():
    garante = authority_for_complaint("IT")
    assert garante.slug == "itgpdp"
    assert garante.address == ("Piazza Venezia 11", "00187 Roma", "Italy")
    assert garante.email == "protocollo@pec.gpdp.it"
    assert garante.complaint_language == "it"
    assert garante.source("email") == SNAPSHOT
    assert garante.source("address") == SNAPSHOT
    assert garante.source("fax") is None  # no value, no source
    # no transport in the snapshot: the schema default (has an address -> letter)
    assert garante.suggested_transport == "letter"
    assert garante.source("suggested_transport") == "default of the datenanfragen/data schema"
    assert garante.overridden() == []


def test_transport_from_snapshot_when_given():
    norway = authority_for_complaint("NO")
    assert norway.suggested_transport == "letter"
    assert norway.source("suggested_transport") == SNAPSHOT


@pytest.mark.parametrize(("code", "slug"), sorted(DE_STATES.items()))
def test_every_german_state_resolves(code, slug):
    record = authority_for_complaint(code.lower())
    assert record.slug == slug and record.code == code and record.country == "DE"


def test_bavaria_is_the_private_sector_authority():
    bay = authority_for_complaint("DE-BY")
    assert "BayLDA" in bay.name
    assert "private" in bay.scope
    assert "BayLfD" in bay.note and "public" in bay.note


def test_germany_lists_federal_and_states_only():
    records = authority("DE")
    assert [r.code for r in records] == ["DE", *DE_STATES]
    assert records[0].slug == "debfdi"
    assert "federal" in records[0].scope
    slugs = {r.slug for r in records}
    assert len(slugs) == 17
    assert not any(s.startswith(("dekath", "deekd", "derf")) for s in slugs)
    assert "debayldb" not in slugs
    guidance = directory.complaint_guidance("DE")
    assert "Land" in guidance and "BfDI" in guidance
    assert directory.complaint_guidance("DE-BY") is None
    assert directory.complaint_guidance("IT") is None


def test_every_german_record_is_classified_once():
    """de_subdivisions.json must account for each German record in the snapshot."""
    snap = directory._snapshot()
    german = {s for s, r in snap.authorities.items() if r["country"] == "de"}
    de = snap.germany
    named = (
        [de["federal"]["slug"]]
        + [s["slug"] for s in de["states"].values()]
        + list(de["public_sector_only"])
        + list(de["never_offered"])
    )
    assert len(named) == len(set(named)) == 26
    assert set(named) == german


def test_complaint_needs_a_german_state():
    with pytest.raises(BadInput) as err:
        authority_for_complaint("DE")
    assert "DE-XX" in err.value.message
    assert "DE-BY" in err.value.hint


def test_other_subdivisions_give_the_national_authority():
    assert authority_for_complaint("ES-CT").slug == "esaepa"


def test_unknown_codes():
    with pytest.raises(NotFound) as err:
        authority("XX")
    assert err.value.message == "no supervisory authority for 'XX'"
    assert "IT" in err.value.hint and "DE-BY" in err.value.hint
    with pytest.raises(NotFound) as err:
        authority("DE-XX")
    assert err.value.message == "no German state 'DE-XX'"
    assert "DE-NW" in err.value.hint
    with pytest.raises(BadInput, match="not a country code"):
        authority("Italy")


# -- platforms -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("LinkedIn", "linkedin"),  # its own record wins over Microsoft's 'runs'
        ("linkedin", "linkedin"),
        ("Meta", "facebook"),
        ("Facebook", "facebook"),
        ("Meta Platforms Ireland Limited", "facebook"),
        ("Instagram", "instagram"),
        ("WhatsApp", "whatsapp"),
        ("Google", "google"),
        ("Gmail", "google"),
        ("YouTube", "google"),
        ("Microsoft", "microsoft"),
        ("Outlook", "microsoft"),
        ("outlook.com", "microsoft"),
        ("X", "twitter"),
        ("Twitter", "twitter"),
        ("TikTok", "tiktok"),
        ("Xing", "xing"),
        ("New Work SE", "xing"),
        ("Telegram", "telegram"),
        ("Mailchimp", "mailchimp"),
        ("Brevo", "sendinblue"),
        ("Sendinblue", "sendinblue"),
        ("Mailjet", "mailjet"),
        ("Mailgun", "mailgun"),
        ("SendGrid", "twilio"),
        ("CleverReach", "cleverreach"),
        ("rapidmail", "rapidmail"),
        ("  RAPIDMAIL ", "rapidmail"),
    ],
)
def test_platform_lookup(name, slug):
    assert platform(name).slug == slug


def test_platform_fields():
    rec = platform("xing")
    assert rec.name == "NEW WORK SE"
    assert rec.address[-1] == "Germany"
    assert rec.email == "info@xing.com" and rec.source("email") == SNAPSHOT
    assert rec.suggested_transport == "webform"
    assert "XING" in rec.runs
    data = rec.to_dict()
    assert data["source"]["email"] == SNAPSHOT
    assert data["snapshot_date"] == "2026-07-21"
    assert set(data["source"]) == set(rec.FIELDS)


def test_every_platform_loads():
    recs = directory.platforms()
    assert len(recs) == 17
    assert all(r.name and r.address and r.source("name") == SNAPSHOT for r in recs)


def test_unknown_platform():
    with pytest.raises(NotFound) as err:
        platform("Friendster")
    assert err.value.message == "no platform 'Friendster' in the directory"
    assert "linkedin" in err.value.hint and "brevo" in err.value.hint


# -- overrides -------------------------------------------------------------------------
def test_override_changes_value_and_source(config_dir):
    path = write_overrides(
        config_dir,
        {
            "authorities": {
                "IT": {"email": "garante@example.org", "address": "Via Nuova 1\n00100 Roma\nItaly"},
                "uk": {"phone": None},
                "DE-BY": {"complaint-language": "en"},
            },
            "platforms": {"LinkedIn": {"email": "dpo@example.com"}},
        },
    )
    garante = authority_for_complaint("IT")
    assert garante.email == "garante@example.org"
    assert garante.source("email") == f"override {path}"
    assert garante.address == ("Via Nuova 1", "00100 Roma", "Italy")
    assert garante.source("address") == f"override {path}"
    assert garante.source("web") == SNAPSHOT
    assert sorted(garante.overridden()) == ["address", "email"]
    ico = authority_for_complaint("GB")
    assert ico.phone is None and ico.source("phone") == f"override {path}"
    assert authority_for_complaint("DE-BY").complaint_language == "en"
    linkedin = platform("linkedin")
    assert linkedin.email == "dpo@example.com"
    assert linkedin.to_dict()["source"]["email"] == f"override {path}"
    # an email now exists, so the schema default transport follows it
    assert linkedin.suggested_transport == "email"


def test_override_by_slug(config_dir):
    write_overrides(config_dir, {"authorities": {"debfdi": {"fax": "+49 0"}}})
    assert authority("DE")[0].fax == "+49 0"


def test_invalid_override_json_names_the_file(config_dir):
    path = write_overrides(config_dir, "{not json")
    with pytest.raises(BadInput) as err:
        authority("IT")
    assert path in err.value.message and "not valid JSON" in err.value.message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([], "must hold a JSON object"),
        ({"companies": {}}, "unknown section 'companies'"),
        ({"authorities": {"XX": {"email": "a"}}}, "unknown authority 'XX'"),
        ({"platforms": {"friendster": {"email": "a"}}}, "unknown platform 'friendster'"),
        ({"authorities": {"IT": {"emial": "a"}}}, "unknown field 'emial'"),
        ({"authorities": {"IT": {"email": 5}}}, "must be a string or null"),
        ({"authorities": {"IT": {"address": [1]}}}, "must be a string or a list of strings"),
        ({"authorities": {"IT": {"suggested_transport": "pigeon"}}}, "must be one of"),
        ({"authorities": {"IT": "x"}}, "must be a JSON object of fields"),
    ],
)
def test_bad_override_content(config_dir, data, fragment):
    path = write_overrides(config_dir, data)
    with pytest.raises(BadInput) as err:
        authority("IT")
    assert path in str(err.value) and fragment in str(err.value)


def test_require_field(config_dir):
    assert require_field(authority_for_complaint("IT"), "email") == "protocollo@pec.gpdp.it"
    linkedin = platform("LinkedIn")
    with pytest.raises(BadInput) as err:
        require_field(linkedin, "email")
    path = str(config_dir / "directory-overrides.json")
    assert "email" in err.value.message and path in err.value.message
    assert '"platforms"' in err.value.hint and '"linkedin"' in err.value.hint
    write_overrides(config_dir, {"platforms": {"linkedin": {"email": "dpo@example.com"}}})
    assert require_field(platform("LinkedIn"), "email") == "dpo@example.com"


def test_require_field_names_authority_code(config_dir):
    with pytest.raises(BadInput) as err:
        require_field(authority_for_complaint("FR"), "email")
    assert '"FR"' in err.value.hint and '"authorities"' in err.value.hint


def test_require_field_names_the_field_as_the_override_file_spells_it(config_dir):
    path = config_dir / "directory-overrides.json"
    with pytest.raises(BadInput) as err:
        require_field(platform("LinkedIn"), "email", need="an eml letter is sent to it",
                      alternative="choose another --format")
    assert err.value.message == (
        "LinkedIn Ireland Unlimited Company has no e-mail address in the gdprkit directory "
        f"(an eml letter is sent to it): set platforms.linkedin.email in {path}")
    assert err.value.hint == ('for example {"platforms": {"linkedin": {"email": "..."}}}, '
                              "or choose another --format")


# -- names in the letter's language ----------------------------------------------------
_ENGLISH_GLOSS = re.compile(
    r"\((?:[^()]*\b(?:Authority|Office|Commission|Commissioner|Agency|Inspectorate|"
    r"Ombudsman|Protection|Data)\b[^()]*)\)")


@pytest.mark.parametrize("lang", ["it", "de", "fr", "es"])
def test_authority_names_carry_no_english_gloss_outside_english_letters(lang):
    for code in directory.authority_codes():
        for rec in authority(code):
            name = rec.name_in(lang)
            assert not _ENGLISH_GLOSS.search(name), (code, lang, name)
            assert name and name.strip() == name
    assert authority("IT")[0].name_in("it") == "Garante per la protezione dei dati personali"
    assert authority("ES")[0].name_in(lang) == "Agencia Española de Protección de Datos"
    assert authority("BG")[0].name_in(lang) == "Комисия за защита на личните данни"
    # the law's capitalisation (loi n° 78-17), not the snapshot's title case
    assert authority("FR")[0].name_in(lang) == (
        "Commission nationale de l'informatique et des libertés – CNIL")


def test_english_letters_keep_the_snapshot_name_and_own_language_names_win():
    garante = authority("IT")[0]
    assert garante.name_in("en") == garante.name == (
        "Garante per la protezione dei dati personali (Italian Data Protection Authority)")
    ch = authority("CH")[0]
    assert ch.name_in("de") == ch.name
    assert ch.name_in("fr").startswith("PFPDT – Préposé fédéral")
    assert ch.name_in("it").startswith("IFPDT – Incaricato federale")
    assert ch.name_in("en").startswith("FDPIC – Federal Data Protection")
    be = authority("BE")[0]
    assert be.name_in("fr") == "Autorité de protection des données"
    assert be.name_in("es") == be.name  # the official bilingual name
    # every slug named in the data file exists
    names = json.loads((directory._DATA / "authority-names.json").read_text())["names"]
    slugs = {r.slug for code in directory.authority_codes() for r in authority(code)}
    assert set(names) <= slugs


def test_an_overridden_name_is_used_in_every_language(config_dir):
    write_overrides(config_dir, {"authorities": {"IT": {"name": "Garante Privacy"}}})
    assert {authority("IT")[0].name_in(lang) for lang in ("en", "it", "de")} == {
        "Garante Privacy"}


# -- EEA controllers the snapshot lacks ----------------------------------------------------
EEA_AND_CH = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
              "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES",
              "SE", "IS", "LI", "NO", "CH"]


@pytest.mark.parametrize("name", ["google", "Gmail", "YouTube"])
def test_google_users_in_the_eea_and_switzerland_have_google_ireland(name):
    for cc in [*EEA_AND_CH, "DE-BY", "EL", "it"]:
        rec = platform(name, country=cc)
        assert rec.slug == "google-ireland" and rec.name == "Google Ireland Limited", cc
        assert rec.address == ("Gordon House", "Barrow Street", "Dublin 4", "Ireland")
        assert rec.eea_entity_of == "google" and rec.email is None
    for cc in ("GB", "UK", "US", None):
        assert platform(name, country=cc).name == "Google LLC", cc
    assert platform(name).eea_controller == "google-ireland"


def test_the_eea_controller_is_labelled_as_gdprkits_own_record(config_dir):
    rec = platform("Google Ireland Limited")
    assert rec.slug == "google-ireland" and "google-ireland" in directory.platform_names()
    assert rec.source("address").startswith("gdprkit's own record (")
    assert "not in the snapshot" in rec.source("name") and rec.snapshot_date
    data = rec.to_dict()
    assert data["eea_entity_of"] == "google" and data["eea_controller"] is None
    # other platforms' records already are their EEA controllers
    assert platform("LinkedIn", country="IT").slug == "linkedin"
    assert len(directory.platforms()) == 17  # the snapshot's records
    # the override file corrects it under its own slug
    path = write_overrides(config_dir, {"platforms": {"google-ireland": {"email": "x@example.org"}}})
    rec = platform("google", country="IT")
    assert rec.email == "x@example.org" and rec.source("email") == f"override {path}"
    assert platform("google").email == "data-access-requests@google.com"
