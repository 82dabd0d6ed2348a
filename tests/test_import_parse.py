"""Parsing: mbox streaming, MIME robustness, charsets and mojibake."""

from __future__ import annotations

import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdprkit.importers import iter_eml, iter_mbox, iter_mbox_file, parse_message, write_mbox_message
from gdprkit.importers._text import decode_bytes, fix_mojibake, html_links, html_to_text

# -- mbox ------------------------------------------------------------------------------


def _mbox(messages: list[bytes]) -> bytes:
    buf = io.BytesIO()
    for m in messages:
        write_mbox_message(buf, m)
    return buf.getvalue()


line = st.one_of(
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
    st.sampled_from([b"", b"From me Mon Jan  1 00:00:00 2024", b">From x", b">>From y",
                     b"From time to time", b"\r", b"Subject: hi"]),
)
message = st.lists(line, min_size=1, max_size=12).map(lambda ls: b"\n".join(ls) + b"\n")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(message, min_size=1, max_size=6))
def test_mbox_round_trip(messages):
    out = [m.data for m in iter_mbox(io.BytesIO(_mbox(messages)))]
    assert out == messages


def test_unescaped_from_in_body_does_not_split():
    # CPython's mailbox_01.mbox: an unquoted "From " line in the body.
    data = (b"From MAILER-DAEMON Sun Aug  7 11:40:37 2022 extra info\nFrom: foo\n"
            b"Subject: unquoted From in body; extra info on From line\n\nHello\n\nFrom time to time\n")
    msgs = list(iter_mbox(io.BytesIO(data)))
    assert len(msgs) == 1
    assert msgs[0].data.endswith(b"From time to time\n")


def test_takeout_style_and_crlf_separators():
    data = (b"From 1789234567890123456@xxx Thu Mar 07 16:02:11 +0000 2024\r\n"
            b"X-GM-THRID: 1789\r\nX-Gmail-Labels: Inbox,Category Promotions\r\nSubject: a\r\n\r\nbody a\r\n\r\n"
            b"From 1789234567890123457@xxx Fri Mar 08 09:00:00 +0000 2024\r\nSubject: b\r\n\r\nbody b\r\n")
    msgs = list(iter_mbox(io.BytesIO(data)))
    assert [m.index for m in msgs] == [0, 1]
    assert msgs[0].data.endswith(b"body a\r\n")
    assert parse_message(msgs[1].data, "x").subject == "b"


def test_separator_without_date_is_accepted_when_headers_follow():
    data = b"From someone@example.org\nSubject: one\n\nx\n\nFrom other@example.org\nSubject: two\n\ny\n"
    assert [parse_message(m.data, "s").subject for m in iter_mbox(io.BytesIO(data))] == ["one", "two"]


def test_huge_message_is_spilled_encrypted_and_head_classified(tmp_path):
    import glob
    import hashlib
    import tempfile

    secret = b"CONFIDENTIAL-PLAINTEXT-" * 9000
    big = b"Subject: big\nList-Id: <big.example.org>\nContent-Type: text/plain\n\n" + secret + b"\n"
    path = tmp_path / "big.mbox"
    path.write_bytes(_mbox([big, b"Subject: small\n\nhi\n"]))
    seen = []
    spills: list[str] = []
    for pm in iter_mbox_file(path, max_message_bytes=50_000):
        if pm.raw_opener:
            assert pm.raw_size == len(big)
            assert pm.raw_sha256 == hashlib.sha256(big).hexdigest()
            assert any("first 50000 bytes" in p for p in pm.problems)
            with pm.raw_opener() as fh:
                assert fh.read() == big  # the evidence, byte for byte
            spills = glob.glob(os.path.join(tempfile.gettempdir(), "gdprkit-mbox-*"))
            assert spills
            for name in spills:  # on disk only as ciphertext, private
                assert os.stat(name).st_mode & 0o077 == 0
                with open(name, "rb") as fh:
                    assert b"CONFIDENTIAL" not in fh.read()
        seen.append(pm.subject)
    assert seen == ["big", "small"]
    assert not any(os.path.exists(s) for s in spills)  # cleaned up once consumed


def test_a_spilled_message_is_stored_whole(tmp_path, ledger):
    from gdprkit.importers import ClassifyOptions, Importer

    big = (b"From: News <news@list.example>\nTo: me@example.org\nSubject: big\n"
           b"List-Id: <big.example.org>\nList-Unsubscribe: <mailto:u@list.example>\n"
           b"Message-ID: <big-1@list.example>\n\n" + b"x" * 120_000 + b"\n")
    path = tmp_path / "big.mbox"
    path.write_bytes(_mbox([big]))
    importer = Importer(ledger, options=ClassifyOptions.build(["me@example.org"]))
    [item] = list(importer.run(iter_mbox_file(path, max_message_bytes=10_000)))
    assert item.status == "stored"
    [ev] = ledger.incident(item.incident).evidence
    assert ledger.evidence_bytes(ev.id) == big


def test_progress_callback_counts_all_bytes(tmp_path):
    path = tmp_path / "m.mbox"
    path.write_bytes(_mbox([b"Subject: x\n\n" + b"y" * 100 + b"\n"] * 50))
    total = []
    list(iter_mbox_file(path, progress=total.append))
    assert sum(total) == path.stat().st_size


# -- MIME robustness ---------------------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash_the_parser(data):
    pm = parse_message(data, "random")
    assert isinstance(pm.text, str)
    assert pm.raw_sha256


mime_pieces = st.sampled_from([
    b"Content-Type: multipart/mixed; boundary=\"b\"\n", b"Content-Type: text/plain; charset=x-bogus\n",
    b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: quoted-printable\n",
    b"--b\n", b"--b--\n", b"\n", b"Subject: =?utf-8?B?broken?=\n", b"Subject: =?x-bogus?Q?a=FF?=\n",
    b"Content-Type: message/rfc822\n", b"From: \xff\xfe <a@b>\n", b"=E9=\n", b"%%%%\n",
    b"Content-Type: text/html; charset=\"utf-8\n", b"<a href='x'>Unsubscribe</a>\n",
    b"Content-Disposition: attachment; filename*=bogus''%ZZ\n",
])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mime_pieces, max_size=30))
def test_malformed_mime_never_crashes(pieces):
    from gdprkit.importers import classify

    pm = parse_message(b"".join(pieces), "mime")
    classify(pm)


def test_unknown_charset_falls_back_and_is_reported():
    raw = "Subject: x\nContent-Type: text/plain; charset=x-made-up\n\nCaffè\n".encode()
    pm = parse_message(raw, "s")
    assert "Caffè" in pm.text
    assert any("unknown charset" in p for p in pm.problems)


def test_wrong_charset_label_and_raw_8bit_headers():
    raw = "Subject: Grüße\nFrom: Jürgen <j@example.de>\nContent-Type: text/plain; charset=us-ascii\n\nGrüße\n"
    pm = parse_message(raw.encode("utf-8"), "s")
    assert pm.subject == "Grüße"
    assert pm.sender_name == "Jürgen"
    assert "Grüße" in pm.text
    pm = parse_message(raw.encode("cp1252"), "s")
    assert pm.subject == "Grüße" and "Grüße" in pm.text


def test_mojibake_is_repaired():
    assert fix_mojibake("perchÃ¨ cosÃ¬ â€“ caffÃ¨") == "perchè così – caffè"
    assert fix_mojibake("GrÃ¼ÃŸe") == "Grüße"
    assert fix_mojibake("plain ASCII and è") == "plain ASCII and è"
    assert decode_bytes("naïve".encode().decode("latin-1").encode("utf-8"), "utf-8")[0] == "naïve"


def test_html_to_text_and_missing_separator():
    assert html_to_text("<style>p{}</style><p>Hello&nbsp;<b>you</b></p><p>bye</p>") .split() == ["Hello", "you", "bye"]
    pm = parse_message(b"From: a@b\nSubject: x\nno separator here\n", "s")
    assert any("Separator" in p for p in pm.problems)


def test_attachments_are_not_decoded(tmp_path):
    payload = b"QUFB" * 2_000_000  # 8 MB of base64
    raw = (b"Subject: att\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n"
           b"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"x.pdf\"\n"
           b"Content-Transfer-Encoding: base64\n\n" + payload + b"\n--b--\n")
    pm = parse_message(raw, "s")
    assert pm.attachments == ["x.pdf"]
    assert pm.text.strip() == "hi"


def test_eml_unreadable_file_is_an_error_item(tmp_path):
    missing = tmp_path / "gone.eml"
    items = list(iter_eml([missing]))
    assert items[0].error and "cannot read" in items[0].error


# -- hostile headers: time linear in the size of the message -------------------------------
def _hostile_subject(words: int = 100_000, sep: str = " ") -> bytes:
    return ("From: a@b.example\nTo: c@d.example\nSubject: " + sep.join(["=?utf-8?q?a?="] * words)
            + "\n\nhello\n").encode()


def test_a_huge_encoded_header_is_decoded_only_up_to_the_cap(monkeypatch):
    import email.header
    import hashlib

    from gdprkit.importers.message import MAX_HEADER_CHARS

    decoded = []
    real = email.header.decode_header

    def spy(value):
        decoded.append(len(str(value)))
        return real(value)

    monkeypatch.setattr(email.header, "decode_header", spy)
    raw = _hostile_subject()  # 1.4 MB: 100,000 encoded words
    pm = parse_message(raw, "hostile.eml")
    assert decoded and max(decoded) <= MAX_HEADER_CHARS
    assert sum(decoded) < 4 * MAX_HEADER_CHARS  # From, To, Subject: not the 1.4 MB
    assert pm.subject.startswith("a" * 1000) and len(pm.subject) <= MAX_HEADER_CHARS
    assert any(p.startswith("header Subject of 1399999 characters: only its first") for p in pm.problems)
    assert pm.raw == raw and pm.raw_sha256 == hashlib.sha256(raw).hexdigest()  # evidence intact


def test_huge_parameter_headers_are_capped_in_every_part():
    from gdprkit.importers.message import MAX_HEADER_CHARS

    params = "; a=b" * 200_000  # the stdlib's parameter parser is quadratic in this
    raw = ("Subject: x\nContent-Type: multipart/mixed; boundary=zz" + params + "\n\n--zz\n"
           "Content-Type: text/plain; charset=utf-8" + params + "\n\nhi there\n--zz--\n").encode()
    pm = parse_message(raw, "params.eml")
    assert pm.text.strip() == "hi there"
    assert [p.split(" of ")[0] for p in pm.problems if p.startswith("header")] == [
        "header Content-Type", "header Content-Type"]
    assert all(len(v) <= MAX_HEADER_CHARS for vs in pm.headers.values() for v in vs)


def test_hostile_headers_parse_in_time_comparable_to_a_normal_message_of_that_size():
    import time

    def best_of(raw, runs=3, enough=None):
        best = float("inf")
        for _ in range(runs):
            t0 = time.perf_counter()
            parse_message(raw, "m")
            best = min(best, time.perf_counter() - t0)
            if enough is not None and best <= enough:
                break
        return best

    hostile = [_hostile_subject(), _hostile_subject(sep="\n "),
               ("Subject: x\nContent-Type: text/plain; charset=utf-8" + "; a=b" * 300_000 + "\n\nhi\n").encode()]
    for raw in hostile:
        normal = ("From: a@b.example\nTo: c@d.example\nSubject: hello\n\n"
                  + "hello world, a normal line\n" * (len(raw) // 27)).encode()
        baseline = best_of(normal)
        assert best_of(raw, enough=baseline * 3) <= baseline * 10, len(raw)


def test_hostile_html_and_addresses_parse_in_time_comparable_to_a_normal_message():
    import time

    def best_of(raw, runs=3, enough=None):
        best = float("inf")
        for _ in range(runs):
            t0 = time.perf_counter()
            parse_message(raw, "m")
            best = min(best, time.perf_counter() - t0)
            if enough is not None and best <= enough:
                break
        return best

    html = "Content-Type: text/html; charset=utf-8\n\n"
    hostile = [(html + "<" * 100_000).encode(), (html + "<br" * 100_000).encode(),
               (html + "<script>" * 50_000).encode(), (html + "<a x>" * 60_000).encode(),
               ("From: " + "a" * 16_000 + "\nSubject: x\n\nhi\n").encode()]
    for raw in hostile:
        normal = (html + "<p>hello <b>world</b>, a normal line</p>\n" * (len(raw) // 38)).encode()
        baseline = best_of(normal)
        assert best_of(raw, enough=baseline * 3) <= baseline * 10 + 0.01, raw[:60]


def test_html_to_text_and_links_keep_their_results():
    markup = ("<html><head><title>T</title><style>p{}</style></head><body><p>Hello&nbsp;<b>you</b></p>"
              "<SCRIPT>x()</script ><p>bye</p><a href=\"https://x.example/u\">Unsub<b>scribe</b></a>"
              " and <A HREF=y>two</A > <a>open")
    assert html_to_text(markup).split() == ["Hello", "you", "bye", "Unsub", "scribe", "and", "two", "open"]
    assert html_links(markup) == [("Unsub scribe", "https://x.example/u"), ("two", "y")]


def test_a_message_the_parser_cannot_read_is_an_error_item():
    from gdprkit.importers import Importer

    depth = 2000
    raw = ("Subject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n"
           + "".join(f"--b{i - 1}\nContent-Type: multipart/mixed; boundary=b{i}\n\n" for i in range(1, depth))
           + "hi\n").encode()
    pm = parse_message(raw, "deep.eml")
    assert pm.error and pm.error.startswith("unparseable message: RecursionError")
    importer = Importer(None, dry_run=True)
    [item] = list(importer.run([pm]))
    assert item.status == "error" and item.problems[0] == pm.error
    assert importer.summary()["error"] == 1 and importer.summary()["unclassified"] == 0
