"""PDF/A-3b finishing with pikepdf: associated files, XMP, output intent.

Evidence files are streamed, never all held in memory: each one is
decrypted chunk by chunk into a *carrier*, a minimal PDF file written here
byte by byte whose only content is one Flate-compressed stream per file.
The dossier is then built *on the carrier*: reportlab's pages and outline
are copied into it, and the evidence streams stay its own objects, read from
disk when the dossier is written.  (pikepdf's ``copy_foreign`` reads a
stream's data into memory at once, so copying the evidence streams the other
way round held every file in memory.)  qpdf still holds the one stream it
is writing: its writer collects a stream's data in a buffer to learn its
length, up to about twice the compressed size of the largest file.  That
copy is qpdf's, and pikepdf offers no way around it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO
from xml.sax.saxutils import escape

from .._version import __version__

PRODUCER = f"gdprkit {__version__} (reportlab, pikepdf)"
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")
# reportlab writes characters beyond U+FFFF into ToUnicode maps as bare code
# points ("<41> <1F600>"): not UTF-16BE, so readers cannot map them back.
_ASTRAL_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{2,4})> <([0-9A-Fa-f]{5,6})>")


def _utf16_bfchar(match: re.Match) -> bytes:
    code = int(match.group(2), 16)
    if code > 0x10FFFF:
        code = 0xFFFD
    return b"<%s> <%s>" % (match.group(1), chr(code).encode("utf-16-be").hex().upper().encode())


def fix_tounicode(pdf) -> None:
    """Rewrite astral code points of every font's ToUnicode map as UTF-16 pairs."""
    seen = set()
    for page in pdf.pages:
        try:
            fonts = page.Resources.Font
        except (AttributeError, KeyError):
            continue
        for _name, font in fonts.items():
            cmap = font.get("/ToUnicode")
            if cmap is None or cmap.objgen in seen:
                continue
            seen.add(cmap.objgen)
            data = cmap.read_bytes()
            fixed = _ASTRAL_BFCHAR.sub(_utf16_bfchar, data)
            if fixed != data:
                cmap.write(fixed)


@dataclass(frozen=True)
class CarriedFile:
    """Where one evidence file sits in the carrier, and its digests."""

    object_number: int
    size: int
    md5: bytes
    sha256: str


class _Deflater:
    """A write() sink that compresses into the carrier and hashes the plaintext."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.z = zlib.compressobj(6)
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.sha = hashlib.sha256()
        self.size = 0
        self.written = 0

    def write(self, data: bytes) -> int:
        self.md5.update(data)
        self.sha.update(data)
        self.size += len(data)
        self.written += self.out.write(self.z.compress(data))
        return len(data)

    def finish(self) -> None:
        self.written += self.out.write(self.z.flush())


def write_carrier(out: BinaryIO, evidence_ids: list[str], read) -> dict[str, CarriedFile]:
    """Write a minimal PDF holding one stream per evidence item.

    ``read(evidence_id, sink)`` streams an item's original bytes (the
    ledger checks their SHA-256 as it goes).
    """
    offsets: dict[int, int] = {}
    pos = out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    carried = {}
    number = -1  # streams get odd numbers, their lengths the next even one
    for eid in evidence_ids:
        number += 2
        offsets[number] = pos
        pos += out.write(b"%d 0 obj\n<< /Length %d 0 R /Filter /FlateDecode >>\nstream\n"
                         % (number, number + 1))
        sink = _Deflater(out)
        read(eid, sink)
        sink.finish()
        pos += sink.written
        pos += out.write(b"\nendstream\nendobj\n")
        offsets[number + 1] = pos
        pos += out.write(b"%d 0 obj\n%d\nendobj\n" % (number + 1, sink.written))
        carried[eid] = CarriedFile(number, sink.size, sink.md5.digest(), sink.sha.hexdigest())
    pages, catalog = number + 2, number + 3
    offsets[pages] = pos
    pos += out.write(b"%d 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" % pages)
    offsets[catalog] = pos
    pos += out.write(b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (catalog, pages))
    xref = pos
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (catalog + 1))
    for n in range(1, catalog + 1):
        out.write(b"%010d 00000 n \n" % offsets[n])
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (catalog + 1, catalog, xref))
    out.flush()
    return carried


def pdf_date(ts: _dt.datetime) -> str:
    ts = ts.astimezone(_dt.UTC)
    return ts.strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(ts: _dt.datetime) -> str:
    return ts.astimezone(_dt.UTC).replace(microsecond=0).isoformat()


def srgb_profile() -> bytes:
    """An sRGB ICC profile with a fixed creation date (LittleCMS stamps 'now')."""
    from PIL import ImageCms

    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    icc[24:36] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    icc[84:100] = bytes(16)  # profile id (an MD5 over the header) is optional: leave it unset
    return bytes(icc)


def xmp_packet(title: str, lang: str, created: _dt.datetime) -> bytes:
    when = xmp_date(created)
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <xmp:CreatorTool>gdprkit {escape(__version__)}</xmp:CreatorTool>
   <pdf:Producer>{escape(PRODUCER)}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


def finish(pdf_bytes: bytes, out: BinaryIO, *, title: str, lang: str,
           created: _dt.datetime, carrier_path, attachments: list[dict],
           carried: dict[str, CarriedFile], manifest: Callable[[list[str]], bytes],
           manifest_name: str) -> None:
    """Turn reportlab's PDF into the PDF/A-3b dossier and write it to ``out``.

    ``attachments`` lists ``{"id", "name", "media_type", "description",
    "mod_date"}`` for every carried evidence file.  ``manifest(digests)``
    makes the manifest bytes from the SHA-256 of each page's text, taken here
    once the pages are final (after the ToUnicode fix).
    """
    import io

    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    from ._pagetext import page_digests, page_texts

    laid_out = pikepdf.open(io.BytesIO(pdf_bytes))
    fix_tounicode(laid_out)
    manifest_bytes = manifest(page_digests(page_texts(laid_out)))
    # The dossier is built on the carrier, not on reportlab's PDF: pikepdf
    # copies a foreign stream's data into memory at once (copy_foreign), so
    # copying the evidence streams would hold every file in memory, twice.
    # The carrier's streams are its own objects and stay on disk until save;
    # what is copied are reportlab's pages and outline (small).
    pdf = pikepdf.open(carrier_path)
    with laid_out:
        pdf.pages.extend(laid_out.pages)
        for key, value in laid_out.Root.items():  # the outline, page mode, ...
            if key not in ("/Type", "/Pages"):
                if not value.is_indirect:
                    value = laid_out.make_indirect(value)
                pdf.Root[key] = pdf.copy_foreign(value)
    with pdf:
        specs: dict[str, pikepdf.Object] = {}

        def embed(name: str, stream, media_type: str | None, relationship: str,
                  description: str, size: int, md5: bytes, mod_date: _dt.datetime) -> None:
            mt = (media_type or "").lower()
            if not _MEDIA_TYPE.fullmatch(mt):
                mt = "application/octet-stream"
            stream.Type = Name.EmbeddedFile
            stream.Subtype = Name("/" + mt)
            stream.Params = Dictionary(Size=size, CheckSum=String(md5),
                                       ModDate=String(pdf_date(mod_date)))
            specs[name] = pdf.make_indirect(Dictionary(
                Type=Name.Filespec, F=String(name), UF=String(name),
                Desc=String(description), AFRelationship=Name("/" + relationship),
                EF=Dictionary(F=stream, UF=stream),
            ))

        for item in attachments:
            info = carried[item["id"]]
            stream = pdf.get_object((info.object_number, 0))
            embed(item["name"], stream, item["media_type"], "Source", item["description"],
                  info.size, info.md5, item["mod_date"])
        embed(manifest_name, pikepdf.Stream(pdf, manifest_bytes), "application/json", "Data",
              "gdprkit dossier manifest: hashes and inclusion proofs", len(manifest_bytes),
              hashlib.md5(manifest_bytes, usedforsecurity=False).digest(), created)

        names = sorted(specs)
        tree = pikepdf.NameTree.new(pdf)
        for name in names:
            tree[name] = specs[name]
        root = pdf.Root
        root.Names = Dictionary(EmbeddedFiles=tree.obj)
        root.AF = Array([specs[n] for n in names])
        root.Lang = String(lang)
        root.Metadata = pdf.make_stream(xmp_packet(title, lang, created),
                                        Type=Name.Metadata, Subtype=Name.XML)
        icc = pdf.make_stream(srgb_profile(), N=3)
        root.OutputIntents = Array([Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB"),
            Info=String("sRGB IEC61966-2.1"), RegistryName=String("http://www.color.org"),
            DestOutputProfile=icc,
        )])
        date = String(pdf_date(created))
        # PDF/A wants each Info entry equal to its XMP twin.  No /Producer here:
        # a PAdES signer rewrites the XMP producer and would leave them unequal.
        pdf.trailer.Info = pdf.make_indirect(Dictionary(
            Title=String(title), Creator=String(f"gdprkit {__version__}"),
            CreationDate=date, ModDate=date,
        ))
        pdf.save(out, deterministic_id=True, min_version="1.7", fix_metadata_version=False,
                 compress_streams=True)
