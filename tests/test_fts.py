"""User queries become safe FTS5 expressions: awkward input is searched as text, never an error."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from deeply_cli.catalog import unfolded
from deeply_cli.errors import DeeplyError
from deeply_cli.fts import indexed_text, searched, to_match
from deeply_cli.text import fold

TEXT = "Bonsey: ISIS’s rise since 2014. Al-Qaida in Deir\u00a0Ezzor, the café; Nusra."


@pytest.fixture(scope="module")
def db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES (?)", (TEXT.replace("\u00a0", " "),))
    return conn


@pytest.mark.parametrize(
    ("query", "expression", "found"),
    [
        ("al-Qaida", '"al-qaida"', True),
        ("ISIS’s", '"isis\'s"', True),  # a printed apostrophe is a typed one
        ("Bonsey: ISIS", '"bonsey:" AND "isis"', True),
        ("2014.", '"2014."', True),
        ('"deir ezzor"', '"deir ezzor"', True),
        ("“deir ezzor”", '"deir ezzor"', True),
        ("«deir ezzor»", '"deir ezzor"', True),  # as French and Arabic print quotes
        ("„deir ezzor“", '"deir ezzor"', True),  # as German does
        ("« ezzor deir »", '" ezzor deir "', False),
        ('"ezzor deir"', '"ezzor deir"', False),
        ("CAFE", '"cafe"', True),
        ("isis -nusra", '"isis" NOT "nusra"', False),
        ("isis -zebra", '"isis" NOT "zebra"', True),
        ("--nusra", '"--nusra"', True),  # a word after a dash, as transcripts write one
        ("zebra OR nusra", '("zebra" OR "nusra")', True),
        ("OR isis", '"isis"', True),
        ("isis OR", '"isis"', True),
        ("OR", '"or"', False),  # a lone operator is a word, as AND, NOT and NEAR are
        ("OR OR", '"or"', False),
        ("OR -isis", '"or" NOT "isis"', False),
        ("isis _", '"isis"', True),  # no letter or digit: nothing FTS5 could match
        ("isis ـ ʼ ﾞ", '"isis"', True),  # letters that fold to nothing FTS5 keeps
        ('isis "ـ"', '"isis"', True),
        ("caf*", '"caf"*', True),
        ("NEAR(isis nusra)", '"near(isis" AND "nusra)"', False),
        ("x:isis", '"x:isis"', False),
        ("isis AND", '"isis" AND "and"', False),
        ('"unclosed isis', '"unclosed isis"', False),
        ("'; DROP TABLE t; --", '"drop" AND "table" AND "t;"', False),
        ('say "hi" there', '"say" AND "hi" AND "there"', False),
        ('a""b', '"a""""b"', False),
        ("ＩＳＩＳ", '"isis"', True),  # searched words are folded as turns are: `text.fold`
        ("Ｃａｆé", '"cafe"', True),
        ("ﬁghting", '"fighting"', False),
    ],
)
def test_translation(db: sqlite3.Connection, query: str, expression: str, found: bool) -> None:
    assert to_match(query) == expression
    count = db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()[0]
    assert bool(count) is found


@pytest.mark.parametrize(
    "query", ["", "   ", '"', "-", "*", "-isis", "!!! ???", '""', "_", "%", "-OR", "ـ", "ʼ*"]
)
def test_nothing_to_search_is_a_usage_error(query: str) -> None:
    with pytest.raises(DeeplyError) as caught:
        to_match(query)
    assert caught.value.status == 2


def test_too_many_terms() -> None:
    with pytest.raises(DeeplyError, match="too many search terms"):
        to_match(" ".join(f"w{i}" for i in range(10_000)))


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        "ISIS’s “rise” — since 2014…",
        "café élection naïve Zürich",
        "Ankara, İzmir",
        "WhatsApp™ in school №5",  # symbols part words, as FTS5 parts them: ™ is not `tm`
        "난민 캠프는 멀다",  # a mark that makes another letter stays: Hangul, й
        "мой дом",
    ],
)
def test_text_fts5_folds_as_fold_does_is_indexed_as_it_is(text: str) -> None:
    assert indexed_text(text) is None


@pytest.mark.parametrize(
    ("text", "indexed"),
    [
        ("Kemal Kılıçdaroğlu", "kemal kilicdaroglu"),
        ("Łódź and Straße", "lodz and strasse"),
        ("the ﬁghting", "the fighting"),
        ("ＩＳＩＳ fighters", "isis fighters"),
        ("Øresund, Ærø", "oresund, aero"),
        ("كَتَبَ", "كتب"),  # vowel marks, which FTS5 would take for spaces
        ("CO₂ and H₂O, ½ of it", "co2 and h2o, 1⁄2 of it"),  # compatibility forms: plain
        ("time🥳 to live, 100₽", "time  to live, 100 "),  # symbols FTS5 takes for letters
        ("\uf099Follow us, \ue800email", " follow us,  email"),  # icon fonts' glyphs
        ("ŉ huis", "'n huis"),  # a form whose letters fold again: ŉ is ʼn is 'n
    ],
)
def test_text_fts5_reads_otherwise_is_indexed_as_its_fold(text: str, indexed: str) -> None:
    assert indexed_text(text) == indexed == fold(text)
    decomposed = unicodedata.normalize("NFD", text)
    assert indexed_text(decomposed) == indexed == fold(decomposed)


def test_the_fold_of_a_letter_folds_to_itself() -> None:
    """What a letter folds to is what typing its fold finds: no letter or mark of it folds
    further (`ŉ`, `ϒ`, `ᵆ`, `ﳲ` became `ʼn`, `Υ`, `æ`, `ـ`). Symbols may: they part words."""
    for code in range(0x80, 0x30000):
        char = chr(code)
        if unicodedata.category(char) in ("Cs", "Cn"):
            continue
        folded = fold(char)
        letters = "".join(c for c in folded if unicodedata.category(c)[0] in "LMN")
        assert fold(letters) == letters, (hex(code), folded)


@pytest.mark.parametrize("text", ["Київ, Зеленський", "ガス、한국", "école"])
def test_letters_written_with_their_marks_apart_fold_as_composed(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    assert fold(decomposed) == fold(text)
    assert indexed_text(decomposed) == searched(text)  # kana each set apart, as words
    assert fold("Київ") == "київ" != fold("Киів")  # ї is a letter of its own


@pytest.mark.parametrize(
    ("original", "parts", "shown"),
    [
        (
            "Kemal Kılıçdaroğlu said ﬁne",
            ("kemal ", "kilicdaroglu", " said ", "fine", ""),
            ("Kemal ", "Kılıçdaroğlu", " said ", "ﬁne", ""),
        ),
        (  # FTS5's ellipses stay; a mark written apart goes with its letter
            "One two. Zu\u0308rich and ＩＳＩＳ left. Three four.",
            ("…two. ", "zurich", " and ", "isis", " left…"),
            ("…two. ", "Zu\u0308rich", " and ", "ＩＳＩＳ", " left…"),
        ),
        ("Die Straße und ﬃ", ("die ", "strasse", " und ffi"), ("Die ", "Straße", " und ﬃ")),
        (  # a match inside one character's fold (a ligature of four words) takes all of it
            "قال ﷺ اليوم",
            ("قال صلى ", "الله", " عليه وسلم اليوم"),
            ("قال ", "ﷺ", " اليوم"),
        ),
    ],
)
def test_snippet_of_a_fold_is_shown_as_written(
    original: str, parts: tuple[str, ...], shown: tuple[str, ...]
) -> None:
    assert unfolded(parts, original, fold(original)) == shown


def test_a_page_of_every_character_costs_no_table_of_them() -> None:
    from deeply_cli import fts, text

    page = "".join(map(chr, range(0x4E00, 0x4E00 + 20_000)))  # 20,000 new characters at once
    assert indexed_text(page) == searched(page)
    assert len(fts._READ_APART) <= fts._LEARNED and len(text._FOLDS) <= text._KEPT_FOLDS
    wide = "".join(map(chr, range(0x10000, 0x10000 + 70_000)))
    assert fold(wide) and len(text._FOLDS) <= text._KEPT_FOLDS
