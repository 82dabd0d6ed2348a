"""C2SP signed notes and tlog checkpoints: published vectors from Go's
sumdb/note and the C2SP specs, round trips, tampering, strict parsing."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from gdprkit.errors import BadInput, TamperDetected
from gdprkit.ledger.merkle import MerkleTree, leaf_hash
from gdprkit.ledger.note import (
    checkpoint_body,
    key_id,
    parse_checkpoint,
    parse_note,
    parse_verifier_key,
    sign_note,
    verifier_key,
    verify_note,
)

VECTORS = json.loads((Path(__file__).parent / "vectors" / "signed_note.json").read_text())
GO = VECTORS["go_note"]
SPEC = VECTORS["spec_note"]
SPEC_CP = VECTORS["spec_checkpoint"]
DASH = "\u2014"


def go_seed() -> bytes:
    # PRIVATE+KEY+<name>+<id>+base64(0x01 || seed); the base64 itself holds a '+'.
    raw = base64.b64decode(GO["signer_key"].split("+", 4)[4])
    assert raw[0] == 0x01
    return raw[1:]


def public_of(seed: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


SEED = bytes(range(32))
PUB = public_of(SEED)
NAME = "gdprkit.example/ledger"
BODY = checkpoint_body(NAME, 8, bytes(range(32)))


# -- known answers -------------------------------------------------------------


def test_go_sumdb_note_sign_known_answer():
    seed = go_seed()
    assert sign_note(GO["text"], "PeterNeumann", seed) == GO["note"]
    assert verifier_key("PeterNeumann", public_of(seed)) == GO["verifier_key"]
    assert key_id("PeterNeumann", public_of(seed)).hex() == "c74f20a3"


def test_go_sumdb_note_open_known_answer():
    name, pub = parse_verifier_key(GO["verifier_key"])
    assert name == "PeterNeumann"
    assert verify_note(GO["note"], name, pub) == GO["text"]
    body, sigs = parse_note(GO["note"])
    assert body == GO["text"]
    assert [(n, k.hex(), len(s)) for n, k, s in sigs] == [("PeterNeumann", "c74f20a3", 64)]


def test_go_sumdb_note_second_signer_known_answer():
    seed = bytes.fromhex(GO["second_seed_hex"])
    assert verifier_key("EnochRoot", public_of(seed)) == GO["second_verifier_key"]
    signed = sign_note(GO["text"], "EnochRoot", seed)
    assert signed == GO["text"] + "\n" + GO["second_signature_line"]
    # The co-signed note of Go's ExampleSign_add_signatures verifies by each key.
    cosigned = GO["note"] + GO["second_signature_line"]
    for vkey in (GO["verifier_key"], GO["second_verifier_key"]):
        assert verify_note(cosigned, *parse_verifier_key(vkey)) == GO["text"]


def test_signed_note_spec_example_verifies():
    name, pub = parse_verifier_key(SPEC["verifier_key"])
    assert name == "example.com/foo"
    assert key_id(name, pub).hex() == "530d903a"
    assert verifier_key(name, pub) == SPEC["verifier_key"]
    assert verify_note(SPEC["note"], name, pub) == SPEC["text"]


def test_tlog_checkpoint_spec_example_parses():
    body, sigs = parse_note(SPEC_CP["note"])
    origin, size, root, extensions = parse_checkpoint(body)
    assert origin == SPEC_CP["origin"]
    assert size == SPEC_CP["tree_size"]
    assert root == base64.b64decode(SPEC_CP["root_hash_b64"])
    assert extensions == ()
    assert checkpoint_body(origin, size, root) == body
    ((sig_name, kid, sig),) = sigs
    assert sig_name == origin and len(kid) == 4 and len(sig) == 64


# -- round trips and tampering ---------------------------------------------------


def test_sign_is_deterministic_and_round_trips():
    note = sign_note(BODY, NAME, SEED)
    assert note == sign_note(BODY, NAME, SEED)
    assert note.startswith(BODY + "\n" + DASH + " " + NAME + " ")
    assert note.endswith("\n")
    assert verify_note(note, NAME, PUB) == BODY
    assert verify_note(note.encode("utf-8"), NAME, PUB) == BODY
    assert parse_verifier_key(verifier_key(NAME, PUB)) == (NAME, PUB)


def test_checkpoint_of_a_real_tree_end_to_end():
    hashes = [leaf_hash(str(i).encode()) for i in range(1000)]
    tree = MerkleTree(hashes)
    body = checkpoint_body(NAME, tree.size, tree.root(), ["gdprkit ledger v1"])
    note = sign_note(body, NAME, SEED)
    origin, size, root, extensions = parse_checkpoint(verify_note(note, NAME, PUB))
    assert (origin, size, root, extensions) == (NAME, 1000, tree.root(), ("gdprkit ledger v1",))


def _tamper_variants(note: str):
    body, _ = note.split("\n\n")
    yield "size changed", note.replace("\n8\n", "\n9\n", 1)
    yield "origin changed", note.replace(NAME, NAME + "x", 1)
    yield "line added", body + "\nextra\n\n" + note.split("\n\n")[1]
    line_start = note.rindex(DASH)
    blob_start = note.rindex(" ") + 1
    blob = base64.b64decode(note[blob_start:-1])
    for i in (4, 20, 67):  # inside the signature, after the 4-byte key ID
        forged = blob[:i] + bytes([blob[i] ^ 1]) + blob[i + 1 :]
        yield f"signature byte {i}", note[:blob_start] + base64.b64encode(forged).decode() + "\n"
    yield (
        "key id changed",
        (note[:blob_start] + base64.b64encode(bytes([blob[0] ^ 1]) + blob[1:]).decode() + "\n"),
    )
    yield "signature line removed", note[:line_start] + DASH + " other " + note[blob_start:]


@pytest.mark.parametrize("desc", [d for d, _ in _tamper_variants(sign_note(BODY, NAME, SEED))])
def test_tampered_note_rejected(desc):
    note = dict(_tamper_variants(sign_note(BODY, NAME, SEED)))[desc]
    with pytest.raises(TamperDetected, match=r"^checkpoint signature does not verify"):
        verify_note(note, NAME, PUB)


def test_wrong_key_or_name_rejected():
    note = sign_note(BODY, NAME, SEED)
    other = public_of(bytes(32))
    with pytest.raises(TamperDetected, match="no signature by"):
        verify_note(note, NAME, other)
    with pytest.raises(TamperDetected, match="no signature by"):
        verify_note(note, "someone.else", PUB)
    # Same name and key ID but a forged signature: the key is known, so it is checked.
    fake_sig = base64.b64encode(key_id(NAME, PUB) + bytes(64)).decode()
    with pytest.raises(TamperDetected, match="is invalid"):
        verify_note(BODY + "\n" + f"{DASH} {NAME} {fake_sig}\n", NAME, PUB)
    short_sig = base64.b64encode(key_id(NAME, PUB) + bytes(10)).decode()
    with pytest.raises(TamperDetected, match="is invalid"):
        verify_note(BODY + "\n" + f"{DASH} {NAME} {short_sig}\n", NAME, PUB)


def test_unknown_signatures_are_ignored_but_a_bad_known_one_fails():
    note = sign_note(BODY, NAME, SEED)
    witness = sign_note(BODY, "witness.example", bytes(32)).split("\n\n")[1]
    assert verify_note(note + witness, NAME, PUB) == BODY
    assert verify_note(BODY + "\n" + witness + note.split("\n\n")[1], NAME, PUB) == BODY
    # A second, invalid signature by the same key poisons the note.
    bad = f"{DASH} {NAME} " + base64.b64encode(key_id(NAME, PUB) + bytes(64)).decode() + "\n"
    with pytest.raises(TamperDetected):
        verify_note(note + bad, NAME, PUB)


lines = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), min_codepoint=0x20),
    min_size=1,
    max_size=40,
)
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"), min_codepoint=0x21),
    min_size=1,
    max_size=20,
).filter(lambda s: "+" not in s and not any(c.isspace() for c in s))


@settings(max_examples=80, deadline=None)
@given(st.lists(lines, min_size=1, max_size=6), names, st.binary(min_size=32, max_size=32))
def test_round_trip_property(body_lines, name, seed):
    body = "\n".join(body_lines) + "\n"
    note = sign_note(body, name, seed)
    pub = public_of(seed)
    assert verify_note(note, name, pub) == body
    parsed_body, sigs = parse_note(note)
    assert parsed_body == body
    assert [(n, k) for n, k, _ in sigs] == [(name, key_id(name, pub))]
    assert parse_verifier_key(verifier_key(name, pub)) == (name, pub)


# -- strict parsing ---------------------------------------------------------------

GOOD = sign_note(BODY, NAME, SEED)
GOOD_LINE = GOOD.split("\n\n")[1]
GOOD_BLOB = GOOD_LINE.rsplit(" ", 1)[1][:-1]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(BODY, id="no signature block"),
        pytest.param(BODY + "\n", id="empty signature block"),
        pytest.param(GOOD[:-1], id="no final newline"),
        pytest.param("\n" + GOOD, id="leading blank line"),
        pytest.param(BODY.replace("\n8\n", "\n8\n\n") + "\n" + GOOD_LINE, id="blank line in body"),
        pytest.param(GOOD.replace("\n", "\r\n"), id="CRLF"),
        pytest.param(GOOD.replace(NAME, NAME + "\t", 1), id="tab"),
        pytest.param(GOOD.replace(NAME, NAME + "\x00", 1), id="NUL"),
        pytest.param(GOOD.replace(NAME, NAME + "\ud800", 1), id="lone surrogate"),
        pytest.param(GOOD.replace(DASH, "-"), id="hyphen instead of em dash"),
        pytest.param(GOOD.replace(DASH + " ", DASH), id="no space after dash"),
        pytest.param(GOOD.replace(f" {NAME} ", f"  {NAME} "), id="double space"),
        pytest.param(GOOD.replace(f"{NAME} ", f"{NAME}+x ", 1), id="plus in name"),
        pytest.param(BODY + "\n" + f"{DASH}  {GOOD_BLOB}\n", id="empty name"),
        pytest.param(BODY + "\n" + f"{DASH} {NAME}\n", id="no signature"),
        pytest.param(BODY + "\n" + f"{DASH} {NAME} {GOOD_BLOB} x\n", id="trailing field"),
        pytest.param(BODY + "\n" + f"{DASH} {NAME} {GOOD_BLOB.rstrip('=')}\n", id="unpadded"),
        pytest.param(BODY + "\n" + f"{DASH} {NAME} {GOOD_BLOB[:-2]}!=\n", id="bad base64"),
        pytest.param(BODY + "\n" + f"{DASH} {NAME} AAAA\n", id="three-byte signature"),
        pytest.param(BODY + "\n" + f"{DASH} {NAME} AAAAAAB=\n", id="non-canonical base64"),
        pytest.param(GOOD + "\n", id="blank line after signatures"),
        pytest.param(GOOD + "junk\n", id="junk signature line"),
        pytest.param(BODY + "\n" + GOOD_LINE * 101, id="101 signatures"),
    ],
)
def test_parse_note_rejects_malformed(text):
    with pytest.raises(BadInput):
        parse_note(text)
    with pytest.raises(BadInput):
        verify_note(text, NAME, PUB)


def test_parse_note_rejects_non_utf8_bytes():
    with pytest.raises(BadInput, match="UTF-8"):
        parse_note(GOOD.encode("utf-8").replace(b"8\n", b"\xff\n", 1))


def test_parse_note_accepts_up_to_100_signatures():
    body, sigs = parse_note(BODY + "\n" + GOOD_LINE * 100)
    assert body == BODY and len(sigs) == 100


@pytest.mark.parametrize(
    "body, name, key",
    [
        ("no newline", NAME, SEED),
        ("a\n\nb\n", NAME, SEED),
        ("\n", NAME, SEED),
        ("tab\there\n", NAME, SEED),
        (BODY, "", SEED),
        (BODY, "has space", SEED),
        (BODY, "has+plus", SEED),
        (BODY, NAME, SEED[:31]),
    ],
)
def test_sign_note_rejects_bad_input(body, name, key):
    with pytest.raises(BadInput):
        sign_note(body, name, key)


def test_parse_verifier_key_rejects_every_mangling():
    # As golang.org/x/mod/sumdb/note TestNewVerifier: every proper substring
    # and every single-character change of a valid key is refused.
    vkey = GO["verifier_key"]
    assert parse_verifier_key(vkey)[0] == "PeterNeumann"
    for i in range(len(vkey) + 1):
        for j in range(i + 1, len(vkey) + 1):
            if (i, j) != (0, len(vkey)):
                with pytest.raises(BadInput):
                    parse_verifier_key(vkey[i:j])
    for i in range(len(vkey)):
        mangled = vkey[:i] + chr(ord(vkey[i]) + 1) + vkey[i + 1 :]
        with pytest.raises(BadInput):
            parse_verifier_key(mangled)
    with pytest.raises(BadInput):
        parse_verifier_key(vkey.replace("c74f20a3", "C74F20A3"))
    other_alg = base64.b64encode(b"\x02" + parse_verifier_key(vkey)[1]).decode()
    with pytest.raises(BadInput):
        parse_verifier_key(f"PeterNeumann+c74f20a3+{other_alg}")


# -- checkpoints ------------------------------------------------------------------


def test_checkpoint_body_format():
    root = bytes(range(32))
    assert checkpoint_body("example.com/log", 0, root) == (
        "example.com/log\n0\n" + base64.b64encode(root).decode() + "\n"
    )
    body = checkpoint_body("example.com/log", 20852163, root, ["ext one", "ext two"])
    assert body.splitlines()[1] == "20852163"
    assert body.endswith("ext one\next two\n")
    assert parse_checkpoint(body) == ("example.com/log", 20852163, root, ("ext one", "ext two"))
    assert parse_checkpoint(checkpoint_body("o", 2**64 - 1, root))[1] == 2**64 - 1


ROOT_B64 = base64.b64encode(bytes(32)).decode()


@pytest.mark.parametrize(
    "body",
    [
        f"origin\n007\n{ROOT_B64}\n",
        f"origin\n-1\n{ROOT_B64}\n",
        f"origin\n+1\n{ROOT_B64}\n",
        f"origin\n 1\n{ROOT_B64}\n",
        f"origin\n1 \n{ROOT_B64}\n",
        f"origin\n\u0663\n{ROOT_B64}\n",  # ARABIC-INDIC DIGIT THREE
        f"origin\n1_000\n{ROOT_B64}\n",
        f"origin\n{2**64}\n{ROOT_B64}\n",
        f"origin\n\n{ROOT_B64}\n",
        f"\n1\n{ROOT_B64}\n",
        f"origin\n1\n{ROOT_B64}",
        f"origin\n1\n{ROOT_B64}\n\next\n",
        "origin\n1\n",
        f"origin\n1\n{base64.b64encode(bytes(31)).decode()}\n",
        f"origin\n1\n{base64.b64encode(bytes(33)).decode()}\n",
        f"origin\n1\n{ROOT_B64.rstrip('=')}\n",
        f"origin\n1\n{ROOT_B64[:-2]}B=\n",  # non-canonical padding bits
        f"origin\n1\n{base64.urlsafe_b64encode(bytes([0xFB] * 32)).decode()}\n",
    ],
)
def test_parse_checkpoint_is_strict(body):
    with pytest.raises(BadInput):
        parse_checkpoint(body)


@pytest.mark.parametrize(
    "args",
    [
        ("", 1, bytes(32)),
        ("two\nlines", 1, bytes(32)),
        ("o", -1, bytes(32)),
        ("o", 2**64, bytes(32)),
        ("o", True, bytes(32)),
        ("o", 1, bytes(31)),
        ("o", 1, bytes(32), [""]),
        ("o", 1, bytes(32), ["a\nb"]),
        ("o", 1, bytes(32), "not a list"),
        ("o\r", 1, bytes(32)),
    ],
)
def test_checkpoint_body_rejects_bad_input(args):
    with pytest.raises(BadInput):
        checkpoint_body(*args)
