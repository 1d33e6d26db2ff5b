"""Compare a parsed article with a hand-written `*.expected.yaml` description."""

from __future__ import annotations

from collections import Counter
from typing import Any

from deeply_cli.model import Article, Turn
from deeply_cli.text import normalize_ws, slugify


def _starts(text: str, prefix: str, where: str) -> None:
    assert normalize_ws(text).startswith(normalize_ws(prefix)), (
        f"{where}: {text[:80]!r} !~ {prefix!r}"
    )


def _count(value: Any) -> int:
    return int(str(value).split()[0])


def _check_turn(turn: Turn, want: dict[str, Any], where: str) -> None:
    assert turn.speaker == want["speaker"], where
    if "label" in want:
        assert turn.label == want["label"], where
    if "paragraphs" in want:
        assert len(turn.paragraphs) == want["paragraphs"], f"{where}: {turn.paragraphs}"
    if "starts" in want:
        _starts(turn.paragraphs[0], want["starts"], where)


def check(article: Article, want: dict[str, Any]) -> None:
    """Every key the description gives must hold."""
    if "title" in want:
        assert article.title == want["title"]
    if "slug" in want:
        assert slugify(article.title or "") == want["slug"]
    if "dek_starts" in want:
        _starts(article.dek or "", want["dek_starts"], "dek")
    if "dek" in want:
        assert article.dek == want["dek"]
    for key in ("authors",):
        if key in want:
            assert list(article.authors) == want[key]
    if "published" in want:
        published = article.published.isoformat() if article.published else None
        assert published == (str(want["published"]) if want["published"] else None)
    for key in ("read_minutes", "interviewer", "publication"):
        if key in want:
            assert getattr(article, key) == want[key], key
    if "notes" in want:
        assert len(article.notes) == want["notes"], article.notes
    if "intro_paragraphs" in want:
        assert len(article.intro) == want["intro_paragraphs"], article.intro
    if "caption" in want:
        assert article.caption == want["caption"], article.caption
    if "caption_starts" in want:
        _starts(article.caption or "", want["caption_starts"], "caption")
    removed = Counter(r.kind for r in article.removed)
    for kind, count in (want.get("removed_boilerplate") or want.get("removed") or {}).items():
        assert removed[kind] == _count(count), f"removed {kind}: {article.removed}"
    if "speakers" in want:
        got = {s.name: s.role for s in article.speakers}
        for speaker in want["speakers"]:
            assert speaker["name"] in got, f"missing speaker {speaker['name']}: {got}"
            if "role" in speaker:
                assert got[speaker["name"]] == speaker["role"], speaker["name"]
        assert set(got) == {s["name"] for s in want["speakers"]}
    if "exchanges" in want:
        assert len(article.exchanges) == len(want["exchanges"]), [
            (e.question and e.question.paragraphs[0][:30]) for e in article.exchanges
        ]
        for n, (got_ex, want_ex) in enumerate(
            zip(article.exchanges, want["exchanges"], strict=True)
        ):
            if want_ex.get("question_starts") is None:
                assert got_ex.question is None, f"exchange {n} has a question"
            else:
                assert got_ex.question is not None, f"exchange {n} has no question"
                _starts(got_ex.question.paragraphs[0], want_ex["question_starts"], f"question {n}")
                assert got_ex.question.speaker == article.interviewer
                if "question_label" in want_ex:
                    assert got_ex.question.label == want_ex["question_label"]
            assert len(got_ex.answers) == len(want_ex["answers"]), f"exchange {n}: {got_ex.answers}"
            for m, (turn, want_turn) in enumerate(
                zip(got_ex.answers, want_ex["answers"], strict=True)
            ):
                _check_turn(turn, want_turn, f"exchange {n} answer {m}")
    totals = want.get("totals") or {}
    if "questions" in totals:
        assert len(article.questions) == totals["questions"]
    if "answers" in totals:
        assert len(article.answers) == totals["answers"]
    if "answers_by_speaker" in totals:
        assert Counter(a.speaker for a in article.answers) == Counter(totals["answers_by_speaker"])
    kept = [*article.intro, *article.notes]
    kept += [p for t in article.answers + article.questions for p in t.paragraphs]
    for text in want.get("not_turns") or []:
        assert any(p.startswith(normalize_ws(text)) for p in kept), f"not kept as text: {text}"
