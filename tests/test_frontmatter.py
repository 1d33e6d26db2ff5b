"""Front matter: it wins over inference, drives label resolution, and fails loudly per file."""

from __future__ import annotations

import datetime as dt
import json
import signal
from pathlib import Path

import pytest

from deeply_cli import archive as archive_module
from deeply_cli.errors import DeeplyError
from deeply_cli.parser import parse
from tests.conftest import Invoke

BODY = """\
Ahmad Rahimi, an engineer at the Acme Water Board, spoke to us about wells.

Q: Where does the water go?

AR: Mostly to farms.

It always has.

Rahimi: And some to the city.
"""


def test_front_matter_wins_and_declares_speakers() -> None:
    text = (
        "---\ntitle: Wells and Farms\nslug: wells\nauthors: [Mona Writer]\npublished: 2016-03-08\n"
        "publication: Water Deeply\nurl: https://example.org/wells\ntags: [water]\n"
        "speakers:\n  - name: Ahmad Rahimi\n    role: hydrologist\n    aliases: [AR, Rahimi]\n---\n"
        + BODY
    )
    article = parse(text)
    assert article.title == "Wells and Farms"
    assert article.slug == "wells"
    assert article.published == dt.date(2016, 3, 8)
    assert article.interviewer == "Water Deeply"
    assert [s.role for s in article.speakers] == ["hydrologist"]
    [exchange] = article.exchanges
    assert [(t.speaker, t.label, len(t.paragraphs)) for t in exchange.answers] == [
        ("Ahmad Rahimi", "AR", 2),
        ("Ahmad Rahimi", "Rahimi", 1),
    ]
    assert exchange.answers[0].line == 18  # lines count from the top of the file


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_front_matter_with_crlf_or_cr_line_endings(newline: str) -> None:
    text = (
        "---\ntitle: Wells and Farms\nspeakers:\n  - name: Ahmad Rahimi\n    role: hydrologist\n"
        "    aliases: [AR, Rahimi]\n---\n" + BODY
    )
    article = parse(text.replace("\n", newline))
    assert article.title == "Wells and Farms"
    assert article.intro == (BODY.split("\n")[0],)
    assert [s.role for s in article.speakers] == ["hydrologist"]
    [exchange] = article.exchanges
    assert [(t.speaker, t.label) for t in exchange.answers] == [
        ("Ahmad Rahimi", "AR"),
        ("Ahmad Rahimi", "Rahimi"),
    ]
    assert [t.line for t in exchange.answers] == [12, 16]  # lines count from the top of the file


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_bad_front_matter_with_crlf_names_the_line(newline: str) -> None:
    text = "---\ntitle: a\ndek: b\ntitle: c\n---\n" + BODY
    with pytest.raises(DeeplyError) as caught:
        parse(text.replace("\n", newline))
    assert (caught.value.line, caught.value.message) == (4, "front matter: duplicate key 'title'")


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        ("title: [unclosed\n", 3, "front matter:"),
        ("title: a\ntitle: b\n", 3, "duplicate key 'title'"),
        ("- just\n- a list\n", 2, "must be a mapping"),
        ("authors: 5\n", 2, "'authors' must be a list of text"),
        ("published: not-a-date\n", 2, "'published' must be a date"),
        ("a: &x [1, 2]\nb: *x\n", 3, "YAML aliases are not allowed"),
        ("speakers: [{role: x}]\n", 2, "each speaker needs a 'name'"),
        ("slug: '...'\n", 2, "'slug' has no letters or digits"),
        # YAML also breaks lines at NEL (U+0085); lines here are counted as the parser counts.
        ('dek: "a\x85b"\ntitle: a\ntitle: b\n', 4, "duplicate key 'title'"),
        ('dek: "a\u2028b"\ntitle: [unclosed\n', 4, "front matter:"),
        ("dek: x\ntitle: a\x1b[31m\n", 3, "unacceptable character #x001b"),
        ("dek: x\npublished: 2016-13-45\n", 3, "'published': 2016-13-45 is not a real date"),
        ("tags:\n  - 2016-02-30\n", 3, "'tags': 2016-02-30 is not a real date"),
        (
            "title: !!python/object/apply:os.system ['true']\n",
            2,
            "unsupported YAML tag '!!python/object/apply:os.system'",
        ),
        ("speakers:\n  - name: !!python/name:os.system\n", 3, "unsupported YAML tag"),
        ("title: " + "[" * 3000 + "]" * 3000 + "\n", 2, "nested too deeply"),
        ("tags:\n  ? [a, b]\n  : c\n", 3, "found unhashable key"),
        # A tag on the whole block or on a key, and a key that is no text, are refused too.
        ("!!python/object:os.system\ntitle: x\n", 2, "unsupported YAML tag '!!python/object"),
        ("title: x\n!!python/name:os.system : 1\n", 3, "unsupported YAML tag '!!python/name"),
        ("title: x\n[a, b]: c\n", 3, "a key must be text, not a list or a mapping"),
        # Values that do not fit the tag they are given: PyYAML's converters raise their own.
        ("title: !!int abc\n", 2, "'title': abc is not a valid int"),
        ("dek: x\ntitle: !!float abc\n", 3, "'title': abc is not a valid float"),
        ("title: !!bool maybe\n", 2, "'title': maybe is not a valid bool"),
        ("published: !!timestamp nope\n", 2, "'published': nope is not a real date"),
    ],
)
def test_bad_front_matter_names_the_line(block: str, line: int, message: str) -> None:
    with pytest.raises(DeeplyError) as caught:
        parse("---\n" + block + "---\n" + BODY)
    assert caught.value.line == line
    assert message in caught.value.message
    assert "\n" not in caught.value.message and "<unicode string>" not in caught.value.message


def test_unclosed_front_matter() -> None:
    with pytest.raises(DeeplyError, match="no closing"):
        parse("---\ntitle: x\n" + BODY)


def test_bad_article_is_skipped_and_reported(invoke: Invoke, archive: Path) -> None:
    (archive / "broken.md").write_text("---\ntitle: x\ntitle: y\n---\nBody\n", encoding="utf-8")
    result = invoke("list", "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 1
    assert result.stderr == "deeply: error: broken.md:3: front matter: duplicate key 'title'\n"


def test_archive_config_adds_labels_aliases_and_boilerplate(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "deeply.yaml").write_text(
        "interviewer_labels: [Harbour Gazette]\nboilerplate: [Subscribe to the Gazette.]\n"
        "aliases:\n  Ahmad Rahimi: [The Engineer]\n",
        encoding="utf-8",
    )
    (folder / "a.txt").write_text(
        "Wells\n\nWritten by Mona Writer\n\nHarbour Gazette: Where?\n\n"
        "Subscribe to the Gazette.\n\nThe Engineer: To farms.\n",
        encoding="utf-8",
    )
    data = json.loads(invoke("show", "wells", "--json", folder=folder).stdout)
    [exchange] = data["exchanges"]
    assert exchange["question"]["label"] == "Harbour Gazette"
    assert exchange["answers"][0]["speaker"] == "Ahmad Rahimi"
    assert exchange["answers"][0]["paragraphs"] == ["To farms."]
    assert {"kind": "boilerplate", "text": "Subscribe to the Gazette.", "line": 7} in data[
        "removed"
    ]


@pytest.mark.parametrize(
    ("url", "published"),
    [
        (
            "https://www.example.org/syria/articles/2014/6/27/as-isis-looks-deeper",
            dt.date(2014, 6, 27),
        ),
        (
            "http://other.example/syria/articles/2014/06/27/as-isis-looks-deeper/",
            dt.date(2014, 6, 27),
        ),
        ("https://www.example.org/syria/executive-summaries/2016/03/08", dt.date(2016, 3, 8)),
        ("https://www.example.org/syria/background/who-is-who", None),
        ("https://www.example.org/syria/articles/2016/13/40/bad-date", None),
    ],
)
def test_the_address_gives_the_date(url: str, published: dt.date | None) -> None:
    article = parse(f"---\nurl: {url}\n---\nHarbour Talk\n")
    assert (article.slug, article.published) == (None, published)  # the slug comes from the title


def test_declared_date_wins_over_the_address() -> None:
    url = "https://www.example.org/syria/articles/2014/6/27/from-the-address"
    article = parse(f"---\nurl: {url}\npublished: 2015-01-02\n---\nHarbour Talk\n")
    assert article.published == dt.date(2015, 1, 2)


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        (
            "interviewer_labels: 5\n",
            "deeply.yaml:1: ignored: 'interviewer_labels' must be a list of text",
        ),
        ("boilerplate: {a: 1}\n", "deeply.yaml:1: ignored: 'boilerplate' must be a list of text"),
        (
            "boilerplate: [ok]\naliases: [Jane Doe, JD]\n",
            "deeply.yaml:2: ignored: 'aliases' must map each name to a list of labels",
        ),
        (
            "aliases:\n  Jane Doe: {JD: 1}\n",
            "deeply.yaml:1: ignored: 'aliases' of 'Jane Doe' must be a list of labels",
        ),
        (
            "aliases:\n  Jane Doe: [JD]\n  John Doe: [Doe, jd]\n",
            "deeply.yaml:1: ignored: alias 'jd' is given to both Jane Doe and John Doe",
        ),
        ("- a\n- b\n", "deeply.yaml:1: ignored: must be a mapping of keys to values"),
        (
            "interviewer_labels: [a]\nboilerplate: [\x1b]\n",
            "deeply.yaml:2: ignored: unacceptable character #x001b",
        ),
        ("interviewer_labels: [a\n", "deeply.yaml:2: ignored: expected ',' or ']'"),
        (
            "boilerplate: !!timestamp nope\n",
            "deeply.yaml:1: ignored: 'boilerplate': nope is not a real date",
        ),
        ("aliases:\n  Jane: [!!bool maybe]\n", "deeply.yaml:2: ignored: 'aliases': maybe is not"),
        (  # a misspelt key: the rest still applies, with a warning
            "boilerplate: [ok]\ninterview_labels: [Q]\n",
            "deeply.yaml:2: unknown key 'interview_labels' (known: interviewer_labels,",
        ),
    ],
)
def test_bad_archive_config_says_which_key(
    config: str, problem: str, invoke: Invoke, archive: Path
) -> None:
    (archive / "deeply.yaml").write_text(config, encoding="utf-8")
    result = invoke("check")
    [line] = [x for x in result.stdout.splitlines() if x.startswith("deeply.yaml")]
    assert line.startswith(problem), line
    assert "object" not in line and "<unicode string>" not in line


def test_a_long_archive_config_is_read_to_its_end(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publication's boilerplate list runs long; what comes after 64 KiB counts too, and a
    config past the bound is ignored with a warning rather than cut where it happens to end."""
    folder = tmp_path / "a"
    folder.mkdir()
    lines = ["boilerplate:"] + [
        f"  - Filler paragraph {i} the site prints on pages." for i in range(2000)
    ]
    lines += ["  - Subscribe to the Gazette today.", "aliases:", "  Jane Doe: [The Engineer]"]
    (folder / "deeply.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (folder / "deeply.yaml").stat().st_size > 65536
    (folder / "a.txt").write_text(
        "Harbour Talk\n\nWritten by Ann Writer\n\nSubscribe to the Gazette today.\n\n"
        "Syria Deeply: What happened?\n\nJane Doe: Ships.\n\nSyria Deeply: More?\n\n"
        "The Engineer: Boats.\n",
        encoding="utf-8",
    )
    shown = json.loads(invoke("show", "harbour", "--json", folder=folder).stdout)
    assert [a["speaker"] for e in shown["exchanges"] for a in e["answers"]] == ["Jane Doe"] * 2
    assert not any("Gazette" in p for p in shown["intro"])
    monkeypatch.setattr(archive_module, "CONFIG_CHARS", 1000)
    assert (
        "deeply.yaml: ignored: longer than 1,000 characters"
        in invoke("check", folder=folder).stdout
    )


def test_text_that_yaml_reads_as_a_number_stays_as_written(invoke: Invoke, tmp_path: Path) -> None:
    """`12:30`, `007`, `1.10`, `0x1F`, `.inf` are numbers to YAML (750, 7, 1.1, 31, inf): a
    title, slug, author, alias or label written so is the author's text, kept as written."""
    article = parse(
        "---\ntitle: 12:30\nslug: 007\ndek: 1.10\nauthors: [0x1F]\ntags: [.inf, 1_000]\n"
        "speakers:\n  - name: Jane Doe\n    role: 2:1\n    aliases: [010]\n---\n"
        "Harbour Talk\n\nQ: Where?\n\n010: Out.\n"
    )
    assert (article.title, article.slug, article.dek) == ("12:30", "007", "1.10")
    assert (article.authors, article.tags) == (("0x1F",), (".inf", "1_000"))
    assert [(s.role, s.aliases) for s in article.speakers] == [("2:1", ("010",))]
    assert [a.speaker for e in article.exchanges for a in e.answers] == ["Jane Doe"]
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "deeply.yaml").write_text("aliases:\n  Jane Doe: [007]\n", encoding="utf-8")
    (folder / "a.txt").write_text(
        "Harbour Talk\n\nWritten by Ann Writer\n\nSyria Deeply: Where?\n\n007: Out.\n",
        encoding="utf-8",
    )
    shown = json.loads(invoke("show", "harbour", "--json", folder=folder).stdout)
    assert [a["speaker"] for e in shown["exchanges"] for a in e["answers"]] == ["Jane Doe"]


def test_a_long_deeply_yaml_is_read_in_linear_time() -> None:
    """Each of 100,000 list items was given its line by counting the text's newlines up to
    it: a minute for a 3 MB deeply.yaml, read again by every command. Now well under 15 s."""
    from deeply_cli.yamlmap import read_mapping

    items = ", ".join(f"a paragraph of filler {i}" for i in range(100_000))

    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError("deeply.yaml took over 15 s to read")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(15)
    try:
        [(key, value, line)] = read_mapping(f"\n\nboilerplate: [{items}]\n")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert (key, len(value), line) == ("boilerplate", 100_000, 3)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_a_deeply_yaml_saved_with_a_byte_order_mark_is_read(
    encoding: str, invoke: Invoke, tmp_path: Path
) -> None:
    """As Windows editors save it; UTF-16 was 'ignored: 'utf-8' codec can't decode byte 0xff'."""
    folder = tmp_path / "other"
    folder.mkdir()
    config = "aliases:\n  Ahmad Rahimi: [The Engineer]\n"
    (folder / "deeply.yaml").write_bytes(config.encode(encoding))
    (folder / "a.txt").write_text(
        "Wells\n\nWritten by Mona Writer\n\nSyria Deeply: Where?\n\nThe Engineer: To farms.\n",
        encoding="utf-8",
    )
    result = invoke("show", "wells", "--json", folder=folder)
    assert result.stderr == ""
    [exchange] = json.loads(result.stdout)["exchanges"]
    assert exchange["answers"][0]["speaker"] == "Ahmad Rahimi"
