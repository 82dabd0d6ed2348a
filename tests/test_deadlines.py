"""Art. 12(3) deadlines counted per Regulation 1182/71.

Expected dates in the table were worked out by hand from the rules in
shared/LEGAL.md and a calendar (weekday and public holiday of the day), not
taken from the code.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdprkit.errors import BadInput
from gdprkit.legal.deadlines import (
    DueDate,
    add_months,
    complaint_followup_date,
    due_date,
    explain_due,
    is_working_day,
    next_working_day,
    split_country_code,
)

D = dt.date.fromisoformat


# -- the worked examples of LEGAL.md ---------------------------------------------
def test_worked_example_easter_italy():
    result = explain_due(D("2026-03-05"), "IT")
    assert result.nominal_end == D("2026-04-05")
    assert result.due == D("2026-04-07")
    assert result.skipped == [
        (D("2026-04-05"), "Sunday, Easter Sunday"),
        (D("2026-04-06"), "Easter Monday"),
    ]
    assert result.country == "IT" and result.subdivision is None and not result.extended


def test_worked_example_no_31_february():
    result = explain_due(D("2026-01-31"), "IT")
    assert result.nominal_end == D("2026-02-28")
    assert result.due == D("2026-03-02")
    assert [reason for _, reason in result.skipped] == ["Saturday", "Sunday"]


# -- table: (received, country, extended, expected due, why) --------------------------
CASES = [
    # Christmas 2025: Thu 25 + Fri 26 (St Stephen) + weekend
    ("2025-11-25", "IT", False, "2025-12-29", "Christmas, St Stephen, weekend"),
    ("2025-11-25", "DE", False, "2025-12-29", "1st and 2nd Christmas day, weekend"),
    ("2025-11-25", "IE", False, "2025-12-29", "Christmas, St Stephen's Day, weekend"),
    ("2025-11-25", "FR", False, "2025-12-26", "26 Dec is a working day in France"),
    ("2025-11-25", "FR-57", False, "2025-12-29", "Moselle keeps St Stephen's Day"),
    # New Year 2026 (Thursday)
    ("2025-12-01", "IT", False, "2026-01-02", "New Year's Day"),
    # Epiphany 2026 (Tuesday): national in IT/ES, regional in Bavaria only
    ("2025-12-06", "DE-BY", False, "2026-01-07", "Epiphany in Bavaria"),
    ("2025-12-06", "DE", False, "2026-01-06", "Epiphany is not national in Germany"),
    ("2025-12-06", "IT", False, "2026-01-07", "Epifania"),
    ("2025-12-06", "ES", False, "2026-01-07", "Epifanía del Señor"),
    ("2025-12-06", "FR", False, "2026-01-06", "no holiday in France"),
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April
    ("2026-03-03", "DE", False, "2026-04-07", "Good Friday, weekend, Easter Monday"),
    ("2026-03-03", "IT", False, "2026-04-03", "Good Friday is a working day in Italy"),
    ("2026-03-03", "ES", False, "2026-04-06", "Good Friday national, Easter Monday regional"),
    ("2026-03-03", "ES-CT", False, "2026-04-07", "Catalonia keeps Easter Monday"),
    ("2026-03-03", "IE", False, "2026-04-03", "Good Friday is no public holiday in Ireland"),
    ("2026-03-05", "GB-ENG", False, "2026-04-07", "Easter Sunday, Easter Monday (England)"),
    ("2026-03-05", "GB-SCT", False, "2026-04-06", "no Easter Monday holiday in Scotland"),
    # ends of months
    ("2026-03-31", "IT", False, "2026-04-30", "April has no 31st"),
    ("2026-04-30", "DE", False, "2026-06-01", "30 May is a Saturday"),
    ("2026-05-31", "FR", False, "2026-06-30", "June has no 31st"),
    ("2026-08-31", "ES", False, "2026-09-30", "September has no 31st"),
    ("2026-10-31", "IE", False, "2026-11-30", "November has no 31st"),
    # leap years
    ("2028-01-31", "IT", False, "2028-02-29", "leap year: 29 February exists"),
    ("2028-01-29", "DE", False, "2028-02-29", "29 January -> 29 February"),
    ("2027-01-29", "DE", False, "2027-03-01", "no 29 Feb 2027; 28 Feb is a Sunday"),
    # holidays falling on a weekend
    ("2026-07-15", "IT", False, "2026-08-17", "Ferragosto on a Saturday"),
    ("2026-07-15", "FR", False, "2026-08-17", "Assumption on a Saturday"),
    ("2026-09-03", "DE", False, "2026-10-05", "German Unity Day on a Saturday"),
    ("2027-11-25", "IT", False, "2027-12-27", "Christmas Sat, St Stephen Sun, no observed day"),
    # receipt on a weekend
    ("2026-03-07", "IT", False, "2026-04-07", "received on a Saturday; 7 April is a Tuesday"),
    ("2026-02-28", "FR", False, "2026-03-30", "received Saturday, 28 March is a Saturday too"),
    # other national and regional holidays
    ("2026-05-04", "DE-BY", False, "2026-06-05", "Corpus Christi in Bavaria"),
    ("2026-05-04", "DE", False, "2026-06-04", "Corpus Christi is regional"),
    ("2026-04-01", "DE", False, "2026-05-04", "Labour Day on a Friday"),
    ("2026-04-01", "IT", False, "2026-05-04", "Festa del lavoro on a Friday"),
    ("2026-04-14", "DE", False, "2026-05-15", "Ascension Day"),
    ("2026-04-14", "IT", False, "2026-05-14", "Ascension is no holiday in Italy"),
    ("2026-04-08", "FR", False, "2026-05-11", "Victoire 1945 on a Friday"),
    ("2026-04-08", "DE", False, "2026-05-08", "8 May is a working day in Germany"),
    ("2026-06-14", "FR", False, "2026-07-15", "Fête nationale"),
    ("2026-05-02", "IT", False, "2026-06-03", "Festa della Repubblica"),
    ("2026-02-17", "IE", False, "2026-03-18", "St Patrick's Day"),
    ("2026-01-02", "IE", False, "2026-02-03", "St Brigid's Day (first Monday of February)"),
    ("2026-09-12", "ES", False, "2026-10-13", "Fiesta Nacional de España"),
    ("2026-11-08", "ES", False, "2026-12-09", "Inmaculada Concepción"),
    ("2026-11-08", "IT", False, "2026-12-09", "Immacolata Concezione"),
    ("2026-11-08", "DE", False, "2026-12-08", "8 December is a working day in Germany"),
    # extensions: three months from receipt
    ("2026-01-31", "IT", True, "2026-04-30", "extended: April has no 31st"),
    ("2026-03-05", "IT", True, "2026-06-05", "extended: a Friday"),
    ("2025-11-30", "DE", True, "2026-03-02", "extended: 28 Feb 2026 is a Saturday"),
    ("2025-11-30", "IT", True, "2026-03-02", "extended: 28 Feb 2026 is a Saturday"),
    ("2025-10-01", "FR", True, "2026-01-02", "extended into New Year's Day"),
    ("2025-09-25", "IT", True, "2025-12-29", "extended into Christmas"),
]


@pytest.mark.parametrize(("received", "country", "extended", "expected", "why"), CASES)
def test_due_date_table(received, country, extended, expected, why):
    assert due_date(D(received), country, extended=extended) == D(expected), why


def test_table_is_large_and_varied():
    assert len(CASES) >= 20
    assert {c[1].split("-")[0] for c in CASES} >= {"IT", "DE", "FR", "ES", "IE"}


def test_subdivision_as_keyword_or_in_code():
    assert due_date(D("2025-12-06"), "de", subdivision="by") == D("2026-01-07")
    assert due_date(D("2025-12-06"), "DE-BY", subdivision="BY") == D("2026-01-07")
    result = explain_due(D("2025-12-06"), "de-by")
    assert (result.country, result.subdivision) == ("DE", "BY")
    assert result.skipped == [(D("2026-01-06"), "Epiphany")]


def test_uk_is_an_alias_of_gb_and_case_does_not_matter():
    assert due_date(D("2026-03-05"), "uk", subdivision="ENG") == D("2026-04-07")
    assert explain_due(D("2026-03-05"), "Uk-Eng").country == "GB"
    assert due_date(D("2026-03-05"), "it") == due_date(D("2026-03-05"), "IT")


def test_holiday_on_a_saturday_names_both_reasons():
    result = explain_due(D("2026-07-15"), "IT")
    assert result.skipped[0][0] == D("2026-08-15")
    assert result.skipped[0][1].startswith("Saturday, ")
    assert "Assumption" in result.skipped[0][1]
    assert result.skipped[1] == (D("2026-08-16"), "Sunday")


def test_extended_result_says_so():
    result = explain_due(D("2026-01-31"), "IT", extended=True)
    assert result.extended and result.months == 3
    assert result.nominal_end == D("2026-04-30")
    assert "three months" in result.rule


def test_to_dict_is_json_ready():
    data = explain_due(D("2026-03-05"), "IT").to_dict()
    assert data == {
        "received": "2026-03-05",
        "nominal_end": "2026-04-05",
        "due": "2026-04-07",
        "extended": False,
        "months": 1,
        "country": "IT",
        "subdivision": None,
        "skipped": [
            {"date": "2026-04-05", "reason": "Sunday, Easter Sunday"},
            {"date": "2026-04-06", "reason": "Easter Monday"},
        ],
        "rule": data["rule"],
    }
    assert "1182/71" in data["rule"] and "Art. 12(3)" in data["rule"]


def test_datetime_receipt_counts_by_its_date():
    assert due_date(dt.datetime(2026, 3, 5, 23, 59), "IT") == D("2026-04-07")


# -- helpers -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-05-05", 12, "2027-05-05"),
        ("2026-05-05", 0, "2026-05-05"),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(D(start), n) == D(expected)


def test_next_working_day_and_is_working_day():
    assert next_working_day(D("2026-04-03"), "DE") == D("2026-04-07")
    assert next_working_day(D("2026-04-03"), "IT") == D("2026-04-03")
    assert next_working_day(D("2026-01-06"), "DE", "BY") == D("2026-01-07")
    assert not is_working_day(D("2026-01-06"), "DE-BY")
    assert is_working_day(D("2026-01-06"), "DE")


@pytest.mark.parametrize(
    ("filed", "country", "expected"),
    [
        ("2026-01-31", "IT", "2026-04-30"),  # three months, April has no 31st
        ("2025-09-25", "IT", "2025-12-29"),  # Christmas, St Stephen, weekend
        ("2025-11-30", "DE", "2026-03-02"),  # 28 Feb 2026 is a Saturday
        ("2026-02-28", "FR", "2026-05-28"),  # a Thursday
    ],
)
def test_complaint_followup_date(filed, country, expected):
    assert complaint_followup_date(D(filed), country) == D(expected)


# -- bad input -----------------------------------------------------------------------
def test_unknown_country_is_bad_input_with_hint():
    with pytest.raises(BadInput) as err:
        due_date(D("2026-03-05"), "XX")
    assert err.value.message == "unknown country 'XX'"
    assert "IT" in err.value.hint and "DE" in err.value.hint


@pytest.mark.parametrize("code", ["ITA", "", "1T", "DE_BY", "DE-BAYERN"])
def test_malformed_country_code(code):
    with pytest.raises(BadInput, match="is not a country code"):
        due_date(D("2026-03-05"), code)


def test_unknown_subdivision_lists_valid_ones():
    with pytest.raises(BadInput) as err:
        due_date(D("2026-03-05"), "DE-XX")
    assert err.value.message == "unknown subdivision 'XX' of DE"
    assert "BY" in err.value.hint and "NW" in err.value.hint


def test_conflicting_subdivisions():
    with pytest.raises(BadInput, match="disagree"):
        due_date(D("2026-03-05"), "DE-BY", subdivision="NW")


def test_not_a_date():
    with pytest.raises(BadInput, match="is not a date"):
        due_date("2026-03-05", "IT")  # type: ignore[arg-type]


def test_split_country_code():
    assert split_country_code("de-by") == ("DE", "BY")
    assert split_country_code(" uk ") == ("GB", None)
    assert split_country_code("EL") == ("GR", None)


def test_importing_the_module_does_not_import_holidays():
    code = (
        "import sys, gdprkit.legal.deadlines, gdprkit.legal.directory, gdprkit.cli.legal_cmds;"
        "bad = [m for m in ('holidays', 'babel') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


# -- properties --------------------------------------------------------------------
COUNTRIES = ["IT", "DE", "DE-BY", "FR", "ES", "IE", "GB-ENG", "AT", "NL"]
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(received=dates, country=st.sampled_from(COUNTRIES))
def test_property_due_is_the_first_working_day_from_the_nominal_end(received, country):
    result: DueDate = explain_due(received, country)
    assert result.due >= result.nominal_end
    assert is_working_day(result.due, country)
    # every day between nominal end and due was skipped, with a reason
    gap = (result.due - result.nominal_end).days
    assert [d for d, _ in result.skipped] == [
        result.nominal_end + dt.timedelta(days=i) for i in range(gap)
    ]
    assert all(reason for _, reason in result.skipped)
    assert 28 <= (result.due - received).days <= 36
    assert gap <= 5


@PROPS
@given(received=dates, country=st.sampled_from(COUNTRIES))
def test_property_nominal_end_is_same_date_next_month_or_month_end(received, country):
    result = explain_due(received, country)
    end = result.nominal_end
    assert (end.year * 12 + end.month) - (received.year * 12 + received.month) == 1
    next_day = end + dt.timedelta(days=1)
    assert end.day == received.day or (end.day < received.day and next_day.month != end.month)


@PROPS
@given(received=dates, country=st.sampled_from(COUNTRIES))
def test_property_extended_is_never_earlier(received, country):
    plain = due_date(received, country)
    extended = due_date(received, country, extended=True)
    assert extended > plain
    assert 89 <= (extended - received).days <= 92 + 5
