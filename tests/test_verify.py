"""verify on an archive of few distinct words, where every answer shares most of its words with
every other: a quote that is in the archive word for word must come back as exact, and first."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deeply_cli import verify
from deeply_cli.index import Index, open_index
from tests.conftest import Invoke
from tests.factory import make_archive

VOCABULARY = "water farm pump river dam drought city grain".split()
FILES = 150  # about 1,700 turns, every one with most of the 8 words: far over verify's 200


@dataclass(frozen=True)
class Turn:
    path: str
    first: int  # number of the turn's first paragraph in the article
    question: bool
    paragraphs: list[str]
    words: list[str]  # folded, the whole turn
    owner: list[int]  # paragraph (within the turn) of each word


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Index, list[Turn]]]:
    root = tmp_path_factory.mktemp("small")
    make_archive(root, FILES, seed=7, vocabulary=VOCABULARY, length=(20, 40))
    index = open_index(root.resolve(), {"DEEPLY_CACHE_DIR": str(root.parent / "small-cache")})
    index.refresh()
    turns = []
    rows = index.conn.execute("SELECT path, paragraph, is_question, paragraphs FROM turns")
    for path, first, question, text in rows:
        paragraphs = text.split("\n")
        words: list[str] = []
        owner: list[int] = []
        for number, para in enumerate(paragraphs):
            words += verify.words(para)
            owner += [number] * len(verify.words(para))
        turns.append(Turn(path, first, bool(question), paragraphs, words, owner))
    yield index, turns
    index.conn.close()


def occurrences(turns: list[Turn], quote: str) -> list[tuple[str, int]]:
    """(path, paragraph) of every turn holding the quote word for word, by a plain scan."""
    wanted = verify.words(quote)
    found = []
    for turn in turns:
        for start in range(len(turn.words) - len(wanted) + 1):
            if turn.words[start : start + len(wanted)] == wanted:
                found.append((turn.path, turn.first + turn.owner[start]))
                break
    return sorted(found)


def check_exact(index: Index, turns: list[Turn], quote: str, path: str) -> None:
    """Exactly the turns that hold the quote come back as exact, first, in order of path."""
    sources = verify.find(index, quote, limit=100)
    exact = [(s.path, s.paragraph) for s in sources if s.exact]
    assert all(s.exact for s in sources[: len(exact)]), quote
    assert exact == occurrences(turns, quote)[:100], quote
    assert path in {p for p, _ in exact} or len(exact) == 100, quote


def longest_answer(turns: list[Turn]) -> Turn:
    answers = (t for t in turns if not t.question and len(t.paragraphs) == 1)
    return max(answers, key=lambda t: (len(t.words), t.path))


def test_every_prefix_of_an_answer_is_exact(small: tuple[Index, list[Turn]]) -> None:
    index, turns = small
    turn = longest_answer(turns)
    raw = turn.paragraphs[0].split()
    assert len(raw) >= 30
    for count in range(3, len(raw) + 1):
        check_exact(index, turns, " ".join(raw[:count]), turn.path)


def test_a_long_quote_is_looked_up_by_its_first_words(
    small: tuple[Index, list[Turn]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """FTS5 takes time that grows with a phrase's length (seconds for a page pasted in as a
    quote): the exact-match query holds a fragment's first PHRASE_WORDS words, and the whole
    quote is checked after, so that one changed word past them is still no exact match."""
    index, turns = small
    monkeypatch.setattr(verify, "PHRASE_WORDS", 5, raising=False)
    turn = longest_answer(turns)
    raw = turn.paragraphs[0].split()
    changed = [*raw[:-1], next(w for w in VOCABULARY if w != verify.words(raw[-1])[0])]
    sent: list[str] = []
    index.conn.set_trace_callback(sent.append)
    try:
        check_exact(index, turns, " ".join(raw), turn.path)
        assert not any(s.exact for s in verify.find(index, " ".join(changed), limit=0))
        verify.find(index, "—".join(raw * 50) + " … " + " ".join(raw))
    finally:
        index.conn.set_trace_callback(None)
    phrases = [p for sql in sent if " MATCH " in sql for p in re.findall(r'"(.*?)"', sql)]
    assert phrases and max(len(verify.words(p)) for p in phrases) <= 5, phrases


def test_a_quote_of_many_fragments_is_looked_up_by_a_few(
    small: tuple[Index, list[Turn]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`a … b … a … b …` thousands of times: FTS5 took seconds over as many phrases. The query
    holds each phrase once, and the MAX_FRAGMENTS longest; every fragment is checked after."""
    index, turns = small
    monkeypatch.setattr(verify, "MAX_FRAGMENTS", 4, raising=False)
    turn = longest_answer(turns)
    raw = turn.paragraphs[0].split()
    runs = [" ".join(raw[i : i + 4]) for i in range(0, len(raw) - 3, 4)]
    sent: list[str] = []
    index.conn.set_trace_callback(sent.append)
    try:
        check_exact(index, turns, " … ".join(runs), turn.path)
        verify.find(index, " … ".join(runs * 500))
    finally:
        index.conn.set_trace_callback(None)
    matches = [sql for sql in sent if " MATCH " in sql]
    assert matches and max(sql.count('"') // 2 for sql in matches) <= max(4, verify.MAX_PHRASES)


def test_limit_zero_is_every_source(small: tuple[Index, list[Turn]]) -> None:
    index, turns = small
    quote = " ".join(longest_answer(turns).paragraphs[0].split()[:3])
    every = verify.find(index, quote, limit=0)
    assert len(every) > 5 and every == verify.find(index, quote, limit=len(every) + 50)
    assert [s for s in every if s.exact] == [s for s in verify.find(index, quote, 1000) if s.exact]


def test_limit_zero_is_every_exact_source_however_many(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    turns = "".join("Syria Deeply: And?\n\nJane Doe: The harbour is closed.\n\n" for _ in range(10))
    for i in range(110):  # 1,100 sources: past the pages a limited look reads
        (root / f"p{i:03d}.txt").write_text(f"Talk {i}\n\n{turns}", encoding="utf-8")
    index = open_index(root.resolve(), {"DEEPLY_CACHE_DIR": str(tmp_path / "cache")})
    index.refresh()
    every = verify.find(index, "the harbour is closed", limit=0)
    assert len(every) == 1100 and all(s.exact for s in every)
    assert len(verify.find(index, "the harbour is closed", limit=5)) == 5
    assert len(verify.find(index, "the harbour is closed", limit=1050)) == 1050


def test_case_punctuation_and_spacing_do_not_matter(small: tuple[Index, list[Turn]]) -> None:
    index, turns = small
    turn = longest_answer(turns)
    raw = turn.paragraphs[0].split()[5:25]
    quote = "“" + ",   ".join(w.upper() for w in raw) + "!”"
    [first, *_] = verify.find(index, quote)
    assert first.exact and (first.path, first.paragraph) == (turn.path, turn.first)


def test_underscores_split_words_as_the_index_does(small: tuple[Index, list[Turn]]) -> None:
    """FTS5 reads `dam_drought` as two words; so does verify, also in a fragment of its own."""
    index, turns = small
    turn = longest_answer(turns)
    raw = turn.paragraphs[0].split()[5:25]
    for quote in ("_".join(raw), " ".join(raw[:10]) + " … ___ … " + " ".join(raw[12:])):
        [first, *_] = verify.find(index, quote)
        assert first.exact and (first.path, first.paragraph) == (turn.path, turn.first), quote


def test_one_changed_word_is_a_near_match_ranked_first(small: tuple[Index, list[Turn]]) -> None:
    index, turns = small
    rng = random.Random(3)
    for turn in sorted(turns, key=lambda t: (t.path, t.first))[::60]:
        if len(turn.words) < 15:
            continue
        start = rng.randrange(len(turn.words) - 15 + 1)
        stop = rng.randrange(start + 15, len(turn.words) + 1)
        quote = turn.words[start:stop]
        middle = len(quote) // 2
        quote[middle] = rng.choice([w for w in VOCABULARY if w != quote[middle]])
        [first, *_] = verify.find(index, " ".join(quote))
        where = (turn.path, turn.first + turn.owner[start])
        assert not first.exact and first.closeness >= verify.NEAR, quote
        assert (first.path, first.paragraph) == where, quote


def test_a_quote_missing_from_the_archive_finds_nothing(small: tuple[Index, list[Turn]]) -> None:
    index, _ = small
    assert verify.find(index, "harbour froze over in the winter of 1812 " * 2) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_stretch_of_any_turn_is_exact(
    small: tuple[Index, list[Turn]], data: st.DataObject
) -> None:
    index, turns = small
    turn = data.draw(st.sampled_from(turns))
    text = " ".join(turn.paragraphs)
    raw = re.findall(r"\S+", text)
    start = data.draw(st.integers(0, len(raw) - 3))
    stop = data.draw(st.integers(start + 3, len(raw)))
    style = data.draw(st.sampled_from([str, str.upper, str.lower, lambda s: s.replace(" ", "\n")]))
    check_exact(index, turns, style(" ".join(raw[start:stop])), turn.path)


def test_cli_finds_the_phrase_search_finds(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "small"
    make_archive(folder, FILES, seed=7, vocabulary=VOCABULARY, length=(20, 40))
    words = (folder / "sub0" / "page-000.txt").read_text(encoding="utf-8").split()
    quote = " ".join(words[-10:])
    assert "1 hit" in invoke("search", f'"{quote}"', folder=folder).stdout
    result = invoke("verify", quote, "--json", folder=folder)
    assert result.exit_code == 0
    [first, *_] = json.loads(result.stdout)
    assert first["exact"] and first["path"] == "sub0/page-000.txt"


def test_exact_where_only_folding_matches(invoke: Invoke, archive: Path) -> None:
    page = "Water Deeply: Where?\n\nJane Doe: The old Straße ist lang und breit, und grün.\n"
    (archive / "street.md").write_text("---\ntitle: Street\n---\n\n" + page, encoding="utf-8")
    result = invoke("verify", "the old STRASSE ist lang und breit", "--json")
    [first, *_] = json.loads(result.stdout)
    assert first["exact"] and first["path"] == "street.md"


@pytest.mark.parametrize("limit", [str(2**63), "9" * 30])
def test_a_huge_limit_is_every_source_not_a_traceback(invoke: Invoke, limit: str) -> None:
    """As `search --limit`: a limit past what SQLite counts is no limit at all."""
    result = invoke("verify", "their roots are not dissimilar", "--limit", limit, "--json")
    assert result.exit_code == 0, result.output
    assert isinstance(result.exception, SystemExit) or result.exception is None
    [first] = json.loads(result.stdout)
    assert first["exact"] and first["paragraph"] == 7
