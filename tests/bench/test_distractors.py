from pathlib import Path

from bench.distractors import build_distractors, join_passages, strip_srt

SRT = """1
00:07:56,100 --> 00:07:56,245
Hej då!

2
00:07:57,000 --> 00:07:59,500
<i>Vi åker till Falun</i> i morgon.

13
00:08:00,000 --> 00:08:01,000
1945 var ett märkligt år.
"""


def test_strip_srt_drops_indexes_timestamps_and_tags():
    assert strip_srt(SRT) == [
        "Hej då!",
        "Vi åker till Falun i morgon.",
        "1945 var ett märkligt år.",
    ]


def test_strip_srt_handles_bom_and_crlf():
    assert strip_srt("\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\nÅska\r\n") == ["Åska"]


def test_join_passages_respects_target_and_drops_short_tail():
    lines = [f"Mening nummer {i} om gruvan i Falun." for i in range(40)]
    passages = join_passages(lines, target=200, min_chars=50)
    assert all(50 <= len(p) <= 200 for p in passages)
    assert " ".join(passages).startswith("Mening nummer 0")
    assert join_passages(["kort"], target=200, min_chars=50) == []


def test_join_passages_cuts_one_huge_line():
    passages = join_passages(["ord " * 500], target=100, min_chars=10)
    assert passages and all(len(p) <= 200 for p in passages)


def test_build_distractors_keeps_the_chunk_invariant(tmp_path: Path):
    for name in ("a", "b"):
        lines = [
            f"{i}\n00:00:0{i % 10},000 --> 00:00:0{i % 10},500\nTal {i} om {name}.\n"
            for i in range(200)
        ]
        (tmp_path / f"{name}.srt").write_text("\n".join(lines), "utf-8")
    dset = build_distractors(5, root=tmp_path)
    assert len(dset.chunks) == 5
    docs = {d.doc_id: d for d in dset.documents}
    for chunk in dset.chunks:
        doc = docs[chunk.doc_id]
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert doc.text.split("\n")[chunk.start_line - 1] == chunk.text
    assert build_distractors(3, root=tmp_path).chunks == dset.chunks[:3]  # sizes nest


def test_beyond_the_newsreels_synthetic_documents_keep_the_invariant(tmp_path: Path):
    lines = [
        f"{i}\n00:00:0{i % 10},000 --> 00:00:0{i % 10},500\nTal {i} om gruvan i Falun.\n"
        for i in range(100)
    ]
    (tmp_path / "a.srt").write_text("\n".join(lines), "utf-8")
    dset = build_distractors(60, root=tmp_path)
    assert len(dset.chunks) == 60
    docs = {d.doc_id: d for d in dset.documents}
    synthetic = [c for c in dset.chunks if c.doc_id.startswith("jd-syn")]
    assert synthetic and len(synthetic) < 60  # the real film first
    words = {w for i in range(100) for w in f"tal {i} om gruvan i falun".split()}
    for chunk in synthetic:
        assert docs[chunk.doc_id].text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) >= 400
        # the film's own words, in sentences
        assert set(chunk.text.lower().replace(".", "").split()) <= words
    assert build_distractors(40, root=tmp_path).chunks == dset.chunks[:40]  # sizes nest
