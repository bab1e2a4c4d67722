"""Strip Markdown/HTML markup line by line, so line numbers survive, and keep heading levels."""

from __future__ import annotations

import html
import re

_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>", re.IGNORECASE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_CODE = re.compile(r"`([^`]+)`")


def strip_line(line: str) -> str:
    """Remove inline markup (links, images, tags, bold, code) from one line."""
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    line = _EMPHASIS.sub(r"\2", line)
    line = _CODE.sub(r"\1", line)
    return html.unescape(line)


def strip_markup(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Return the text without markup, same number of lines, and (line, level) of headings."""
    out: list[str] = []
    headings: list[tuple[int, int]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _RULE.match(line):
            out.append("")
            continue
        level = 0
        if m := _MD_HEADING.match(line):
            level, line = len(m.group(1)), m.group(2)
        elif m := _HTML_HEADING.match(line):
            level = int(m.group(1))
        stripped = strip_line(line)
        if level and stripped.strip():
            headings.append((number, level))
        out.append(stripped)
    return "\n".join(out), tuple(headings)
