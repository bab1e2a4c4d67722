"""Plan-year comparison: align two documents by structure and meaning, not by lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.schema import SECTION_SEPARATOR, Chunk, Document
from lang import (
    SAME_WORD,
    Token,
    amounts,
    folds,
    goal_end,
    is_content,
    stem,
    tokens_of,
    unit_spans,
)
from service.lexicon import Name
from service.lookup.align import (
    member,
    places,
    soft_jaccard,
    soft_match,
)
from service.lookup.topics import matches_topic
from service.models import ComparedItem, Side, Status

PAIR_SCORE = 0.3  # below this two passages are not "the same item in another year"


@dataclass(frozen=True, eq=False)  # identity: units are compared by position
class _Aligned:
    """A sentence or list item of a document, as comparison aligns it with the other plan."""

    doc: Document
    section: tuple[str, ...]
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]

    @property
    def words(self) -> list[str]:
        return [w for w in folds(self.text) if is_content(w)]

    def side(self) -> Side:
        return Side(
            **self.doc.span(self.start, self.end).model_dump(),
            section=SECTION_SEPARATOR.join(self.section),
            quote=self.text,
        )


def _units(doc: Document, chunks: Sequence[Chunk]) -> list[_Aligned]:
    return [
        _Aligned(doc, c.section, a, b)
        for c in chunks
        if c.doc_id == doc.doc_id
        for a, b in unit_spans(doc.text, c.start, c.end, c.kind == "list")
    ]


def _section_words(unit: _Aligned) -> list[str]:
    return [w for s in unit.section for w in folds(s) if is_content(w)]


def _word_diff(a: _Aligned, b: _Aligned) -> list[str]:
    """The content words only one side has (its own spelling), and changed amounts."""

    def words(u: _Aligned) -> list[Token]:
        money = [(m.start, m.end) for m in amounts(u.text)]
        money.append((0, goal_end(u.text, "passage")))  # "Mål 3:" is no wording (or empty)
        return [
            t
            for t in tokens_of(u.text)
            if is_content(t.fold) and not any(s <= t.start < e for s, e in money)
        ]

    ta, tb = words(a), words(b)
    pairs = soft_match([t.fold for t in ta], [t.fold for t in tb], floor=SAME_WORD)

    def shown(u: _Aligned, t: Token) -> str:
        end = t.end + (u.text[t.end : t.end + 1] == "%")  # "50%", not a bare "50"
        return u.text[t.start : end]

    gone = [shown(a, t) for i, t in enumerate(ta) if i not in {p[0] for p in pairs}]
    new = [shown(b, t) for j, t in enumerate(tb) if j not in {p[1] for p in pairs}]
    out = []
    money_a, money_b = amounts(a.text), amounts(b.text)
    if money_a and money_b and [m.kronor for m in money_a] != [m.kronor for m in money_b]:
        out.append(f"{money_a[0].wording} → {money_b[0].wording}")
    if gone:
        out.append("− " + ", ".join(dict.fromkeys(gone)))
    if new:
        out.append("+ " + ", ".join(dict.fromkeys(new)))
    return out


def _pair(
    topic: str, a: _Aligned | None, b: _Aligned | None, diff: list[str] | None = None
) -> ComparedItem:
    if a is None or b is None:
        status: Status = "only_a" if b is None else "only_b"
        diff = []
    else:
        diff = _word_diff(a, b) if diff is None else diff
        status = "changed" if diff else "same"
    return ComparedItem(
        status=status,
        topic=topic,
        a=a.side() if a else None,
        b=b.side() if b else None,
        differences=diff,
    )


def _members(ua: list[_Aligned], ub: list[_Aligned]) -> tuple[list[ComparedItem], set[_Aligned]]:
    """Per-person items and who chairs; returns the units they used up."""
    found = [{}, {}]  # type: list[dict[str, tuple[_Aligned, str, str, str]]]
    used: set[_Aligned] = set()
    for side, units in enumerate((ua, ub)):
        for k, u in enumerate(units):
            person = member(u.text)
            if person is None:
                continue
            name, party, role = person
            found[side]["".join(folds(name))] = (u, name, party, role)
            used.add(u)
            if k and units[k - 1].text.endswith(":") and member(units[k - 1].text) is None:
                used.add(units[k - 1])  # "Internationella rådet består av:"
    fa, fb = found
    items = []
    chairs = [next((v for v in f.values() if v[3] == "ordförande"), None) for f in found]
    if chairs[0] and chairs[1]:
        ca, cb = chairs
        diff = [] if ca[1] == cb[1] else [f"{ca[1]} ({ca[2]}) → {cb[1]} ({cb[2]})"]
        items.append(_pair("Ordförande", ca[0], cb[0], diff))
    for key in [*fa, *(k for k in fb if k not in fa)]:
        a, b = fa.get(key), fb.get(key)
        who = b or a
        assert who is not None
        diff = []
        if a and b:
            diff += [f"({a[2]}) → ({b[2]})"] if a[2] != b[2] else []
            diff += [f"{a[3]} → {b[3]}"] if a[3] != b[3] else []
        items.append(
            _pair(f"Ledamöter: {who[1]} ({who[2]})", a[0] if a else None, b[0] if b else None, diff)
        )
    return items, used


def _budget(ua: list[_Aligned], ub: list[_Aligned]) -> tuple[list[ComparedItem], set[_Aligned]]:
    def find(units: list[_Aligned]) -> _Aligned | None:
        return next(
            (u for u in units if amounts(u.text) and any(stem(w) == "budget" for w in u.words)),
            None,
        )

    a, b = find(ua), find(ub)
    if a is None and b is None:
        return [], set()
    return [_pair("Budget", a, b)], {u for u in (a, b) if u}


@dataclass(frozen=True)
class _Names:
    """The places and organisations comparison aligns on (from the corpus lexicon)."""

    known: tuple[str, ...]
    organisations: frozenset[str]

    @classmethod
    def of(cls, names: Sequence[Name]) -> _Names:
        return cls(
            tuple(n.name for n in names),
            frozenset(n.name for n in names if n.kind == "organisation"),
        )

    def __call__(self, text: str) -> frozenset[str]:
        return places(text, self.known)

    def shared_places(self, a: str, b: str) -> frozenset[str]:
        """Places both passages name; a shared organisation does not make them one item."""
        return self(a) & self(b) - self.organisations


def _score(a: _Aligned, b: _Aligned, novel_a: set[str], novel_b: set[str], names: _Names) -> float:
    content = soft_jaccard(a.words, b.words)
    section = soft_jaccard(_section_words(a), _section_words(b))
    pa, pb = names(a.text), names(b.text)
    score = 0.7 * content + 0.3 * section + (0.25 if (pa & pb) - names.organisations else 0.0)
    if (pa & novel_a) or (pb & novel_b):  # a place the other year never mentions: new topic
        score -= 0.5
    return score if content >= 0.12 or pa & pb else 0.0


def _label(a: _Aligned | None, b: _Aligned | None, names: _Names) -> str:
    unit = b or a
    assert unit is not None
    where = (b.section if b and b.section else unit.section) or ("",)
    named = sorted(names(unit.text) | (names(a.text) if a else set()))
    if named:
        return f"{where[-1]}: {', '.join(named)}"
    head = " ".join(unit.text.split()[:4])
    return f"{where[-1]}: {head}…" if len(unit.text.split()) > 4 else f"{where[-1]}: {head}"


def _focus_summary(items: list[tuple[float, ComparedItem]]) -> ComparedItem | None:
    """The focus areas as one row: which were added, dropped or reworded."""
    rows = [i for _, i in items if "fokus" in " ".join(folds(i.topic.split(":")[0]))]
    if not rows:
        return None
    diff = [f"+ {r.b.quote}" for r in rows if r.status == "only_b" and r.b]
    diff += [f"− {r.a.quote}" for r in rows if r.status == "only_a" and r.a]
    diff += [
        f"“{r.a.quote}” → “{r.b.quote}”" for r in rows if r.status == "changed" and r.a and r.b
    ]
    sides = [[s for r in rows if (s := getattr(r, k))] for k in ("a", "b")]

    def whole(side: list[Side]) -> Side | None:
        return side[0].model_copy(update={"end_line": side[-1].end_line}) if side else None

    return ComparedItem(
        status="changed" if diff else "same",
        topic="Fokus och prioriteringar",
        a=whole(sides[0]),
        b=whole(sides[1]),
        differences=[" ".join(d.split()) for d in diff],
    )


def compare_documents(
    doc_a: Document,
    chunks_a: Sequence[Chunk],
    doc_b: Document,
    chunks_b: Sequence[Chunk],
    topic: str | None = None,
    *,
    names: Sequence[Name],
) -> list[ComparedItem]:
    """Aligned items of two plans: members, chair, budget, focus, then goals and the rest.

    `names` are the places and organisations of the corpus lexicon that passages align on.
    """
    named = _Names.of(names)
    ua, ub = _units(doc_a, chunks_a), _units(doc_b, chunks_b)
    members, used_m = _members(ua, ub)
    budget, used_b = _budget(ua, ub)
    ua = [u for u in ua if u not in used_m | used_b]
    ub = [u for u in ub if u not in used_m | used_b]
    in_a, in_b = named(doc_a.text), named(doc_b.text)
    novel_a, novel_b = in_a - in_b, in_b - in_a
    scored = sorted(
        (
            (_score(a, b, novel_a, novel_b, named), i, j)
            for i, a in enumerate(ua)
            for j, b in enumerate(ub)
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    match_a: dict[int, int] = {}
    match_b: dict[int, int] = {}
    extra: dict[int, int] = {}
    for score, i, j in scored:
        if score < PAIR_SCORE:
            break
        if i not in match_a and j not in match_b:
            match_a[i], match_b[j] = j, i
    for score, i, j in scored:  # the same place's other new passages: "Danmark" x2
        shared = named.shared_places(ua[i].text, ub[j].text)
        if j not in match_b and i in match_a and score >= PAIR_SCORE and shared:
            extra[j] = i
    generic: list[tuple[float, ComparedItem]] = []
    for i, a in enumerate(ua):
        b = ub[match_a[i]] if i in match_a else None
        generic.append((i, _pair(_label(a, b, named), a, b)))
    last_a = -0.5
    for j, b in enumerate(ub):
        if j in extra:
            last_a = extra[j] + 0.5
            generic.append((last_a, _pair(_label(ua[extra[j]], b, named), ua[extra[j]], b)))
        elif j in match_b:
            last_a = match_b[j]
        else:
            last_a += 0.001  # after the A-item its predecessor in B was paired with
            generic.append((last_a, _pair(_label(None, b, named), None, b)))
    generic.sort(key=lambda t: t[0])
    focus = _focus_summary(generic)
    items = [*members, *budget, *([focus] if focus else []), *(i for _, i in generic)]
    return [i for i in items if topic is None or matches_topic(i, topic)]
