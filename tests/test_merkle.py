"""RFC 9162 / RFC 6962 Merkle tree: published vectors, forged proofs, and
properties against a direct transcription of the RFC's recursive definitions."""

from __future__ import annotations

import hashlib
import json
import struct
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdprkit.errors import BadInput, ProofError
from gdprkit.ledger.merkle import (
    EMPTY_ROOT,
    Frontier,
    MerkleTree,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

VECTORS = json.loads((Path(__file__).parent / "vectors" / "rfc6962_merkle.json").read_text())
LEAVES = [bytes.fromhex(x) for x in VECTORS["leaves"]]
LEAF_HASHES = [leaf_hash(x) for x in LEAVES]
ROOTS = [bytes.fromhex(x) for x in VECTORS["roots"]]
NODES = [[bytes.fromhex(x) for x in level] for level in VECTORS["node_hashes"]]
TREE = MerkleTree(LEAF_HASHES)


def hx(values):
    return [bytes.fromhex(v) for v in values]


# -- reference: RFC 9162 2.1.1, 2.1.3.1, 2.1.4.1 transcribed literally ---------


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:])).digest()


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return ref_path(m, d[:k]) + [ref_mth(d[k:])]
    return ref_path(m - k, d[k:]) + [ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = _k(n)
    if m <= k:
        return ref_subproof(m, d[:k], b) + [ref_mth(d[k:])]
    return ref_subproof(m - k, d[k:], False) + [ref_mth(d[:k])]


# -- hashing and published vectors ---------------------------------------------


def test_hash_primitives_are_domain_separated_sha256():
    assert EMPTY_ROOT == ROOTS[0] == hashlib.sha256(b"").digest()
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert leaf_hash(b"") == NODES[0][0]
    a, b = LEAF_HASHES[0], LEAF_HASHES[1]
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest() == NODES[1][0]
    # A leaf can never pass for an interior node with the same bytes under it.
    assert leaf_hash(a + b) != node_hash(a, b)


def test_node_hashes_of_reference_tree():
    for level, hashes in enumerate(NODES):
        width = 1 << level
        for i, want in enumerate(hashes):
            assert ref_mth(LEAVES[i * width : (i + 1) * width]) == want


@pytest.mark.parametrize("size", range(9))
def test_roots_of_reference_tree(size):
    want = ROOTS[size]
    assert TREE.root(size) == want
    assert root_from_leaf_hashes(LEAF_HASHES[:size]) == want
    assert MerkleTree(LEAF_HASHES[:size]).root() == want
    frontier = Frontier()
    frontier.extend(LEAF_HASHES[:size])
    assert frontier.size == size
    assert frontier.root() == want


@pytest.mark.parametrize("size", range(9))
def test_frontier_is_the_published_compact_range(size):
    frontier = Frontier()
    frontier.extend(LEAF_HASHES[:size])
    want = [NODES[level][index] for level, index in VECTORS["compact_ranges"][size]]
    assert list(frontier.hashes) == want


@pytest.mark.parametrize(
    "vec", VECTORS["inclusion_proofs"], ids=lambda v: f"{v['index']}@{v['size']}"
)
def test_published_inclusion_proofs(vec):
    index, size, want = vec["index"], vec["size"], hx(vec["proof"])
    assert TREE.inclusion_proof(index, size) == want
    verify_inclusion(LEAF_HASHES[index], index, size, want, ROOTS[size])


@pytest.mark.parametrize(
    "vec", VECTORS["consistency_proofs"], ids=lambda v: f"{v['old_size']}-{v['new_size']}"
)
def test_published_consistency_proofs(vec):
    old, new, want = vec["old_size"], vec["new_size"], hx(vec["proof"])
    assert TREE.consistency_proof(old, new) == want
    verify_consistency(old, new, ROOTS[old], ROOTS[new], want)


def test_full_size_is_the_default():
    assert TREE.size == 8
    assert TREE.root() == ROOTS[8]
    assert TREE.inclusion_proof(5) == TREE.inclusion_proof(5, 8)
    assert TREE.consistency_proof(6) == TREE.consistency_proof(6, 8)


# -- forged proofs ---------------------------------------------------------------

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def _flip(proof, i, bit=0x08):
    out = list(proof)
    out[i] = bytes([out[i][0] ^ bit]) + out[i][1:]
    return out


# No "size + 1" probe: RFC 9162 proofs bind hashes, not the size, so a proof
# can check against a claimed size one larger when the last proof hash is read
# as an interior node (e.g. index 1 of 5 against size 6).  The signed
# checkpoint is what binds a size to its root.
def inclusion_forgeries(index, size, proof, root, leaf):
    yield "index - 1", (leaf, index - 1, size, proof, root)
    yield "index + 1", (leaf, index + 1, size, proof, root)
    yield "index ^ 2", (leaf, index ^ 2, size, proof, root)
    yield "size * 2", (leaf, index, size * 2, proof, root)
    yield "size // 2", (leaf, index, size // 2, proof, root)
    yield "wrong leaf", (leaf_hash(b"WrongLeaf"), index, size, proof, root)
    yield "empty root", (leaf, index, size, proof, EMPTY_ROOT)
    yield "other root", (leaf, index, size, proof, SOME_HASH)
    yield "short root", (leaf, index, size, proof, root[:31])
    yield "trailing root", (leaf, index, size, [*proof, root], root)
    yield "trailing garbage", (leaf, index, size, [*proof, b""], root)
    yield "preceding root", (leaf, index, size, [root, *proof], root)
    yield "preceding garbage", (leaf, index, size, [b"", *proof], root)
    for i in range(len(proof)):
        yield f"proof[{i}] bit flipped", (leaf, index, size, _flip(proof, i), root)
        yield (
            f"proof[{i}] last byte flipped",
            (
                leaf,
                index,
                size,
                [*proof[:i], proof[i][:-1] + bytes([proof[i][-1] ^ 1]), *proof[i + 1 :]],
                root,
            ),
        )
    if proof:
        yield "truncated", (leaf, index, size, proof[:-1], root)
        yield "first dropped", (leaf, index, size, proof[1:], root)
    if len(proof) > 1:
        yield "inserted", (leaf, index, size, [proof[0], SOME_HASH, *proof[1:]], root)
        yield "swapped order", (leaf, index, size, proof[::-1], root)
        yield "swapped first two", (leaf, index, size, [proof[1], proof[0], *proof[2:]], root)


def consistency_forgeries(old, new, old_root, new_root, proof):
    yield "old - 1", (old - 1, new, old_root, new_root, proof)
    yield "old + 1", (old + 1, new, old_root, new_root, proof)
    yield "old ^ 2", (old ^ 2, new, old_root, new_root, proof)
    yield "new * 2", (old, new * 2, old_root, new_root, proof)
    yield "new // 2", (old, new // 2, old_root, new_root, proof)
    yield "wrong old root", (old, new, SOME_HASH, new_root, proof)
    yield "wrong new root", (old, new, old_root, SOME_HASH, proof)
    yield "swapped roots", (old, new, new_root, old_root, proof)
    yield "swapped sizes", (new, old, new_root, old_root, proof)
    yield "empty proof", (old, new, old_root, new_root, [])
    yield "trailing old root", (old, new, old_root, new_root, [*proof, old_root])
    yield "trailing new root", (old, new, old_root, new_root, [*proof, new_root])
    yield "trailing garbage", (old, new, old_root, new_root, [*proof, b""])
    yield "preceding old root", (old, new, old_root, new_root, [old_root, *proof])
    yield "preceding new root", (old, new, old_root, new_root, [new_root, *proof])
    yield "preceding proof[0]", (old, new, old_root, new_root, [proof[0], *proof])
    yield "truncated", (old, new, old_root, new_root, proof[:-1])
    for i in range(len(proof)):
        yield f"proof[{i}] bit flipped", (old, new, old_root, new_root, _flip(proof, i, 0x10))
    if len(proof) > 1:
        yield "swapped order", (old, new, old_root, new_root, proof[::-1])


@pytest.mark.parametrize(
    "vec", VECTORS["inclusion_proofs"], ids=lambda v: f"{v['index']}@{v['size']}"
)
def test_forged_inclusion_proofs_rejected(vec):
    index, size, proof = vec["index"], vec["size"], hx(vec["proof"])
    root, leaf = ROOTS[size], LEAF_HASHES[index]
    verify_inclusion(leaf, index, size, proof, root)
    for desc, args in inclusion_forgeries(index, size, proof, root, leaf):
        with pytest.raises(ProofError):
            verify_inclusion(*args)
            pytest.fail(f"forged inclusion proof accepted: {desc}")


@pytest.mark.parametrize(
    "vec",
    [v for v in VECTORS["consistency_proofs"] if v["proof"]],
    ids=lambda v: f"{v['old_size']}-{v['new_size']}",
)
def test_forged_consistency_proofs_rejected(vec):
    old, new, proof = vec["old_size"], vec["new_size"], hx(vec["proof"])
    verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)
    for desc, args in consistency_forgeries(old, new, ROOTS[old], ROOTS[new], proof):
        with pytest.raises(ProofError):
            verify_consistency(*args)
            pytest.fail(f"forged consistency proof accepted: {desc}")


@pytest.mark.parametrize(
    "index, size", [(0, 0), (1, 0), (2, 1), (1, 1), (-1, 1), (8, 8), (True, 2)]
)
def test_inclusion_rejects_index_not_below_size(index, size):
    with pytest.raises(ProofError):
        verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)


def test_inclusion_single_leaf():
    h = leaf_hash(b"data")
    verify_inclusion(h, 0, 1, [], h)
    with pytest.raises(ProofError):
        verify_inclusion(h, 0, 1, [], b"")
    with pytest.raises(ProofError):
        verify_inclusion(b"", 0, 1, [], h)
    with pytest.raises(ProofError):
        verify_inclusion(h, 0, 1, [h], node_hash(h, h))


def test_inclusion_error_message_says_what_failed():
    proof = TREE.inclusion_proof(5, 8)
    with pytest.raises(ProofError, match=r"has 2 hashes, expected 3"):
        verify_inclusion(LEAF_HASHES[5], 5, 8, proof[:2], ROOTS[8])
    with pytest.raises(ProofError, match=r"index 5 in tree_size 8 does not verify") as info:
        verify_inclusion(LEAF_HASHES[4], 5, 8, proof, ROOTS[8])
    assert ROOTS[8].hex()[:16] in str(info.value)
    assert "\n" not in str(info.value)


def test_consistency_trivial_cases():
    r1 = ROOTS[1]
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    verify_consistency(0, 5, EMPTY_ROOT, ROOTS[5], [])
    verify_consistency(3, 3, ROOTS[3], ROOTS[3], [])
    assert TREE.consistency_proof(0, 5) == []
    assert TREE.consistency_proof(4, 4) == []
    for args in [
        (1, 1, r1, ROOTS[2], []),  # same size, different roots
        (1, 1, r1, r1, [EMPTY_ROOT]),  # same size, non-empty proof
        (0, 1, EMPTY_ROOT, r1, [EMPTY_ROOT]),  # from empty, non-empty proof
        (0, 1, SOME_HASH, r1, []),  # size 0 claims a non-empty root
        (1, 0, r1, EMPTY_ROOT, []),  # time travel
        (2, 1, ROOTS[2], r1, []),
        (1, 2, r1, ROOTS[2], []),  # empty proof
        (-1, 2, r1, ROOTS[2], []),
        (1, 2, "not bytes", ROOTS[2], [LEAF_HASHES[1]]),
    ]:
        with pytest.raises(ProofError):
            verify_consistency(*args)


def test_consistency_failure_keeps_the_evidence():
    proof = TREE.consistency_proof(6, 8)
    forged_old = ROOTS[5]
    with pytest.raises(ProofError) as info:
        verify_consistency(6, 8, forged_old, ROOTS[8], proof)
    message = str(info.value)
    assert "\n" not in message
    assert "tree_size 6" in message and "tree_size 8" in message
    assert forged_old.hex()[:16] in message and ROOTS[8].hex()[:16] in message
    assert "computed old root" in message
    (evidence,) = info.value.problems
    assert evidence["old_size"] == 6 and evidence["new_size"] == 8
    assert evidence["old_root"] == forged_old.hex()
    assert evidence["new_root"] == ROOTS[8].hex()
    with pytest.raises(ProofError, match=r"old tree_size is larger"):
        verify_consistency(8, 6, ROOTS[8], ROOTS[6], proof)
    with pytest.raises(ProofError, match=r"proof has 2 hashes, expected 3"):
        verify_consistency(6, 8, ROOTS[6], ROOTS[8], proof[:2])


def test_proof_queries_reject_out_of_range_arguments():
    for call in [
        lambda: TREE.inclusion_proof(8),
        lambda: TREE.inclusion_proof(3, 3),
        lambda: TREE.inclusion_proof(-1),
        lambda: TREE.inclusion_proof(0, 9),
        lambda: TREE.root(9),
        lambda: TREE.root(-1),
        lambda: TREE.consistency_proof(5, 4),
        lambda: TREE.consistency_proof(-1, 4),
        lambda: TREE.consistency_proof(1, 9),
        lambda: MerkleTree([]).inclusion_proof(0),
    ]:
        with pytest.raises(BadInput):
            call()


def test_leaf_hashes_must_be_32_bytes():
    with pytest.raises(ValueError):
        MerkleTree([b"short"])
    with pytest.raises(ValueError):
        Frontier().append(b"\x00" * 33)
    with pytest.raises(ValueError):
        root_from_leaf_hashes([b""])


# -- Frontier serialisation ---------------------------------------------------


def test_frontier_bytes_layout():
    frontier = Frontier()
    frontier.extend(LEAF_HASHES[:7])
    data = frontier.to_bytes()
    assert data[:9] == b"\x01" + struct.pack(">Q", 7)
    assert data[9:] == NODES[2][0] + NODES[1][2] + NODES[0][6]
    assert Frontier.from_bytes(data) == frontier
    assert Frontier().to_bytes() == b"\x01" + bytes(8)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x01",
        b"\x01" + bytes(7),
        b"\x02" + bytes(8),  # unknown version
        b"\x00" + bytes(8),
        b"\x01" + struct.pack(">Q", 1),  # size 1 needs one hash
        b"\x01" + struct.pack(">Q", 0) + bytes(32),  # size 0 needs none
        b"\x01" + struct.pack(">Q", 3) + bytes(32),  # size 3 needs two
        b"\x01" + struct.pack(">Q", 2) + bytes(33),  # trailing byte
        b"\x01" + struct.pack(">Q", 2) + bytes(31),  # truncated hash
        b"\x01" + struct.pack(">Q", 1 << 63) + bytes(32),  # size out of range
    ],
)
def test_frontier_from_bytes_is_strict(data):
    with pytest.raises(ValueError):
        Frontier.from_bytes(data)


def test_frontier_continues_after_round_trip():
    first = Frontier()
    first.extend(LEAF_HASHES[:5])
    resumed = Frontier.from_bytes(first.to_bytes())
    resumed.extend(LEAF_HASHES[5:])
    assert resumed.size == 8 and resumed.root() == ROOTS[8]
    copy = resumed.copy()
    copy.append(LEAF_HASHES[0])
    assert resumed.size == 8 and copy.size == 9


def test_frontier_hashing_is_linear(monkeypatch):
    # n appends do exactly n - popcount(n) node hashes.
    import gdprkit.ledger.merkle as merkle

    calls = 0
    real = merkle.node_hash

    def counting(left, right):
        nonlocal calls
        calls += 1
        return real(left, right)

    monkeypatch.setattr(merkle, "node_hash", counting)
    frontier = Frontier()
    n = 1000
    frontier.extend(leaf_hash(i.to_bytes(4, "big")) for i in range(n))
    assert calls == n - n.bit_count()
    assert frontier.root() == MerkleTree([leaf_hash(i.to_bytes(4, "big")) for i in range(n)]).root()


def test_merkle_tree_append_matches_fresh_build():
    grown = MerkleTree()
    for i, h in enumerate(LEAF_HASHES * 5):
        grown.append(h)
        fresh = MerkleTree((LEAF_HASHES * 5)[: i + 1])
        assert grown.root() == fresh.root()
        assert grown.inclusion_proof(i // 2) == fresh.inclusion_proof(i // 2)


# -- properties against the reference ----------------------------------------------

leaf_lists = st.lists(st.binary(max_size=8), max_size=33)


@settings(max_examples=60, deadline=None)
@given(leaf_lists)
def test_every_prefix_root_agrees(leaves):
    hashes = [leaf_hash(x) for x in leaves]
    tree = MerkleTree(hashes)
    frontier = Frontier()
    for m in range(len(hashes) + 1):
        want = ref_mth(leaves[:m])
        assert frontier.size == m
        assert frontier.root() == tree.root(m) == root_from_leaf_hashes(hashes[:m]) == want
        restored = Frontier.from_bytes(frontier.to_bytes())
        assert restored == frontier and restored.root() == want
        if m < len(hashes):
            frontier.append(hashes[m])


@settings(max_examples=40, deadline=None)
@given(leaf_lists.filter(bool))
def test_every_inclusion_proof_verifies(leaves):
    hashes = [leaf_hash(x) for x in leaves]
    tree = MerkleTree(hashes)
    for size in range(1, len(hashes) + 1):
        root = tree.root(size)
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert proof == ref_path(index, leaves[:size])
            verify_inclusion(hashes[index], index, size, proof, root)


@settings(max_examples=40, deadline=None)
@given(leaf_lists.filter(bool))
def test_every_consistency_proof_verifies(leaves):
    hashes = [leaf_hash(x) for x in leaves]
    tree = MerkleTree(hashes)
    for new in range(1, len(hashes) + 1):
        for old in range(1, new + 1):
            proof = tree.consistency_proof(old, new)
            want = [] if old == new else ref_subproof(old, leaves[:new], True)
            assert proof == want
            verify_consistency(old, new, tree.root(old), tree.root(new), proof)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=300),
    st.data(),
)
def test_random_forgery_never_verifies(size, data):
    hashes = [leaf_hash(i.to_bytes(2, "big")) for i in range(size)]
    tree = MerkleTree(hashes)
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion_proof(index, size)
    verify_inclusion(hashes[index], index, size, proof, tree.root(size))
    other = data.draw(st.integers(0, size - 1))
    if other != index:
        with pytest.raises(ProofError):
            verify_inclusion(hashes[index], other, size, proof, tree.root(size))
    new = data.draw(st.integers(1, size))
    old = data.draw(st.integers(1, new))
    cproof = tree.consistency_proof(old, new)
    verify_consistency(old, new, tree.root(old), tree.root(new), cproof)
    if cproof:
        i = data.draw(st.integers(0, len(cproof) - 1))
        with pytest.raises(ProofError):
            verify_consistency(old, new, tree.root(old), tree.root(new), _flip(cproof, i, 0x01))
    if old < new:
        # An old tree that is not a prefix: change its last leaf.
        forked = MerkleTree([*hashes[: old - 1], leaf_hash(b"forked")])
        with pytest.raises(ProofError):
            verify_consistency(old, new, forked.root(), tree.root(new), cproof)


# -- scale ----------------------------------------------------------------------


def test_hundred_thousand_leaves_fast():
    n = 100_000
    hashes = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(n)]
    start = time.perf_counter()
    tree = MerkleTree(hashes)
    built = time.perf_counter() - start
    assert tree.root() == root_from_leaf_hashes(hashes)
    # Generous bounds for slow CI; a build is ~0.1 s, a proof ~0.1 ms.  An
    # O(n) proof would take seconds for the 400 queries below.
    assert built < 2.0
    start = time.perf_counter()
    for q in range(200):
        index, size = (q * 7919) % n, n - q * 13
        index %= size
        proof = tree.inclusion_proof(index, size)
        verify_inclusion(hashes[index], index, size, proof, tree.root(size))
        old = (q * 104729) % size + 1
        cproof = tree.consistency_proof(old, size)
        verify_consistency(old, size, tree.root(old), tree.root(size), cproof)
    assert time.perf_counter() - start < 1.0
