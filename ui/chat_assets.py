"""The conversation's look and its browser behaviour: [n] chips, feedback, filter clearing.

Kept apart from the HTML builders so the Python that renders stays short and testable.
"""

from __future__ import annotations

from ui.cards import CARDS_CSS

CONVERSATION_CSS = (
    CARDS_CSS
    + """
.turn { margin: 0 0 1.6rem; scroll-margin-top: 0.5rem; }
.bubble { border-radius: 10px; padding: 0.55rem 0.8rem; }
.who { display: block; font-size: 0.75rem; font-weight: 600; margin-bottom: 0.15rem;
  color: var(--body-text-color); }
.user-bubble { background: var(--color-accent-soft); border: 1px solid var(--border-color-accent);
  margin: 0 0 0.6rem auto; max-width: 85%; width: fit-content; }
.user-text p, .answer-text p { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.answer-bubble { background: var(--background-fill-secondary);
  border: 1px solid var(--border-color-primary); }
.turn-body { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem;
  align-items: start; }
@media (max-width: 820px) { .turn-body { grid-template-columns: minmax(0, 1fr); gap: 0.6rem; } }
.cite-chip { position: relative; display: inline-block; min-width: 1.6em; padding: 0 0.4em;
  margin: 0 0.1em; border-radius: 999px; border: 1px solid #2f6fb3; background: #e6effa;
  color: #1d4f86; font-weight: 700; font-size: 0.8em; line-height: 1.5; cursor: pointer; }
.cite-chip:focus-visible { outline: 2px solid #1d4f86; outline-offset: 2px; }
.chip-preview { display: none; position: absolute; left: 0; top: 1.7em; z-index: 30;
  width: min(22rem, 70vw); padding: 0.5rem 0.6rem; background: #fff; color: #1a1a1a;
  border: 1px solid #8a8a8a; border-radius: 6px; box-shadow: 0 2px 10px rgba(0, 0, 0, 0.25);
  font-weight: 400; font-size: 0.88rem; line-height: 1.4; text-align: left; white-space: normal; }
.cite-chip:hover .chip-preview, .cite-chip:focus .chip-preview { display: block; }
@keyframes card-flash { 0% { box-shadow: 0 0 0 4px #f5c400; background: #fff6c2; }
  100% { box-shadow: 0 0 0 0 transparent; } }
.flash { animation: card-flash 1.8s ease-out; }
.feedback { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem;
  margin-top: 0.4rem; font-size: 0.9rem; }
.fb-btn { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.1rem 0.5rem;
  background: var(--background-fill-primary); cursor: pointer; }
.fb-btn[aria-pressed="true"] { border-color: #2f6fb3; background: #e6effa; }
.fb-thanks { margin: 0; font-weight: 600; color: #14532d; flex-basis: 100%; }
.fb-more { display: grid; gap: 0.3rem; flex-basis: 100%; }
.fb-more[hidden], .fb-thanks[hidden] { display: none; }
.fb-more textarea { width: 100%; font: inherit; border: 1px solid var(--border-color-primary);
  border-radius: 6px; padding: 0.3rem; background: var(--background-fill-primary);
  color: var(--body-text-color); }
.fb-send { justify-self: start; border: 1px solid #2f6fb3; border-radius: 6px;
  padding: 0.15rem 0.8rem; background: #2f6fb3; color: #fff; cursor: pointer; }
.filter-note { margin: 0.5rem 0 0; }
.copy-btn { border: 1px solid var(--border-color-primary); border-radius: 6px;
  padding: 0.05rem 0.5rem; font-size: 0.8rem; background: var(--background-fill-primary);
  color: var(--body-text-color); cursor: pointer; margin: 0.1rem 0 0.3rem; }
.clear-filters-btn { border: 1px solid #611a15; border-radius: 6px; padding: 0.1rem 0.6rem;
  background: #fff; color: #611a15; cursor: pointer; margin-left: 0.3rem; }
"""
)

# The whole page's CSS (mount_gradio_app's css=): Gradio's default orange fails WCAG AA
# contrast (white on the primary button 3.2:1, the selected tab's label 2.8:1), so the
# primary colour and the links are a darker blue.
PAGE_CSS = """
:root, .dark {
  --button-primary-background-fill: #1d4f86;
  --button-primary-background-fill-hover: #163d68;
  --button-primary-border-color: #1d4f86;
  --button-primary-text-color: #ffffff;
}
:root { --link-text-color: #1d4f86; --link-text-color-hover: #163d68;
  --link-text-color-visited: #5b2a86; --link-text-color-active: #163d68; }
.dark { --link-text-color: #9cc3f0; --link-text-color-hover: #c3dbf7;
  --link-text-color-visited: #d0b3f0; --link-text-color-active: #c3dbf7; }
button[role="tab"][aria-selected="true"] { color: #1d4f86 !important; }
.dark button[role="tab"][aria-selected="true"] { color: #9cc3f0 !important; }
"""

# Runs once per page load with `element` (the conversation), `server` (the Python functions
# in server_functions) and `watch`. Listeners sit on `element`, which survives re-renders.
CONVERSATION_JS = """
// Gradio's i18n sets <html lang> to the browser's language; the page is Swedish whatever
// the browser's, and screen readers choose their voice by it.
const root = document.documentElement;
const swedish = () => { if (root.lang !== 'sv') root.lang = 'sv'; };
swedish();
new MutationObserver(swedish).observe(root, {attributes: true, attributeFilter: ['lang']});
const given = {};
const flash = (el) => {
  el.classList.remove('flash');
  void el.offsetWidth;  // restart the animation on a second click
  el.classList.add('flash');
};
const showGiven = () => {
  element.querySelectorAll('.feedback').forEach((box) => {
    const g = given[box.dataset.answerId];
    if (!g) return;
    box.dataset.helpful = g.helpful ? '1' : '0';
    box.querySelectorAll('.fb-btn').forEach((b) => {
      b.disabled = true;
      b.setAttribute('aria-pressed', String((b.dataset.helpful === '1') === g.helpful));
    });
    const thanks = box.querySelector('.fb-thanks');
    thanks.hidden = false;
    if (g.comment) thanks.textContent = 'Tack! Din kommentar är skickad.';
    box.querySelector('.fb-more').hidden = g.helpful || g.comment;
  });
};
element.addEventListener('click', async (ev) => {
  const chip = ev.target.closest('.cite-chip');
  if (chip) {
    const target = element.querySelector('#' + CSS.escape(chip.dataset.target));
    const card = target && (target.closest('article') || target);
    if (card) { card.scrollIntoView({block: 'center'}); flash(card); }
    return;
  }
  const thumb = ev.target.closest('.fb-btn');
  if (thumb) {
    const box = thumb.closest('.feedback');
    const helpful = thumb.dataset.helpful === '1';
    given[box.dataset.answerId] = {helpful, comment: false};
    showGiven();
    await server.send_feedback(box.dataset.answerId, helpful, '');
    return;
  }
  const copy = ev.target.closest('.copy-btn');
  if (copy) {
    await navigator.clipboard.writeText(copy.dataset.copy);
    copy.textContent = 'Kopierat';
    return;
  }
  if (ev.target.closest('.clear-filters-btn')) {
    document.querySelector('#clear-filters')?.click();
  }
});
element.addEventListener('submit', async (ev) => {
  const form = ev.target.closest('.fb-more');
  if (!form) return;
  ev.preventDefault();
  const box = form.closest('.feedback');
  const comment = form.comment.value.trim();
  const text = [form.wrong_source.checked ? 'fel källa' : '', comment].filter(Boolean).join(': ');
  const g = given[box.dataset.answerId];
  g.comment = true;
  showGiven();
  if (text) await server.send_feedback(box.dataset.answerId, g.helpful, text);
});
watch('value', () => {
  showGiven();
  const turns = element.querySelectorAll('.turn');
  if (turns.length) turns[turns.length - 1].scrollIntoView({block: 'start'});
});
"""
