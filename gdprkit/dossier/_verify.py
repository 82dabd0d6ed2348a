"""``verify-dossier``: check a dossier without trusting anything in it but math.

The file is opened without qpdf's recovery: a damaged file (truncated, a
broken cross-reference table, an object not where the table says) is
reported as such, never repaired and then passed.  Then these checks, each
reported separately:

* every attachment re-hashed against the manifest (``gdprkit-dossier.json``),
  and each manifest hash found printed in the evidence tables;
* the text of every page hashed against the per-page SHA-256 recorded in the
  manifest at export: an edited size, file name, date or any other printed
  value is named by its page, as is a page added or removed;
* the checkpoint's Ed25519 signature under the embedded verifier key, and
  every inclusion proof against the checkpoint's root;
* the PAdES signature when there is one (integrity; trust of the signer's
  certificate is reported, not required);
* optionally, consistency of the dossier's checkpoint with the current ledger.

Without a PAdES signature these checks show that the dossier is consistent
with itself, not who wrote it: someone who edits an unsigned dossier and
recomputes the manifest (page digests, file hashes) passes them.  They cannot
forge the checkpoint's signature without the ledger's key, but the leaves
commit to encrypted entries, so the checkpoint does not vouch for a printed
name, size or date.  The PAdES signature binds the whole file to its signer;
``--with-ledger`` compares the dossier with the ledger itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field

from ..errors import BadInput, GdprkitError, TamperDetected
from . import _manifest


@dataclass
class DossierReport:
    """The outcome of :func:`verify_dossier`; ``problems`` empty means ok."""

    attachments: list[dict] = field(default_factory=list)
    proofs_ok: bool = False
    proofs: int = 0
    checkpoint: dict = field(default_factory=dict)
    signature: dict | None = None
    ledger: dict | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "attachments": self.attachments,
            "proofs_ok": self.proofs_ok,
            "proofs": self.proofs,
            "checkpoint": self.checkpoint,
            "signature": self.signature,
            "ledger": self.ledger,
            "problems": self.problems,
        }


def verify_dossier(path: str | os.PathLike, *, ledger=None) -> DossierReport:
    """Check a dossier; returns the report, or raises TamperDetected carrying it.

    BadInput when ``path`` is not a PDF or not a gdprkit dossier.  A damaged
    dossier (truncated, broken cross-reference table: anything qpdf would
    have to repair) is TamperDetected: it is not the file as exported, and
    it is never silently repaired.  With ``ledger`` (an open Ledger), also
    checks that the dossier's checkpoint is consistent with the ledger's
    current one.
    """
    report = DossierReport()
    pdf = _open(report, path)
    with pdf:
        try:
            manifest = _check_contents(report, pdf, path)
            failure = None
        except (BadInput, TamperDetected) as err:
            manifest, failure = None, err
        # without recovery, qpdf turns what it cannot read into warnings
        # (and null objects): any warning means the file is damaged
        warnings = pdf.get_warnings()
        if warnings and (failure is None or isinstance(failure, TamperDetected)
                         or _looks_like_dossier(pdf)):
            report.problems.insert(0, _damage(path, warnings))
            _raise(report)
        if failure is not None:
            raise failure
        signed = _has_signature_field(pdf)
    report.signature = _check_signature(report, path) if signed else None
    if ledger is not None:
        _check_ledger(report, manifest, ledger)
    if report.problems:
        _raise(report)
    return report


def _open(report: DossierReport, path):
    """Open without qpdf's silent recovery; a damaged dossier is reported."""
    import pikepdf

    def unreadable() -> BadInput:
        return BadInput(f"{os.fspath(path)!r} is not a readable PDF file")

    try:
        return pikepdf.open(path, attempt_recovery=False)
    except pikepdf.PasswordError:
        raise unreadable() from None
    except (pikepdf.PdfError, ValueError) as err:
        reason = str(err)
    # Is it a gdprkit dossier, only damaged?  Ask qpdf to repair a copy in
    # memory just to find out; the repaired file is never checked.
    try:
        with pikepdf.open(path) as repaired:
            ours = _looks_like_dossier(repaired)
    except Exception:
        ours = False
    if not ours:
        raise unreadable()
    report.problems.append(_damage(path, [reason]))
    _raise(report)


def _damage(path, messages: list[str]) -> str:
    """One line naming qpdf's first complaint about a damaged file."""
    name = os.fspath(path)
    first = " ".join(str(messages[0]).split())
    if first.startswith(name):
        first = first[len(name):].lstrip(": ")
        if first.startswith("(") and "): " in first:  # "(offset 9): xref not found"
            where, _, what = first[1:].partition("): ")
            first = f"{what}, {where}"
    more = len(messages) - 1
    tail = f", and {more} more complaint{'s' if more != 1 else ''}" if more else ""
    return (f"the PDF file is damaged ({first or 'unreadable'}{tail}): it is not the "
            "dossier as exported")


def _looks_like_dossier(pdf) -> bool:
    """Whether a (possibly damaged) PDF carries gdprkit's marks."""
    import pikepdf

    with contextlib.suppress(Exception):
        if _manifest.NAME in pikepdf.NameTree(pdf.Root.Names.EmbeddedFiles):
            return True
    with contextlib.suppress(Exception):
        if str(pdf.trailer.Info.Creator).startswith("gdprkit "):
            return True
    with contextlib.suppress(Exception):
        if b"<xmp:CreatorTool>gdprkit " in pdf.Root.Metadata.read_bytes():
            return True
    return False


def _check_contents(report: DossierReport, pdf, path) -> dict:
    """The checks of the PDF's own contents; returns the parsed manifest."""
    files = _attachments(pdf)
    if _manifest.NAME not in files:
        raise BadInput(f"{os.fspath(path)!r} is not a gdprkit dossier "
                       f"(it has no {_manifest.NAME} attachment)")
    try:
        manifest = _manifest.parse(files[_manifest.NAME].read_bytes())
    except TamperDetected as err:
        report.problems.append(err.message)
        _raise(report)
    except Exception:
        report.problems.append(f"the embedded {_manifest.NAME} cannot be read")
        _raise(report)
    root = _check_checkpoint(report, manifest)
    _check_proofs(report, manifest, root)
    _check_attachments(report, manifest, files, pdf, path)
    _check_printed(report, manifest, pdf)
    return manifest


def _raise(report: DossierReport):
    first = report.problems[0]
    more = len(report.problems) - 1
    tail = f"; {more} more problem{'s' if more != 1 else ''}" if more else ""
    err = TamperDetected(f"dossier check failed: {first}{tail}")
    err.report = report
    err.problems = [{"problem": p} for p in report.problems]
    raise err


def _attachments(pdf) -> dict:
    """Embedded files by name (the EmbeddedFiles name tree), as pikepdf streams."""
    import pikepdf

    out = {}
    try:
        tree = pdf.Root.Names.EmbeddedFiles
    except (AttributeError, KeyError):
        return out
    for name, spec in pikepdf.NameTree(tree).items():
        try:
            ef = spec.EF
            stream = ef.get("/UF") or ef.get("/F")
        except (AttributeError, KeyError):
            continue
        if isinstance(stream, pikepdf.Stream):
            out[str(name)] = stream
    return out


def _check_checkpoint(report: DossierReport, manifest: dict) -> bytes | None:
    from ..ledger.note import parse_checkpoint, parse_verifier_key, verify_note

    cp = manifest["checkpoint"]
    report.checkpoint = {"tree_size": cp.get("tree_size"), "root_hash": cp.get("root_hash"),
                         "origin": manifest.get("origin"), "signature_ok": False,
                         "key_fingerprint": None}
    try:
        name, pub = parse_verifier_key(manifest["verifier_key"])
        report.checkpoint["key_fingerprint"] = "SHA256:" + hashlib.sha256(pub).hexdigest()
        body = verify_note(cp["note"], name, pub)
        origin, size, root, _ext = parse_checkpoint(body)
    except GdprkitError as err:
        report.problems.append(f"checkpoint signature: {err.message}")
        return None
    report.checkpoint.update(tree_size=size, root_hash=root.hex(), signature_ok=True)
    if origin != manifest["origin"] or name != origin:
        report.problems.append(f"checkpoint origin {origin!r} does not match the dossier's "
                               f"ledger {manifest['origin']!r}")
    if cp.get("tree_size") != size or cp.get("root_hash") != root.hex():
        report.problems.append("the manifest's tree size or root hash differ from its "
                               "signed checkpoint")
    return root


def _check_proofs(report: DossierReport, manifest: dict, root: bytes | None) -> None:
    from ..errors import ProofError
    from ..ledger.merkle import verify_inclusion

    items = manifest["evidence"] + manifest["entries"]
    report.proofs = len(items)
    if root is None:
        report.proofs_ok = False
        return
    size = report.checkpoint["tree_size"]
    failed = 0
    for item in items:
        try:
            verify_inclusion(bytes.fromhex(item["leaf_hash"]), item["leaf_index"], size,
                             [bytes.fromhex(h) for h in item["inclusion_proof"]], root)
        except ProofError as err:
            failed += 1
            if failed <= 20:
                report.problems.append(f"inclusion proof of {item['id']} (leaf "
                                       f"{item['leaf_index']}) fails: {err.message}")
    if failed > 20:
        report.problems.append(f"{failed - 20} more inclusion proofs fail")
    report.proofs_ok = failed == 0


def _check_attachments(report: DossierReport, manifest: dict, files: dict, pdf,
                       path) -> None:
    from ._rawstream import digest_from_file, digest_with_pikepdf

    try:
        xref = pdf.get_xref_table()
    except Exception:
        xref = {}

    def digest(stream) -> tuple[str, int]:
        # block by block from the file where that reads what qpdf reads;
        # else through pikepdf, which holds the whole file in memory
        with open(path, "rb") as fh:
            found = digest_from_file(pdf, fh, stream, xref)
        return found if found is not None else digest_with_pikepdf(stream)

    listed = set()
    for ev in manifest["evidence"]:
        if ev.get("shredded"):
            continue
        name = ev["attachment"]
        listed.add(name)
        stream = files.get(name)
        if stream is None:
            report.attachments.append({"name": name, "sha256": None, "ok": False})
            report.problems.append(f"evidence {ev['id']}: attachment {name} is missing")
            continue
        try:
            sha, size = digest(stream)
        except Exception:
            report.attachments.append({"name": name, "sha256": None, "ok": False})
            report.problems.append(f"evidence {ev['id']}: attachment {name} cannot be read")
            continue
        ok = sha == ev["sha256"] and size == ev["size"]
        report.attachments.append({"name": name, "sha256": sha, "ok": ok})
        if not ok:
            report.problems.append(f"evidence {ev['id']}: attachment {name} has SHA-256 "
                                   f"{sha}, the manifest says {ev['sha256']}")
    for name in sorted(set(files) - listed - {_manifest.NAME}):
        try:
            sha = digest(files[name])[0]
        except Exception:
            sha = None
        report.attachments.append({"name": name, "sha256": sha, "ok": False})
        report.problems.append(f"attachment {name} is not listed in the manifest")


def _check_annotations(report: DossierReport, pdf) -> None:
    """An exported dossier has no annotations but a signature's widget: a text box,
    stamp or drawing added later can cover or change what a page shows without
    touching its text, so each one is named."""
    for number, page in enumerate(pdf.pages, 1):
        try:
            annots = list(page.obj.get("/Annots") or [])
        except (TypeError, ValueError):
            annots = [None]
        for annot in annots:
            try:
                subtype = str(annot.get("/Subtype"))
                field_type = annot.get("/FT") or (annot.get("/Parent") or {}).get("/FT")
            except (AttributeError, TypeError, ValueError):
                subtype, field_type = "?", None
            if subtype == "/Widget" and str(field_type) == "/Sig":
                continue
            report.problems.append(f"page {number}: an annotation ({subtype.lstrip('/')}) was "
                                   "added after export; it can cover what the page shows")


def _check_printed(report: DossierReport, manifest: dict, pdf) -> None:
    """The manifest must agree with what the pages show a human reader.

    Each page's text must hash to the digest recorded at export (so an
    edited size, name, date or any other printed value is named by its
    page), and the hashes, root and fingerprint the checks above used must
    be the ones printed.
    """
    from ._pagetext import page_digests, page_texts

    texts = list(page_texts(pdf))
    recorded = [p["text_sha256"] for p in manifest["pages"]]
    if len(texts) != len(recorded):
        report.problems.append(f"the dossier has {len(texts)} pages, the manifest lists "
                               f"{len(recorded)}")
    differ = [n for n, (got, want) in enumerate(zip(page_digests(texts), recorded,
                                                    strict=False), 1) if got != want]
    for number in differ[:20]:
        report.problems.append(f"page {number}: the printed text differs from what was "
                               "exported")
    if len(differ) > 20:
        report.problems.append(f"{len(differ) - 20} more pages differ from what was exported")
    _check_annotations(report, pdf)
    text = "".join("".join(t.split()) for t in texts)
    for ev in manifest["evidence"]:
        if not ev.get("shredded") and ev["sha256"] not in text:
            report.problems.append(f"evidence {ev['id']}: its SHA-256 in the manifest is not "
                                   "the one printed in the evidence table")
    root = report.checkpoint.get("root_hash")
    if root and root not in text:
        report.problems.append("the checkpoint root hash printed in the dossier differs from "
                               "the manifest's")
    fingerprint = report.checkpoint.get("key_fingerprint")
    if fingerprint and fingerprint not in text:
        report.problems.append("the public key fingerprint printed in the dossier differs "
                               "from the manifest's verifier key")


def _has_signature_field(pdf) -> bool:
    try:
        fields = pdf.Root.AcroForm.Fields
    except (AttributeError, KeyError):
        return False
    stack = list(fields)
    while stack:
        f = stack.pop()
        if f.get("/FT") == "/Sig" and "/V" in f:
            return True
        stack.extend(f.get("/Kids", []))
    return False


def _check_signature(report: DossierReport, path) -> dict | None:
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext
    except ImportError:
        return {"present": True, "intact": None, "signer": None, "trusted": None,
                "note": "pyHanko is not installed (pip install 'gdprkit[sign]'); "
                        "the signature was not checked"}
    result = {"present": True, "intact": False, "signer": None, "trusted": False,
              "signed_at": None, "coverage": None}
    try:
        # pyHanko logs tracebacks for e.g. self-signed certificates, and
        # warnings while reading a damaged file: the report says it all
        with _quiet_pyhanko(), open(path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            sigs = reader.embedded_signatures
            if not sigs:
                report.problems.append("the PDF signature field holds no readable signature")
                return result
            sig = sigs[-1]
            context = ValidationContext(trust_roots=_system_roots(), allow_fetching=False)
            status = validate_pdf_signature(sig, context)
            whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            result.update(
                intact=bool(status.intact and status.valid and whole),
                signer=status.signing_cert.subject.human_friendly,
                trusted=bool(status.trusted),
                signed_at=status.signer_reported_dt.isoformat()
                if status.signer_reported_dt else None,
                coverage=status.coverage.name if status.coverage else None,
            )
    except Exception as err:  # a mangled signature is a failed check, not a crash
        report.problems.append(f"the PDF signature cannot be validated: {type(err).__name__}")
        return result
    if not result["intact"]:
        if status.intact and status.valid:
            report.problems.append("the PDF was changed after it was signed")
        else:
            report.problems.append("the PDF signature does not match the document")
    return result


@contextlib.contextmanager
def _quiet_pyhanko():
    """Silence pyHanko's logging, its child loggers included, for the duration.

    pyHanko logs a traceback at ERROR for e.g. a self-signed certificate,
    from loggers such as ``pyhanko.sign.validation.generic_cms``.  Disabling
    only the parents is not enough: a child's record still reaches Python's
    last-resort stderr handler.  Here each parent gets a NullHandler (so the
    last resort never fires), stops propagating to the root, and a level
    above CRITICAL, which children at NOTSET inherit; all restored after.
    """
    import logging

    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    saved = [(lg.disabled, lg.propagate, lg.level, lg.handlers) for lg in loggers]
    for lg in loggers:
        lg.handlers = [logging.NullHandler()]
        lg.propagate = False
        lg.disabled = True
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, (disabled, propagate, level, handlers) in zip(loggers, saved, strict=True):
            lg.handlers = handlers
            lg.propagate = propagate
            lg.disabled = disabled
            lg.setLevel(level)


def _system_roots() -> list:
    """The operating system's CA certificates (for the 'trusted' verdict only)."""
    import ssl

    from asn1crypto import x509

    roots = []
    try:
        for der in ssl.create_default_context().get_ca_certs(binary_form=True):
            try:
                roots.append(x509.Certificate.load(der))
            except ValueError:
                continue
    except (ssl.SSLError, OSError):
        pass
    return roots


def _check_ledger(report: DossierReport, manifest: dict, ledger) -> None:
    from ..errors import ProofError
    from ..ledger.merkle import MerkleTree, verify_consistency

    info = {"checked": True, "consistent": False, "tree_size": None}
    report.ledger = info
    if manifest["origin"] != ledger.origin:
        report.problems.append(f"the dossier comes from another ledger ({manifest['origin']})")
        return
    cp = ledger.checkpoint()
    info["tree_size"] = cp.tree_size
    old_size = report.checkpoint.get("tree_size")
    old_root = report.checkpoint.get("root_hash")
    if not isinstance(old_size, int) or not old_root:
        return
    if old_size > cp.tree_size:
        report.problems.append(f"the dossier's checkpoint (tree size {old_size}) is ahead of "
                               f"the ledger ({cp.tree_size}): the ledger was rolled back")
        return
    leaves = ledger.leaf_hashes()[: cp.tree_size]
    tree = MerkleTree(leaves)
    try:
        verify_consistency(old_size, cp.tree_size, bytes.fromhex(old_root), cp.root_hash,
                           tree.consistency_proof(old_size))
    except ProofError as err:
        report.problems.append(f"the ledger is not consistent with the dossier: {err.message}")
        return
    info["consistent"] = True
    # each evidence item as the ledger holds it: same entry, same SHA-256
    matched = 0
    for item in manifest.get("evidence", []):
        index, eid = item.get("leaf_index"), item.get("id")
        if isinstance(index, int) and 0 <= index < len(leaves) and \
                leaves[index].hex() != item.get("leaf_hash"):
            report.problems.append(f"{eid}: the ledger's entry differs from the dossier's")
            continue
        if item.get("shredded"):
            continue
        try:
            held = ledger.evidence(eid)
        except GdprkitError:
            report.problems.append(f"{eid}: not in the ledger")
            continue
        if held.shredded:
            continue  # shredded since the export: nothing left to compare
        if held.sha256 != item.get("sha256"):
            report.problems.append(f"{eid}: the SHA-256 in the ledger differs from the dossier's")
            continue
        matched += 1
    info["evidence_matched"] = matched
