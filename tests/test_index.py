"""The index: incremental refresh, damaged caches, and results identical to parsing the files."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deeply_cli import archive, catalog, query, serialize
from deeply_cli import index as index_module
from deeply_cli.errors import DeeplyError
from deeply_cli.index import SCHEMA_VERSION, open_index
from deeply_cli.text import fold
from tests.conftest import Invoke
from tests.factory import make_archive


@pytest.fixture
def big(tmp_path: Path) -> Path:
    folder = tmp_path / "big"
    make_archive(folder, 12)
    return folder


def _env(tmp_path: Path) -> dict[str, str]:
    return {"DEEPLY_CACHE_DIR": str(tmp_path / "cache")}


def _bump(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_refresh_is_incremental(big: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    first = open_index(big.resolve(), env).refresh()
    assert (first.added, first.changed, first.removed) == (12, 0, 0)
    again = open_index(big.resolve(), env).refresh()
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 12)
    page = big / "sub0" / "page-000.txt"
    _bump(page, page.read_text(encoding="utf-8").replace("Winter Talk Number 0", "Spring Talk"))
    (big / "sub1" / "page-001.txt").unlink()
    (big / "sub2" / "page-002.txt").rename(big / "sub2" / "renamed.txt")
    (big / "new.md").write_text(
        "New One\n\nSyria Deeply: Why?\n\nJane Roe: Because.\n", encoding="utf-8"
    )
    index = open_index(big.resolve(), env)
    done = index.refresh()
    assert (done.added, done.changed, done.removed, done.unchanged) == (2, 1, 2, 9)
    titles = {s.title for s in catalog.summaries(index)[0]}
    assert "Spring Talk" in titles and "Winter Talk Number 0" not in titles
    assert "Winter Talk Number 1" not in titles and "New One" in titles
    assert [s.path for s in catalog.summaries(index)[0]].count("sub2/renamed.txt") == 1
    assert catalog.search(index, "Because")[0].path == "new.md"


def test_index_command_reports(invoke: Invoke, big: Path) -> None:
    data = json.loads(invoke("index", "--json", folder=big).stdout)
    assert (data["articles"], data["added"], data["rebuilt"]) == (12, 12, False)
    data = json.loads(invoke("index", "--rebuild", "--json", folder=big).stdout)
    assert (data["articles"], data["added"], data["rebuilt"]) == (12, 12, True)
    text = invoke("index", folder=big).stdout
    assert text.startswith("12 articles indexed (")


def _direct(folder: Path) -> archive.Loaded:
    return archive.load(folder.resolve())


def test_indexed_list_and_quotes_equal_direct_parsing(invoke: Invoke, big: Path) -> None:
    loaded = _direct(big)
    listed = json.loads(invoke("list", "--limit", "0", "--json", folder=big).stdout)
    assert listed == [serialize.list_item(catalog.summary_of(e)) for e in loaded.entries]
    for name in query.speaker_names(loaded.entries):
        got = json.loads(invoke("quotes", "--speaker", name, "--json", folder=big).stdout)
        assert got == [serialize.quote(q) for q in query.quotes(loaded.entries, name)], name


@pytest.mark.parametrize("refreshed", [False, True])
def test_indexed_speakers_equal_direct_parsing(
    invoke: Invoke, big: Path, tmp_path: Path, refreshed: bool
) -> None:
    if refreshed:  # figures kept up to date speaker by speaker, not recomputed from nothing
        open_index(big.resolve(), _env(tmp_path)).refresh()
        page = big / "sub0" / "page-003.txt"
        text = page.read_text(encoding="utf-8")
        entry = next(e for e in _direct(big).entries if e.path == "sub0/page-003.txt")
        surname = entry.article.answers[0].speaker.split()[-1]
        _bump(page, text.replace(surname, "Zedong"))
        (big / "sub1" / "page-004.txt").unlink()
        shutil.copy(big / "sub2" / "page-005.txt", big / "copy.txt")
    loaded = _direct(big)
    answers = [a for e in loaded.entries for a in e.article.answers]
    figures = json.loads(invoke("speakers", "--limit", "0", "--json", folder=big).stdout)
    assert sum(f["answers"] for f in figures) == len(answers)
    for f in figures:
        mine = [a for a in answers if a.speaker == f["name"]]
        assert f["answers"] == len(mine)
        assert f["words"] == sum(len(p.split()) for a in mine for p in a.paragraphs)
        assert f["articles"] == sum(
            1 for e in loaded.entries if any(a.speaker == f["name"] for a in e.article.answers)
        )
    assert [f["answers"] for f in figures] == sorted((f["answers"] for f in figures), reverse=True)


def _figures_as_parsed(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Each speaker's answers, articles and words, from parsing the files."""
    found: dict[str, tuple[int, set[str], int]] = {}
    for entry in _direct(folder).entries:
        for answer in entry.article.answers:
            answers, paths, words = found.get(answer.speaker, (0, set(), 0))
            words += sum(len(p.split()) for p in answer.paragraphs)
            found[answer.speaker] = (answers + 1, paths | {entry.path}, words)
    return {name: (a, len(paths), w) for name, (a, paths, w) in found.items()}


class _Stop(Exception):
    pass


@pytest.mark.parametrize("first", [True, False], ids=["first-build", "refresh"])
def test_speakers_after_a_refresh_stopped_halfway(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: bool
) -> None:
    """A refresh killed after storing some files (Ctrl-C, a kill) never summed up their
    speakers, nor those of the files it deleted: the next one sums them all."""
    env = _env(tmp_path)
    if not first:
        open_index(big.resolve(), env).refresh()
        for page in sorted(big.glob("sub1/*.txt")):
            page.unlink()
        make_archive(big / "more", 9, seed=7)
    monkeypatch.setattr(index_module, "BATCH", 2)

    @contextlib.contextmanager
    def stopping(count: int) -> Iterator[Any]:
        class Meter:
            done = 0

            def advance(self, n: int = 1) -> None:
                Meter.done += n
                if Meter.done == 5:
                    raise _Stop

        yield Meter()

    index = open_index(big.resolve(), env)
    with pytest.raises(_Stop):
        index.refresh(stopping)
    index.conn.close()
    index = open_index(big.resolve(), env)
    index.refresh()
    got = {f.name: (f.answers, f.articles, f.words) for f in catalog.speakers(index)}
    assert got == _figures_as_parsed(big)


@pytest.mark.parametrize("word", ["harbour", "cafe", "ELECTION", "nusra", "isis", "deir", "wheat"])
def test_search_is_complete(big: Path, tmp_path: Path, word: str) -> None:
    """Every turn containing the word is found: checked against a brute-force scan."""
    _found_as_by_brute_force(big, tmp_path, word)


def _found_as_by_brute_force(
    folder: Path, tmp_path: Path, word: str
) -> tuple[archive.Loaded, list[catalog.Hit]]:
    """Search for `word` and check the hits are the turns a scan of every word finds."""
    loaded = _direct(folder)
    want = Counter()
    for entry in loaded.entries:
        for number, exchange in enumerate(entry.article.exchanges):
            for turn in (exchange.question, *exchange.answers):
                tokens = {t for p in turn.paragraphs for t in re.split(r"\W+", fold(p))}
                if fold(word) in tokens:
                    want[(entry.path, number, turn.speaker, turn.is_question)] += 1
    index = open_index(folder.resolve(), _env(tmp_path))
    index.refresh()
    hits = catalog.search(index, word, limit=0)
    assert want, word
    assert Counter((h.path, h.exchange, h.speaker, h.is_question) for h in hits) == want
    return loaded, hits


def test_a_long_phrase_is_searched_by_its_first_words_and_found_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FTS5 takes time that grows with a phrase's length (9 s for a page pasted in as one):
    it is asked for the first PHRASE_WORDS words, and the turns it finds are checked for the
    whole phrase, so that the hits are the turns FTS5 finds for the whole one. Two words of
    vocabulary: the first words of a phrase are in many turns that do not hold it."""
    from deeply_cli import fts

    folder = tmp_path / "two"
    make_archive(folder, 40, vocabulary=["water", "Ærø", "harbour"], length=(8, 30))
    index = open_index(folder.resolve(), _env(tmp_path))
    index.refresh()
    texts = [t for (t,) in index.conn.execute("SELECT paragraphs FROM turns ORDER BY id")]
    raw, more = (t.split()[:9] for t in sorted(texts, key=len)[-2:])
    other = "harbour" if fold(raw[-1]).strip(".?") != "harbour" else "water"
    head, phrase, second = " ".join(raw[:-1]), " ".join(raw), " ".join(more)
    queries = [
        f'"{phrase}"',
        f'"{head} {other}"',
        f'"{head}" -"{phrase}"',
        f'"{phrase}" OR "{head} {other}"',
        f'"{phrase}" OR "{second}"',
        f'"{second}" OR {raw[0]}',
        f'water -"{phrase}"',
        f'"{" ".join(raw[:6])}" "{" ".join(raw[2:])}" -"{second}"',
        f'("{phrase}" OR bread) ("{second}" OR Ærø) -"{head} {other}"',
    ]

    def found(query: str) -> Counter[tuple[str, int, str, bool]]:
        hits = catalog.search(index, query, limit=0)
        return Counter((h.path, h.exchange, h.speaker, h.is_question) for h in hits)

    monkeypatch.setattr(fts, "PHRASE_WORDS", 10**6)  # FTS5 asked for each phrase whole
    whole = {query: found(query) for query in queries}
    assert sum(1 for hits in whole.values() if hits) >= 7 and whole[queries[0]]
    for words in (4, 6, 11):
        monkeypatch.setattr(fts, "PHRASE_WORDS", words)
        sent: list[str] = []
        index.conn.set_trace_callback(sent.append)
        try:
            for query in queries:
                assert found(query) == whole[query], (words, query)
        finally:
            index.conn.set_trace_callback(None)
        phrases = [p for sql in sent if " MATCH " in sql for p in re.findall(r'"(.*?)"', sql)]
        assert phrases and max(len(p.split()) for p in phrases) <= words, phrases
    monkeypatch.undo()
    start = time.perf_counter()
    pasted = catalog.search(index, f'"{" ".join(texts * 20)}"')
    assert pasted == [] and time.perf_counter() - start < 5


FOREIGN = ["Kılıçdaroğlu", "Łódź", "Straße", "ﬁghting", "Øresund", "ＩＳＩＳ", "كَتَبَ", "Ærø"]


@pytest.mark.parametrize(
    "word", ["kilicdaroglu", "LODZ", "strasse", "fighting", "oresund", "isis", "كتب", "aero"]
)
def test_search_is_complete_across_letters_fts5_does_not_fold(tmp_path: Path, word: str) -> None:
    """ı, ł, ß, ø, æ, ligatures, full-width letters and Arabic vowel marks fold as `fold`
    folds them, in turns with and without them: checked against a brute-force scan."""
    folder = tmp_path / "foreign"
    make_archive(folder, 9, vocabulary=["water", "harbour", "isis", *FOREIGN])
    loaded, hits = _found_as_by_brute_force(folder, tmp_path, word)
    entry_of = {e.path: e for e in loaded.entries}
    for hit in hits:  # each snippet is the turn's own text, its matches marked
        marked = hit.snippet[1::2]
        assert marked and all(fold(m) == fold(word) for m in marked), hit.snippet
        turns = [*entry_of[hit.path].article.questions, *entry_of[hit.path].article.answers]
        assert any("".join(hit.snippet).strip("…") in "\n".join(t.paragraphs) for t in turns)


KYIV_APART = "Киі\u0308в"  # Київ, its ї written as і and a diaeresis


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("facebook", "Facebook"),
        ("5", "5"),
        ('"school 5"', "school №5"),
        ("елка", "ёлка"),
        ("мои", None),  # й is a letter of its own, not и with an accent
        ("нашли", None),
        ("カス", None),  # nor is ガ カ with an accent
        ("나*", None),  # nor a Hangul syllable its letters
        ("난민", "난민"),
        ("co2", "CO₂"),  # a compatibility form is its plain letters and digits
        ("time", "time"),  # an emoji newer than FTS5's tables still parts words
        ("100", "100"),
        ("київ", KYIV_APART),  # written with its marks apart, found and shown as written
    ],
)
def test_folding_keeps_symbols_and_letters_of_other_scripts(
    invoke: Invoke, tmp_path: Path, query: str, found: str | None
) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Phones\n\nSyria Deeply: How?\n\nJohn Smith: Everyone uses WhatsApp™ and Facebook™"
        " in school №5.\n\nSyria Deeply: And?\n\n"
        "John Smith: мой дом, ёлка, ガス、電気, 난민 캠프.\n\nSyria Deeply: Then?\n\n"
        f"John Smith: CO₂ for a time🥳 at 100₽ in {KYIV_APART}.\n",
        encoding="utf-8",
    )
    result = invoke("search", query, "--json", folder=folder)
    marked = [re.findall("⟦(.*?)⟧", hit["snippet"]) for hit in json.loads(result.stdout or "[]")]
    assert marked == ([[found]] if found else []), marked


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("international", "inter\u00adnational"),  # a soft hyphen
        ("cooperation", "co\u200coperation"),  # a zero-width non-joiner
        ("WhatsApp", "Whats\u200dApp"),  # a zero-width joiner
        ("wordjoiner", "word\u2060joiner"),  # a word joiner
        ("Aleppo", "Al\u200eeppo"),  # a direction mark
        ("سوريا", "سـوريا"),  # a tatweel, which only stretches the word
        ("lovely", "love\ufe0fly"),  # a variation selector
    ],
)
def test_a_word_with_invisible_characters_inside_is_one_word(
    invoke: Invoke, tmp_path: Path, query: str, written: str
) -> None:
    """Characters that print as nothing do not part a word: FTS5 would read them as spaces."""
    folder = tmp_path / "invisible"
    folder.mkdir()
    (folder / "a.txt").write_text(
        f"Invisible\n\nSyria Deeply: How?\n\nJohn Smith: We said {written} twice.\n",
        encoding="utf-8",
    )
    result = invoke("search", query, "--json", folder=folder)
    marked = [re.findall("⟦(.*?)⟧", hit["snippet"]) for hit in json.loads(result.stdout or "[]")]
    assert marked == [[written]], marked


CHINESE = "我们在叙利亚难民营工作。"  # "we work in a Syrian refugee camp"


@pytest.mark.parametrize(
    ("query", "found", "count"),
    [
        ("叙利亚", ["叙利亚"], 2),  # a word inside a run of characters without spaces
        ("难民营", ["难民营"], 2),
        ("叙利亚难民营", ["叙利亚难民营"], 2),
        ('"叙利亚 难民"', ["叙利亚难民"], 2),
        ("难民*", ["难民"], 2),  # a prefix: its characters, whatever follows
        ("東京", ["東京"], 1),
        ("行き", ["行き"], 1),
        ("カス", [], 0),  # ガ is a letter of its own, not カ with an accent
        ("京东", [], 0),  # the characters, but not together
        ("叙利亚 -東京", ["叙利亚"], 2),
    ],
)
def test_words_of_scripts_without_spaces_are_found_inside_a_run(
    invoke: Invoke, tmp_path: Path, query: str, found: list[str], count: int
) -> None:
    """FTS5 would take a whole run of Chinese or Japanese for one word: each character is
    indexed apart, so a word is found wherever it stands, short turns and long alike."""
    folder = tmp_path / "cjk"
    folder.mkdir()
    long = "他们说。" * 6000 + CHINESE  # over fts.LONG_TURN: its snippet is cut by deeply
    (folder / "a.txt").write_text(
        f"Talk\n\nSyria Deeply: 哪里？\n\nJohn Smith: {CHINESE}\n\n"
        "Syria Deeply: そして？\n\nJohn Smith: 東京に行きます、ガスも。\n\n"
        f"Syria Deeply: 然后？\n\nJohn Smith: {long}\n",
        encoding="utf-8",
    )
    result = invoke("search", query, "--json", folder=folder)
    hits = json.loads(result.stdout or "[]")
    marked = sorted({m for hit in hits for m in re.findall("⟦(.*?)⟧", hit["snippet"])})
    assert marked == found, (marked, result.stderr)
    assert len(hits) == count


THAI = "ผู้ลี้ภัยในประเทศไทย"  # "refugees in Thailand", written without spaces


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ประเทศ", ["ประเทศ"]),  # a word inside a run, as in Chinese
        ("ผู้ลี้ภัย", ["ผู้ลี้ภัย"]),  # shown with the marks of its last letter
        ("ลี้", ["ลี้"]),
        ("ประเทศไทย", ["ประเทศไทย"]),
        ("ខ្មែរ", ["ខ្មែរ"]),  # Khmer
        ("ລາວ", ["ລາວ"]),  # Lao
        ("မြန်မာ", ["မြန်မာ"]),  # Myanmar
    ],
)
def test_thai_lao_khmer_and_myanmar_words_are_found_inside_a_run(
    invoke: Invoke, tmp_path: Path, query: str, found: list[str]
) -> None:
    """Thai, Lao, Khmer and Myanmar are written without spaces between words too."""
    folder = tmp_path / "thai"
    folder.mkdir()
    long = "ภาษาไทย " * 4000 + THAI  # over fts.LONG_TURN: its snippet is cut by deeply
    (folder / "a.txt").write_text(
        f"Talk\n\nSyria Deeply: Where?\n\nJohn Smith: {THAI}\n\n"
        "Syria Deeply: And?\n\nJohn Smith: ភាសាខ្មែរ, ພາສາລາວ, ပြည်ထောင်စုမြန်မာနိုင်ငံ.\n\n"
        f"Syria Deeply: Then?\n\nJohn Smith: {long}\n",
        encoding="utf-8",
    )
    result = invoke("search", query, "--json", folder=folder)
    hits = json.loads(result.stdout or "[]")
    marked = sorted({m for hit in hits for m in hit["snippet_parts"][1::2]})
    assert marked == found, (marked, result.stderr)
    assert len(hits) == (2 if query in THAI else 1)


@pytest.mark.parametrize("word", ["हिन्दी", "भाषा", "शरणार्थी", "शिविर"])
def test_a_match_is_shown_with_the_marks_of_its_last_letter(
    invoke: Invoke, tmp_path: Path, word: str
) -> None:
    """FTS5 reads a vowel sign as a space and leaves it out of the match it marks
    (`⟦भाष⟧ा`): the match takes it, as the word is written."""
    folder = tmp_path / "hindi"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Talk\n\nSyria Deeply: Where?\n\nJohn Smith: हिन्दी भाषा में शरणार्थी शिविर.\n",
        encoding="utf-8",
    )
    [hit] = json.loads(invoke("search", word, "--json", folder=folder).stdout)
    assert hit["snippet_parts"][1::2] == [word]
    assert "".join(hit["snippet_parts"]) == "हिन्दी भाषा में शरणार्थी शिविर."


# Katakana as full-width and half-width forms, voiced (ガ, ｶﾞ) and semi-voiced (パ, ﾊﾟ).
KANA_TURNS = ["ガス・タンク", "ｶﾞｽ･ﾀﾝｸ", "カ\u3099ス", "パン", "ﾊﾟﾝ", "カタカナ", "ｶﾀｶﾅ", "カス"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ガス", ["ガス", "ｶﾞｽ", "カ\u3099ス"]),  # a voiced mark written apart, too
        ("ｶﾞｽ", ["ガス", "ｶﾞｽ", "カ\u3099ス"]),
        ("ｶ\u3099ｽ", ["ガス", "ｶﾞｽ", "カ\u3099ス"]),
        ("ﾀﾝｸ", ["タンク", "ﾀﾝｸ"]),
        ("パン", ["パン", "ﾊﾟﾝ"]),
        ("ﾊﾟﾝ", ["パン", "ﾊﾟﾝ"]),
        ("ｶﾀｶﾅ", ["カタカナ", "ｶﾀｶﾅ"]),
        ("ｶｽ", ["カス"]),  # ｶﾞ is a letter of its own, not ｶ with an accent
        ("ﾊﾝ", []),
    ],
)
def test_half_width_katakana_are_the_full_width_ones(
    invoke: Invoke, tmp_path: Path, query: str, found: list[str]
) -> None:
    """Half-width katakana (ｶﾞ a letter and a voiced mark) find their full-width letters and
    back; each hit shows the article's own characters."""
    folder = tmp_path / "kana"
    folder.mkdir()
    talk = "".join(f"Syria Deeply: {n}?\n\nJohn Smith: {t}。\n\n" for n, t in enumerate(KANA_TURNS))
    (folder / "a.txt").write_text("Kana\n\n" + talk, encoding="utf-8")
    result = invoke("search", query, "--answers", "--json", folder=folder)
    hits = json.loads(result.stdout or "[]")
    marked = sorted(m for hit in hits for m in re.findall("⟦(.*?)⟧", hit["snippet"]))
    assert marked == sorted(found), (marked, result.stderr)


def test_a_word_after_an_icon_fonts_glyph_is_found(invoke: Invoke, tmp_path: Path) -> None:
    """A private-use character (a scraped page's icon, `\uf099Follow`) parts words, as
    symbols do: FTS5 would read it as a letter of the word it touches."""
    folder = tmp_path / "icons"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Icons\n\nSyria Deeply: Where?\n\nJohn Smith: \uf099Follow the \ue800harbour news.\n",
        encoding="utf-8",
    )
    for word, shown in (("follow", "Follow"), ("harbour", "harbour")):
        result = invoke("search", word, "--json", folder=folder)
        assert result.exit_code == 0, (word, result.output)
        assert [h["snippet_parts"][1::2] for h in json.loads(result.stdout)] == [[shown]]


def test_folded_turns_keep_their_text_in_every_other_command(
    invoke: Invoke, tmp_path: Path
) -> None:
    folder = tmp_path / "foreign"
    make_archive(folder, 3, vocabulary=FOREIGN)
    loaded = _direct(folder)
    speaker = loaded.entries[0].article.answers[0].speaker
    quotes = json.loads(invoke("quotes", "--speaker", speaker, "--json", folder=folder).stdout)
    assert [tuple(q["paragraphs"]) for q in quotes] == [
        a.paragraphs for e in loaded.entries for a in e.article.answers if a.speaker == speaker
    ]
    found = json.loads(invoke("search", '"kilicdaroglu lodz"', "--json", folder=folder).stdout)
    marked = [re.findall("⟦(.*?)⟧", h["snippet"]) for h in found]
    assert marked and all(fold(m) == "kilicdaroglu lodz" for ms in marked for m in ms), marked
    assert all(m.lower() == "kılıçdaroğlu łódź" for ms in marked for m in ms), marked  # as written


@pytest.mark.parametrize("limit", [0, 1, 5])
@pytest.mark.parametrize("query", ["harbour", "water OR bread", "border -militia"])
def test_ranking_shared_with_a_child_gives_the_same_hits(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query: str, limit: int
) -> None:
    """Two processes each ranking half of the rows give exactly the order of one."""
    index = open_index(big.resolve(), _env(tmp_path))
    index.refresh()
    alone = catalog.search(index, query, limit=limit)
    alone_answers = catalog.search(index, query, questions=False, limit=limit)
    monkeypatch.setattr(catalog, "SPLIT_FROM", 1)
    assert catalog.search(index, query, limit=limit) == alone
    assert catalog.search(index, query, questions=False, limit=limit) == alone_answers
    assert len(alone) == limit or not limit
    monkeypatch.setattr(catalog, "in_child", lambda work: lambda: None)  # the child failed
    assert catalog.search(index, query, limit=limit) == alone


def test_a_relative_cache_folder_is_the_one_below_the_current_folder(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DEEPLY_CACHE_DIR=cache: the child that ranks half the rows opens the index by a file
    URI, which a relative path has none of (it failed, and this process ranked them all)."""
    index = open_index(big.resolve(), {"DEEPLY_CACHE_DIR": "cache"})
    index.refresh()
    assert index.db_path == tmp_path / "cache" / index.db_path.name
    alone = catalog.search(index, "harbour", limit=0)
    monkeypatch.setattr(catalog, "SPLIT_FROM", 1)
    monkeypatch.setattr(catalog, "in_child", lambda work: (lambda answer: lambda: answer)(work()))
    assert catalog.search(index, "harbour", limit=0) == alone


def test_a_search_reads_one_state_of_the_index_while_another_process_refreshes(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh committed between a search's ranking and its details (the turns of a
    changed file replaced) is not half seen; nor are rows the ranking child saw that are
    gone here: neither is damage, to be rebuilt, nor a KeyError."""
    env = _env(tmp_path)
    index = open_index(big.resolve(), env)
    index.refresh()
    before = catalog.search(index, "harbour", limit=0)
    ranked = catalog._ranked

    def refreshed_meanwhile(*args: Any) -> list[tuple[int, float]]:
        rows = ranked(*args)
        for page in sorted(big.glob("sub0/*.txt")):
            _bump(page, page.read_text(encoding="utf-8") + "\nJane Roe: harbour again.\n")
        open_index(big.resolve(), env).refresh()
        return rows

    monkeypatch.setattr(catalog, "_ranked", refreshed_meanwhile)
    assert catalog.search(index, "harbour", limit=0) == before
    monkeypatch.setattr(catalog, "_ranked", ranked)
    now = catalog.search(index, "harbour", limit=0)
    assert len(now) > len(before)
    monkeypatch.setattr(catalog, "_ranked", lambda *args: [*ranked(*args), (10**9, -1.0)])
    assert catalog.search(index, "harbour", limit=0) == now


@pytest.mark.parametrize("limit", ["0", "1", "2"])
def test_equal_scores_come_in_the_archives_order_whatever_was_reindexed(
    invoke: Invoke, tmp_path: Path, limit: str
) -> None:
    """Turns that score alike are in path order, also after the first file was re-indexed
    (and so got row ids after the others'): the same hits for the same files, always."""
    folder = tmp_path / "ties"
    folder.mkdir()
    for name in "abc":
        (folder / f"{name}.txt").write_text(
            f"Talk {name}\n\nSyria Deeply: Why?\n\nJohn Smith: Water is scarce.\n", "utf-8"
        )

    def paths() -> list[str]:
        found = invoke("search", "water", "--limit", limit, "--json", folder=folder).stdout
        return [hit["path"] for hit in json.loads(found)]

    first = paths()
    assert first == ["a.txt", "b.txt", "c.txt"][: int(limit) or 3]
    stat = (folder / "a.txt").stat()
    os.utime(folder / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert paths() == first


def test_a_tie_across_the_limit_is_scored_again_only_among_few_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settling a tie scores every match once more: worth it for a few, not for a word in
    most turns, where it would double the search. Then the tie is cut in index order."""
    folder = tmp_path / "ties"
    folder.mkdir()
    for name in "abc":
        (folder / f"{name}.txt").write_text(
            f"Talk {name}\n\nSyria Deeply: Why?\n\nJohn Smith: Water is scarce.\n", "utf-8"
        )
    index = open_index(folder, _env(tmp_path))
    index.refresh()
    rankings = []
    ranked = catalog._ranked

    def counted(*args: Any) -> list[tuple[int, float]]:
        rankings.append(args)
        return ranked(*args)

    monkeypatch.setattr(catalog, "_ranked", counted)
    assert [hit.path for hit in catalog.search(index, "water", limit=1)] == ["a.txt"]
    assert len(rankings) == 2  # three matches: the tie is settled
    rankings.clear()
    monkeypatch.setattr(catalog, "RESCORE_TIES_UP_TO", 2)
    assert len(catalog.search(index, "water", limit=1)) == 1
    assert len(rankings) == 1


def test_search_filters(invoke: Invoke, big: Path) -> None:
    every = json.loads(invoke("search", "harbour", "--limit", "0", "--json", folder=big).stdout)
    assert {"slug", "title", "speaker", "is_question", "exchange", "snippet", "score"} <= set(
        every[0]
    )
    assert [h["score"] for h in every] == sorted((h["score"] for h in every), reverse=True)
    assert "⟦" in every[0]["snippet"]
    speaker = next(h["speaker"] for h in every if not h["is_question"])
    mine = json.loads(
        invoke(
            "search", "harbour", "--speaker", speaker, "--limit", "0", "--json", folder=big
        ).stdout
    )
    assert mine and {h["speaker"] for h in mine} == {speaker}
    assert len(mine) == sum(1 for h in every if h["speaker"] == speaker)
    questions = json.loads(
        invoke("search", "harbour", "--questions", "--limit", "0", "--json", folder=big).stdout
    )
    answers = json.loads(
        invoke("search", "harbour", "--answers", "--limit", "0", "--json", folder=big).stdout
    )
    assert all(h["is_question"] for h in questions) and not any(h["is_question"] for h in answers)
    assert len(questions) + len(answers) == len(every)
    one = json.loads(
        invoke(
            "search", "harbour", "--article", every[0]["slug"], "--limit", "0", "--json", folder=big
        ).stdout
    )
    assert {h["slug"] for h in one} == {every[0]["slug"]}
    assert (
        len(json.loads(invoke("search", "harbour", "--limit", "2", "--json", folder=big).stdout))
        == 2
    )
    none = invoke("search", "zebra", folder=big)
    assert none.exit_code == 1 and "0 hits" in none.stdout
    both = invoke("search", "x", "--questions", "--answers", folder=big)
    assert both.exit_code == 2


def test_a_surname_shared_in_the_archive_names_the_one_in_the_article(
    invoke: Invoke, big: Path
) -> None:
    """--speaker Doe with --article: the one Doe who answers there, as `show --speaker`
    reads it (four speakers are called Doe in the archive), in search and export alike."""
    loaded = _direct(big)
    entry = next(e for e in loaded.entries if e.slug == "winter-talk-number-3")
    [doe] = {a.speaker for a in entry.article.answers if a.speaker.endswith(" Doe")}
    everyone = {a.speaker for e in loaded.entries for a in e.article.answers}
    assert len({n for n in everyone if n.endswith(" Doe")}) > 1
    ambiguous = invoke("search", "water", "--speaker", "Doe", folder=big)
    assert ambiguous.exit_code == 2 and "matches" in ambiguous.stderr
    found = invoke(
        "search", "water", "--speaker", "Doe", "--article", entry.slug, "--json", folder=big
    )
    assert found.exit_code == 0, found.stderr
    assert {h["speaker"] for h in json.loads(found.stdout)} == {doe}
    exported = invoke(
        "export", "--article", entry.slug, "--speaker", "Doe", "--format", "jsonl", folder=big
    )
    assert exported.exit_code == 0, exported.stderr
    assert {json.loads(line)["speaker"] for line in exported.stdout.splitlines()} == {doe}
    elsewhere = invoke("search", "water", "--speaker", "Pavel", "--article", entry.slug, folder=big)
    assert elsewhere.exit_code == 2 and "matches 5 speakers" in elsewhere.stderr


@pytest.mark.parametrize("word", ["harbour", "water", "winter"])
def test_questions_searched_with_a_speaker_are_the_questions_put_to_them(
    invoke: Invoke, big: Path, word: str
) -> None:
    """`--speaker NAME --questions`: the questions NAME answers (as `show --speaker` keeps
    them), not questions NAME asked, which an answering speaker never does."""
    loaded = _direct(big)
    every = json.loads(invoke("search", word, "--limit", "0", "--json", folder=big).stdout)
    speaker = next(h["speaker"] for h in every if not h["is_question"])
    args = ("search", word, "--speaker", speaker, "--questions", "--limit", "0", "--json")
    got = json.loads(invoke(*args, folder=big).stdout or "[]")
    want = {
        (entry.slug, number)
        for entry in loaded.entries
        for number, exchange in enumerate(entry.article.exchanges)
        if exchange.question is not None
        and any(a.speaker == speaker for a in exchange.answers)
        and fold(word) in re.split(r"\W+", fold(" ".join(exchange.question.paragraphs)))
    }
    assert want and {(h["slug"], h["exchange"]) for h in got} == want
    assert len(got) == len(want) and all(h["is_question"] for h in got)


@pytest.mark.parametrize("typed", ["O'Brien", "conor o'brien", "O’Brien", "Oʼbrien"])
def test_a_printed_apostrophe_is_the_one_a_keyboard_types(
    invoke: Invoke, tmp_path: Path, typed: str
) -> None:
    """`--speaker O'Brien` finds Conor O’Brien as printed, in search and quotes alike."""
    folder = tmp_path / "apostrophes"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Talk\n\nSyria Deeply: What about water?\n\nConor O’Brien: Water is scarce.\n\n"
        "Syria Deeply: And Hayʼat Tahrir?\n\nO’Brien: O’Brien’s view: bread too.\n",
        encoding="utf-8",
    )
    hits = invoke("search", "water", "--speaker", typed, "--json", folder=folder)
    assert [h["speaker"] for h in json.loads(hits.stdout or "[]")] == ["Conor O’Brien"], hits
    quotes = invoke("quotes", "--speaker", typed, "--json", folder=folder)
    assert len(json.loads(quotes.stdout or "[]")) == 2, quotes.stderr
    for words, marked in [("O'Brien", "O’Brien"), ("Hay'at", "Hayʼat")]:
        found = invoke("search", words, "--json", folder=folder).stdout
        assert marked in re.findall("⟦(.*?)⟧", json.loads(found)[0]["snippet"]), found


@pytest.mark.parametrize("word", ["ISIS", "the"])
def test_scores_of_a_common_word_tell_its_hits_apart(invoke: Invoke, word: str) -> None:
    """A word in most turns scores near a millionth: still not 0.0 for every hit."""
    hits = json.loads(invoke("search", word, "--limit", "0", "--json").stdout)
    scores = [hit["score"] for hit in hits]
    assert len(hits) > 5 and all(score > 0 for score in scores), scores
    assert len(set(scores)) > 1 and scores == sorted(scores, reverse=True), scores


def test_search_sample_no_break_spaces(invoke: Invoke) -> None:
    hits = json.loads(invoke("search", "Deir Ezzor", "--limit", "0", "--json").stdout)
    assert len(hits) == 3  # a question and two of Bonsey's answers; the title is not a turn
    assert any("Deir Ezzor?" in h["snippet"].replace("⟦", "").replace("⟧", "") for h in hits)


def _db(tmp_path: Path, folder: Path) -> Path:
    [db] = (tmp_path / "cache").glob("*.sqlite")
    return db


@pytest.mark.parametrize(
    "damage",
    [
        lambda db: db.write_bytes(b"this is not a database at all" * 100),
        lambda db: db.write_bytes(b""),
        lambda db: db.write_bytes(db.read_bytes()[: len(db.read_bytes()) // 3]),
        lambda db: sqlite3.connect(db).execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}"),
        lambda db: (db.unlink(), sqlite3.connect(db).execute("create table other(x)")),
    ],
    ids=["garbage", "empty", "truncated", "old-schema", "foreign"],
)
def test_damaged_index_is_rebuilt(invoke: Invoke, big: Path, tmp_path: Path, damage) -> None:
    assert invoke("index", folder=big).exit_code == 0
    db = _db(tmp_path, big)
    assert not Path(f"{db}-wal").exists()  # the command closed the index
    damage(db)
    result = invoke("list", "--limit", "0", "--json", folder=big)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 12
    assert "Traceback" not in result.stderr


def test_unusable_cache_works_from_memory(invoke: Invoke, big: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = invoke("list", "--json", folder=big, env={"DEEPLY_CACHE_DIR": str(blocker / "cache")})
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 12
    assert result.stderr.count("cache unusable") == 1
    assert "working without it" in result.stderr


def test_a_folder_in_place_of_the_index_file_is_replaced_only_when_empty(
    invoke: Invoke, big: Path, tmp_path: Path
) -> None:
    """An empty folder named as the index file was 'cache unusable (Is a directory)' on
    every run, never mended; one with something in it is left, and named with what to do."""
    assert invoke("list", folder=big).exit_code == 0
    [db] = (tmp_path / "cache").glob("*.sqlite")
    db.unlink()
    db.mkdir()
    result = invoke("list", "--json", folder=big)
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 12
    assert "cache unusable" not in result.stderr and db.is_file()
    assert open_index(big.resolve(), _env(tmp_path)).db_path == db
    for name in (db.name, f"{db.name}-wal"):
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{db}{suffix}")
        (db.parent / name).mkdir()
        (db.parent / name / "notes.txt").write_text("mine", encoding="utf-8")
        for _ in range(2):
            result = invoke("list", "--json", folder=big)
            assert result.exit_code == 0 and len(json.loads(result.stdout)) == 12
            assert result.stderr.strip().splitlines() == [
                f"deeply: warning: {db.parent / name}: a folder that is not empty has the"
                " index file's name; working without the cache (move or remove that folder)"
            ]
        assert (db.parent / name / "notes.txt").read_text(encoding="utf-8") == "mine"
        shutil.rmtree(db.parent / name)


def test_a_wal_and_shm_made_while_the_index_was_read_only_are_mended() -> None:
    """SQLite makes the -wal and -shm with the index file's mode: made while it was read-only,
    they stayed so once it was writable again, and every run after warned 'attempt to write a
    readonly database' until they were deleted by hand. Root writes read-only files, so as
    root the commands run as nobody."""
    import subprocess
    import sys
    import sysconfig
    import tempfile

    prefix: list[str] = []
    python, paths = sys.executable, ""
    if os.geteuid() == 0:  # a Python nobody may run, with this one's packages and deeply
        python = shutil.which("python3", path="/usr/bin:/bin") or ""
        version = f"import sys; sys.exit(sys.version_info[:2] != {sys.version_info[:2]})"
        if (
            not shutil.which("runuser")
            or not python
            or subprocess.run([python, "-c", version]).returncode
        ):
            pytest.skip("as root, needs runuser and a system Python of this version")
        prefix = ["runuser", "-u", "nobody", "--"]
        here = Path(__file__).resolve().parent.parent
        paths = os.pathsep.join(
            [str(here), *sorted(set(sysconfig.get_paths()[k] for k in ("purelib", "platlib")))]
        )
    with tempfile.TemporaryDirectory(prefix="deeply-ro-") as where:
        folder, cache = Path(where, "archive"), Path(where, "cache")
        make_archive(folder, 3)
        cache.mkdir()
        pages = [page for page in folder.rglob("*") if page.is_file()]
        for path in (Path(where), cache, *folder.rglob("*"), folder):
            path.chmod(0o777 if path.is_dir() else 0o666)
        env = {**os.environ, "DEEPLY_CACHE_DIR": str(cache), "NO_COLOR": "1"}
        if paths:
            env["PYTHONPATH"] = paths

        def run() -> str:
            for page in pages:
                _bump(page, page.read_text(encoding="utf-8") + "\n")  # a refresh that writes
            done = subprocess.run(
                [*prefix, python, "-m", "deeply_cli", "--archive", str(folder), "list"],
                env=env, cwd=where, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            return done.stderr

        assert "cache unusable" not in run()
        [db] = cache.glob("*.sqlite")
        db.chmod(0o444)
        assert "readonly database" in run()  # the user's choice: worked from memory
        assert Path(f"{db}-shm").stat().st_mode & 0o222 == 0  # made read-only: the fault's cause
        db.chmod(0o644)
        assert "cache unusable" not in run()
        assert "cache unusable" not in run()
        for suffix in ("-wal", "-shm"):
            side = Path(f"{db}{suffix}")
            assert not side.exists() or side.stat().st_mode & 0o777 == 0o644


def test_no_home_works_from_memory_and_a_relative_cache_home_is_ignored(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "home", lambda: (_ for _ in ()).throw(RuntimeError("no home")))
    for env in ({}, {"HOME": "relative"}, {"XDG_CACHE_HOME": "relative"}):
        index = open_index(big.resolve(), env)
        assert index.db_path is None and "no home folder" in str(index.problems[0])
        assert index.refresh().added == 12
    index = open_index(big.resolve(), {"HOME": str(tmp_path), "XDG_CACHE_HOME": "rel"})
    assert index.db_path is not None and index.db_path.parent == tmp_path / ".cache" / "deeply"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "big"]  # nothing in cwd


def test_a_blank_cache_dir_is_unset_not_a_folder_in_the_current_one(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`DEEPLY_CACHE_DIR=' '` made a folder named ' ' wherever deeply ran, the archive too."""
    monkeypatch.chdir(big)
    index = open_index(big.resolve(), {"DEEPLY_CACHE_DIR": " ", "HOME": str(tmp_path)})
    assert index.db_path is not None and index.db_path.parent == tmp_path / ".cache" / "deeply"
    index.conn.close()
    assert not (big / " ").exists()


def test_a_full_disk_works_from_memory_and_keeps_the_index(
    invoke: Invoke, big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("list", folder=big).exit_code == 0
    make_archive(big / "more", 30)
    [db] = (tmp_path / "cache").glob("*.sqlite")
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]
    connect = index_module._connect

    def full(target: str | Path) -> sqlite3.Connection:  # a disk with two pages left
        conn = connect(target)
        if target != ":memory:":
            conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        return conn

    monkeypatch.setattr(index_module, "_connect", full)
    result = invoke("list", "--json", "--limit", "0", folder=big)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 42
    assert result.stderr.count("cache unusable (database or disk is full)") == 1
    assert "Traceback" not in result.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM files").fetchone()[0] >= 12
    result = invoke("index", folder=big)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "disk is full" in result.stderr
    assert str(db) in result.stderr


def test_working_from_memory_keeps_the_slugs_the_cache_gave(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A namesake added while the disk is full does not take the slug of the article that
    had it: the index in memory starts from the slugs the cache holds."""
    folder = tmp_path / "a"
    folder.mkdir()
    talk = "Water Talk\n\nSyria Deeply: Why?\n\nJane Roe: Because of the harbour.\n"
    (folder / "talk.txt").write_text(talk, encoding="utf-8")
    assert invoke("list", folder=folder).exit_code == 0
    (folder / "0-new.txt").write_text(talk, encoding="utf-8")  # sorts before it
    make_archive(folder / "more", 30)
    [db] = (tmp_path / "cache").glob("*.sqlite")
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]
    connect = index_module._connect

    def full(target: str | Path) -> sqlite3.Connection:
        conn = connect(target)
        if target != ":memory:":
            conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        return conn

    monkeypatch.setattr(index_module, "_connect", full)
    result = invoke("list", "--json", "--limit", "0", folder=folder)
    assert result.exit_code == 0, result.stderr
    assert "cache unusable" in result.stderr
    slugs = {item["path"]: item["slug"] for item in json.loads(result.stdout)}
    assert (slugs["talk.txt"], slugs["0-new.txt"]) == ("water-talk", "water-talk-2")


def test_waits_for_another_writer(invoke: Invoke, big: Path, tmp_path: Path) -> None:
    assert invoke("index", folder=big).exit_code == 0
    (big / "late.txt").write_text(
        "Late\n\nSyria Deeply: Now?\n\nJane Roe: Yes.\n", encoding="utf-8"
    )
    [lock_path] = (tmp_path / "cache").glob("*.lock")
    held = threading.Event()

    def hold() -> None:
        with open(lock_path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    started = time.monotonic()
    result = invoke("search", "Yes", "--json", folder=big)
    waited = time.monotonic() - started
    thread.join()
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["path"] == "late.txt"
    assert waited >= 0.3


def _aged(paths: set[Path], days: float) -> set[Path]:
    then = time.time() - days * 86400
    for path in paths:
        os.utime(path, (then, then))
    return paths


def test_indexes_of_archives_gone_long_ago_are_removed(tmp_path: Path) -> None:
    """Making a new index removes the files of every other index whose archive is gone (or
    that is no index at all) and that nothing used for 30 days; never the index of an archive
    that is there, one used lately (a drive unplugged for a while), or one in use."""
    env, cache = _env(tmp_path), tmp_path / "cache"

    def indexed(name: str, *, remove: bool, days: float) -> set[Path]:
        before = set(cache.glob("*"))
        folder = tmp_path / name
        make_archive(folder, 2)
        index = open_index(folder.resolve(), env)
        index.refresh()
        index.conn.close()
        if remove:
            shutil.rmtree(folder)
        return _aged(set(cache.glob("*")) - before, days)

    cache.mkdir()
    gone = indexed("gone", remove=True, days=31)
    assert {p.suffix for p in gone} == {".sqlite", ".lock"}
    lately = indexed("lately", remove=True, days=10)
    there = indexed("there", remove=False, days=400)
    busy = indexed("busy", remove=True, days=31)
    garbage = {cache / f"0123456789abcdef.sqlite{s}" for s in ("", "-wal", "-shm")}
    for path in garbage:
        path.write_bytes(b"\x00not an index" * 100)
    stray = {cache / "fedcba9876543210.lock", cache / "fedcba9876543211.sqlite-journal"}
    for path in stray:
        path.touch()
    others = {cache / "notes.txt", cache / "0123456789abcdef.sqlite.bak"}
    for path in others:
        path.write_text("not deeply's\n", encoding="utf-8")
    _aged(garbage | stray | others, 31)
    [busy_lock] = [p for p in busy if p.suffix == ".lock"]
    with open(busy_lock, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another deeply at work on it
        new = indexed("new", remove=False, days=0)
    assert set(cache.glob("*")) == lately | there | busy | others | new
    again = indexed("again", remove=False, days=0)  # no longer held
    assert set(cache.glob("*")) == lately | there | others | new | again
    assert open_index((tmp_path / "there").resolve(), env).refresh().unchanged == 2


def test_a_lock_file_removed_while_waited_for_is_taken_anew(tmp_path: Path) -> None:
    """A lock on a lock file that a sweep removed meanwhile would keep no one out: the
    waiting process locks the file at the path now."""
    from deeply_cli import cache

    path = tmp_path / "k.lock"
    first = cache.take(path)
    taken: list[tuple[int, int | None]] = []

    def wait() -> None:
        lock = cache.take(path)
        with cache.held(lock):
            there = os.stat(path).st_ino if path.exists() else None
            taken.append((os.fstat(lock.fileno()).st_ino, there))

    thread = threading.Thread(target=wait)
    with cache.held(first):
        thread.start()
        time.sleep(0.2)
        path.unlink()  # as a sweep does, holding the lock
    thread.join(timeout=10)
    [(held, there)] = taken
    assert held == there
    with open(path, "a+b") as other:  # and released in the end
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)


@pytest.mark.parametrize("inside", [True, False])
def test_a_deeply_yaml_linked_from_outside_the_archive_is_not_read(
    invoke: Invoke, archive: Path, tmp_path: Path, inside: bool
) -> None:
    """As with articles, a link to outside the archive is reported, not followed."""
    folder = archive if inside else tmp_path / "elsewhere"
    folder.mkdir(exist_ok=True)
    (folder / "shared.yaml").write_text("aliases:\n  Noah Bonsey: [The Analyst]\n", "utf-8")
    (archive / "deeply.yaml").symlink_to(folder / "shared.yaml")
    result = invoke("quotes", "--speaker", "The Analyst", "--json")
    if inside:
        assert result.exit_code == 0 and len(json.loads(result.stdout)) == 4, result.stderr
    else:
        assert result.exit_code == 1 and not result.stdout, result.stdout
        assert "deeply.yaml: ignored: symbolic link to outside the archive" in result.stderr


def test_archive_folder_is_never_written(invoke: Invoke, big: Path) -> None:
    before = sorted((p, p.stat().st_mtime_ns) for p in big.rglob("*"))
    for args in (["index"], ["list"], ["search", "harbour"], ["speakers"]):
        invoke(*args, folder=big)
    assert sorted((p, p.stat().st_mtime_ns) for p in big.rglob("*")) == before


def test_slug_lookup_matches_the_in_memory_rule(big: Path, tmp_path: Path) -> None:
    """path_of answers from the slug index exactly as query.find_slug does over all slugs."""
    (big / "sub0" / "page-000.txt").write_text(
        "Winter Talk\n\nSyria Deeply: Why?\n\nJane Roe: Yes.\n"
    )
    index = open_index(big.resolve(), _env(tmp_path))
    index.refresh()
    by_slug = {slug: path for path, slug in index.slugs().items()}
    slugs = list(by_slug)
    assert "winter-talk" in slugs and "winter-talk-number-1" in slugs  # one is a prefix
    for wanted in [
        "winter-talk",
        "WINTER-TALK-NUMBER-11 ",
        "winter-talk-number-1",
        "winter-talk-n",
    ]:
        try:
            expected: object = query.find_slug(slugs, wanted)
        except DeeplyError as exc:  # the same error, text and status, is wanted
            expected = (exc.status, str(exc))
            with pytest.raises(DeeplyError) as raised:
                index.path_of(wanted)
            assert (raised.value.status, str(raised.value)) == expected
            continue
        assert index.path_of(wanted) == (expected, by_slug[str(expected)])
    for wanted in ["", "zzz", "winter-talk-number-1\U0010ffff", "\ud7ff"]:
        with pytest.raises(DeeplyError):
            index.path_of(wanted)


def test_bulk_build_ends_with_the_turn_indexes(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build from nothing drops the turns' indexes and makes them at its end; one killed
    before its end leaves the index stale, and the next refresh makes them again."""
    monkeypatch.setattr(index_module, "BULK_FROM", 1)
    index = open_index(big.resolve(), _env(tmp_path))
    index.refresh()

    def indexes() -> set[str]:
        rows = index.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {name for (name,) in rows}

    assert {"turns_path", "turns_speaker"} <= indexes()
    with index.conn:  # as a build killed between its drop and its end leaves it
        index.conn.execute("DROP INDEX turns_path")
        index.conn.execute("DROP INDEX turns_speaker")
        index.conn.execute("DELETE FROM meta WHERE key = 'scan'")
    again = open_index(big.resolve(), _env(tmp_path))
    assert again.refresh().unchanged == 12
    assert {"turns_path", "turns_speaker"} <= indexes()
    plan = " ".join(
        str(row)
        for row in index.conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM turns WHERE speaker = 'x' AND is_question = 0"
        )
    )
    assert "turns_speaker" in plan


def _scramble_table(db: Path, table: str) -> None:
    """Damage the root page of one table, leaving the header, schema and other tables be:
    the index opens and refreshes as usual, and only reading that table fails."""
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    [(root,)] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
    conn.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    for i in range(start, start + page_size, 7):
        data[i] = (data[i] * 31 + 7) % 256
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("table", "command"),
    [
        ("turns", ["quotes", "--speaker", "{speaker}", "--json"]),
        ("turns_fts_data", ["search", "harbour", "--json"]),
        ("speakers", ["speakers", "--json"]),
    ],
)
def test_index_damaged_inside_is_rebuilt_while_reading(
    invoke: Invoke, big: Path, tmp_path: Path, table: str, command: list[str]
) -> None:
    (big / "zz-broken.txt").write_bytes(b"\x00")  # a problem to report, once per run
    speaker = json.loads(invoke("speakers", "--json", folder=big).stdout)[0]["name"]
    command = [arg.format(speaker=speaker) for arg in command]
    before = invoke(*command, folder=big)
    assert before.exit_code == 0 and json.loads(before.stdout)
    _scramble_table(_db(tmp_path, big), table)
    after = invoke(*command, folder=big)
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    assert re.search(r"warning: .*\.sqlite: index damaged \(.*\); rebuilding it", after.stderr)
    assert after.stderr.count("zz-broken.txt") == 1
    again = invoke(*command, folder=big)
    assert (again.exit_code, again.stdout, again.stderr) == (0, before.stdout, before.stderr)


@pytest.mark.parametrize(
    ("sql", "command"),
    [
        ("DELETE FROM turns WHERE id % 3 = 0", ["search", "harbour", "--json", "--limit", "0"]),
        ("UPDATE turns_fts_config SET v = 99 WHERE k = 'version'", ["search", "harbour", "--json"]),
        ("DROP TABLE speakers", ["speakers", "--json"]),
        ("DROP TABLE speakers", ["quotes", "--speaker", "Doe", "--json"]),
        ("ALTER TABLE turns DROP COLUMN asker", ["quotes", "--speaker", "Doe", "--json"]),
    ],
    ids=["turns-missing", "fts5-format", "table-gone", "table-gone-quotes", "column-gone"],
)
def test_an_index_out_of_shape_is_rebuilt_while_reading(
    invoke: Invoke, big: Path, tmp_path: Path, sql: str, command: list[str]
) -> None:
    """Damage SQLite reports otherwise than as a malformed file: full-text rows without
    their turns, another full-text format, a table or column gone (a schema of another
    deeply under the same version)."""
    speaker = json.loads(invoke("speakers", "--json", folder=big).stdout)[0]["name"]
    command = [arg.replace("Doe", speaker) for arg in command]
    before = invoke(*command, folder=big)
    assert before.exit_code == 0 and json.loads(before.stdout)
    conn = sqlite3.connect(_db(tmp_path, big))
    with conn:
        conn.execute(sql)
    conn.close()
    after = invoke(*command, folder=big)
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    assert "Traceback" not in after.stderr
    assert re.search(r"warning: .*\.sqlite: index damaged \(.*\); rebuilding it", after.stderr)


def test_an_index_that_stays_damaged_is_one_line(
    invoke: Invoke, big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deeply_cli.cli import common

    assert invoke("index", folder=big).exit_code == 0
    _scramble_table(_db(tmp_path, big), "speakers")
    real_open = common.open_index

    def failing(root: Path, env: dict[str, str], *, fresh: bool = False) -> object:
        if fresh:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real_open(root, env)

    monkeypatch.setattr(common, "open_index", failing)
    result = invoke("speakers", folder=big)
    assert result.exit_code == 1
    warning, error = result.stderr.splitlines()
    assert warning.startswith("deeply: warning: ") and "index damaged" in warning
    assert error.startswith("deeply: error: the index is damaged and could not be rebuilt")


def test_a_slug_wanted_as_it_is_wins_over_a_numbered_one(invoke: Invoke, tmp_path: Path) -> None:
    """A title's slug, or one declared in front matter, is never taken by the -2 of a
    duplicate that sorts before it; indexed and direct parsing agree."""
    folder = tmp_path / "a"
    folder.mkdir()
    talk = "Same Title\n\nSyria Deeply: Why?\n\nJane Roe: Because.\n"
    (folder / "a.txt").write_text(talk, encoding="utf-8")
    (folder / "b.txt").write_text(talk, encoding="utf-8")
    (folder / "c.md").write_text("---\nslug: same-title-2\n---\n" + talk, encoding="utf-8")
    (folder / "d.txt").write_text(talk.replace("Same Title", "Same Title 3"), encoding="utf-8")
    result = invoke("list", "--json", folder=folder)
    slugs = {item["path"]: item["slug"] for item in json.loads(result.stdout)}
    assert slugs == {
        "a.txt": "same-title",
        "b.txt": "same-title-4",
        "c.md": "same-title-2",
        "d.txt": "same-title-3",
    }
    assert "b.txt: slug 'same-title' is taken; using 'same-title-4'" in result.stderr
    direct = {e.path: e.slug for e in _direct(folder).entries}
    assert direct == slugs


def test_an_article_keeps_its_slug_when_a_namesake_is_added(invoke: Invoke, tmp_path: Path) -> None:
    """A slug the user has seen (and perhaps cited) stays with its article: a file of the
    same title added later gets the -2, though it sorts first, also after either changes,
    after a change of deeply.yaml or `index --rebuild` rebuilds the index, and with a third
    namesake."""
    folder = tmp_path / "a"
    folder.mkdir()
    talk = "Same Title\n\nSyria Deeply: Why?\n\nJane Roe: Because.\n"
    (folder / "z.txt").write_text(talk, encoding="utf-8")

    def slugs() -> dict[str, str]:
        result = invoke("list", "--json", folder=folder)
        return {item["path"]: item["slug"] for item in json.loads(result.stdout)}

    assert slugs() == {"z.txt": "same-title"}
    (folder / "m.txt").write_text(talk, encoding="utf-8")
    result = invoke("list", "--json", folder=folder)
    assert "m.txt: slug 'same-title' is taken; using 'same-title-2'" in result.stderr
    assert slugs() == {"m.txt": "same-title-2", "z.txt": "same-title"}
    (folder / "a.txt").write_text(talk, encoding="utf-8")
    _bump(folder / "z.txt", talk + "\nJane Roe: And more.\n")
    _bump(folder / "m.txt", talk + "\nJane Roe: Still more.\n")
    expected = {"a.txt": "same-title-3", "m.txt": "same-title-2", "z.txt": "same-title"}
    assert slugs() == expected
    (folder / "deeply.yaml").write_text("boilerplate: [Nothing here.]\n", encoding="utf-8")
    assert slugs() == expected
    assert invoke("index", "--rebuild", folder=folder).exit_code == 0  # a new index file
    assert slugs() == expected
    checked = invoke("check", folder=folder).stdout  # names the same -2s
    assert "a.txt: slug 'same-title' is taken; using 'same-title-3'" in checked
    assert "z.txt" not in checked
    assert invoke("show", "same-title", "--json", folder=folder).exit_code == 0
    assert json.loads(invoke("show", "same-title", "--json", folder=folder).stdout)["path"] == (
        "z.txt"
    )


def _status_changed(path: Path, before: os.stat_result, mode: int) -> None:
    """chmod `path` until its status time (ctime) differs from `before`'s, whatever the
    file system's clock granularity."""
    while True:
        os.chmod(path, mode)
        if path.stat().st_ctime_ns != before.st_ctime_ns:
            return
        time.sleep(0.01)
        os.chmod(path, mode ^ 0o100)


def test_a_file_whose_status_changed_is_read_again(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Size and modification time can stay while a file does not: its text replaced and the
    time set back (as a restore may), or the right to read it taken away. A change of its
    status (ctime, which chmod and every write change) has it read again: the new text is
    served, and an unreadable file is a problem, never its old text."""
    folder = tmp_path / "a"
    folder.mkdir()
    page = folder / "talk.txt"
    talk = "Harbour Talk\n\nSyria Deeply: Why?\n\nJane Roe: Because of the {}.\n"
    page.write_text(talk.format("harbour"), encoding="utf-8")
    (folder / "other.txt").write_text(talk.format("winter"), encoding="utf-8")
    assert invoke("search", "harbour", folder=folder).exit_code == 0
    before = page.stat()
    page.write_text(talk.format("bridges"), encoding="utf-8")  # the same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same time
    _status_changed(page, before, 0o600)
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert invoke("search", "harbour", folder=folder).exit_code == 1
    assert invoke("search", "bridges", folder=folder).exit_code == 0

    readable = page.stat()
    real_open = os.open

    def refused(path: Any, *args: Any, **kwargs: Any) -> int:  # as chmod 000 is, also to root
        if os.fspath(path).endswith("talk.txt"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)
    _status_changed(page, readable, 0o000)
    try:
        listed = invoke("list", "--json", folder=folder)
        assert [item["path"] for item in json.loads(listed.stdout)] == ["other.txt"]
        assert "talk.txt: cannot read file (Permission denied)" in listed.stderr
        assert invoke("search", "bridges", folder=folder).exit_code == 1
        quotes = invoke("quotes", "--speaker", "Jane Roe", "--json", folder=folder)
        assert [q["path"] for q in json.loads(quotes.stdout)] == ["other.txt"]
    finally:
        os.chmod(page, 0o644)


def test_a_moved_article_keeps_its_slug(invoke: Invoke, tmp_path: Path) -> None:
    """Renaming or moving a file (`mv` keeps its size and time) keeps its slug, also when a
    namesake that had the -2 now sorts before it."""
    folder = tmp_path / "a"
    folder.mkdir()
    talk = "Same Title\n\nSyria Deeply: Why?\n\nJane Roe: Because.\n"
    (folder / "z.txt").write_text(talk, encoding="utf-8")
    assert invoke("index", folder=folder).exit_code == 0
    (folder / "m.txt").write_text(talk + "\nJane Roe: More.\n", encoding="utf-8")

    def slugs() -> dict[str, str]:
        result = invoke("list", "--json", folder=folder)
        return {item["path"]: item["slug"] for item in json.loads(result.stdout)}

    assert slugs() == {"m.txt": "same-title-2", "z.txt": "same-title"}
    (folder / "sub").mkdir()
    (folder / "z.txt").rename(folder / "sub" / "y.txt")
    assert slugs() == {"m.txt": "same-title-2", "sub/y.txt": "same-title"}
    (folder / "m.txt").rename(folder / "n.txt")
    assert slugs() == {"n.txt": "same-title-2", "sub/y.txt": "same-title"}


def test_a_link_to_an_article_in_the_archive_is_not_a_second_copy(
    invoke: Invoke, tmp_path: Path
) -> None:
    """Links to a listed article, or to a file an earlier link leads to, are skipped: the
    interview is listed, searched and quoted once, under its own path and slug."""
    folder = tmp_path / "a"
    (folder / "sub").mkdir(parents=True)
    (folder / ".drafts").mkdir()
    talk = "Linked Talk\n\nSyria Deeply: Why?\n\nJane Roe: Because of the harbour.\n"
    (folder / "sub" / "talk.txt").write_text(talk, encoding="utf-8")
    (folder / ".drafts" / "draft.txt").write_text(talk.replace("Linked", "Draft"), "utf-8")
    (folder / "0-first.txt").symlink_to("sub/talk.txt")  # sorts before its target
    (folder / "z-last.md").symlink_to("sub/talk.txt")
    (folder / "draft-1.txt").symlink_to(".drafts/draft.txt")  # the hidden file is not listed
    (folder / "draft-2.txt").symlink_to("draft-1.txt")
    result = invoke("list", "--json", folder=folder)
    assert result.exit_code == 0, result.output
    listed = {item["path"]: item["slug"] for item in json.loads(result.stdout)}
    assert listed == {"sub/talk.txt": "linked-talk", "draft-1.txt": "draft-talk"}
    hits = json.loads(invoke("search", "harbour", "--json", folder=folder).stdout)
    assert sorted(h["slug"] for h in hits) == ["draft-talk", "linked-talk"]
    assert {e.path for e in _direct(folder).entries} == set(listed)


def test_a_file_with_hard_links_is_one_article(invoke: Invoke, tmp_path: Path) -> None:
    """The names a hard link gives one file (`cp -al`, a deduplicating tool) are one
    interview, under the first name in path order, as a symbolic link to it would be."""
    folder = tmp_path / "a"
    (folder / "sub").mkdir(parents=True)
    talk = "Linked Talk\n\nSyria Deeply: Why?\n\nJane Roe: Because of the harbour.\n"
    (folder / "sub" / "talk.txt").write_text(talk, encoding="utf-8")
    os.link(folder / "sub" / "talk.txt", folder / "z-talk.txt")
    os.link(folder / "sub" / "talk.txt", folder / "a-talk.txt")
    (folder / "link.txt").symlink_to("z-talk.txt")  # leads to a name not kept
    (folder / "other.txt").write_text(talk.replace("Linked", "Other"), encoding="utf-8")
    result = invoke("list", "--json", folder=folder)
    assert result.exit_code == 0, result.output
    listed = {item["path"]: item["slug"] for item in json.loads(result.stdout)}
    assert listed == {"a-talk.txt": "linked-talk", "other.txt": "other-talk"}
    hits = json.loads(invoke("search", "harbour", "--json", folder=folder).stdout)
    assert sorted(h["path"] for h in hits) == ["a-talk.txt", "other.txt"]
    assert {e.path for e in _direct(folder).entries} == set(listed)
    (folder / "a-talk.txt").unlink()  # one name less: the next is the article
    listed = {item["path"] for item in json.loads(invoke("list", "--json", folder=folder).stdout)}
    assert listed == {"sub/talk.txt", "other.txt"}


@pytest.mark.parametrize(
    "own", ["\x02draw\x03", "\ue000draw\ue001", "\x02\ue000\ue001\ue002\ue003draw\x03"]
)
def test_an_articles_own_characters_are_never_taken_for_match_marks(
    invoke: Invoke, tmp_path: Path, own: str
) -> None:
    folder = tmp_path / "wells"
    folder.mkdir()
    page = f"Wells Talk\n\nSyria Deeply: And the pumps?\n\nJane Doe: The pumps {own} water.\n"
    (folder / "a.txt").write_text(page, encoding="utf-8")
    env = {"DEEPLY_CACHE_DIR": str(tmp_path / "cache")}
    [hit] = json.loads(
        invoke("search", "pumps", "--answers", "--json", folder=folder, env=env).stdout
    )
    assert hit["snippet"] == f"The ⟦pumps⟧ {own} water."
    assert hit["snippet_parts"] == ["The ", "pumps", f" {own} water."]
    shown = invoke("search", "pumps", "--answers", folder=folder, env=env).stdout
    assert "\x02" not in shown and ("␂draw␃" in shown) == own.startswith("\x02draw")


def test_json_marks_matches_unambiguously_beside_the_texts_own_brackets(
    invoke: Invoke, tmp_path: Path
) -> None:
    """`⟦draw⟧` written in an answer is not a match: `snippet_parts` tells them apart."""
    folder = tmp_path / "wells"
    folder.mkdir()
    page = "Wells Talk\n\nSyria Deeply: And the pumps?\n\nJane Doe: The ⟦pumps⟧ draw water.\n"
    (folder / "a.txt").write_text(page, encoding="utf-8")
    [hit] = json.loads(invoke("search", "draw", "--json", folder=folder).stdout)
    assert hit["snippet_parts"] == ["The ⟦pumps⟧ ", "draw", " water."]
    assert hit["snippet"] == "The ⟦pumps⟧ ⟦draw⟧ water."


def test_a_long_turn_gets_its_snippet_cut_around_its_first_match(
    invoke: Invoke, tmp_path: Path
) -> None:
    # FTS5's snippet() takes time that grows as the square of a turn's matches: a 5 MB
    # answer of one repeated word took hours. A turn this long is cut by deeply itself.
    folder = tmp_path / "long"
    folder.mkdir()
    filler = "Words of the harbour " * 2000  # 42,000 characters, 8,000 matches of "harbour"
    (folder / "long.txt").write_text(
        f"Long Talk\n\nWritten by Ann Writer\n\nSyria Deeply: Why?\n\n"
        f"Jane Doe: {filler}then the ZÈBRA came, and the Zebra left. {filler}\n",
        encoding="utf-8",
    )
    [hit] = json.loads(invoke("search", "zebra", "--json", folder=folder).stdout)
    assert hit["snippet"] == (  # 32 words from 8 before the first match, as written
        "…the harbour Words of the harbour then the ⟦ZÈBRA⟧ came, and the ⟦Zebra⟧ left."
        + " Words of the harbour" * 4
        + " Words of…"
    )
    [hit] = json.loads(invoke("search", "harb*", "--json", folder=folder).stdout)
    assert hit["snippet"].startswith("Words of the ⟦harbour⟧ Words")


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("难民营", ["难民营"]),  # not each of its characters, wherever it stands
        ('"harbour council"', ["harbour", "council"]),  # not the first harbour alone
        ("council*", ["council"]),
    ],
)
def test_a_long_turns_snippet_shows_a_match_of_the_whole_term(
    invoke: Invoke, tmp_path: Path, query: str, marked: list[str]
) -> None:
    """A long turn's snippet, cut by deeply, opens at the first place the term matches as
    FTS5 matches it: all its words in a row (a phrase; a Chinese word, its characters)."""
    folder = tmp_path / "long"
    folder.mkdir()
    filler = "人民日报说。Words of the harbour. " * 1500  # 民 and harbour, but not the terms
    (folder / "long.txt").write_text(
        "Long Talk\n\nWritten by Ann Writer\n\nSyria Deeply: Why?\n\n"
        f"Jane Doe: {filler}我们在叙利亚难民营工作, the harbour council. {filler}\n",
        encoding="utf-8",
    )
    result = invoke("search", query, "--json", folder=folder)
    [hit] = json.loads(result.stdout)
    assert hit["snippet_parts"][1::2] == marked, hit["snippet"]


@pytest.mark.parametrize(
    ("folded", "query", "parts"),
    [
        ("a b c d e f", "d", ("…c ", "d", " e f")),  # a quarter of the words before it
        ("a b c d e f", "x*", ("a b c d…",)),  # no match (a NOT query): the start
        ("a b c d e f", "-b c", ("…b ", "c", " d e…")),
        ("a b c d e f", '"c d" OR e*', ("…b ", "c", " ", "d", " ", "e", "…")),
        ("a c b c d e", '"c d"', ("…b ", "c", " ", "d", " e")),  # the phrase, not the first c
        ("a b a b a", '"a b a"', ("", "a", " ", "b", " ", "a", " ", "b", "…")),  # overlapping
    ],
)
def test_long_snippet(folded: str, query: str, parts: tuple[str, ...]) -> None:
    from deeply_cli.fts import long_snippet

    assert long_snippet(folded, query, tokens=4) == parts
