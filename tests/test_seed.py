"""The real sample page against its hand-checked description."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deeply_cli.parser import parse
from tests.conftest import SAMPLE
from tests.expected import check

SEEDS = Path(__file__).parent / "seeds"


@pytest.mark.parametrize("expected", sorted(SEEDS.glob("*.expected.yaml")), ids=lambda p: p.stem)
def test_seed_matches_its_description(expected: Path) -> None:
    raw = expected.with_name(expected.name.replace(".expected.yaml", ".txt"))
    check(
        parse(raw.read_text(encoding="utf-8")), yaml.safe_load(expected.read_text(encoding="utf-8"))
    )


def test_bundled_article_is_the_raw_seed() -> None:
    assert SAMPLE.read_bytes() == (SEEDS / SAMPLE.name).read_bytes()


def test_sample_no_break_spaces_become_spaces() -> None:
    article = parse(SAMPLE.read_text(encoding="utf-8"))
    question = article.exchanges[3].question
    assert question is not None
    assert question.paragraphs[0].endswith("right now in Deir Ezzor?")
    assert not any("\xa0" in p for t in article.answers for p in t.paragraphs)


def test_colon_inside_paragraph_is_not_a_label() -> None:
    article = parse(SAMPLE.read_text(encoding="utf-8"))
    bonsey = article.exchanges[3].answers[0]
    assert len(bonsey.paragraphs) == 3
    assert "main advantages. One: even before its Iraqi surge" in bonsey.paragraphs[1]


def test_check_fails_on_a_wrong_description() -> None:
    article = parse(SAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(AssertionError):
        check(article, {"totals": {"answers": 9}})
    with pytest.raises(AssertionError):
        check(article, {"speakers": [{"name": "Noah Bonsey", "role": "wrong"}]})
