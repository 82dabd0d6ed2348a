"""Templates: layout, user overrides, errors naming file and line, sandbox, wording coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from gdprkit.errors import BadInput, NotFound
from gdprkit.legal import bases
from gdprkit.letters import builtin_template_dir, copy_templates, list_templates, render_letter
from gdprkit.model import LetterKind

from .letters_scenario import golden_cases

REPO_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_builtin_templates_are_found_in_the_source_checkout():
    assert builtin_template_dir() == REPO_TEMPLATES


def test_list_templates_has_every_kind_in_english():
    listed = list_templates()
    english = [t for t in listed if t["lang"] == "en"]
    assert [t["kind"] for t in english] == LetterKind.values()
    assert all(t["source"] == "builtin" and Path(t["path"]).is_file() for t in english)
    assert not any(t["kind"].startswith("_") for t in listed)


def _user_dir(tmp_path, name, text):
    path = tmp_path / "tpl" / "en" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path / "tpl"


def test_user_template_overrides_one_kind_and_keeps_the_rest(tmp_path):
    source = (REPO_TEMPLATES / "en" / "objection.j2").read_text(encoding="utf-8")
    user = _user_dir(tmp_path, "objection.j2",
                     source.replace("Objection to ", "Formal objection to "))
    letter = render_letter("objection", template_dir=user, **golden_cases()["objection"])
    assert letter.subject.startswith("Formal objection to direct marketing")
    # the layout and wording still come from the built-ins
    assert b"Why the GDPR applies to you" in letter.content
    erasure = render_letter("erasure", template_dir=user, **golden_cases()["erasure"])
    assert erasure.content == render_letter("erasure", **golden_cases()["erasure"]).content
    listed = {(t["kind"], t["lang"]): t["source"] for t in list_templates(user)}
    assert listed[("objection", "en")] == "user" and listed[("erasure", "en")] == "builtin"


def test_broken_user_template_names_file_and_line(tmp_path):
    user = _user_dir(tmp_path, "access.j2",
                     '{% extends lang ~ "/_layout.j2" %}\n{% block subject %}\n'
                     "Access {% if %}\n{% endblock %}\n")
    with pytest.raises(BadInput) as err:
        render_letter("access", template_dir=user, **golden_cases()["access"])
    message = str(err.value)
    assert str(user / "en" / "access.j2") in message and "line 3" in message


@pytest.mark.parametrize("name", ["access.j2", "_wording.j2"])
def test_user_template_that_is_not_utf8_names_the_file(tmp_path, name):
    user = tmp_path / "tpl"
    (user / "en").mkdir(parents=True)
    source = (REPO_TEMPLATES / "en" / name).read_text(encoding="utf-8")
    (user / "en" / name).write_bytes(source.encode("utf-16"))  # starts with \xff\xfe
    with pytest.raises(BadInput) as err:
        render_letter("access", template_dir=user, **golden_cases()["access"])
    assert err.value.message == (
        f"template {user / 'en' / name} is not UTF-8 text (byte 0xff at offset 0)")
    assert err.value.hint == "save it as UTF-8"


def test_missing_variable_names_template_line_and_variable(tmp_path):
    user = _user_dir(tmp_path, "access.j2",
                     '{% extends lang ~ "/_layout.j2" %}\n'
                     "{% block subject %}Access for\n{{ requester.nickname }}{% endblock %}\n")
    with pytest.raises(BadInput) as err:
        render_letter("access", template_dir=user, **golden_cases()["access"])
    message = str(err.value)
    assert "access.j2, line 3" in message and "nickname" in message


def test_printing_a_missing_value_is_an_error_not_none(tmp_path):
    user = _user_dir(tmp_path, "access.j2",
                     '{% extends lang ~ "/_layout.j2" %}\n'
                     "{% block subject %}Access {{ request }}{% endblock %}\n")
    with pytest.raises(BadInput, match="line 2: .*None"):
        render_letter("access", template_dir=user, **golden_cases()["access"])


def test_unknown_code_stops_the_letter(tmp_path):
    user = _user_dir(tmp_path, "access.j2",
                     '{% extends lang ~ "/_layout.j2" %}\n'
                     '{% block subject %}{{ w.ground("no-such-ground") }}{% endblock %}\n')
    with pytest.raises(BadInput, match="no English wording for ground no-such-ground"):
        render_letter("access", template_dir=user, **golden_cases()["access"])


def test_templates_are_sandboxed(tmp_path):
    user = _user_dir(tmp_path, "access.j2",
                     "<subject>{{ requester.__class__.__mro__ }}"
                     "{{ ''.__class__.__subclasses__() }}</subject>")
    with pytest.raises(BadInput, match="access.j2, line 1: .*(unsafe|__class__)"):
        render_letter("access", template_dir=user, **golden_cases()["access"])


def test_template_without_subject_is_refused(tmp_path):
    user = _user_dir(tmp_path, "access.j2", "<p>Hello</p>")
    with pytest.raises(BadInput, match="no <subject>"):
        render_letter("access", template_dir=user, **golden_cases()["access"])


def test_template_markup_errors_name_the_template(tmp_path):
    user = _user_dir(tmp_path, "access.j2", "<subject>A & B</subject>")
    with pytest.raises(BadInput, match=r"access\.j2 produced malformed letter markup"):
        render_letter("access", template_dir=user, **golden_cases()["access"])


def test_missing_template_dir_is_not_found(tmp_path):
    with pytest.raises(NotFound, match="does not exist"):
        render_letter("access", template_dir=tmp_path / "nope", **golden_cases()["access"])


def test_copy_templates_then_refuse_to_overwrite(tmp_path):
    written = copy_templates(tmp_path / "mine")
    assert (tmp_path / "mine" / "en" / "objection.j2").read_bytes() == \
        (REPO_TEMPLATES / "en" / "objection.j2").read_bytes()
    assert (tmp_path / "mine" / "README.md") in written
    with pytest.raises(BadInput, match="already exists"):
        copy_templates(tmp_path / "mine")
    # a copied tree renders exactly like the built-ins
    case = golden_cases()["complaint"]
    assert render_letter("complaint", template_dir=tmp_path / "mine", **case).content == \
        render_letter("complaint", **case).content


def test_copy_templates_refuses_a_missing_parent_folder(tmp_path):
    with pytest.raises(BadInput) as err:
        copy_templates(tmp_path / "no" / "such" / "mine")
    assert err.value.message == f"the folder {tmp_path / 'no' / 'such'} does not exist"
    assert not (tmp_path / "no").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(BadInput, match="is not a folder"):
        copy_templates(tmp_path / "file")
    # the folder itself may be new, or exist already (empty)
    (tmp_path / "empty").mkdir()
    assert copy_templates(tmp_path / "empty") and copy_templates(tmp_path / "new")


def _macro_env():
    from gdprkit.letters.templating import _environment

    return _environment(None)


@pytest.mark.parametrize("lang", sorted(p.parent.name for p in REPO_TEMPLATES.glob(
    "*/_wording.j2")))
def test_every_legal_code_has_wording(lang):
    """Each ground, demand, household reason and infringement renders in each language."""
    import datetime as dt

    from gdprkit.legal.bases import Reason
    from gdprkit.letters.context import LegalView

    env = _macro_env()
    tables = {
        "ground": bases.GROUND_ORDER,
        "demand": bases.DEMAND_ORDER,
        "infringement": bases.INFRINGEMENT_ORDER,
    }
    legal = LegalView(grounds=(), demands=(), infringements=(), household=(),
                      eprivacy_rule="X", dsa=False, original="objection", incident_kinds=())
    ctx = {"lang": lang, "legal": legal, "kind": "objection", "contact": None,
           "sent": dt.date(2026, 3, 5)}
    seen = set()
    for macro, codes in tables.items():
        for code in codes:
            out = env.from_string(
                f'{{% import "{lang}/_wording.j2" as w with context %}}{{{{ w.{macro}(code) }}}}'
            ).render(ctx, code=code).strip()
            assert len(out) > 15, (macro, code, out)
            seen.add(out)
    for code in bases.HOUSEHOLD_ORDER:
        out = env.from_string(
            f'{{% import "{lang}/_wording.j2" as w with context %}}{{{{ w.household(r, "X") }}}}'
        ).render(ctx, r=Reason(code, (1, 2))).strip()
        assert "1" in out and "2" in out, (code, out)
        seen.add(out)
    total = sum(map(len, tables.values())) + len(bases.HOUSEHOLD_ORDER)
    assert len(seen) == total  # no two codes share a wording


def test_every_language_has_every_kind_or_none():
    for lang_dir in REPO_TEMPLATES.iterdir():
        if lang_dir.is_dir():
            kinds = {p.stem for p in lang_dir.glob("*.j2") if not p.name.startswith("_")}
            assert kinds == set(LetterKind.values()), lang_dir.name
