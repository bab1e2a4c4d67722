from hypothesis import given
from hypothesis import strategies as st

from lang import MONEY_UNITS, NUMBER_SCALES, amounts, find_years, is_year, line_of


def test_years_of_a_question_and_a_file_name():
    assert find_years("Vad ändrades mellan 2020 och 2023?") == [2020, 2023]
    assert find_years("plan_1949_2020-v2") == [2020]
    assert find_years("år 12020 och 20201") == []


def test_standalone_years_touch_no_letter():
    assert find_years("år2020", standalone=False) == [2020]
    assert find_years("år2020", standalone=True) == []
    assert find_years("2020-talet", standalone=True) == [2020]


def test_earliest_year():
    assert find_years("år 1890 och 1920") == []
    assert find_years("år 1890 och 1920", earliest=1800) == [1890, 1920]
    assert is_year("1920") and not is_year("1899") and not is_year("20201")


@given(st.integers(1800, 2099), st.integers(1800, 2099))
def test_years_round_trip_their_rendering(a, b):
    assert find_years(f"mellan {a} och {b}.", earliest=1800) == [a, b]
    assert find_years(f"mellan {a} och {b}.", earliest=1950) == [y for y in (a, b) if y >= 1950]
    assert is_year(str(a), earliest=1800)


@given(st.text(alphabet="ab\n", max_size=40), st.integers(0, 45), st.integers(0, 45))
def test_line_of_is_monotone_and_counts_breaks(text, a, b):
    a, b = sorted((a, b))
    assert 1 <= line_of(text, a) <= line_of(text, b) <= text.count("\n") + 1
    assert line_of(text, a) == text[:a].count("\n") + 1


def test_money_amounts_in_kronor_with_their_wording():
    found = amounts("Budget 177 tkr och 1 500,5 kronor, 2 miljoner kronor; 3MKR. 12 krav")
    assert [(a.kronor, a.wording) for a in found] == [
        (177_000, "177 tkr"),
        (1_500, "1 500,5 kronor"),
        (2_000_000, "2 miljoner kronor"),
        (3_000_000, "3MKR"),
    ]


def test_every_number_with_optional_scale_words():
    found = amounts(
        "180.000 och 2,5 miljarder, ICLD2020",
        units=NUMBER_SCALES,
        unit_required=False,
        separators=" \u00a0\u202f.",
        not_after=r"\w.,",
        whole_unit=False,
    )
    assert [(a.digits, a.fraction, a.scale) for a in found] == [
        ("180000", "", 1),
        ("2", "5", 10**9),
    ]


@given(st.integers(0, 10**9), st.sampled_from(sorted(MONEY_UNITS)))
def test_money_round_trips_its_rendering(value, unit):
    grouped = f"{value:,}".replace(",", " ")
    (found,) = amounts(f"Kostnad: {grouped} {unit}.")
    assert found.kronor == value * MONEY_UNITS[unit]
    assert found.wording == f"{grouped} {unit}"
