"""RFC 9162 (section 2.1) Merkle tree: hashing, compact frontier, proofs.

The hashing is that of RFC 6962, so a proof made here is checked by any
Certificate Transparency or C2SP tlog verifier (transparency-dev/merkle,
Go's sumdb/tlog) without gdprkit:

    leaf_hash(d)    = SHA-256(0x00 || d)
    node_hash(l, r) = SHA-256(0x01 || l || r)
    MTH({})         = SHA-256("")

Three pieces:

* :class:`Frontier` is what an append-only writer keeps: the roots of the
  perfect subtrees that make up the tree (one per set bit of the size), so a
  new root costs O(log n) memory and amortised O(1) hashing per leaf.
* :class:`MerkleTree` keeps every full level once built, so each root of a
  prefix, inclusion proof and consistency proof costs O(log^2 n) lookups and
  hashes, never a pass over the leaves.
* :func:`verify_inclusion` and :func:`verify_consistency` are the verification
  algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2, step for step; they
  raise :class:`~gdprkit.errors.ProofError` naming what failed.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterable, Sequence

from ..errors import BadInput, ProofError

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Frontier",
    "MerkleTree",
    "leaf_hash",
    "node_hash",
    "root_from_leaf_hashes",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

_FRONTIER_VERSION = 1
_FRONTIER_HEADER = struct.Struct(">BQ")  # version, tree size
_MAX_SIZE = (1 << 63) - 1  # sizes are uint64 on the wire; stay clear of the sign bit


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 leaf hash ``SHA-256(0x00 || data)``."""
    return hashlib.sha256(_LEAF_PREFIX + bytes(data)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 interior node hash ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _check_hash(value: bytes, what: str) -> bytes:
    if type(value) is bytes and len(value) == HASH_SIZE:
        return value
    if not isinstance(value, bytes | bytearray | memoryview) or len(value) != HASH_SIZE:
        raise ValueError(f"{what} must be {HASH_SIZE} bytes")
    return bytes(value)


def _fold(subtree_roots: Sequence[bytes]) -> bytes:
    """MTH of a range given the roots of its perfect subtrees, largest first.

    MTH(D[0:n]) = node(MTH(first 2^k), MTH(rest)) with 2^k the largest power
    of two below n, so the root is a right fold over the binary decomposition.
    """
    if not subtree_roots:
        return EMPTY_ROOT
    acc = subtree_roots[-1]
    for h in reversed(subtree_roots[:-1]):
        acc = node_hash(h, acc)
    return acc


def _split_point(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return the Merkle tree hash (MTH) over already-hashed leaves."""
    frontier = Frontier()
    for h in leaf_hashes:
        frontier.append(h)
    return frontier.root()


class Frontier:
    """The compact range of a growing tree: one perfect-subtree root per set
    bit of ``size``, largest (leftmost) first.

    Appending n leaves costs n - popcount(n) node hashes in total; ``root()``
    costs at most log2(n) hashes.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        self._size = 0
        self._hashes: list[bytes] = []

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        """The perfect-subtree roots, largest first (a copy)."""
        return tuple(self._hashes)

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf hash (not the leaf data) to the tree."""
        h = _check_hash(leaf_hash, "leaf hash")
        if self._size >= _MAX_SIZE:
            raise ValueError("tree is full")
        self._hashes.append(h)
        # Every trailing one bit of the old size is a subtree of equal height
        # to the left of the new one: merge them, like a binary carry.
        carry = self._size
        while carry & 1:
            right = self._hashes.pop()
            left = self._hashes.pop()
            self._hashes.append(node_hash(left, right))
            carry >>= 1
        self._size += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append several leaf hashes in order."""
        for h in leaf_hashes:
            self.append(h)

    def root(self) -> bytes:
        """The root hash of the tree of the leaves appended so far."""
        return _fold(self._hashes)

    def copy(self) -> Frontier:
        """An independent copy (appending to it leaves this one unchanged)."""
        other = Frontier()
        other._size = self._size
        other._hashes = list(self._hashes)
        return other

    def to_bytes(self) -> bytes:
        """Serialise as ``version(1) || size(uint64 BE) || hashes (32 bytes each)``."""
        return _FRONTIER_HEADER.pack(_FRONTIER_VERSION, self._size) + b"".join(self._hashes)

    @classmethod
    def from_bytes(cls, data: bytes) -> Frontier:
        """Decode :meth:`to_bytes` output strictly; anything else is ``ValueError``."""
        data = bytes(data)
        if len(data) < _FRONTIER_HEADER.size:
            raise ValueError("frontier: truncated header")
        version, size = _FRONTIER_HEADER.unpack_from(data)
        if version != _FRONTIER_VERSION:
            raise ValueError(f"frontier: unsupported version {version}")
        if size > _MAX_SIZE:
            raise ValueError("frontier: tree size out of range")
        count = size.bit_count()
        body = data[_FRONTIER_HEADER.size :]
        if len(body) != count * HASH_SIZE:
            raise ValueError(
                f"frontier: tree size {size} needs {count} hashes, got {len(body)} bytes"
            )
        frontier = cls()
        frontier._size = size
        frontier._hashes = [body[i : i + HASH_SIZE] for i in range(0, len(body), HASH_SIZE)]
        return frontier

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frontier):
            return NotImplemented
        return self._size == other._size and self._hashes == other._hashes

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"Frontier(size={self._size}, root={self.root().hex()[:16]}…)"


class MerkleTree:
    """An in-memory tree over leaf hashes that answers root and proof queries
    for the whole tree and for any prefix of it.

    ``levels[k][i]`` is the root of the perfect subtree of 2^k leaves that
    starts at leaf ``i * 2^k``; only complete subtrees are stored, so the
    total is under 2n hashes.  Any range the RFC's recursive definitions ask
    for is a right fold of O(log n) of these.
    """

    __slots__ = ("_levels",)

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        leaves = [_check_hash(h, "leaf hash") for h in leaf_hashes]
        levels = [leaves]
        below = leaves
        sha256, prefix = hashlib.sha256, _NODE_PREFIX  # local names: this loop is the hot path
        while len(below) >= 2:
            above = [
                sha256(prefix + below[i] + below[i + 1]).digest()
                for i in range(0, len(below) - 1, 2)
            ]
            levels.append(above)
            below = above
        self._levels = levels

    @property
    def size(self) -> int:
        """Number of leaves."""
        return len(self._levels[0])

    def leaf_hash(self, index: int) -> bytes:
        """The leaf hash at ``index``."""
        self._check_index(index, self.size)
        return self._levels[0][index]

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf hash; amortised O(1) hashing."""
        levels = self._levels
        levels[0].append(_check_hash(leaf_hash, "leaf hash"))
        k = 0
        while len(levels[k]) % 2 == 0:
            parent = node_hash(levels[k][-2], levels[k][-1])
            if k + 1 == len(levels):
                levels.append([])
            levels[k + 1].append(parent)
            k += 1

    # -- queries -------------------------------------------------------------

    def _resolve_size(self, size: int | None) -> int:
        if size is None:
            return self.size
        if not isinstance(size, int) or isinstance(size, bool):
            raise BadInput(f"tree size must be an integer, not {type(size).__name__}")
        if size < 0 or size > self.size:
            raise BadInput(f"tree size {size} is outside 0..{self.size}")
        return size

    @staticmethod
    def _check_index(index: int, size: int) -> None:
        if not isinstance(index, int) or isinstance(index, bool):
            raise BadInput(f"leaf index must be an integer, not {type(index).__name__}")
        if not 0 <= index < size:
            raise BadInput(f"leaf index {index} is outside a tree of size {size}")

    def _range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range the RFC recursion produces.

        Such a range starts at a multiple of the largest power of two not
        above its length, so its binary decomposition is made of stored
        subtrees.
        """
        pos = start
        n = end - start
        roots = []
        for k in range(n.bit_length() - 1, -1, -1):
            if n >> k & 1:
                roots.append(self._levels[k][pos >> k])
                pos += 1 << k
        return _fold(roots)

    def root(self, size: int | None = None) -> bytes:
        """Root hash of the first ``size`` leaves (default: all of them)."""
        return self._range_hash(0, self._resolve_size(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 2.1.3.1 inclusion proof of leaf ``index`` in the tree of
        the first ``size`` leaves, leaf-side sibling first."""
        size = self._resolve_size(size)
        self._check_index(index, size)
        proof: list[bytes] = []
        # Walk PATH(m, D[start:end]) from the root down, collecting siblings;
        # the RFC lists them bottom-up, so reverse at the end.
        start, end, m = 0, size, index
        while end - start > 1:
            k = _split_point(end - start)
            if m < k:
                proof.append(self._range_hash(start + k, end))
                end = start + k
            else:
                proof.append(self._range_hash(start, start + k))
                start += k
                m -= k
        proof.reverse()
        return proof

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """RFC 9162 2.1.4.1 consistency proof from the tree of ``old_size``
        leaves to the tree of ``new_size`` leaves (default: all of them).

        Empty when ``old_size`` is 0 or equal to ``new_size``: those need no
        proof (RFC 9162 defines proofs only for 0 < old_size < new_size).
        """
        new_size = self._resolve_size(new_size)
        if not isinstance(old_size, int) or isinstance(old_size, bool):
            raise BadInput(f"tree size must be an integer, not {type(old_size).__name__}")
        if not 0 <= old_size <= new_size:
            raise BadInput(f"old tree size {old_size} is outside 0..{new_size}")
        if old_size == 0 or old_size == new_size:
            return []
        proof: list[bytes] = []
        # SUBPROOF(m, D[start:end], b), iteratively and top-down.
        start, end, m, known = 0, new_size, old_size, True
        while m != end - start:
            k = _split_point(end - start)
            if m <= k:
                proof.append(self._range_hash(start + k, end))
                end = start + k
            else:
                proof.append(self._range_hash(start, start + k))
                start += k
                m -= k
                known = False
        if not known:
            proof.append(self._range_hash(start, end))
        proof.reverse()
        return proof

    def __repr__(self) -> str:
        return f"MerkleTree(size={self.size}, root={self.root().hex()[:16]}…)"


# -- verification (RFC 9162 2.1.3.2 and 2.1.4.2) ------------------------------


def _short(h: object) -> str:
    if not isinstance(h, bytes | bytearray) or not h:
        return "<none>"
    return bytes(h).hex()[:16]


def _as_size(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > _MAX_SIZE:
        raise ProofError(f"{what} {value!r} is not a valid tree size")
    return value


def _proof_hashes(proof: Sequence[bytes], kind: str) -> list[bytes]:
    out = []
    for i, p in enumerate(proof):
        if not isinstance(p, bytes | bytearray | memoryview) or len(p) != HASH_SIZE:
            raise ProofError(f"{kind} proof element {i} is not a {HASH_SIZE}-byte hash")
        out.append(bytes(p))
    return out


def _inclusion_proof_length(index: int, size: int) -> int:
    # Levels where the path has a sibling: below the point the paths to
    # `index` and to the last leaf diverge, every level; above it, one per
    # set bit of the remaining right-edge (RFC 9162 2.1.3.2 loop, counted).
    inner = (index ^ (size - 1)).bit_length()
    border = (index >> inner).bit_count()
    return inner + border


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check an RFC 9162 inclusion proof that ``leaf_hash`` is leaf ``index``
    of the tree of ``tree_size`` leaves with root hash ``root``.

    Returns None; raises :class:`ProofError` saying what failed.  As in the
    RFC, the proof binds ``leaf_hash`` to ``root``; ``tree_size`` is bound to
    ``root`` only by whoever signed them together (the checkpoint).
    """
    tree_size = _as_size(tree_size, "tree_size")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ProofError(f"inclusion proof: index {index!r} is not a valid leaf index")
    if index >= tree_size:
        raise ProofError(f"inclusion proof: index {index} is not below tree_size {tree_size}")
    if not isinstance(leaf_hash, bytes | bytearray) or len(leaf_hash) != HASH_SIZE:
        raise ProofError(f"inclusion proof: leaf hash is not a {HASH_SIZE}-byte hash")
    if not isinstance(root, bytes | bytearray) or len(root) != HASH_SIZE:
        raise ProofError(f"inclusion proof: root is not a {HASH_SIZE}-byte hash")
    path = _proof_hashes(proof, "inclusion")
    want = _inclusion_proof_length(index, tree_size)
    if len(path) != want:
        raise ProofError(
            f"inclusion proof for index {index} in tree_size {tree_size} has "
            f"{len(path)} hashes, expected {want}"
        )

    # RFC 9162 2.1.3.2, steps 2-5.
    fn, sn = index, tree_size - 1
    r = bytes(leaf_hash)
    for p in path:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the tree is high")
    if not hmac.compare_digest(r, bytes(root)):
        raise ProofError(
            f"inclusion proof for index {index} in tree_size {tree_size} does not verify: "
            f"computed root {_short(r)}…, expected {_short(root)}…"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check an RFC 9162 consistency proof that the tree of ``old_size``
    leaves with root ``old_root`` is a prefix of the tree of ``new_size``
    leaves with root ``new_root``.

    Beyond RFC 9162, which defines proofs for 0 < old_size < new_size only:
    equal sizes need an empty proof and equal roots; old_size 0 needs an
    empty proof and ``old_root == EMPTY_ROOT``.

    Returns None; raises :class:`ProofError` whose message keeps both sizes
    and both roots (hex prefixes) and whose ``problems`` keep them in full.
    """
    old_size = _as_size(old_size, "old tree_size")
    new_size = _as_size(new_size, "new tree_size")

    def fail(reason: str) -> ProofError:
        evidence = {
            "old_size": old_size,
            "new_size": new_size,
            "old_root": bytes(old_root).hex() if isinstance(old_root, bytes | bytearray) else None,
            "new_root": bytes(new_root).hex() if isinstance(new_root, bytes | bytearray) else None,
            "reason": reason,
        }
        return ProofError(
            f"consistency proof from tree_size {old_size} (root {_short(old_root)}…) "
            f"to tree_size {new_size} (root {_short(new_root)}…) does not verify: {reason}",
            problems=[evidence],
        )

    for what, h in (("old root", old_root), ("new root", new_root)):
        if not isinstance(h, bytes | bytearray) or len(h) != HASH_SIZE:
            raise fail(f"{what} is not a {HASH_SIZE}-byte hash")
    if old_size > new_size:
        raise fail("old tree_size is larger than new tree_size")
    try:
        path = _proof_hashes(proof, "consistency")
    except ProofError as exc:
        raise fail(exc.message) from None

    if old_size == new_size:
        if path:
            raise fail("proof must be empty for equal tree sizes")
        if not hmac.compare_digest(bytes(old_root), bytes(new_root)):
            raise fail("equal tree sizes with different roots")
        return
    if old_size == 0:
        if path:
            raise fail("proof must be empty from the empty tree")
        if not hmac.compare_digest(bytes(old_root), EMPTY_ROOT):
            raise fail("old root is not the empty-tree root")
        return

    # Expected length, so a padded or truncated proof fails with a clear reason.
    shift = (old_size & -old_size).bit_length() - 1  # trailing zeros of old_size
    inner = ((old_size - 1) >> shift ^ (new_size - 1) >> shift).bit_length()
    border = ((old_size - 1) >> shift >> inner).bit_count()
    want = inner + border + (0 if old_size == 1 << shift else 1)
    if len(path) != want:
        raise fail(f"proof has {len(path)} hashes, expected {want}")

    # RFC 9162 2.1.4.2, steps 1-7.
    if not path:
        raise fail("empty proof")
    if old_size & (old_size - 1) == 0:
        path = [bytes(old_root), *path]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise fail("proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise fail("proof is shorter than the tree is high")
    if not hmac.compare_digest(fr, bytes(old_root)):
        raise fail(f"computed old root {_short(fr)}… differs")
    if not hmac.compare_digest(sr, bytes(new_root)):
        raise fail(f"computed new root {_short(sr)}… differs")
