"""Structure recovery on the real corpus and on small texts."""

from __future__ import annotations

from ingest.structure import CONTENT_KINDS, document_blocks, parse_blocks


def test_ocr_plan_subheadings_nest_under_goal_heading(docs) -> None:
    # structure is recovered from the raw OCR too, not only from the repaired text
    blocks = parse_blocks(docs["falun-verksamhetsplan-2023"].raw_text)
    sections = {b.section for b in blocks if b.kind in CONTENT_KINDS}
    assert ("Verksamhetsmal 2023", "Mal Norden") in sections
    assert ("Verksamhetsmal 2023", "Aktiviteter Europa") in sections


def test_ocr_bullets_are_items_without_glyph(docs) -> None:
    blocks = parse_blocks(docs["falun-verksamhetsplan-2023"].raw_text)
    items = [b.text for b in blocks if b.kind == "list_item"]
    assert "Vanortssamarbeten" in items
    assert any(t.startswith("Inneha kunskap om EU") for t in items)  # was "¢ Inneha"
    assert any(t.startswith("| de fall") for t in items)  # "o | de fall": "|" is a damaged I


def test_pdf_text_paragraphs_join_wrapped_lines(docs) -> None:
    blocks = document_blocks(docs["falun-internationell-strategi"])
    first = next(b for b in blocks if b.kind == "paragraph")
    assert (first.start_line, first.end_line) == (5, 9)
    assert first.text.endswith("Plats för alla.")
    assert first.section == ("Inledning",)


def test_toc_and_noise_lines_are_not_content(docs) -> None:
    blocks = document_blocks(docs["falun-handlingsplan-2020"])
    kinds = {b.text.split(" ")[0]: b.kind for b in blocks if b.start_line in (3, 11)}
    assert kinds == {"falun.se/": "noise", "Handlingsplan": "toc"}


def test_plain_heading_chain_and_list_intro() -> None:
    text = (
        "Verksamhetsplan\n\nMål 2024\nFokus\nArbetet har fokus på:\n• Kultur\n• Turism\n\n"
        "Mål Norden\n1. Fördjupa samarbetet med vänorterna och\n\nfortsätta planerna.\n"
    )
    blocks = parse_blocks(text)
    by_text = {b.text: b for b in blocks}
    assert by_text["Kultur"].kind == "list_item"
    assert by_text["Kultur"].section == ("Mål 2024", "Fokus")
    assert by_text["Arbetet har fokus på:"].intro
    goal = next(b for b in blocks if b.kind == "goal")
    assert goal.section == ("Mål 2024", "Mål Norden")
    assert goal.text.endswith("fortsätta planerna.")


def test_a_first_line_that_is_not_the_title_is_quotable_text() -> None:
    text = "Exempel kommun Dnr KS0012/24\n\nLedamöter\nAnna Berg (S)\n\nInledning\nPlanen gäller 2024.\n"
    letterhead = parse_blocks(text, title="Rådets verksamhetsplan 2024")
    assert (letterhead[0].kind, letterhead[0].text) == ("paragraph", "Exempel kommun Dnr KS0012/24")
    assert letterhead[1].kind == "heading" and letterhead[1].section == ("Ledamöter",)
    # the same line names the title when the catalog says so, or when no title is known
    named = parse_blocks(text, title="Exempel kommun, Dnr KS0012/24")
    assert (named[0].kind, named[0].level) == ("heading", 0)
    assert parse_blocks(text)[0].kind == "heading"


def test_the_scanned_plans_letterhead_is_in_its_first_chunk(docs) -> None:
    from ingest.chunk import chunk_document

    plan = docs["falun-verksamhetsplan-2023"]
    first = min(chunk_document(plan), key=lambda c: c.start)
    assert plan.meta.reference and plan.meta.reference in first.text  # "Dnr KS0081/23"
