"""Gradio, imported once with analytics off, and the filter dropdowns the tabs share."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

# The machine running this is offline and Gradio phones home on import unless told not to;
# setdefault so an operator's own choice still wins. Every ui module gets gr from here.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # after the analytics switch above, on purpose

from service.facade import KnowledgeBase
from service.models import Filters

log = logging.getLogger(__name__)

ALL = "Alla"
FIELDS = ("municipality", "doc_type", "year")


def choices(values: list[str | int]) -> list[str]:
    return [ALL, *(str(v) for v in values)]


def to_filters(municipality: str | None, doc_type: str | None, year: str | None) -> Filters:
    """Dropdown values to service Filters; "Alla" (or nothing chosen) means no filter."""

    def pick(value: str | None) -> str | None:
        return None if value in (None, "", ALL) else value

    year_value = pick(year)
    return Filters(
        municipality=pick(municipality),
        doc_type=pick(doc_type),
        year=int(year_value) if year_value is not None else None,
    )


def filter_dropdowns() -> tuple[Any, Any, Any]:
    """Kommun, Dokumenttyp, År in the current row; filled by `make_load_filters` on load."""
    return (
        gr.Dropdown([ALL], value=ALL, label="Kommun"),
        gr.Dropdown([ALL], value=ALL, label="Dokumenttyp"),
        gr.Dropdown([ALL], value=ALL, label="År"),
    )


def make_load_filters(kb: KnowledgeBase) -> Callable[[], tuple[Any, Any, Any]]:
    """Fill the filter dropdowns when the page loads, so the kb is not touched at build time."""

    def load_filters() -> tuple[Any, Any, Any]:
        try:
            options = kb.filter_options()
        except Exception:
            log.exception("kb.filter_options failed; showing only 'Alla'")
            options = {}
        return tuple(  # type: ignore[return-value]  # always three updates
            gr.update(choices=choices(options.get(field, [])), value=ALL) for field in FIELDS
        )

    return load_filters
