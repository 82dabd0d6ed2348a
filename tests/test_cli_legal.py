"""`gdprkit due`, `gdprkit authority`, `gdprkit platform` through Click."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gdprkit.cli import COMMANDS, cli

from .test_directory import EU27

SOURCE_LINE = "Source: datenanfragen/data snapshot 2026-07-21 — check before sending"
SNAPSHOT = "snapshot datenanfragen/data@0a29c3d (2026-07-21)"
EU_EEA = [*EU27, "IS", "LI", "NO"]
DE_STATES = [
    "BW",
    "BY",
    "BE",
    "BB",
    "HB",
    "HH",
    "HE",
    "MV",
    "NI",
    "NW",
    "RP",
    "SL",
    "SN",
    "ST",
    "SH",
    "TH",
]


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("GDPRKIT_CONFIG_DIR", str(tmp_path / "config"))
    # no ledger anywhere: these commands must not need one
    monkeypatch.setenv("GDPRKIT_LEDGER", str(tmp_path / "missing" / "ledger.db"))
    for var in ("GDPRKIT_PASSPHRASE", "GDPRKIT_PASSPHRASE_FILE"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_commands_are_registered_with_help():
    for name in ("due", "authority", "platform"):
        assert COMMANDS[name][0].startswith("gdprkit.cli.legal_cmds:")
        result = run(name, "--help")
        assert result.exit_code == 0
        assert f" {name} [OPTIONS]" in result.stdout
        help_text = run("--help").stdout
        assert f"  {name} " in help_text


# -- due ---------------------------------------------------------------------------
def test_due_worked_example():
    result = run("due", "2026-03-05", "--country", "IT")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2026-04-07"
    assert lines[1] == (
        "Received 2026-03-05; the period of one month ends 2026-04-05 (Art. 12(3) GDPR, Regulation 1182/71)."
    )
    assert lines[2:] == [
        "Skipped 2026-04-05: Sunday, Easter Sunday (IT).",
        "Skipped 2026-04-06: Easter Monday (IT).",
    ]
    assert result.stderr == ""


def test_due_on_a_working_day():
    result = run("due", "2026-03-31", "--country", "it")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "2026-04-30"
    assert "2026-04-30 is a working day in IT." in result.stdout


def test_due_json():
    result = run("due", "2026-01-31", "--country", "IT", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["due"] == "2026-03-02"
    assert data["nominal_end"] == "2026-02-28"
    assert data["received"] == "2026-01-31"
    assert data["extended"] is False and data["months"] == 1
    assert data["country"] == "IT" and data["subdivision"] is None
    assert data["skipped"] == [
        {"date": "2026-02-28", "reason": "Saturday"},
        {"date": "2026-03-01", "reason": "Sunday"},
    ]
    assert "1182/71" in data["rule"]


def test_due_extended():
    result = run("due", "2026-01-31", "--country", "IT", "--extended", "--json")
    data = json.loads(result.stdout)
    assert (data["due"], data["extended"], data["months"]) == ("2026-04-30", True, 3)
    text = run("due", "2026-01-31", "--country", "IT", "--extended").stdout
    assert text.splitlines()[0] == "2026-04-30" and "the period of three months ends 2026-04-30" in text


def test_due_subdivision_option_and_code():
    a = run("due", "2025-12-06", "--country", "DE", "--subdivision", "BY")
    b = run("due", "2025-12-06", "--country", "de-by")
    c = run("due", "2025-12-06", "--country", "DE")
    assert a.stdout.splitlines()[0] == b.stdout.splitlines()[0] == "2026-01-07"
    assert "Skipped 2026-01-06: Epiphany (DE-BY)." in a.stdout
    assert c.stdout.splitlines()[0] == "2026-01-06"


def test_due_unknown_country_is_a_usage_error():
    """A country code that fails its check is a bad option value: exit 2 (README)."""
    result = run("due", "2026-03-05", "--country", "XX")
    assert result.exit_code == 2
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Error: Invalid value for '--country': unknown country 'XX' "
                           "(use an ISO 3166-1 alpha-2 code")
    assert "IT" in last


def test_due_unknown_subdivision_exit_1():
    result = run("due", "2026-03-05", "--country", "DE", "--subdivision", "XX")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown subdivision 'XX' of DE (valid: BB, BE")


@pytest.mark.parametrize("bad", ["2026-13-05", "05/03/2026", "yesterday", "2026-02-30"])
def test_due_bad_date_is_usage_error(bad):
    result = run("due", bad, "--country", "IT")
    assert result.exit_code == 2
    assert f"{bad!r} is not an ISO date (YYYY-MM-DD)" in result.stderr


def test_due_needs_country():
    result = run("due", "2026-03-05")
    assert result.exit_code == 2
    assert "Missing option '--country'" in result.stderr


# -- authority ---------------------------------------------------------------------
@pytest.mark.parametrize("code", [*EU_EEA, "GB", "UK", "CH", "gb", "ch", "it"])
def test_authority_resolves_every_country(code):
    result = run("authority", code, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    if code == "DE":
        assert data["code"] == "DE" and len(data["authorities"]) == 17
        return
    expected = {"UK": "GB"}.get(code.upper(), code.upper())
    assert data["code"] == expected and data["country"] == expected
    assert data["name"] and data["address"]
    assert data["snapshot_date"] == "2026-07-21"
    assert data["source"]["name"] == SNAPSHOT


@pytest.mark.parametrize("state", DE_STATES)
def test_authority_every_german_state(state):
    result = run("authority", f"DE-{state}", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["code"] == f"DE-{state}" and data["country"] == "DE"
    human = run("authority", f"de-{state.lower()}")
    assert human.exit_code == 0
    assert f"[DE-{state}]" in human.stdout.splitlines()[0]
    assert SOURCE_LINE in human.stdout


def test_authority_italy_human():
    result = run("authority", "IT")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Garante per la protezione dei dati personali (Italian Data Protection Authority) [IT]"
    )
    assert lines[1:4] == ["  Piazza Venezia 11", "  00187 Roma", "  Italy"]
    assert "  Email: protocollo@pec.gpdp.it" in lines
    assert lines[-1] == f"  {SOURCE_LINE}"


def test_authority_italy_json_sources():
    data = json.loads(run("authority", "IT", "--json").stdout)
    assert data["email"] == "protocollo@pec.gpdp.it"
    assert data["address"] == ["Piazza Venezia 11", "00187 Roma", "Italy"]
    assert data["source"]["email"] == SNAPSHOT
    assert data["source"]["fax"] is None
    assert data["snapshot_date"] == "2026-07-21"
    assert set(data["source"]) == {
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
    }


def test_authority_germany_explains_and_lists():
    result = run("authority", "DE")
    assert result.exit_code == 0
    out = result.stdout
    assert "authority of the Land where you live or where the controller is established" in out
    assert "BfDI is competent only for federal public bodies" in out
    rows = [line for line in out.splitlines() if line.startswith("DE")]
    assert [r.split()[0] for r in rows] == ["DE", *[f"DE-{s}" for s in DE_STATES]]
    for banned in ("Rundfunk", "Katholisch", "EKD", "Diözesan", "Bayerische Landesbeauftragte"):
        assert banned not in out
    assert SOURCE_LINE in out


def test_authority_germany_json():
    data = json.loads(run("authority", "DE", "--json").stdout)
    assert set(data) == {"code", "guidance", "snapshot_date", "authorities"}
    assert data["authorities"][0]["slug"] == "debfdi"
    assert data["authorities"][2]["slug"] == "debaylda"
    assert all(a["source"]["name"] == SNAPSHOT for a in data["authorities"])


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("XX", "Error: no supervisory authority for 'XX' (valid: AT, BE,"),
        ("DE-XX", "Error: no German state 'DE-XX' (valid: DE-BB,"),
        ("Italy", "Error: 'Italy' is not a country code"),
    ],
)
def test_authority_unknown_exit_1(code, message):
    result = run("authority", code)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(message)


# -- platform --------------------------------------------------------------------
def test_platform_human():
    result = run("platform", "LinkedIn")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "LinkedIn Ireland Unlimited Company [linkedin]"
    assert lines[1:4] == ["  Wilton Plaza", "  Wilton Place, Dublin 2", "  Ireland"]
    assert any(line.startswith("  Privacy request form: https://") for line in lines)
    assert lines[-1] == f"  {SOURCE_LINE}"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Meta", "facebook"),
        ("gmail", "google"),
        ("X", "twitter"),
        ("Brevo", "sendinblue"),
        ("SendGrid", "twilio"),
        ("outlook", "microsoft"),
        ("Telegram", "telegram"),
    ],
)
def test_platform_json(name, slug):
    result = run("platform", name, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["slug"] == slug
    assert data["source"]["name"] == SNAPSHOT
    assert data["snapshot_date"] == "2026-07-21"
    assert isinstance(data["runs"], list) and isinstance(data["address"], list)


def test_platform_google_says_who_the_controller_is_in_the_eea():
    result = run("platform", "google")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Google LLC [google]",
        "  Controller for users outside the EEA and Switzerland. In the EEA and Switzerland: "
        "Google Ireland Limited (gdprkit platform google --country CC)"]
    result = run("platform", "gmail", "--country", "IT")
    lines = result.stdout.splitlines()
    assert lines[0] == "Google Ireland Limited [google-ireland]"
    assert lines[1] == ("  Controller for users in the EEA and Switzerland. Elsewhere: "
                        "Google LLC [google]")
    assert lines[2:6] == ["  Gordon House", "  Barrow Street", "  Dublin 4", "  Ireland"]
    assert lines[-1].startswith("  Source: gdprkit's own record of ")
    data = json.loads(run("platform", "google", "--country", "DE-BY", "--json").stdout)
    assert (data["slug"], data["eea_entity_of"]) == ("google-ireland", "google")
    data = json.loads(run("platform", "google", "--country", "GB", "--json").stdout)
    assert (data["slug"], data["eea_controller"]) == ("google", "google-ireland")
    result = run("platform", "google", "--country", "XX")
    assert result.exit_code == 2 and "unknown country 'XX'" in result.stderr


def test_platform_unknown_exit_1():
    result = run("platform", "Friendster")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no platform 'Friendster' in the directory (valid: ")
    assert len(result.stderr.splitlines()) == 1


# -- overrides through the CLI -------------------------------------------------------------
def test_override_file_changes_field_and_source(isolated):
    config = isolated / "config"
    config.mkdir()
    path = config / "directory-overrides.json"
    path.write_text(
        json.dumps(
            {
                "authorities": {"IT": {"email": "reclami@example.org"}},
                "platforms": {"linkedin": {"email": "dpo@example.com"}},
            }
        ),
        encoding="utf-8",
    )
    data = json.loads(run("authority", "IT", "--json").stdout)
    assert data["email"] == "reclami@example.org"
    assert data["source"]["email"] == f"override {path}"
    assert data["source"]["address"] == SNAPSHOT
    human = run("authority", "IT").stdout
    assert "  Email: reclami@example.org (your override)" in human
    assert f"  Overridden: email (from {path})" in human
    pdata = json.loads(run("platform", "LinkedIn", "--json").stdout)
    assert pdata["email"] == "dpo@example.com"
    assert pdata["source"]["email"] == f"override {path}"


def test_invalid_override_file_exit_1(isolated):
    config = isolated / "config"
    config.mkdir()
    path = config / "directory-overrides.json"
    path.write_text("{oops", encoding="utf-8")
    result = run("authority", "IT")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: the directory override file {path} is not valid JSON")
