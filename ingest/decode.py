"""Turn the bytes of a text file into text, with a fallback for legacy Swedish encodings."""

from __future__ import annotations

import unicodedata

# Share of unprintable characters above which "text" is really binary data.
_MAX_CONTROL_SHARE = 0.02
# Characters that str.splitlines() would treat as line breaks; only "\n" may break lines here.
_ODD_BREAKS = str.maketrans({"\v": " ", "\x1c": " ", "\x1d": " ", "\x1e": " ", "\x85": " ",
                             "\u2028": " ", "\u2029": " "})  # fmt: skip


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


def _control_share(text: str) -> float:
    bad = sum(
        1 for ch in text if ch not in "\n\t\f\r" and unicodedata.category(ch) in {"Cc", "Cs", "Co"}
    )
    return bad / max(len(text), 1)


def decode_text(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode UTF-8 (BOM allowed), else cp1252/latin-1 with a warning; reject binary data."""
    if not data.strip():
        raise DecodeError("the file is empty")
    if b"\x00" in data:
        raise DecodeError("the file contains NUL bytes; it is binary data, not text")
    warnings: tuple[str, ...] = ()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        for encoding in ("cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            warnings = (f"not valid UTF-8 (byte {err.start}); decoded as {encoding}, check å/ä/ö",)
            break
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeError("the file is mostly unprintable characters; binary data, not text")
    return normalize_breaks(text), warnings


def normalize_breaks(text: str) -> str:
    """Make "\n" the only line break, so line numbers agree with editors and `split("\n")`."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_ODD_BREAKS)


def split_pages(text: str) -> tuple[str, tuple[int, ...] | None]:
    """Drop form feeds (pdftotext page breaks) and return the page of every line, if any."""
    if "\f" not in text:
        return text, None
    pages: list[int] = []
    page = 1
    for line in text.split("\n"):
        leading = len(line) - len(line.lstrip("\f"))
        page += leading
        pages.append(page)
        page += line.count("\f") - leading
    return text.replace("\f", ""), tuple(pages)
