"""Letters benchmark (issue: letters).  Prints JSON; every figure is a ratio
against a baseline measured in the same run on the same machine.

    python bench/letters_bench.py            # full iteration counts
    python bench/letters_bench.py --quick    # fewer iterations, for a smoke run
    python bench/letters_bench.py --profile  # also print cProfile tops to stderr

  ratio = baseline_time / gdprkit_time   (1.0 = as fast as the bare baseline)

Targets (both >= 0.5):

* ``txt``: ``render_letter(kind, fmt="txt")`` vs a bare Jinja render of the
  same template (``templates/en/<kind>.j2`` with its ``_layout``/``_wording``)
  with the same context.  The context is the one ``render_letter`` builds (it
  is captured once, outside the timed loops); the baseline times only
  ``template.render(ctx)`` on a plain :class:`jinja2.Environment` (no sandbox,
  no ``finalize``) with the template options the markup needs (autoescape,
  ``trim_blocks``, ``lstrip_blocks``, ``StrictUndefined``) and gdprkit's own
  filters and globals.  The baseline output is checked to equal gdprkit's
  markup.
* ``pdf``: ``render_letter(kind, fmt="pdf")`` vs a bare reportlab Platypus
  build (``SimpleDocTemplate``, A4, into a BytesIO) of the same paragraphs
  (the blocks of the rendered letter, inline bold/italic/monospace kept) in
  the same DejaVu fonts from ``gdprkit/letters/fonts`` (font subsetting and
  embedding are inherent to both).  No letter of the scenario fits on one
  page, so two cases are measured and their page counts reported: the rich
  letter of the txt figure (``pdf``) and the shortest letter the templates
  produce (``pdf_short``: one incident, no ledger checkpoint).

The letters are those of ``tests/letters_scenario.py`` (``golden_cases()``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))
from _util import best_of, emit  # noqa: E402
from letters_scenario import INCIDENTS, golden_cases  # noqa: E402

from gdprkit.letters import render_letter  # noqa: E402
from gdprkit.letters import templating as _templating  # noqa: E402
from gdprkit.letters.markup import parse_markup, split_lines  # noqa: E402

KIND = "objection"
FONT_DIR = ROOT / "gdprkit" / "letters" / "fonts"
SANS, BOLD, ITALIC, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSansMono"


def captured(kind: str, case: dict) -> tuple[dict, str]:
    """The context ``render_letter`` builds and the markup it renders (one call, untimed)."""
    seen: dict = {}
    original = _templating.render_markup

    def spy(kind_, lang, context, *, template_dir=None):
        markup, filename = original(kind_, lang, context, template_dir=template_dir)
        seen.update(context=context, markup=markup)
        return markup, filename

    _templating.render_markup = spy
    try:
        render_letter(kind, fmt="txt", **case)
    finally:
        _templating.render_markup = original
    if not seen:
        raise SystemExit("render_letter no longer calls templating.render_markup: "
                         "update captured() to get its context")
    return seen["context"], seen["markup"]


def bare_jinja_env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(ROOT / "templates")),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["fail"] = _templating._fail
    env.filters.update(_templating._filters())
    return env


def bench_txt(case: dict, n: int, repeat: int) -> dict:
    ctx, markup = captured(KIND, case)
    template = bare_jinja_env().get_template(f"{ctx['lang']}/{KIND}.j2")
    if template.render(ctx) != markup:
        raise SystemExit("bare Jinja output differs from gdprkit's markup: not the same work")

    def bare():
        for _ in range(n):
            template.render(ctx)

    def ours():
        for _ in range(n):
            render_letter(KIND, fmt="txt", **case)

    ours()  # warm the template cache
    t_bare = t_ours = float("inf")
    for _ in range(repeat):  # interleaved, so background load hits both alike
        t_bare = min(t_bare, best_of(bare, 1))
        t_ours = min(t_ours, best_of(ours, 1))
    return {"kind": KIND, "lang": ctx["lang"], "n": n, "repeat": repeat,
            "markup_chars": len(markup),
            "bare_jinja_s": round(t_bare, 4), "gdprkit_s": round(t_ours, 4),
            "per_letter_ms": {"bare_jinja": round(t_bare / n * 1e3, 3),
                              "gdprkit": round(t_ours / n * 1e3, 3)},
            "ratio": round(t_bare / t_ours, 3), "target": 0.5}


# -- pdf ---------------------------------------------------------------------------
def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in (SANS, BOLD, ITALIC, MONO):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    for bold, italic, face in ((0, 0, SANS), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD)):
        addMapping(SANS, bold, italic, face)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _para_markup(runs) -> str:
    lines = []
    for line in split_lines(runs):
        parts = []
        for r in line:
            piece = _esc(r.text)
            if r.mono:
                piece = f'<font face="{MONO}">{piece}</font>'
            if r.italic:
                piece = f"<i>{piece}</i>"
            if r.bold:
                piece = f"<b>{piece}</b>"
            parts.append(piece)
        lines.append("".join(parts))
    return "<br/>".join(lines)


def paragraphs(markup: str) -> list[tuple[str, str, str | None]]:
    """(style, reportlab paragraph markup, bullet) for every block of the letter."""
    out = []
    for block in parse_markup(markup).blocks:
        if block.kind in ("ol", "ul"):
            for n, item in enumerate(block.items, start=1):
                out.append(("li", _para_markup(item), f"{n}." if block.kind == "ol" else "\u2022"))
        elif block.kind == "subject":
            out.append(("subject", _esc(block.label + " ") + _para_markup(block.runs), None))
        else:
            style = block.kind if block.kind in ("h", "quote") else "p"
            out.append((style, _para_markup(block.runs), None))
    return out


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def bench_pdf(case: dict, n: int, repeat: int) -> dict:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    _register_fonts()
    _, markup = captured(KIND, case)
    paras = paragraphs(markup)
    body = ParagraphStyle("body", fontName=SANS, fontSize=10.5, leading=14.5, spaceAfter=7)
    styles = {"p": body,
              "subject": ParagraphStyle("subject", body, fontName=BOLD),
              "h": ParagraphStyle("h", body, fontName=BOLD),
              "quote": ParagraphStyle("quote", body, fontName=ITALIC, leftIndent=16),
              "li": ParagraphStyle("li", body, leftIndent=18, bulletFontName=SANS)}

    def bare_one() -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=A4, title="bench", author="bench", invariant=1)
        doc.build([Paragraph(text, styles[style], bulletText=bullet)
                   for style, text, bullet in paras])
        return out.getvalue()

    def bare():
        for _ in range(n):
            bare_one()

    def ours():
        for _ in range(n):
            render_letter(KIND, fmt="pdf", **case)

    pdf_ours = render_letter(KIND, fmt="pdf", **case).content  # warm caches, fonts
    pdf_bare = bare_one()
    t_bare = t_ours = float("inf")
    for _ in range(repeat):
        t_bare = min(t_bare, best_of(bare, 1))
        t_ours = min(t_ours, best_of(ours, 1))
    return {"kind": KIND, "n": n, "repeat": repeat, "paragraphs": len(paras),
            "pages": {"bare_reportlab": _page_count(pdf_bare), "gdprkit": _page_count(pdf_ours)},
            "bytes": {"bare_reportlab": len(pdf_bare), "gdprkit": len(pdf_ours)},
            "bare_reportlab_s": round(t_bare, 4), "gdprkit_s": round(t_ours, 4),
            "per_letter_ms": {"bare_reportlab": round(t_bare / n * 1e3, 2),
                              "gdprkit": round(t_ours / n * 1e3, 2)},
            "ratio": round(t_bare / t_ours, 3), "target": 0.5}


def short_case(case: dict) -> dict:
    """The shortest letter the templates give: one plain incident, no checkpoint."""
    return dict(case, incidents=[INCIDENTS["unsolicited-message"]], checkpoint=None)


def profile(label: str, fn, top: int = 25) -> None:
    prof = cProfile.Profile()
    prof.runcall(fn)
    print(f"==== {label} ====", file=sys.stderr)
    pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(top)
    pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(top)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer iterations")
    ap.add_argument("--profile", action="store_true",
                    help="print cProfile tops of render_letter (txt, pdf) to stderr")
    args = ap.parse_args()
    txt_n, pdf_n, repeat = (50, 3, 3) if args.quick else (300, 10, 7)

    case = golden_cases()[KIND]
    out = {"txt": bench_txt(case, txt_n, repeat),
           "pdf": bench_pdf(case, pdf_n, repeat),
           "pdf_short": bench_pdf(short_case(case), pdf_n, repeat)}
    ratios = [out[k]["ratio"] for k in ("txt", "pdf", "pdf_short")]
    out["ok"] = all(r >= 0.5 for r in ratios)
    if args.profile:
        profile("txt", lambda: [render_letter(KIND, fmt="txt", **case) for _ in range(txt_n)])
        profile("pdf", lambda: [render_letter(KIND, fmt="pdf", **case) for _ in range(pdf_n)])
    emit("letters", out)


if __name__ == "__main__":
    main()
