"""run_batch: rows in, letters and a manifest out (the library API)."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import os
from pathlib import Path

import pytest

from gdprkit import BadInput, run_batch

SENT = dt.date(2026, 3, 9)

GOOD = {
    "kind": "objection",
    "lang": "en",
    "requester_name": "Ada Rossi",
    "requester_email": "ada@example.org",
    "requester_address": "Via Roma 1\n00100 Roma",
    "requester_country": "IT",
    "recipient_name": "Mario Rossi",
    "recipient_org": "Acme S.r.l.",
    "recipient_email": "mario@acme.example",
    "recipient_address": "Via Milano 2\n20121 Milano",
    "recipient_country": "IT",
    "incident_kind": "mailing-list",
    "incident_date": "2026-03-02",
    "platform": "linkedin",
    "facts": "Added my address to a newsletter.",
}


def row(**changes) -> dict:
    out = dict(GOOD)
    out.update(changes)
    return {k: v for k, v in out.items() if v is not None}


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def by_row(out: Path) -> dict[int, dict]:
    return {r["row"]: r for r in manifest(out)["rows"]}


def run(rows, out, **kw):
    kw.setdefault("sent", SENT)
    return run_batch(rows, out, **kw)


# -- the basics -------------------------------------------------------------------
def test_writes_letters_and_manifest(tmp_path):
    out = tmp_path / "out"  # created
    result = run([row(), row(kind="erasure", recipient_name="Jörg Müller",
                          recipient_country="DE")], out)
    assert (result.rows, result.ok, result.unchanged, result.errors) == (2, 2, 0, 0)
    assert result.succeeded
    names = sorted(p.name for p in out.iterdir())
    assert names == ["0001-objection-en-mario-rossi.txt", "0002-erasure-en-jorg-muller.txt",
                     "manifest.json"]
    m = manifest(out)
    assert m["version"] == 1
    assert m["summary"] == {"rows": 2, "ok": 2, "unchanged": 0, "errors": 0, "stopped": False}
    first = m["rows"][0]
    assert first["row"] == 1 and first["status"] == "ok" and first["error"] is None
    data = (out / first["output"]).read_bytes()
    import hashlib

    assert first["sha256"] == hashlib.sha256(data).hexdigest()
    text = data.decode()
    assert "Mario Rossi" in text and "Ada Rossi" in text and "9 March 2026" in text
    assert "Added my address to a newsletter." in text
    assert (out / first["output"]).stat().st_mode & 0o777 == 0o600
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
    assert result.to_dict() == {"rows": 2, "ok": 2, "unchanged": 0, "errors": 0,
                                "out_dir": str(out.resolve()),
                                "manifest": str(out.resolve() / "manifest.json")}


def test_public_api_and_docstring_example():
    import gdprkit
    import gdprkit.batch

    assert gdprkit.run_batch is gdprkit.batch.run_batch
    assert gdprkit.BatchResult is gdprkit.batch.BatchResult
    failures, tried = doctest.testmod(gdprkit.batch, raise_on_error=False)
    assert tried >= 5 and failures == 0


def test_row_lang_and_format_override_defaults(tmp_path):
    out = tmp_path / "out"
    result = run([row(), row(format="html"), row(format="md", lang="")], out, fmt="txt")
    assert result.ok == 3
    outputs = [r["output"] for r in manifest(out)["rows"]]
    assert outputs == ["0001-objection-en-mario-rossi.txt", "0002-objection-en-mario-rossi.html",
                       "0003-objection-en-mario-rossi.md"]
    assert (out / outputs[1]).read_text().lstrip().lower().startswith("<!doctype html")


def test_rerun_leaves_unchanged_files_alone(tmp_path):
    out = tmp_path / "out"
    rows = [row(), row(recipient_name="Luca Bianchi")]
    run(rows, out)
    files = {r["row"]: out / r["output"] for r in manifest(out)["rows"]}
    old = 1_000_000_000
    for p in files.values():
        os.utime(p, (old, old))
    inode = files[1].stat().st_ino

    rows[1] = row(recipient_name="Luca Bianchi", facts="Different facts now.")
    result = run(rows, out)
    assert (result.ok, result.unchanged) == (1, 1)
    statuses = {r["row"]: r["status"] for r in manifest(out)["rows"]}
    assert statuses == {1: "unchanged", 2: "ok"}
    assert files[1].stat().st_mtime == old and files[1].stat().st_ino == inode
    assert files[2].stat().st_mtime != old
    assert "Different facts now." in files[2].read_text()

    # a file damaged or edited by hand is rewritten
    files[1].write_bytes(b"tampered")
    assert run(rows, out).ok == 1
    assert "Mario Rossi" in files[1].read_text()


def test_jobs_output_is_byte_identical(tmp_path):
    rows = [row(recipient_name=f"Person {i}", facts=f"Fact number {i}.",
                format=("txt", "html", "md", "pdf", "eml")[i % 5]) for i in range(40)]
    rows[7] = row(kind="nonsense")
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = run(rows, one, jobs=1)
    r2 = run(rows, two, jobs=2)
    assert r1.to_dict() | {"out_dir": "", "manifest": ""} == r2.to_dict() | {
        "out_dir": "", "manifest": ""}
    assert r1.errors == 1
    assert (one / "manifest.json").read_bytes() == (two / "manifest.json").read_bytes()
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    # every format is reproducible: a re-run finds all of them unchanged
    again = run(rows, one, jobs=2)
    assert (again.unchanged, again.ok, again.errors) == (39, 0, 1)


def test_rows_are_streamed_not_loaded(tmp_path):
    consumed = 0

    def rows():
        nonlocal consumed
        for i in range(1000):
            consumed += 1
            yield row(recipient_name=f"P{i}")

    seen = []

    def progress(res, total):
        if res.row == 1:
            seen.append(consumed)
        assert total is None

    result = run(rows(), tmp_path / "out", progress=progress)
    assert result.ok == 1000
    assert seen and seen[0] <= 40  # one chunk ahead, not the whole input


def test_progress_gets_every_row_in_order_with_total(tmp_path):
    calls = []
    run([row(), row(kind="x"), row()], tmp_path / "out",
        progress=lambda res, total: calls.append((res.row, res.status, total)))
    assert calls == [(1, "ok", 3), (2, "error", 3), (3, "ok", 3)]


def test_fail_fast_stops_at_first_error(tmp_path):
    out = tmp_path / "out"
    result = run([row(), row(kind="bogus"), row(), row()], out, fail_fast=True)
    assert result.stopped and not result.succeeded
    assert (result.rows, result.ok, result.errors) == (2, 1, 1)
    assert [r["row"] for r in manifest(out)["rows"]] == [1, 2]
    assert manifest(out)["summary"]["stopped"] is True
    assert sorted(p.name for p in out.iterdir()) == ["0001-objection-en-mario-rossi.txt",
                                                     "manifest.json"]


def test_fail_fast_with_workers(tmp_path):
    rows = [row(recipient_name=f"P{i}") for i in range(50)]
    rows[20] = row(incident_date="yesterday")
    out = tmp_path / "out"
    result = run(rows, out, fail_fast=True, jobs=2)
    assert result.stopped and result.errors == 1 and not result.succeeded
    # rows already being rendered by the other worker finish and are listed; nothing new starts
    listed = manifest(out)["rows"]
    assert 21 <= result.rows < 50 and len(listed) == result.rows
    assert [r["row"] for r in listed[:21]] == list(range(1, 22))
    assert listed[20]["status"] == "error"
    assert {r["output"] for r in listed if r["output"]} == {p.name for p in out.glob("*.txt")}


# -- bad rows: each is one error with its number, the others are produced --------
BAD_ROWS = [
    (row(kind="complain"), "unknown letter kind 'complain'"),
    (row(kind=""), "kind is empty"),
    (row(lang="xx"), "unknown language 'xx'"),
    (row(format="docx"), "unknown format 'docx'"),
    (row(incident_kind="spam"), "unknown incident kind 'spam'"),
    (row(requester_name=""), "requester_name is empty"),
    (row(recipient_name="", recipient_org=""), "recipient_name and recipient_org are both empty"),
    (row(incident_kind=""), "incident_kind is empty"),
    (row(incident_date=""), "incident_date is empty"),
    (row(incident_date="2026-02-30"), "incident_date '2026-02-30' is not a date"),
    (row(incident_date="last tuesday"), "incident_date 'last tuesday' is not a date"),
    (row(incident_date="03/04/2026"), "is ambiguous"),
    (row(sent="2026-13-01"), "sent '2026-13-01' is not a date"),
    (row(requester_email="ada at example"), "requester_email 'ada at example' is not an"),
    (row(recipient_email="m@x.example\r\nBcc: all@evil.example"),
     "recipient_email contains a line break"),
    (row(recipient_name="Mario\nRossi"), "recipient_name contains a line break"),
    (row(requester_name="Ada\rBcc: x@evil.example"), "requester_name contains a line break"),
    (row(recipient_country="Italy"), "recipient_country 'Italy' is not a country code"),
    (row(recipient_name="M" * 5000), "recipient_name is longer than 200 characters (5000)"),
    (row(facts="x" * 20_001), "facts is longer than 20000 characters"),
    (row(facts="nul \x00 byte"), "facts contains a control character"),
    (row(contact="c1"), "contact and incident ids need a ledger"),
    ({"kind": "objection", "bogus": "x"}, "unknown key 'bogus'"),
    ({"kind": ["objection"]}, "the value of 'kind' must be a string"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS, ids=[m[:30] for _, m in BAD_ROWS])
def test_bad_row_is_one_error(tmp_path, bad, message):
    out = tmp_path / "out"
    result = run([row(recipient_name="First"), bad, row(recipient_name="Third")], out)
    assert (result.rows, result.ok, result.errors) == (3, 2, 1)
    rows = by_row(out)
    assert rows[2]["status"] == "error" and rows[2]["output"] is None
    assert message in rows[2]["error"]
    assert result.first_errors[0].row == 2 and message in result.first_errors[0].error
    assert rows[1]["status"] == rows[3]["status"] == "ok"
    assert (out / "0001-objection-en-first.txt").exists()
    assert (out / "0003-objection-en-third.txt").exists()
    assert len(list(out.iterdir())) == 3


def test_eml_refuses_header_injection_and_needs_addresses(tmp_path):
    out = tmp_path / "out"
    result = run([
        row(format="eml"),
        row(format="eml", recipient_email=""),
        row(format="eml", recipient_org="Acme\nBcc: all@evil.example"),
    ], out)
    rows = by_row(out)
    assert rows[1]["status"] == "ok"
    eml = (out / rows[1]["output"]).read_bytes()
    assert b"To: Mario Rossi <mario@acme.example>" in eml
    assert "e-mail address" in rows[2]["error"] and "eml" in rows[2]["error"]
    assert "recipient_org contains a line break" in rows[3]["error"]
    assert result.errors == 2


HOSTILE = "{{ 7*7 }} {% raw %}x{% endraw %} <script>alert(1)</script> <font color=red>&amp; & "


def test_hostile_text_in_every_column_is_inert(tmp_path):
    out = tmp_path / "out"
    hostile = row(
        requester_name="Ada " + HOSTILE[:60],
        requester_address="Via {{ 7*7 }}\n<script>x</script> & Co",
        recipient_name="Mario <font>{{ 7*7 }}</font> & Co",
        recipient_org="{% raw %}Acme{% endraw %} <b>",
        recipient_address="{{ config }}\n<script>",
        platform="<script>{{7*7}}",
        facts=HOSTILE * 20 + "y" * 4000,  # more than 5,000 characters
    )
    assert len(hostile["facts"]) > 5000
    result = run([hostile, dict(hostile, format="html"), dict(hostile, format="md"),
                  dict(hostile, format="pdf"), row()], out)
    assert result.errors == 0, result.first_errors
    rows = by_row(out)
    txt = (out / rows[1]["output"]).read_text()
    assert "{{ 7*7 }}" in txt and "{% raw %}" in txt and "<script>alert(1)</script>" in txt
    assert "49" not in txt.replace("2026", "")
    html = (out / rows[2]["output"]).read_text()
    assert "<script" not in html and "<font" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ 7*7 }}" in html
    assert "&amp;amp;" in html  # the user's literal "&amp;" stays text
    assert rows[1]["output"] == "0001-objection-en-mario-font-7-7-font-co.txt"
    assert (out / rows[4]["output"]).read_bytes().startswith(b"%PDF")


# -- outputs stay inside out_dir --------------------------------------------------
ESCAPES = [
    ("/tmp/evil.txt", "is an absolute path"),
    ("../evil.txt", "contains '..'"),
    ("sub/../../evil.txt", "contains '..'"),
    ("a\x00b.txt", "contains a NUL character"),
    ("..\\evil.txt", "contains a backslash"),
    ("C:evil.txt", "is an absolute path"),
    ("~/evil.txt", "is an absolute path"),
    (".hidden.txt", "hidden file"),
    ("sub//x.txt", "empty folder or file name"),
    ("manifest.json", "reserved for the manifest"),
    ("0009-objection-en-someone.txt", "generated name of row 9"),
]


@pytest.mark.parametrize(("name", "message"), ESCAPES, ids=[n for n, _ in ESCAPES])
def test_output_escaping_out_dir_is_a_row_error(tmp_path, name, message):
    out = tmp_path / "out"
    result = run([row(), row(output=name), row()], out)
    rows = by_row(out)
    assert rows[2]["status"] == "error" and message in rows[2]["error"]
    assert result.ok == 2
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_output_through_symlink_outside_is_refused(tmp_path):
    out = tmp_path / "out"
    outside = tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "link").symlink_to(outside)
    (out / "file-link.txt").symlink_to(outside / "target.txt")
    result = run([row(output="link/x.txt"), row(output="link/new/x.txt"),
                  row(output="file-link.txt"), row(output="ok/x.txt")], out)
    rows = by_row(out)
    for n in (1, 2, 3):
        assert rows[n]["status"] == "error"
        assert "leads outside the output folder" in rows[n]["error"]
    assert rows[4]["status"] == "ok" and (out / "ok" / "x.txt").is_file()
    assert list(outside.iterdir()) == [] and result.errors == 3


def test_symbolic_link_loops_are_row_errors_not_a_crash(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "loop").symlink_to("loop")
    (out / "a").symlink_to("b")
    (out / "b").symlink_to("a")
    result = run([row(output="loop"), row(output="a/x.txt"), row(output="fine.txt")], out)
    rows = by_row(out)
    assert rows[1]["status"] == "error" and "cannot be resolved" in rows[1]["error"]
    assert rows[2]["status"] == "error"
    assert rows[3]["status"] == "ok" and result.ok == 1 and result.errors == 2


@pytest.mark.parametrize("char", ["\u202e", "\u200f", "\u200b", "\u2066", "\ufeff",
                                  "\u2028", "\ue000"])
def test_output_names_with_invisible_or_bidi_characters_are_refused(tmp_path, char):
    out = tmp_path / "out"
    result = run([row(output=f"invoice{char}txt.exe"), row()], out)
    rows = by_row(out)
    assert rows[1]["status"] == "error"
    assert f"U+{ord(char):04X}" in rows[1]["error"]
    assert result.ok == 1 and sorted(p.name for p in out.iterdir()) == [
        rows[2]["output"], "manifest.json"]


def test_own_output_names_subfolders_and_duplicates(tmp_path):
    out = tmp_path / "out"
    result = run([row(output="letters/mario.txt"), row(output="Letters/Mario.txt"),
                  row(output="0003-objection-en-mario-rossi.txt"), row(output="letters/mario.txt")],
                 out)
    rows = by_row(out)
    assert rows[1]["status"] == "ok" and (out / "letters" / "mario.txt").is_file()
    assert "already used by row 1" in rows[2]["error"]
    assert rows[3]["status"] == "ok"  # its own generated name is fine
    assert "already used by row 1" in rows[4]["error"]
    assert result.errors == 2


def test_slugs_are_ascii_capped_and_never_empty(tmp_path):
    from gdprkit._batch_names import default_name, slugify

    assert slugify("Mário Rossi & Figli") == "mario-rossi-figli"
    assert slugify("Ελένη Παπαδοπούλου") == "recipient"
    assert slugify("../../etc/passwd") == "etc-passwd"
    long = slugify("Very Long Company Name " * 10)
    assert len(long) <= 40 and not long.endswith("-") and long.startswith("very-long-company")
    assert default_name(7, "objection", "it", "Mario Rossi", "pdf") == \
        "0007-objection-it-mario-rossi.pdf"
    assert default_name(12345, "erasure", "de", None, "txt") == "12345-erasure-de-recipient.txt"


# -- file-level problems: nothing is written --------------------------------------
def test_out_dir_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BadInput, match="cannot create the output folder"):
        run([row()], blocker / "out")
    with pytest.raises(BadInput, match="exists and is not a folder"):
        run([row()], blocker)


def test_unreadable_input_writes_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(BadInput, match="cannot read the batch file"):
        run(tmp_path / "missing.csv", out)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("kind,facts\nobjection,ok\nobjection,caff\xe8\n".encode("latin-1"))
    with pytest.raises(BadInput, match=r"line 3 is not valid UTF-8 \(byte 0xe8 at column 15"):
        run(bad, out)
    assert not out.exists()


def test_bad_arguments(tmp_path):
    with pytest.raises(BadInput, match="unknown format"):
        run([row()], tmp_path / "o", fmt="doc")
    with pytest.raises(BadInput, match="unknown language"):
        run([row()], tmp_path / "o", lang="pt")
    with pytest.raises(BadInput, match="jobs must be"):
        run([row()], tmp_path / "o", jobs=-1)
    with pytest.raises(BadInput, match="iterable of rows"):
        run(row(), tmp_path / "o")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_stream_problem_found_mid_way_keeps_a_true_manifest(tmp_path, jobs):
    import io

    lines = ["kind,requester_name,requester_country,recipient_name,recipient_country"]
    lines += [f"access,Ada,IT,Person {i},IT" for i in range(40)]
    data = ("\n".join(lines) + "\n").encode() + "access,Ada,IT,Caff\xe8,IT\n".encode("latin-1")
    out = tmp_path / "out"
    with pytest.raises(BadInput, match="line 42 is not valid UTF-8"):
        run(io.BytesIO(data), out, jobs=jobs)
    m = manifest(out)
    assert m["summary"]["aborted"].startswith("the batch input: line 42 is not valid UTF-8")
    listed = {r["output"] for r in m["rows"]}
    assert m["summary"]["rows"] == len(m["rows"]) >= 1
    assert listed == {p.name for p in out.glob("*.txt")}


# -- the same e-mail and country rules as the command line (gdprkit._validate) -----
@pytest.mark.parametrize(("column", "value", "message"), [
    ("recipient_email", "bob@x.example,evil.example", "recipient_email 'bob@x.example,evil"),
    ("recipient_email", "bob@x.example, eve@evil.example", "recipient_email"),
    ("requester_email", "<ada@example.org>", "requester_email '<ada@example.org>' is not"),
    ("recipient_email", "mario@acme", "recipient_email 'mario@acme' is not valid"),
    ("recipient_country", "QQ", "recipient_country 'QQ' is not an ISO 3166-1 country code"),
    ("requester_country", "US", "requester_country 'US' has no supervisory authority"),
    ("requester_country", "DE", "requester_country 'DE': Germany has one supervisory authority "
                                "per Land"),
    ("requester_country", "DE-XX", "requester_country"),
])
def test_emails_and_countries_by_the_cli_rules(tmp_path, column, value, message):
    from gdprkit._validate import check_country, check_email

    with pytest.raises(BadInput):  # the command line refuses it too
        if "email" in column:
            check_email(value, column)
        elif column == "requester_country" and value == "DE":
            from gdprkit.letters.from_ledger import authority_for
            from gdprkit.model import Profile

            authority_for(Profile(name="Ada", country=check_country(value, requester=True)),
                          None, required=False)
        else:
            check_country(value, what=column, requester=column == "requester_country")
    out = tmp_path / "out"
    result = run([row(**{column: value})], out)
    assert result.errors == 1
    assert message in by_row(out)[1]["error"], by_row(out)[1]["error"]
    assert not list(out.glob("*.txt"))


def test_countries_stored_as_the_cli_stores_them(tmp_path):
    out = tmp_path / "out"
    result = run([row(requester_country="de-by", recipient_country="uk"),
                  row(kind="platform-report", requester_country="DE", recipient_name="LinkedIn",
                      recipient_org="LinkedIn Ireland", recipient_country="IE")], out)
    assert (result.ok, result.errors) == (2, 0), result.first_errors


# -- sending dates: the range of 'gdprkit letter --sent' -----------------------------
@pytest.mark.parametrize("value", ["0001-01-01", "1969-12-31", "3000-01-01", "1.1.0001"])
def test_row_sent_out_of_range_is_a_row_error(tmp_path, value):
    out = tmp_path / "out"
    result = run([row(sent=value), row(recipient_name="Other", sent="2999-12-31")], out)
    assert (result.ok, result.errors) == (1, 1)
    assert by_row(out)[1]["error"] == (f"sent {value!r} is out of range: gdprkit accepts "
                                       "dates from 1970-01-01 to 2999-12-31")


def test_run_batch_sent_out_of_range_writes_nothing(tmp_path):
    for day in (dt.date(1, 1, 1), dt.date(3000, 1, 1)):
        with pytest.raises(BadInput, match="out of range: gdprkit accepts dates from 1970"):
            run([row()], tmp_path / "out", sent=day)
    assert not (tmp_path / "out").exists()


# -- the format of a named output: the rule of 'gdprkit letter -o FILE' ---------------
def test_output_extension_chooses_the_format(tmp_path):
    out = tmp_path / "out"
    result = run([
        row(output="b.pdf"),                          # no format: .pdf chooses it
        row(output="sub/c.HTML"),                     # any case
        row(output="d.md", format="md"),              # agreeing
        row(output="e", recipient_name="E"),          # no extension: --format
        row(output="f.letter", format="eml"),         # an explicit format wins
    ], out, fmt="txt")
    assert (result.ok, result.errors) == (5, 0), result.first_errors
    assert (out / "b.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "sub" / "c.HTML").read_bytes().lstrip().lower().startswith(b"<!doctype html")
    assert not (out / "d.md").read_bytes().startswith(b"%PDF-")
    assert (out / "e").read_text(encoding="utf-8").startswith("Ada Rossi")
    assert b"MIME-Version: 1.0" in (out / "f.letter").read_bytes()


@pytest.mark.parametrize(("changes", "message"), [
    ({"output": "a.txt", "format": "pdf"},
     "output 'a.txt' is named .txt but the row's format is 'pdf'"),
    ({"output": "a.pdf", "format": "TXT"}, "output 'a.pdf' is named .pdf but the row's format"),
    ({"output": "a.xyz"}, "cannot tell the format from the extension of output 'a.xyz'"),
])
def test_output_extension_contradicting_the_format_is_a_row_error(tmp_path, changes, message):
    out = tmp_path / "out"
    result = run([row(**changes), row(recipient_name="Other")], out, fmt="html")
    assert (result.ok, result.errors) == (1, 1)
    assert message in by_row(out)[1]["error"]
    assert [p.name for p in out.iterdir() if p.name != "manifest.json"] == [
        "0002-objection-en-other.html"]
