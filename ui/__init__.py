"""Gradio page (chat, wording lookup, plan comparison) and document pages over the facade."""

from ui.chat import build_ui
from ui.document_view import document_router, render_document_page
from ui.mount import DeferredKnowledgeBase, mount_ui

__all__ = [
    "DeferredKnowledgeBase",
    "build_ui",
    "document_router",
    "mount_ui",
    "render_document_page",
]
