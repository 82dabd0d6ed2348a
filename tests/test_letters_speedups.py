"""The fast paths of the letter pipeline give exactly what the plain code gave.

* ``writers.txt._wrap`` (greedy wrap for ordinary text) against ``textwrap``
  with the writer's options;
* ``markup.parse_markup`` and ``writers.txt.write_txt`` against a reference
  copy of the straightforward implementation they replaced (frozen dataclass
  runs, regular-expression white space, ``textwrap`` everywhere), on random
  markup: same blocks, same runs, same text, same errors;
* ``markup.xml_safe`` against its definition;
* the caches of ``legal.deadlines`` are read-only.
"""

from __future__ import annotations

import dataclasses
import os
import re
import textwrap
import time
from dataclasses import FrozenInstanceError, dataclass, field
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdprkit.errors import BadInput
from gdprkit.legal import deadlines
from gdprkit.letters.markup import Run, parse_markup, split_lines, xml_safe
from gdprkit.letters.writers import txt

from .letters_scenario import golden_cases

SETTINGS = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# -- reference implementation (as it was before the fast paths) -----------------------
_REF_SPACE = re.compile(r"[ \t\r\n]+")
# what XML cannot carry, plus DEL, C1 controls and bidi embeddings/overrides/isolates
_REF_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]")
_REF_BLOCKS = frozenset({"sender", "recipient", "date", "subject", "h", "p", "quote", "ol",
                         "ul", "signature", "small"})
_REF_INLINE = {"b": "bold", "i": "italic", "code": "mono"}


@dataclass(frozen=True)
class RefRun:
    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False

    @property
    def is_break(self) -> bool:
        return self.text == "\n"


@dataclass
class RefBlock:
    kind: str
    runs: list = field(default_factory=list)
    items: list = field(default_factory=list)
    label: str = ""
    raw: str = ""


def ref_xml_safe(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _REF_NOT_XML.sub("\ufffd", text)


def ref_plain(runs) -> str:
    return "".join(r.text for r in runs)


def ref_split_lines(runs):
    lines = [[]]
    for run in runs:
        if run.is_break:
            lines.append([])
        else:
            lines[-1].append(run)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _ref_runs(elem, where, *, bold=False, italic=False, mono=False):
    out = []
    if elem.text:
        out.append(RefRun(elem.text, bold, italic, mono))
    for child in elem:
        if child.tag == "br":
            if len(child) or (child.text or "").strip():
                raise BadInput(f"{where}: <br/> must be empty")
            out.append(RefRun("\n"))
        elif child.tag in _REF_INLINE:
            style = {"bold": bold, "italic": italic, "mono": mono}
            style[_REF_INLINE[child.tag]] = True
            out += _ref_runs(child, where, **style)
        else:
            raise BadInput(f"{where}: <{child.tag}> is not allowed inside text")
        if child.tail:
            out.append(RefRun(child.tail, bold, italic, mono))
    return out


def _ref_normalise(runs):
    out = []
    for run in runs:
        if run.is_break:
            if out and not out[-1].is_break:
                out[-1] = RefRun(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic,
                                 out[-1].mono)
            out.append(run)
            continue
        text = _REF_SPACE.sub(" ", run.text)
        at_line_start = not out or out[-1].is_break or out[-1].text.endswith(" ")
        if at_line_start:
            text = text.lstrip(" ")
        if text:
            out.append(RefRun(text, run.bold, run.italic, run.mono))
    if out and not out[-1].is_break:
        out[-1] = RefRun(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic, out[-1].mono)
    while out and out[-1].is_break:
        out.pop()
    return [r for r in out if r.text]


def ref_parse(text: str, source: str = "template"):
    try:
        root = ET.fromstring(f"<letter>{text}</letter>")
    except ET.ParseError as err:
        line, col = err.position
        raise BadInput(
            f"{source} produced malformed letter markup (output line {line}, column {col})"
        ) from None
    if (root.text or "").strip():
        raise BadInput(f"{source}: text outside a block: {root.text.strip()[:40]!r}")
    blocks, meta = [], {}
    for elem in root:
        where = f"{source}: <{elem.tag}>"
        if (elem.tail or "").strip():
            raise BadInput(f"{source}: text outside a block after <{elem.tag}>: "
                           f"{elem.tail.strip()[:40]!r}")
        if elem.tag == "meta":
            name = elem.get("name")
            if not name:
                raise BadInput(f"{where} needs a name")
            meta[name] = elem.get("value", elem.text or "")
            continue
        if elem.tag not in _REF_BLOCKS:
            raise BadInput(f"{source}: unknown block <{elem.tag}>")
        block = RefBlock(elem.tag, label=_REF_SPACE.sub(" ", elem.get("label") or "").strip(" "))
        if elem.tag in ("ol", "ul"):
            if (elem.text or "").strip():
                raise BadInput(f"{where}: text outside <li>")
            for li in elem:
                if li.tag != "li":
                    raise BadInput(f"{where}: only <li> items are allowed, not <{li.tag}>")
                if (li.tail or "").strip():
                    raise BadInput(f"{where}: text outside <li>")
                runs = _ref_normalise(_ref_runs(li, where))
                if runs:
                    block.items.append(runs)
            if block.items:
                blocks.append(block)
            continue
        runs = _ref_runs(elem, where)
        block.raw = ref_plain(runs)
        block.runs = _ref_normalise(runs)
        if block.runs:
            blocks.append(block)
    return blocks, meta


def ref_wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    if not text:
        return [first.rstrip()]
    return textwrap.wrap(text, width=txt.WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=True, break_on_hyphens=False) or [first.rstrip()]


def _ref_para(runs, first="", rest=""):
    out = []
    for i, line in enumerate(ref_split_lines(runs)):
        out += ref_wrap(ref_plain(line), first if i == 0 else rest, rest)
    return out


def ref_write_txt(blocks) -> str:
    chunks = []
    for block in blocks:
        if block.kind in ("ol", "ul"):
            lines = []
            for n, item in enumerate(block.items, start=1):
                mark = f"{n}. " if block.kind == "ol" else "- "
                lines += _ref_para(item, mark, " " * len(mark))
            chunks.append(lines)
        elif block.kind == "subject":
            label = f"{block.label} " if block.label else ""
            chunks.append(_ref_para([RefRun(label), *block.runs]))
        elif block.kind == "h":
            lines = _ref_para(block.runs)
            chunks.append([*lines, "-" * min(txt.WIDTH, max(len(x) for x in lines))])
        elif block.kind == "quote":
            chunks.append(_ref_para(block.runs, "    ", "    "))
        else:
            chunks.append(_ref_para(block.runs))
    return "\n\n".join("\n".join(c) for c in chunks) + "\n"


def _flat(runs) -> list[tuple]:
    return [(r.text, r.bold, r.italic, r.mono) for r in runs]


def _shape(blocks) -> list[tuple]:
    return [(b.kind, _flat(b.runs), [_flat(i) for i in b.items], b.label, b.raw)
            for b in blocks]


# -- strategies ---------------------------------------------------------------------
# characters textwrap or the markup treat specially, and ordinary ones
_CHARS = list("ab-é. \t\n\r\xa0\u2009\u3000\u2028\x1c\x0b\x0c\xad/") + ["\u200b", "ß", "\U0001f600"]
_WORDS = ["a", "word", "hyphen-ated", "Art. 21(1)", "x" * 40, "y" * 72, "z" * 73, "w" * 76,
          "v" * 77, "u" * 100, "", " ", "  ", "\t", "\n", "\xa0", "é-è"]


def _texts(max_size: int = 200):
    words = st.one_of(st.text(alphabet=_CHARS, max_size=12), st.sampled_from(_WORDS))
    seps = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\xa0", " - "])
    return st.builds(
        lambda ws, ss: "".join(w + s for w, s in zip(ws, ss, strict=False)),
        st.lists(words, max_size=40), st.lists(seps, min_size=40, max_size=40),
    ).map(lambda s: s[:max_size * 4])


# (textwrap itself may loop forever when an indent leaves no room: none of 76 or more)
_INDENTS = ["", "- ", "1. ", "12. ", "    ", "   ", " ", "x" * 70, "x" * 74, "x" * 75]


@SETTINGS
@given(text=_texts(), first=st.sampled_from(_INDENTS), rest=st.sampled_from(_INDENTS),
       same=st.booleans())
def test_fast_wrap_is_textwrap(text, first, rest, same):
    if same:
        rest = " " * len(first)
    assert txt._wrap(text, first, rest) == ref_wrap(text, first, rest)


@SETTINGS
@given(words=st.lists(st.one_of(st.text(alphabet="abcdefé-.,", min_size=1, max_size=20),
                                st.sampled_from(["y" * 71, "y" * 72, "z" * 73, "w" * 76,
                                                 "v" * 77, "u" * 90])), max_size=60),
       seps=st.lists(st.sampled_from([" "] * 12 + ["  ", "   "]), min_size=60, max_size=60),
       edges=st.sampled_from([("", "")] * 4 + [(" ", ""), ("", " "), (" ", "  ")]),
       first=st.sampled_from(["", "- ", "1. ", "    "]),
       rest=st.sampled_from([None, None, None, "", " ", "     "]))
def test_fast_wrap_plain_prose(words, seps, edges, first, rest):
    """Printable prose (the fast path proper): words of any length, now and then
    more than one space between them or at the edges (textwrap drops those at
    a line break)."""
    text = edges[0] + "".join(w + s for w, s in zip(words, seps, strict=False)).rstrip(" ")
    text += edges[1]
    rest = " " * len(first) if rest is None else rest
    assert txt._wrap(text, first, rest) == ref_wrap(text, first, rest)


def test_fast_wrap_at_every_boundary():
    """Lines that end exactly at the width, one before and one after, for each indent."""
    for first, rest in (("", ""), ("- ", "  "), ("12. ", "    "), ("", "  ")):
        for n in range(1, 80):
            for m in (1, 2, 3, 70, 71, 72, 73, 74, 75, 76, 77):
                for text in (f"{'x' * n} {'y' * m}", f"{'x' * n} {'y' * m} zz {'w' * n}",
                             f" {'x' * n} {'y' * m}", f"{'x' * n}  {'y' * m}",
                             f"{'x' * n} {'y' * m} ", f"a {'x' * n}-{'y' * m}"):
                    assert txt._wrap(text, first, rest) == ref_wrap(text, first, rest), text


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


_xml_text = st.one_of(
    st.text(alphabet=list("ab -.\t\n\r\xa0é&<\"") + ["\u3000"], max_size=10),
    st.sampled_from(["\n", " ", "  ", "x" * 80, "long words " * 9, "hyphen-ated-word"]),
).map(_esc)
_inline = st.recursive(
    st.one_of(_xml_text, st.sampled_from(["<br/>", "<br/>\n", "\n<br/> ", "<br></br>"])),
    lambda kids: st.one_of(
        st.builds(lambda tag, parts: f"<{tag}>{''.join(parts)}</{tag}>",
                  st.sampled_from(["b", "i", "code", "b", "i", "code", "u"]),
                  st.lists(kids, max_size=4)),
        st.sampled_from(["<br>x</br>", "<br><b/></br>"]),
    ),
    max_leaves=10,
)
_content = st.lists(_inline, max_size=6).map("".join)
_ws = st.sampled_from(["", "\n", " \n  ", "x"])
_block = st.one_of(
    st.builds(lambda tag, c: f"<{tag}>{c}</{tag}>",
              st.sampled_from(["p", "h", "quote", "sender", "recipient", "small", "date",
                               "signature", "p", "p", "nope"]), _content),
    st.builds(lambda label, c: f'<subject label="{label}">{c}</subject>', _xml_text, _content),
    st.builds(lambda c: f"<subject>{c}</subject>", _content),
    st.builds(lambda tag, items, ws, li: f"<{tag}>{ws}"
              + "".join(f"<{li}>{c}</{li}>{ws}" for c in items) + f"</{tag}>",
              st.sampled_from(["ol", "ul"]), st.lists(_content, max_size=4), _ws,
              st.sampled_from(["li", "li", "li", "p"])),
    st.builds(lambda n, v: f'<meta name="{n}" value="{v}"/>',
              st.sampled_from(["page-label", "x", ""]), _xml_text),
    st.sampled_from(["<meta name='m'>text</meta>", "<p>a &amp b</p>", "stray"]),
)
_markup = st.lists(_block, max_size=7).map("\n".join)


def _outcome(fn):
    try:
        return "ok", fn()
    except BadInput as err:
        return "error", err.message if hasattr(err, "message") else str(err)


@SETTINGS
@given(markup=_markup)
def test_parse_and_write_txt_match_the_reference(markup):
    got = _outcome(lambda: parse_markup(markup, source="template t.j2"))
    want = _outcome(lambda: ref_parse(markup, source="template t.j2"))
    if want[0] == "error":
        assert got[0] == "error"
        assert str(got[1]).split(" (")[0] == str(want[1]).split(" (")[0]
        return
    assert got[0] == "ok", got
    doc = got[1]
    blocks, meta = want[1]
    assert _shape(doc.blocks) == _shape(blocks)
    assert doc.meta == meta
    assert txt.write_txt(doc) == ref_write_txt(blocks)
    subject = next((b for b in blocks if b.kind == "subject"), None)
    assert doc.subject == (
        _REF_SPACE.sub(" ", ref_plain(subject.runs)).strip(" ") if subject else "")


@SETTINGS
@given(text=st.text(max_size=40))
def test_xml_safe(text):
    assert xml_safe(text) == ref_xml_safe(text)


def test_xml_safe_every_special_character():
    for c in [*map(chr, range(0x20)), "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\ufffe",
              "\uffff", "\u2028", "\xa0", "\u202a", "\u202e", "\u2066", "\u2069", "\u200f"]:
        assert xml_safe(f"a{c}\r\nb{c}") == ref_xml_safe(f"a{c}\r\nb{c}")


def test_run_is_an_immutable_value():
    run = Run("a", bold=True)
    assert (run.text, run.bold, run.italic, run.mono) == ("a", True, False, False)
    assert run == Run("a", True) and hash(run) == hash(Run("a", True))
    assert not run.is_break and Run("\n").is_break
    with pytest.raises((AttributeError, FrozenInstanceError)):
        run.text = "b"
    assert split_lines([Run("a"), Run("\n"), Run("b"), Run("\n")]) == [[Run("a")], [Run("b")]]


def test_deadline_caches_are_read_only():
    supported = deadlines._supported_countries()
    assert supported is deadlines._supported_countries()
    assert "IT" in supported and "DE" in supported
    with pytest.raises(TypeError):
        supported["XX"] = ()
    assert deadlines.normalize_country("de-by") == ("DE", "BY")
    assert deadlines.normalize_country("DE", "by") == ("DE", "BY")
    with pytest.raises(BadInput, match="unknown subdivision"):
        deadlines.normalize_country("DE", "XX")


# -- the template environment -------------------------------------------------------
def _context(kind: str = "objection") -> dict:
    from gdprkit.letters import render_letter, templating

    seen: dict = {}
    original = templating.render_markup

    def spy(kind_, lang, context, *, template_dir=None):
        seen["context"] = context
        return original(kind_, lang, context, template_dir=template_dir)

    templating.render_markup = spy
    try:
        render_letter(kind, **golden_cases()[kind])
    finally:
        templating.render_markup = original
    return seen["context"]


def _objects(value, depth=0):
    """Every object reachable from a context value through views, lists and tuples."""
    yield value
    if depth > 4:
        return
    if isinstance(value, list | tuple):
        for item in value:
            yield from _objects(item, depth + 1)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _objects(getattr(value, f.name), depth + 1)


def _same(a, b) -> bool:
    from jinja2 import Undefined

    if isinstance(a, Undefined) or isinstance(b, Undefined):
        return type(a) is type(b) and a._undefined_message == b._undefined_message
    if type(a) is type(b) and hasattr(a, "__wrapped__"):  # the sandbox's str.format wrapper
        return a.__wrapped__ == b.__wrapped__
    return a == b


@pytest.mark.parametrize("kind", ["objection", "complaint", "reminder", "platform-report"])
def test_sandbox_shortcut_gives_what_the_sandbox_gives(kind):
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from gdprkit.letters import templating
    from gdprkit.letters.context import VIEW_TYPES

    ours = templating._environment(None)
    plain_sandbox = SandboxedEnvironment(undefined=StrictUndefined)
    assert isinstance(ours, SandboxedEnvironment)
    seen_views = set()
    for value in _context(kind).values():
        for obj in _objects(value):
            if type(obj) in VIEW_TYPES:
                seen_views.add(type(obj))
            for name in {*dir(obj), "__class__", "__init__", "__globals__", "nope", "mro"}:
                assert _same(ours.getattr(obj, name), plain_sandbox.getattr(obj, name)), name
    assert len(seen_views) >= 4


def test_builtin_templates_compiled_once_user_templates_reloaded(tmp_path):
    from gdprkit.letters import render_letter, templating

    assert templating._environment(None).auto_reload is False
    user = tmp_path / "tpl" / "en"
    user.mkdir(parents=True)
    case = golden_cases()["access"]
    (user / "access.j2").write_text("<subject>First</subject>", encoding="utf-8")
    assert render_letter("access", template_dir=user.parent, **case).subject == "First"
    assert templating._environment(str(user.parent.resolve())).auto_reload is True
    (user / "access.j2").write_text("<subject>Second version</subject>", encoding="utf-8")
    later = time.time() + 5
    os.utime(user / "access.j2", (later, later))
    assert render_letter("access", template_dir=user.parent, **case).subject == "Second version"


def test_sandbox_shortcut_on_loops_and_template_modules():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from gdprkit.letters import templating

    ours = templating._environment(None)
    plain_sandbox = SandboxedEnvironment(undefined=StrictUndefined)
    grabbed = []
    source = ('{% import "en/_wording.j2" as w %}{{ grab(w) }}'
              '{% for x in ["a", "b", "c"] %}{{ grab(loop) }}{% endfor %}')
    ours.from_string(source, globals={"grab": lambda o: grabbed.append(o) or ""}).render(
        lang="en")
    assert {type(o).__name__ for o in grabbed} == {"TemplateModule", "LoopContext"}
    for obj in grabbed:
        for name in {*dir(obj), "__class__", "_after", "nope", "mro", "format"}:
            assert _same(ours.getattr(obj, name), plain_sandbox.getattr(obj, name)), name


def test_sandbox_shortcut_still_wraps_str_format():
    """A view holding a ``str.format`` (no view does) still gets the sandbox's wrapper."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from gdprkit.letters import templating
    from gdprkit.letters.context import CheckpointView

    ours = templating._environment(None)
    plain_sandbox = SandboxedEnvironment(undefined=StrictUndefined)
    view = CheckpointView(origin="{0.__class__}".format, tree_size=1, root_hash="ab",
                          root_prefix="ab".format_map)
    for name in ("origin", "root_prefix", "tree_size"):
        assert _same(ours.getattr(view, name), plain_sandbox.getattr(view, name)), name
    assert ours.getattr(view, "origin") is not view.origin
    with pytest.raises(Exception, match="unsafe|__class__"):
        ours.getattr(view, "origin")(1)


def test_due_date_cache_answers_as_explain_due():
    import datetime as dt

    day = dt.date(2026, 1, 1)
    for n in range(0, 400, 7):
        received = day + dt.timedelta(days=n)
        for country, sub in (("IT", None), ("de-by", None), ("DE", "BY"), ("uk", None)):
            for extended in (False, True):
                want = deadlines.explain_due(received, country, subdivision=sub,
                                             extended=extended).due
                for _ in range(2):  # computed, then cached
                    assert deadlines.due_date(received, country, subdivision=sub,
                                              extended=extended) == want
    moment = dt.datetime(2026, 3, 5, 23, 30)
    assert deadlines.due_date(moment, "IT") == deadlines.due_date(moment.date(), "IT")
    for _ in range(2):  # errors are never cached
        with pytest.raises(BadInput, match="unknown country"):
            deadlines.due_date(day, "XX")
        with pytest.raises(BadInput):
            deadlines.due_date("2026-01-01", "IT")
