"""Build Swedish documents and their chunks by hand (the real chunker lives in ingest/)."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.schema import Chunk, Document, DocumentMeta, chunk_id_for, content_hash


def make_document(
    doc_id: str,
    paragraphs: Sequence[str],
    *,
    municipality: str = "Falu kommun",
    doc_type: str = "strategi",
    year: int | None = None,
    section: tuple[str, ...] = (),
) -> tuple[Document, list[Chunk]]:
    """A document whose paragraphs are separated by blank lines, one chunk per paragraph."""
    text = "\n\n".join(paragraphs) + "\n"
    meta = DocumentMeta(
        doc_id=doc_id,
        title=doc_id.replace("-", " ").title(),
        municipality=municipality,
        doc_type=doc_type,
        year=year,
        file=f"{doc_id}.txt",
    )
    document = Document(
        meta=meta, text=text, raw_text=text, content_hash=content_hash(text.encode())
    )
    chunks, start = [], 0
    for ordinal, paragraph in enumerate(paragraphs):
        start = text.index(paragraph, start)
        end = start + len(paragraph)
        chunks.append(
            Chunk(
                chunk_id=chunk_id_for(doc_id, paragraph, start),
                doc_id=doc_id,
                text=paragraph,
                section=section,
                start=start,
                end=end,
                start_line=text.count("\n", 0, start) + 1,
                end_line=text.count("\n", 0, end) + 1,
                ordinal=ordinal,
            )
        )
        start = end
    return document, chunks


STRATEGY = [
    "Falu kommuns vänorter är Gjøvik i Norge, Rauma i Finland och Kolding i Danmark.",
    "Kommunen söker EU-fonder för projekt inom klimat och energi under perioden 2021–2027.",
    "Mål 7: alla förvaltningar ska ha en kontaktperson för internationella frågor.",
]
PLAN = [
    "Internationella rådet sammanträder fyra gånger per år och leds av ordföranden.",
    "Budgeten för det internationella arbetet fastställs årligen i verksamhetsplanen.",
]
FALKOPING = [
    "Falköpings kommun har vänort i Tyskland och samarbetar med skolor i Estland.",
]
