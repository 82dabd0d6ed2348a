"""Batch input: CSV and JSONL as users really have them (encodings, delimiters, quoting)."""

from __future__ import annotations

import io

import pytest

from gdprkit import BadInput
from gdprkit._batch_rows import MAX_LINE, SourceRow, open_source

HEADER = "kind,lang,requester_name,recipient_name,facts"


def rows_of(data: bytes, fmt: str | None = "csv") -> list[SourceRow]:
    with open_source(io.BytesIO(data), input_format=fmt) as src:
        return list(src.rows())


def test_excel_italian_csv_with_bom_semicolons_and_quoted_newlines():
    data = ("\ufeffkind;lang;requester_name;recipient_name;facts\r\n"
            "objection;it;Ada Rossi;\"Rossi; Mario\";\"riga uno\r\nriga due\"\r\n"
            ";;;;\r\n"
            "\r\n"
            "erasure;de;Ada;Jörg Müller;\"He said \"\"hi\"\"\"\r\n").encode("utf-8")
    rows = rows_of(data)
    assert [(r.row, r.line) for r in rows] == [(1, 2), (2, 6)]
    assert rows[0].values == {"kind": "objection", "lang": "it", "requester_name": "Ada Rossi",
                              "recipient_name": "Rossi; Mario", "facts": "riga uno\r\nriga due"}
    assert rows[1].values["recipient_name"] == "Jörg Müller"
    assert rows[1].values["facts"] == 'He said "hi"'


def test_classic_mac_csv_with_lone_cr_line_ends():
    # Excel for Mac's "CSV (Macintosh)": every line ends in CR alone
    data = ("\ufeffkind;lang;requester_name;recipient_name;facts\r"
            "objection;it;Ada Rossi;\"Rossi; Mario\";\"riga uno\rriga due\"\r"
            "\r"
            "erasure;de;Ada;Jörg Müller;x\r").encode("utf-8")
    rows = rows_of(data)
    assert [(r.row, r.line) for r in rows] == [(1, 2), (2, 5)]
    assert rows[0].values["recipient_name"] == "Rossi; Mario"
    assert rows[0].values["facts"] == "riga uno\nriga due"
    assert rows[1].values == {"kind": "erasure", "lang": "de", "requester_name": "Ada",
                              "recipient_name": "Jörg Müller", "facts": "x"}
    # a long CR-only file is read in bounded pieces, line by line
    many = b"kind,facts\r" + b"".join(b"objection,row %d\r" % i for i in range(5000))
    rows = rows_of(many)
    assert len(rows) == 5000 and rows[-1].values["facts"] == "row 4999"


def test_comma_csv_without_bom_header_normalised_and_short_rows():
    data = b"Kind, Recipient Name ,requester-name\nobjection,Acme\n"
    (r,) = rows_of(data)
    assert r.values == {"kind": "objection", "recipient_name": "Acme"}


def test_too_many_fields_is_a_row_error():
    rows = rows_of(f"{HEADER}\nobjection,en,a,b,c,EXTRA\nobjection,en,a,b,c,\n".encode())
    assert rows[0].error == "has 6 fields but the header has 5"
    assert rows[1].error is None  # a trailing empty field is harmless


@pytest.mark.parametrize(("data", "message"), [
    ("kind,facts\nobjection,caff\xe8\n".encode("cp1252"),
     r"line 2 is not valid UTF-8 \(byte 0xe8 at column 15; the file looks like Latin-1"),
    ("kind,facts\nobjection,\u20ac\n".encode("cp1252"), r"line 2 is not valid UTF-8 \(byte 0x80"),
    ("kind,facts\nobjection,x\n".encode("utf-16"), "is encoded in UTF-16, not UTF-8"),
    ("kind,facts\nobjection,x\n".encode("utf-16-le"), "line 1 contains NUL bytes"),
    ("kind,facts\n".encode("utf-32"), "is encoded in UTF-32"),
    (b"kind,facts\nobjection,\"unclosed\nerasure,x\n", "line 3: unexpected end of data"),
    (b"kind,facts\nobjection,\"a\"b\n", r"line 2: ',' expected after '\"'"),
    (b"kind,factz\n", "line 1: unknown column 'factz'"),
    (b"kind,facts,kind\n", "the column 'kind' appears twice"),
    (b"facts,lang\nx,en\n", "the header has no 'kind' column"),
    (b"kind,,facts\n", "the header has an empty column name"),
    (b"\n\n", "is empty"),
    (b"kind,facts\nobjection," + b"x" * (MAX_LINE + 10) + b"\n", "line 2 is longer than"),
])
def test_unreadable_csv_is_refused_naming_the_line(data, message):
    with pytest.raises(BadInput, match=message):
        rows_of(data)


def test_file_problems_found_before_any_row_is_used(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"kind,facts\n" + b"objection,ok\n" * 100 + "objection,\xe8\n".encode("latin-1"))
    with pytest.raises(BadInput, match="line 102 is not valid UTF-8"):
        open_source(path)
    path.write_bytes(b"kind,facts\n" + b"objection,ok\n" * 100)
    with open_source(path) as src:
        assert src.total == 100 and src.format == "csv"
        assert sum(1 for _ in src.rows()) == 100


def test_jsonl_blank_lines_skipped_bad_lines_are_row_errors():
    data = (b'{"kind": "objection", "facts": "a\\nb", "sent": null, "output": 7}\n'
            b"\n   \n"
            b"[1, 2]\n"
            b"{not json\n"
            b'{"kind": "erasure", "bogus": 1}\n'
            b'{"kind": {"x": 1}}\n'
            b'{"kind": "access"}')
    rows = rows_of(data, None)
    assert [(r.row, r.line) for r in rows] == [(1, 1), (2, 4), (3, 5), (4, 6), (5, 7), (6, 8)]
    assert rows[0].values == {"kind": "objection", "facts": "a\nb", "sent": "", "output": "7"}
    assert rows[1].error == "not a JSON object ({...})"
    assert rows[2].error.startswith("not valid JSON: ")
    assert rows[3].error.startswith("unknown key 'bogus'")
    assert rows[4].error == "the value of 'kind' must be a string"
    assert rows[5].values == {"kind": "access"}


def test_jsonl_long_line_is_a_row_error_and_encoding_is_a_file_error():
    data = b'{"kind": "' + b"x" * (MAX_LINE + 5) + b'"}\n{"kind": "access"}\n'
    rows = rows_of(data, "jsonl")
    assert rows[0].error.startswith("the line is longer than")
    assert rows[1].values == {"kind": "access"}
    with pytest.raises(BadInput, match="line 2 is not valid UTF-8"):
        rows_of(b'{"kind": "access"}\n{"facts": "\xe8"}\n', "jsonl")


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("rows.csv", b"kind\nobjection\n", "csv"),
    ("rows.jsonl", b'{"kind": "objection"}\n', "jsonl"),
    ("rows.ndjson", b'{"kind": "objection"}\n', "jsonl"),
    ("rows.data", b'\n{"kind": "objection"}\n', "jsonl"),
    ("rows.data", b"kind\nobjection\n", "csv"),
])
def test_format_from_name_else_first_line(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with open_source(path) as src:
        assert src.format == expected
        assert [r.values for r in src.rows()] == [{"kind": "objection"}]


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(BadInput, match="cannot read the batch file"):
        open_source(tmp_path / "nope.csv")
    with pytest.raises(BadInput, match="is a folder"):
        open_source(tmp_path)
