"""The comparison table from hand-built items: statuses, classes, links, escaping, defaults."""

from __future__ import annotations

from service.models import ComparedItem, DocumentInfo, Side
from ui.compare_rows import merged_rows
from ui.compare_view import default_pair, doc_choices, render_comparison
from ui.word_diff import phrase_diff


def _side(doc_id: str, quote: str, start: int = 60, end: int = 60) -> Side:
    return Side(doc_id=doc_id, start=0, end=len(quote), start_line=start, end_line=end,
                section="Finansiella medel", quote=quote)  # fmt: skip


A, B = "falun-handlingsplan-2020", "falun-verksamhetsplan-2023"
BUDGET = ComparedItem(
    status="changed", topic="Budget", a=_side(A, "Budgeten 2020 är 177 tkr."),
    b=_side(B, "Budgeten 2023 är 180 000 kr.", 171, 172),
    differences=["177 tkr → 180 000 kr", "+ 50", "− politiker"],
)  # fmt: skip
ITEMS = [
    BUDGET,
    ComparedItem(status="same", topic="Koordinator", a=_side(A, "Karin"), b=_side(B, "Karin")),
    ComparedItem(status="only_a", topic="Ledamöter: Catharina", a=_side(A, "Catharina (M)")),
    ComparedItem(status="only_b", topic="Sydafrika", b=_side(B, "ICLD-projekt")),
]


def _rows(html: str) -> list[str]:
    return html.split('<tr class="compare-row ')[1:]


def test_one_row_per_item_with_its_status_class():
    html = render_comparison(ITEMS, "Handlingsplan (2020)", "Verksamhetsplan (2023)")
    assert 'class="compare-table"' in html
    assert [r.split('"')[0] for r in _rows(html)] == [
        "status-changed", "status-same", "status-only_a", "status-only_b",
    ]  # fmt: skip
    assert "A: Handlingsplan (2020)" in html and "B: Verksamhetsplan (2023)" in html


def test_legend_names_every_status():
    html = render_comparison(ITEMS, "a", "b")
    for label in ("Oförändrat", "Ändrat", "Bara i A (borttaget)", "Bara i B (nytt)"):
        assert label in html
    assert "4 punkter: 1 oförändrade, 1 ändrade, 1 borttagna, 1 nya." in html


def test_changed_row_marks_changed_phrases_and_keeps_only_before_after_pairs():
    html = render_comparison([BUDGET], "a", "b")
    row, diff = html.split('<tr class="compare-diff diff-of-changed">')
    assert (
        'Budgeten <del class="diff-del">2020</del> är <del class="diff-del">177 tkr.</del>' in row
    )
    assert (
        'Budgeten <ins class="diff-ins">2023</ins> är <ins class="diff-ins">180 000 kr.</ins>'
        in row
    )
    assert '<li class="diff-changed">177 tkr → 180 000 kr</li>' in diff
    assert "+ 50" not in diff and "− politiker" not in diff  # word lists go


def test_phrase_diff_marks_whole_phrases_ignoring_case_and_punctuation():
    a, b = phrase_diff(
        "Mål 3: Undersöka möjligheterna om en ny vänort i Danmark.",
        "Söka ett vänortssamarbete med en kommun i Danmark",
    )
    assert a.endswith("i Danmark.") and "<del" in a and "Danmark" not in a.split("</del>")[0][-8:]
    assert b == (
        '<ins class="diff-ins">Söka ett vänortssamarbete med</ins> en '
        '<ins class="diff-ins">kommun</ins> i Danmark'
    )


def test_unchanged_rows_start_hidden_and_every_status_is_a_switch():
    html = render_comparison(ITEMS, "a", "b")
    assert '<input type="checkbox" class="toggle-same">' in html
    for status in ("changed", "only_a", "only_b"):
        assert f'<input type="checkbox" class="toggle-{status}" checked>' in html
    assert "de 1 oförändrade visas med Oförändrat" in html


def _at(doc_id: str, quote: str, start: int) -> Side:
    return Side(doc_id=doc_id, start=start, end=start + len(quote), start_line=start,
                end_line=start, section="Ledamöter", quote=quote)  # fmt: skip


def test_a_change_of_chair_is_one_row():
    old_chair, old_member = _at(A, "Catharina (M), ordf", 25), _at(A, "Jan (M)", 29)
    new_chair = _at(B, "Jan (M), ordf", 4)
    items = [
        ComparedItem(status="changed", topic="Ordförande", a=old_chair, b=new_chair,
                     differences=["Catharina (M) → Jan (M)"]),
        ComparedItem(status="only_a", topic="Ledamöter: Catharina", a=old_chair),
        ComparedItem(status="changed", topic="Ledamöter: Jan", a=old_member, b=new_chair,
                     differences=["ledamot → ordförande"]),
        ComparedItem(status="only_b", topic="Ledamöter: Elisabeth", b=_at(B, "Elisabeth (C)", 7)),
    ]  # fmt: skip
    rows = merged_rows(items)
    assert [(r.topic, r.status) for r in rows] == [
        ("Ordförande", "changed"), ("Ledamöter: Elisabeth", "only_b"),
    ]  # fmt: skip
    chair = rows[0]
    assert chair.a == [old_chair, old_member] and chair.b == [new_chair]
    assert chair.differences == ["Catharina (M) → Jan (M)", "ledamot → ordförande"]
    html = render_comparison(items, "a", "b")
    assert len(_rows(html)) == 2 and "2 punkter" in html


def test_unchanged_items_are_never_merged():
    same = ComparedItem(status="same", topic="K", a=_at(A, "Karin", 1), b=_at(B, "Karin", 1))
    assert len(merged_rows([same, same])) == 2


def test_missing_side_says_so():
    only_a, only_b = _rows(render_comparison(ITEMS[2:], "a", "b"))
    assert "Finns inte i B" in only_a and "Finns inte i A" in only_b


def test_everything_from_the_documents_is_escaped():
    item = ComparedItem(
        status="changed", topic="<b>Ämne</b>", a=_side(A, "<script>x</script>"),
        b=_side(B, "a & b"), differences=["<i>ny</i>"],
    )  # fmt: skip
    html = render_comparison([item], "<A>", "B&")
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "a &amp; b" in html and "&lt;A&gt;" in html


def test_no_items_gives_a_notice_naming_the_topic():
    html = render_comparison([], "a", "b", topic="<månen>")
    assert "compare-table" not in html and "&lt;månen&gt;" in html


def _info(doc_id: str, doc_type: str, year: int | None, title: str = "T") -> DocumentInfo:
    return DocumentInfo(doc_id=doc_id, title=title, municipality="Falu kommun",
                        doc_type=doc_type, year=year, ocr=False, chunks=1)  # fmt: skip


def test_defaults_are_the_oldest_and_newest_plan():
    docs = [
        _info("strategi", "strategi", None),
        _info("vp-2023", "verksamhetsplan", 2023),
        _info("hp-2020", "handlingsplan", 2020),
        _info("vp-2021", "verksamhetsplan", 2021),
    ]
    assert default_pair(docs) == ("hp-2020", "vp-2023")
    assert default_pair(docs[:1]) == ("strategi", None)
    assert default_pair([]) == (None, None)


def test_choices_label_title_and_year_plans_first():
    docs = [_info("s", "strategi", None, "Strategi"), _info("p", "handlingsplan", 2020, "Plan")]
    assert doc_choices(docs) == [("Plan (2020)", "p"), ("Strategi", "s")]
