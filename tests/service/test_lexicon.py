"""Corpus knowledge is data: the lexicon files, what documents define, and no names in code."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path
from types import MappingProxyType

import pytest

from ingest.chunk import chunk_document
from ingest.load import load_corpus
from lang import tokenize
from service.answer.query import expand_abbreviations, plan_query, term_alternatives
from service.lexicon import (
    LEXICON_DIR,
    PLACES_FILE,
    Abbreviation,
    Lexicon,
    LexiconError,
    Name,
    defined_abbreviations,
    year_names,
)
from service.lookup.align import places
from service.lookup.compare import compare_documents

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
ALGORITHMS = ("service", "index", "ingest")


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A corpus directory with a tiny lexicon: comments, blank lines, an inflected entry."""
    folder = tmp_path / LEXICON_DIR
    _write(
        folder, "abbreviations.tsv", "# abbr\texpansions\nNN\tnorra nätverket\n\nEU-x*\tEU-x\tx\n"
    )
    _write(folder, "synonyms.tsv", "# comment\nVänstad\tvänort\tsystervänort\n")
    _write(folder, "en-sv.tsv", "twin\tvänort\nmembers\tledamöter medlemmar\n")
    _write(folder, "places.tsv", "Nordby\tplace\nNN\torganisation\n")
    return tmp_path


def test_the_loader_reads_every_table_in_file_order(tiny: Path) -> None:
    lexicon = Lexicon.load(tiny)
    assert dict(lexicon.abbreviations) == {
        "nn": Abbreviation(("norra nätverket",), inflected=False),
        "eu-x": Abbreviation(("EU-x", "x"), inflected=True),
    }
    assert dict(lexicon.synonyms) == {"vänstad": ("vänort", "systervänort")}
    assert dict(lexicon.glossary) == {"twin": "vänort", "members": "ledamöter medlemmar"}
    assert lexicon.names == (Name("Nordby", "place"), Name("NN", "organisation"))
    assert lexicon.organisations() == {"NN"}


def test_the_loaded_tables_drive_query_planning(tiny: Path) -> None:
    lexicon = Lexicon.load(tiny)
    assert expand_abbreviations("Vad gör NN?", lexicon) == ["norra nätverket"]
    assert expand_abbreviations("Hur söker man EU-xen?", lexicon) == ["EU-x", "x"]  # inflected
    assert expand_abbreviations("Vad gör norra nätverket?", lexicon) == ["NN"]
    plan = plan_query("Which twin towns do the members visit?", [], lexicon)
    assert plan.expansions == ("vänort", "ledamöter medlemmar")
    (word,) = tokenize("vänstad")  # stems as the index sees them
    synonyms = [*tokenize("vänort"), *tokenize("systervänort")]
    assert term_alternatives("Vilken vänstad?", lexicon) == {word: synonyms}
    assert plan_query("Vad gör NN?", [], Lexicon()).expansions == ()  # no lexicon, no expansion


def test_an_english_form_the_glossary_lacks_is_read_by_its_stem() -> None:
    glossary = {
        "municipality": "kommun",
        "evaluate": "utvärdera",
        "plans": "planer",
        "plan": "plan",
    }
    lexicon = Lexicon(glossary=MappingProxyType(glossary))
    assert lexicon.in_swedish("municipalities") == "kommun"
    assert lexicon.in_swedish("evaluated") == "utvärdera"
    assert lexicon.in_swedish("plans") == "planer"  # a listed form keeps its own entry
    assert lexicon.in_swedish("planning") == "planer plan"  # the forms of one stem, merged
    assert lexicon.in_swedish("munich") is None
    plan = plan_query("Which municipalities evaluated it?", [], lexicon)
    assert plan.expansions == ("kommun", "utvärdera")


def test_a_missing_lexicon_is_empty(tmp_path: Path) -> None:
    assert Lexicon.load(tmp_path) == Lexicon()


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("places.tsv", "Nordby\tcity\n", "kind must be one of"),
        ("places.tsv", "Nordby\n", "tab-separated"),
        ("synonyms.tsv", "vänstad\tvänort\nVänstad\tvänort\n", "listed twice"),
        ("abbreviations.tsv", "NN\t\tnorra\n", "non-empty"),
        ("en-sv.tsv", "twin\tvänort\textra\n", "tab-separated"),
    ],
)
def test_a_broken_line_is_an_error_naming_file_and_line(tmp_path, name, text, problem) -> None:
    _write(tmp_path / LEXICON_DIR, name, "# header\n" + text)
    with pytest.raises(LexiconError, match=rf"{name}:\d+: .*{problem}"):
        Lexicon.load(tmp_path)


def test_abbreviations_the_documents_define_are_mined() -> None:
    text = (
        "Jan E Fors (M), ordförande. Anna Dahl (KD) deltar. Nordiskt nätverk för vänorter "
        "(NNV) träffas.\n\nMyndigheten för Ungdoms- och \n\nCivilsamhällesfrågor (MUCF) har "
        "uppdraget. Budgeten (tkr) och Stora Kopparberget (XYZ)."
    )
    assert defined_abbreviations([text]) == {
        "NNV": "Nordiskt nätverk för vänorter",
        "MUCF": "Myndigheten för Ungdoms- och Civilsamhällesfrågor",
    }


def test_names_with_a_year_in_them_are_mined_and_asked_about_as_names() -> None:
    texts = [
        "Planen stöder Horisont 2040 och arbetet inom \n\nHorisont 2040. Budgeten för 2040 "
        "saknas. Vid sammanslagningen i Norrland 2007 upphörde samarbetet.",
        "Mål 2024 gäller arbetet med Horisont 2024 och Horisont 2024.",
    ]
    # a year a document is of (2024) names its plan; an event's year is written once
    assert year_names(texts, [2024]) == {("horisont", 2040)}
    lexicon = Lexicon().with_year_names(texts, [2024])
    assert plan_query("Vad säger planen om horisont 2040?", [], lexicon).years == ()
    assert plan_query("Vad är budgeten 2040?", [], lexicon).years == (2040,)
    assert plan_query("Horisont 2040 och budgeten 2040?", [], lexicon).years == (2040,)
    assert plan_query("Vad säger planen om Horisont 2040?", [], Lexicon()).years == (2040,)


def test_the_lexicon_files_win_over_what_documents_define(lexicon: Lexicon) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    defined = defined_abbreviations(texts)
    assert defined and all(abbr.lower() in lexicon.abbreviations for abbr in defined)
    assert lexicon.with_definitions(texts) is lexicon  # nothing new in the bundled corpus
    grown = lexicon.with_definitions(["Nordiskt nätverk för vänorter (NNV) träffas i år."])
    assert expand_abbreviations("Vad gör NNV?", grown) == ["Nordiskt nätverk för vänorter"]
    assert grown.abbreviations.keys() - lexicon.abbreviations.keys() == {"nnv"}


# --- a new twin town and a new organisation, without code changes ----------------------

PLAN = """# Verksamhetsplan {year}

## Vänorter

{twin}

## {org_section}

{org}

## Budget

Budgeten för verksamheten är {budget} tkr.
"""


@pytest.fixture
def new_town(tmp_path: Path) -> tuple[Path, dict]:
    """Two plan years of a corpus with its own lexicon naming a new twin town (Nordby) and
    a new organisation (NNV), which the second year defines in its text."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / LEXICON_DIR, corpus / LEXICON_DIR)
    with (corpus / LEXICON_DIR / PLACES_FILE).open("a", encoding="utf-8") as places_file:
        places_file.write("Nordby\tplace\nNNV\torganisation\n")
    years = {
        2024: dict(
            twin="Vi fördjupar samarbetet med vänorten Nordby genom ett lärarutbyte.",
            org_section="Kultur",
            org="NNV samlar kommunerna till ett årligt möte om musik och konst.",
            budget=100,
        ),
        2025: dict(
            twin="Ett nytt projekt om ungdomars delaktighet startar med Nordby under våren.",
            org_section="Klimat",
            org="Nordiskt nätverk för vänorter (NNV) ordnar en konferens om hamnstäder.",
            budget=120,
        ),
    }
    catalog = {}
    for year, parts in years.items():
        (corpus / f"plan-{year}.md").write_text(PLAN.format(year=year, **parts), encoding="utf-8")
        catalog[f"plan-{year}"] = dict(
            file=f"plan-{year}.md",
            title=f"Verksamhetsplan {year}",
            municipality="Nordkommun",
            doc_type="verksamhetsplan",
            year=year,
        )
    (corpus / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    docs = {d.doc_id: d for d in load_corpus(corpus).documents}
    return corpus, docs


def _compare(docs: dict, names: tuple[Name, ...]) -> dict[str, str]:
    a, b = docs["plan-2024"], docs["plan-2025"]
    items = compare_documents(a, chunk_document(a), b, chunk_document(b), names=names)
    return {i.topic: i.status for i in items}


def test_a_new_twin_town_is_understood_from_the_corpus_lexicon(new_town) -> None:
    corpus, docs = new_town
    lexicon = Lexicon.load(corpus)
    assert places("Ett projekt med Nordby.", tuple(n.name for n in lexicon.names)) == {"Nordby"}
    topics = _compare(docs, lexicon.names)
    # the two years' passages about the new twin town are one item, labelled by the town
    assert topics["Vänorter: Nordby"] == "changed"
    # the organisation labels its passages but does not make them one item
    assert topics["Kultur: NNV"] == "only_a" and topics["Klimat: NNV"] == "only_b"
    # ... which is its kind's doing: read as a place, it would pair them
    as_place = tuple(Name(n.name, "place") for n in lexicon.names)
    assert _compare(docs, as_place)["Klimat: NNV"] == "changed"
    # without the lexicon, the town is no anchor and the years' passages stay apart
    bare = _compare(docs, ())
    assert "Vänorter: Nordby" not in bare and list(bare.values()).count("only_a") == 2


def test_a_new_organisation_the_documents_define_is_searchable(new_town) -> None:
    corpus, docs = new_town
    lexicon = Lexicon.load(corpus).with_definitions(d.text for d in docs.values())
    assert expand_abbreviations("Vad gör NNV?", lexicon) == ["Nordiskt nätverk för vänorter"]


# --- no corpus names in the algorithms --------------------------------------------------


def _corpus_names() -> set[str]:
    """Every proper name the lexicon files and the documents' definitions hold."""
    lexicon = Lexicon.load(CORPUS)
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.*"))]
    names = {n.name for n in lexicon.names}
    for abbr, entry in lexicon.abbreviations.items():
        names |= {abbr.upper(), *entry.expansions}
    names |= {s for synonyms in lexicon.synonyms.values() for s in synonyms}
    names |= {w for sv in lexicon.glossary.values() for w in sv.split()}
    for abbr, full in defined_abbreviations(texts).items():
        names |= {abbr, full}
    return {n for n in names if n[:1].isupper()}  # proper names, not common words


def _literals(tree: ast.AST) -> list[ast.Constant]:
    """String literals of code: no docstrings, no CLI help, no example texts for users."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.keyword) and node.arg in ("help", "description", "examples"):
            skip |= {id(n) for n in ast.walk(node.value)}
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and "EXAMPLE" in t.id for t in node.targets
        ):
            skip |= {id(n) for n in ast.walk(node.value)}
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
    ]


def test_no_place_organisation_or_programme_name_is_a_literal_in_the_algorithms() -> None:
    names = _corpus_names()
    assert {"ICLD", "Hamina", "Sveriges Kommuner och Regioner"} <= names  # the check works
    found = []
    for package in ALGORITHMS:
        for path in sorted((ROOT / package).rglob("*.py")):
            for literal in _literals(ast.parse(path.read_text(encoding="utf-8"))):
                for name in names:
                    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", literal.value):
                        found.append(f"{path.relative_to(ROOT)}:{literal.lineno}: {name}")
    assert found == []
