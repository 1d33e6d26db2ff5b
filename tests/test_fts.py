"""User queries become safe FTS5 expressions: awkward input is searched as text, never an error."""

from __future__ import annotations

import sqlite3

import pytest

from deeply_cli.errors import DeeplyError
from deeply_cli.fts import to_match

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
        ("al-Qaida", '"al-Qaida"', True),
        ("ISIS’s", '"ISIS’s"', True),
        ("Bonsey: ISIS", '"Bonsey:" AND "ISIS"', True),
        ("2014.", '"2014."', True),
        ('"deir ezzor"', '"deir ezzor"', True),
        ("“deir ezzor”", '"deir ezzor"', True),
        ('"ezzor deir"', '"ezzor deir"', False),
        ("CAFE", '"CAFE"', True),
        ("isis -nusra", '"isis" NOT "nusra"', False),
        ("isis -zebra", '"isis" NOT "zebra"', True),
        ("zebra OR nusra", '("zebra" OR "nusra")', True),
        ("OR isis", '"isis"', True),
        ("isis OR", '"isis"', True),
        ("OR", '"OR"', False),  # a lone operator is a word, as AND, NOT and NEAR are
        ("OR OR", '"OR"', False),
        ("OR -isis", '"OR" NOT "isis"', False),
        ("isis _", '"isis"', True),  # no letter or digit: nothing FTS5 could match
        ("caf*", '"caf"*', True),
        ("NEAR(isis nusra)", '"NEAR(isis" AND "nusra)"', False),
        ("x:isis", '"x:isis"', False),
        ("isis AND", '"isis" AND "AND"', False),
        ('"unclosed isis', '"unclosed isis"', False),
        ("'; DROP TABLE t; --", '"DROP" AND "TABLE" AND "t;"', False),
        ('say "hi" there', '"say" AND "hi" AND "there"', False),
        ('a""b', '"a""""b"', False),
    ],
)
def test_translation(db: sqlite3.Connection, query: str, expression: str, found: bool) -> None:
    assert to_match(query) == expression
    count = db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()[0]
    assert bool(count) is found


@pytest.mark.parametrize(
    "query", ["", "   ", '"', "-", "*", "-isis", "!!! ???", '""', "_", "%", "-OR"]
)
def test_nothing_to_search_is_a_usage_error(query: str) -> None:
    with pytest.raises(DeeplyError) as caught:
        to_match(query)
    assert caught.value.status == 2


def test_too_many_terms() -> None:
    with pytest.raises(DeeplyError, match="too many search terms"):
        to_match(" ".join(f"w{i}" for i in range(10_000)))
