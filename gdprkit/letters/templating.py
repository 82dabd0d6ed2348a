"""Finding, listing, copying and running letter templates (Jinja, sandboxed).

Layout (``templates/`` at the repository top, ``gdprkit/templates`` in the
wheel)::

    templates/
      README.md            how to write and translate templates
      <lang>/<kind>.j2     one template per letter kind and language
      <lang>/_layout.j2    the common skeleton the kinds extend
      <lang>/_wording.j2   wording of every legal code (grounds, demands ...)

A ``--template-dir`` has the same layout and is searched first, file by
file: a user may override just ``en/objection.j2`` and keep every other file
built in.

The environment is a :class:`~jinja2.sandbox.SandboxedEnvironment` with
``StrictUndefined`` (a missing variable is an error naming template and
line) and autoescape on (see :mod:`gdprkit.letters.markup` for why).
"""

from __future__ import annotations

import datetime as _dt
import functools
import shutil
import sys
from pathlib import Path

from ..errors import BadInput, NotFound
from ..model import LANGUAGES, LetterKind
from .markup import xml_safe

__all__ = ["builtin_template_dir", "copy_templates", "list_templates", "render_markup"]

TEMPLATE_SUFFIX = ".j2"


def builtin_template_dir() -> Path:
    """The built-in templates: inside the installed package, else the source checkout."""
    import gdprkit

    pkg = Path(gdprkit.__file__).resolve().parent
    for candidate in (pkg / "templates", pkg.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise NotFound(f"the built-in letter templates are missing (looked in {pkg / 'templates'} "
                   f"and {pkg.parent / 'templates'})")


def _user_dir(template_dir) -> Path | None:
    if template_dir is None:
        return None
    path = Path(template_dir).expanduser()
    if not path.is_dir():
        raise NotFound(f"template folder {str(path)!r} does not exist")
    return path.resolve()


def list_templates(template_dir=None) -> list[dict]:
    """Every letter kind x language available, user templates first in precedence.

    Each item: ``{"kind", "lang", "source": "builtin"|"user", "path"}``, sorted
    by kind then language.
    """
    found: dict[tuple[str, str], dict] = {}
    dirs = [("builtin", builtin_template_dir())]
    user = _user_dir(template_dir)
    if user is not None:
        dirs.append(("user", user))
    kinds = set(LetterKind.values())
    for source, root in dirs:  # later (user) entries replace built-ins
        for path in sorted(root.glob(f"*/*{TEMPLATE_SUFFIX}")):
            lang, kind = path.parent.name, path.name[: -len(TEMPLATE_SUFFIX)]
            if kind in kinds and lang in LANGUAGES:
                found[(kind, lang)] = {
                    "kind": kind, "lang": lang, "source": source, "path": str(path)
                }
    order = {k: i for i, k in enumerate(LetterKind.values())}
    return sorted(found.values(), key=lambda t: (order[t["kind"]], LANGUAGES.index(t["lang"])))


def copy_templates(dest) -> list[Path]:
    """Copy the built-in templates into ``dest`` to customise them.

    ``dest`` is created if needed, but its parent folder must exist, as for
    every file gdprkit writes (a typo in a path then fails instead of
    silently creating a tree elsewhere).  Refuses to overwrite an existing
    file; returns the files written.
    """
    src = builtin_template_dir()
    dest = Path(dest).expanduser()
    parent = dest.parent if str(dest.parent) else Path(".")
    if not parent.is_dir():
        raise BadInput(f"the folder {parent} does not exist",
                       hint=f"create it first; templates copy creates only {dest.name}")
    if dest.exists() and not dest.is_dir():
        raise BadInput(f"{dest} is not a folder")
    files = [p for p in sorted(src.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    clashes = [dest / p.relative_to(src) for p in files if (dest / p.relative_to(src)).exists()]
    if clashes:
        raise BadInput(
            f"{clashes[0]} already exists" + (f" (and {len(clashes) - 1} more)"
                                              if len(clashes) > 1 else ""),
            hint="copy into an empty folder, or move your changes away first",
        )
    written = []
    for path in files:
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(target)
    return written


# -- the environment ---------------------------------------------------------------
class _Fail(Exception):
    pass


def _finalize(value):
    """Applied to every ``{{ value }}`` before escaping: no None, no XML-illegal characters."""
    if type(value) is str:  # the common case first
        return value if value.isprintable() else xml_safe(value)
    if value is None:
        raise _Fail("a value printed by the template is None (missing); guard it with {% if %}")
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return xml_safe(value)
    return value


def _fail(message: str):
    raise _Fail(str(message))


@functools.lru_cache(maxsize=1)
def _sandbox_class():
    """:class:`~jinja2.sandbox.SandboxedEnvironment`, with a shortcut for the
    objects templates read most: the context's views (``VIEW_TYPES``), loop
    variables and imported template modules.

    For those objects, the sandbox's own ``getattr`` returns the attribute
    unchanged whenever its name does not start with ``_`` (none of them is a
    function, method, type, code object, frame or generator, the only kinds
    with internal attributes without underscore) and it is not a method
    (which could be a ``str.format`` to wrap).  The shortcut returns exactly
    those values, only without asking each time; anything else (other
    objects, names with ``_``, methods, missing attributes) goes through the
    sandbox unchanged.
    """
    import types

    from jinja2.environment import TemplateModule
    from jinja2.runtime import LoopContext
    from jinja2.sandbox import SandboxedEnvironment

    from .context import VIEW_TYPES

    plain = VIEW_TYPES | {LoopContext, TemplateModule}
    methods = (types.MethodType, types.BuiltinMethodType)
    sandbox_getattr = SandboxedEnvironment.getattr

    class LetterSandbox(SandboxedEnvironment):
        def getattr(self, obj, attribute):
            if type(obj) in plain and attribute[:1] != "_":
                try:
                    value = getattr(obj, attribute)
                except AttributeError:
                    pass
                else:
                    if not isinstance(value, methods):
                        return value
            return sandbox_getattr(self, obj, attribute)

    return LetterSandbox


@functools.lru_cache(maxsize=1)
def _loader_class():
    """:class:`~jinja2.FileSystemLoader` that names the file it cannot decode.

    Jinja reads a template file with ``Path.read_text``; a file that is not
    UTF-8 (a user's template saved as UTF-16 or Latin-1) then fails with a bare
    :class:`UnicodeDecodeError` that names no file.
    """
    import os

    from jinja2 import FileSystemLoader
    from jinja2.loaders import split_template_path

    class LetterLoader(FileSystemLoader):
        def get_source(self, environment, template):
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as err:
                pieces = split_template_path(template)
                path = next(
                    (p for p in (os.path.join(root, *pieces) for root in self.searchpath)
                     if os.path.isfile(p)),
                    template,
                )
                raise BadInput(
                    f"template {path} is not UTF-8 text (byte 0x{err.object[err.start]:02x} "
                    f"at offset {err.start})",
                    hint="save it as UTF-8",
                ) from None

    return LetterLoader


@functools.lru_cache(maxsize=8)
def _environment(user_dir: str | None):
    from jinja2 import StrictUndefined

    paths = ([user_dir] if user_dir else []) + [str(builtin_template_dir())]
    env = _sandbox_class()(
        loader=_loader_class()(paths),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # a user's folder may be edited while gdprkit runs; the built-in
        # templates are not: compiled once, never checked again
        auto_reload=user_dir is not None,
    )
    env.globals["fail"] = _fail
    env.filters.update(_filters())
    return env


def _filters() -> dict:
    """Babel-backed filters; each reads the letter's language from the context (``lang``)."""
    from babel import Locale
    from babel.dates import format_date, format_datetime
    from babel.lists import format_list
    from babel.numbers import format_decimal
    from jinja2 import pass_context
    from markupsafe import Markup, escape

    def loc(ctx):
        return Locale.parse(ctx["lang"])

    @pass_context
    def date(ctx, value, pattern="long"):
        if isinstance(value, _dt.datetime):
            value = value.date()
        return format_date(value, pattern, locale=loc(ctx))

    @pass_context
    def datetime(ctx, value, pattern="medium"):
        # at its own UTC offset (an incident's, as given); UTC for times without one
        zone = getattr(value, "tzinfo", None) or _dt.UTC
        return format_datetime(value, pattern, tzinfo=zone, locale=loc(ctx))

    @pass_context
    def number(ctx, value):
        return format_decimal(value, locale=loc(ctx))

    @pass_context
    def filesize(ctx, value):
        n = float(value)
        if n < 1000:
            return f"{format_decimal(int(n), locale=loc(ctx))} B"
        for unit in ("kB", "MB", "GB"):
            n /= 1000
            if n < 1000 or unit == "GB":
                break
        return f"{format_decimal(n, format='#,##0.0', locale=loc(ctx))} {unit}"

    @pass_context
    def country_name(ctx, code):
        if not code:
            return ""
        cc = str(code).upper()[:2]
        return loc(ctx).territories.get({"UK": "GB", "EL": "GR"}.get(cc, cc), cc)

    @pass_context
    def join_list(ctx, items, style="standard"):
        items = [str(x) for x in items]
        return format_list(items, style=style, locale=loc(ctx)) if items else ""

    def capfirst(text):
        text = str(text)
        return text[:1].upper() + text[1:]

    def nl2br(text):
        lines = xml_safe(str(text)).split("\n")
        return Markup("<br/>").join(escape(line) for line in lines)

    return {
        "date": date,
        "datetime": datetime,
        "number": number,
        "filesize": filesize,
        "country_name": country_name,
        "join_list": join_list,
        "nl2br": nl2br,
        "capfirst": capfirst,
    }


def _template_frame(tb) -> tuple[str | None, int | None]:
    """The innermost traceback frame that runs template code: (file, line)."""
    where = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIX):
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


def render_markup(kind: str, lang: str, context: dict, *, template_dir=None) -> tuple[str, str]:
    """Render ``<lang>/<kind>.j2`` with ``context``; returns (markup, template file).

    Errors become :class:`BadInput` naming the template file and line.
    """
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    user = _user_dir(template_dir)
    env = _environment(str(user) if user else None)
    name = f"{lang}/{kind}{TEMPLATE_SUFFIX}"
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as err:
        raise BadInput(
            f"template {err.filename or err.name}, line {err.lineno}: {err.message}"
        ) from None
    except TemplateNotFound as err:
        raise NotFound(
            f"no template {err.name!r}",
            hint="see 'gdprkit templates list' for the kinds and languages available",
        ) from None
    filename = template.filename or name
    try:
        markup = template.render(context)
    except TemplateSyntaxError as err:  # in an included/imported template
        raise BadInput(
            f"template {err.filename or err.name}, line {err.lineno}: {err.message}"
        ) from None
    except (TemplateError, _Fail, TypeError, ValueError, AttributeError, KeyError) as err:
        file, line = _template_frame(sys.exc_info()[2])
        msg = getattr(err, "message", None) or str(err)
        raise BadInput(f"template {file or filename}, line {line or '?'}: {msg}") from None
    return markup, filename

