"""Which letter fits which incident, and the legal codes each combination yields."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from gdprkit.errors import BadInput
from gdprkit.legal import bases
from gdprkit.model import Incident, IncidentKind, LetterKind

UTC = dt.UTC
FIRST_LETTERS = (*bases.GDPR_LETTERS, LetterKind.PLATFORM_REPORT.value)


def inc(kind, n=1, platform="linkedin"):
    return Incident(id=f"i{n}", kind=kind, contact="c1",
                    when=dt.datetime(2026, 2, n, tzinfo=UTC), platform=platform)


@pytest.mark.parametrize("letter", FIRST_LETTERS)
@pytest.mark.parametrize("kind", IncidentKind.values())
def test_every_combination_fits_or_says_what_fits(letter, kind):
    if bases.fits(letter, kind):
        basis = bases.letter_basis(letter, [inc(kind)], country="IT")
        assert basis.demands, "a letter that fits must ask for something"
        assert basis.grounds
        assert set(basis.grounds) <= set(bases.GROUND_ORDER)
        assert set(basis.demands) <= set(bases.DEMAND_ORDER)
        assert list(basis.grounds) == sorted(basis.grounds, key=bases.GROUND_ORDER.index)
        assert list(basis.demands) == sorted(basis.demands, key=bases.DEMAND_ORDER.index)
        if letter in bases.GDPR_LETTERS and letter != "access":
            assert basis.demands[-1] == "confirm"
    else:
        with pytest.raises(BadInput) as err:
            bases.letter_basis(letter, [inc(kind)], country="IT")
        message = str(err.value)
        assert f"incident i1 ({kind})" in message
        assert re.search(r"use (objection|erasure|platform-report)", message), message


def test_introduction_request_only_fits_a_platform_report():
    fitting = [k for k in FIRST_LETTERS if bases.fits(k, "introduction-request")]
    assert fitting == ["platform-report"]
    with pytest.raises(BadInput, match="use platform-report"):
        bases.letter_basis("objection", [inc("introduction-request")])


def test_refusals_point_to_a_letter_that_fits():
    for letter, kind in itertools.product(FIRST_LETTERS, IncidentKind.values()):
        why = bases.refusal(letter, kind)
        if why is None:
            continue
        suggested = re.findall(r"use ([a-z-]+)", why)
        assert suggested, why
        for other in suggested:
            assert bases.fits(other, kind), (letter, kind, other)


def test_mailing_list_objection_is_direct_marketing_with_eprivacy_and_national_rule():
    basis = bases.letter_basis("objection", [inc("mailing-list", platform="email")],
                               country="IT")
    assert {"direct-marketing", "eprivacy", "no-information", "erasure-objection",
            "withdraw-any-consent"} <= set(basis.grounds)
    assert {"stop-marketing", "remove-from-lists", "disclose-source"} <= set(basis.demands)
    assert "Codice" in basis.eprivacy_rule and "130" in basis.eprivacy_rule
    assert bases.letter_basis("objection", [inc("mailing-list")], country="DE-BY") \
        .eprivacy_rule == "§ 7 Abs. 2 UWG"
    assert bases.letter_basis("objection", [inc("mailing-list")], country="NL") \
        .eprivacy_rule is None


def test_eprivacy_for_a_pitch_only_when_it_came_by_email():
    # LEGAL.md marks platform inbox messages "(check)": left out
    assert "eprivacy" not in bases.letter_basis("objection", [inc("direct-pitch")]).grounds
    by_mail = bases.letter_basis("objection", [inc("direct-pitch", platform="E-mail")],
                                 country="FR")
    assert "eprivacy" in by_mail.grounds
    assert "L34-5" in by_mail.eprivacy_rule


def test_forwarded_erasure_notifies_and_names_recipients():
    basis = bases.letter_basis("erasure", [inc("forwarded")])
    assert {"no-basis-disclosure", "purpose-limitation", "erasure-unlawful",
            "notify-recipients"} <= set(basis.grounds)
    assert {"erase", "notify-recipients", "name-recipients"} <= set(basis.demands)


def test_pitch_erasure_rests_on_the_objection_not_on_unlawfulness():
    basis = bases.letter_basis("erasure", [inc("direct-pitch")])
    assert "erasure-objection" in basis.grounds
    assert "erasure-unlawful" not in basis.grounds


def test_endorsement_restriction_contests_accuracy():
    basis = bases.letter_basis("restriction", [inc("endorsement")])
    assert "restriction-accuracy" in basis.grounds
    assert {"restrict", "inform-before-lifting", "notify-recipients"} <= set(basis.demands)


def test_group_phishing_platform_report_is_a_dsa_notice():
    basis = bases.letter_basis("platform-report", [inc("group-phishing")])
    assert basis.dsa and "dsa-notice" in basis.grounds
    assert "remove-content" in basis.demands
    assert basis.deadline is None and basis.household == ()
    assert not bases.letter_basis("platform-report", [inc("direct-pitch")]).dsa


def test_access_needs_no_incident_but_others_do():
    basis = bases.letter_basis("access", [])
    assert basis.grounds == ("access-right",)
    assert "access-source" in basis.demands and "confirm" not in basis.demands
    with pytest.raises(BadInput, match="needs at least one incident"):
        bases.letter_basis("objection", [])


def test_household_reasons_name_the_facts_they_rest_on():
    incidents = [inc("mailing-list", 1), inc("forwarded", 2), inc("direct-pitch", 3)]
    basis = bases.letter_basis("objection", incidents)
    assert basis.household == (bases.Reason("marketing", (1, 3)),
                               bases.Reason("disclosure", (2,)))


def test_merged_codes_are_unique_and_ordered():
    incidents = [inc(k, n) for n, k in enumerate(
        ["other", "mailing-list", "forwarded", "endorsement", "discussion-list"], start=1)]
    basis = bases.letter_basis("objection", incidents, country="ES")
    assert len(set(basis.grounds)) == len(basis.grounds)
    assert len(set(basis.demands)) == len(basis.demands)
    assert basis.grounds.index("direct-marketing") < basis.grounds.index("erasure-objection")
    assert "LSSI" in basis.eprivacy_rule


def test_reminder_and_complaint_follow_the_original_letter():
    incidents = [inc("mailing-list")]
    original = bases.letter_basis("objection", incidents)
    reminder = bases.letter_basis("reminder", incidents, original="objection")
    assert reminder.demands == original.demands and reminder.deadline == "reminder"
    complaint = bases.letter_basis("complaint", incidents, original="objection",
                                   status="overdue")
    assert complaint.deadline == "art78"
    assert {"art12-3", "art12-4", "art21-3", "art14", "eprivacy", "right-not-honoured"} <= \
        set(complaint.infringements)
    pending = bases.letter_basis("complaint", incidents, original="objection", status="pending")
    assert not {"art12-3", "art21-3", "right-not-honoured"} & set(pending.infringements)
    refused = bases.letter_basis("complaint", incidents, original="objection", status="refused")
    assert "art12-3" not in refused.infringements
    assert "right-not-honoured" in refused.infringements
    with pytest.raises(BadInput, match="follows a request"):
        bases.letter_basis("reminder", incidents)
    with pytest.raises(BadInput, match="original request"):
        bases.letter_basis("complaint", incidents, original="reminder")


def test_unknown_kinds_are_refused_with_the_valid_ones():
    with pytest.raises(BadInput, match="valid: .*objection"):
        bases.letter_basis("objektion", [inc("mailing-list")])
    with pytest.raises(BadInput, match="valid: .*mailing-list"):
        bases.fits("objection", "spam")


def test_reminder_due_is_a_working_day_of_the_controller():
    # 2026-04-17 + 14 days = Friday 1 May, a holiday in Italy -> Monday 4 May
    assert bases.reminder_due(dt.date(2026, 4, 17), "IT") == dt.date(2026, 5, 4)
    # Saturday 25 April (also Liberation Day) -> Monday 27 April
    assert bases.reminder_due(dt.date(2026, 4, 11), "IT") == dt.date(2026, 4, 27)
    assert bases.reminder_due(dt.date(2026, 4, 10), "IT") == dt.date(2026, 4, 24)


def test_every_code_is_worded_in_every_language_template():
    """Each code of the reading orders appears in each language's wording file."""
    root = Path(__file__).resolve().parent.parent / "templates"
    for wording in sorted(root.glob("*/_wording.j2")):
        text = wording.read_text(encoding="utf-8")
        for code in (*bases.GROUND_ORDER, *bases.DEMAND_ORDER, *bases.HOUSEHOLD_ORDER,
                     *bases.INFRINGEMENT_ORDER):
            assert f'"{code}"' in text, f"{wording}: no wording for {code}"
