"""Hostile and broken input, one table: every case ends in a clear status and message, a clean
stdout, no traceback, and nothing changed outside the temporary archive (issue: hostile input)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deeply_cli import archive as archive_module
from deeply_cli.cli import app
from deeply_cli.errors import DeeplyError
from tests.conftest import SAMPLE

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A UTF-8 page with one cp1252 en dash pasted in (a byte that is never valid UTF-8).
STRAY = "Curly “Quotes” Talk\n\nWritten by Ann Writer\n\nSyria Deeply: What’s next?\n\n".encode()
STRAY += "Jane Doe: It’s fine ".encode() + b"\x96 really.\n"
SPEAKER_BLOCK = "title: Wells\nspeakers:\n  - name: Jane Doe\n    role: pilot\n    aliases: [AR]\n"
PAGE = "{title}\n\nWritten by Ann Writer\n\nSyria Deeply: What happened?\n\nJane Doe: {answer}\n"


def write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return setup


def page(title: str = "Harbour Talk", answer: str = "Ships.") -> str:
    return PAGE.format(title=title, answer=answer)


def front(block: str) -> str:
    return f"---\n{block}---\n" + page()


def symlink(name: str, target: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).symlink_to(target)

    return setup


def fifo(name: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        os.mkfifo(folder / name)

    return setup


def damage_index(how: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        runner = CliRunner()
        runner.invoke(app, ["--archive", str(folder), "index"], env=_env(folder))
        [db] = (folder.parent / "cache").glob("*.sqlite")
        if how == "garbage":
            db.write_bytes(b"\x00garbage" * 1000)
        elif how == "old":
            conn = sqlite3.connect(db)
            conn.execute("PRAGMA user_version = 1")
            conn.commit()
            conn.close()

    return setup


def lock_is_a_folder(folder: Path) -> None:
    """An index to refresh whose lock file has become a folder."""
    CliRunner().invoke(app, ["--archive", str(folder), "index"], env=_env(folder))
    [lock] = (folder.parent / "cache").glob("*.lock")
    lock.unlink()
    lock.mkdir()
    (folder / "b.txt").write_text(page("Second Talk"), encoding="utf-8")


IMPORTED = "as-isis-looks-deeper-into-deir-ezzor-nusra-remains-formidable-opponent.md"


def import_source(folder: Path) -> None:
    shutil.copy(SAMPLE, folder.parent / "outside" / "page.txt")


def _held_open(name: str) -> Callable[[Path], None]:
    """A reader on a pipe, so that a write into it returns instead of waiting forever."""

    def setup(folder: Path) -> None:
        _READERS.append(os.open(folder / name, os.O_RDONLY | os.O_NONBLOCK))

    return setup


_READERS: list[int] = []


@dataclass
class Case:
    name: str
    args: list[str]
    code: int | set[int]
    err: str | None = ""  # a fragment stderr must hold; "" means stderr is empty; None: anything
    out: str | None = None  # a fragment stdout must hold
    setup: list[Callable[[Path], None]] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


CASES = [
    # -- arguments that are bytes, not text (`deeply show $'\xff'`) ----------------------------
    Case("undecodable-slug", ["show", "\udcff"], 2, err="not valid UTF-8"),
    Case("undecodable-query", ["search", "answer\udcff"], 2, err="not valid UTF-8"),
    Case("undecodable-author", ["list", "--author", "a\udcff"], 2, err="not valid UTF-8"),
    Case("undecodable-quote", ["verify", "ISIS \udcff"], 2, err="not valid UTF-8"),
    # -- text is data -----------------------------------------------------------------------
    Case(
        "esc-in-title",
        ["list"],
        0,
        out="␛[31mRed",
        setup=[write("a.txt", page("\x1b[31mRed Talk"))],
    ),
    Case(
        "esc-in-answer",
        ["show", "harbour"],
        0,
        out="␛]0;owned␇",
        setup=[write("a.txt", page(answer="x \x1b]0;owned\x07"))],
    ),
    Case(
        "c1-csi-in-answer",
        ["show", "harbour"],
        0,
        out="<U+009B>",
        setup=[write("a.txt", page(answer="x \x9b31m y"))],
    ),
    Case(
        "del-in-answer",
        ["show", "harbour"],
        0,
        out="␡",
        setup=[write("a.txt", page(answer="x \x7f y"))],
    ),
    Case(
        "bidi-in-name",
        ["quotes", "--speaker", "Jane"],
        0,
        out="<U+202E>",
        setup=[write("a.txt", page(answer="\u202eevil"))],
    ),
    Case(
        "markup-in-title",
        ["list", "--width", "200"],
        0,
        out="[bold red]Loud[/]",
        setup=[write("a.txt", page("[bold red]Loud[/] Talk"))],
    ),
    Case(
        "emoji-code",
        ["show", "bold"],
        0,
        out=":thumbs_up:",
        setup=[write("a.txt", page("Bold Talk", ":thumbs_up: yes"))],
    ),
    Case("markup-in-query", ["search", "[bold]x[/bold]"], 1, out="0 hits"),
    Case(
        "newline-in-file-name",  # a report stays one line: no forged second line
        ["list"],
        0,
        err="deeply: error: x␊fake.txt: binary file",
        setup=[write("x\nfake.txt", b"\x00\x01")],
    ),
    Case(
        "newline-in-file-name-check",
        ["check"],
        1,
        err=None,
        out="x␊fake.txt: binary file",
        setup=[write("x\nfake.txt", b"\x00\x01")],
    ),
    Case(
        "control-in-file-name",
        ["check"],
        1,
        err=None,
        out="␛[31m",
        setup=[write("bad\x1b[31m.txt", "")],
    ),
    Case(
        "esc-in-citation",  # piped output reaches a terminal too (`| cat`, `| less -R`)
        ["quotes", "--speaker", "Doe", "--cite", "--format", "csv"],
        0,
        out="␛]0;owned␇ <U+009B>2J",
        setup=[write("a.txt", page(answer="x \x1b]0;owned\x07 \x9b2J"))],
    ),
    Case(
        "esc-in-export",
        ["export", "--format", "md", "--speaker", "Doe"],
        0,
        out="␛[31mred",
        setup=[write("a.txt", page(title="\x1b[31mred"))],
    ),
    Case(
        "json-keeps-escapes",
        ["show", "harbour", "--json"],
        0,
        out="\\u001b[31m",
        setup=[write("a.txt", page(answer="\x1b[31mred"))],
    ),
    # -- files ------------------------------------------------------------------------------
    Case(
        "utf8-bom",
        ["show", "bom"],
        0,
        out="Bom Talk",
        setup=[write("a.txt", "\ufeff" + page("Bom Talk"))],
    ),
    Case(
        "utf16-bom",  # as Windows tools save "Unicode" text
        ["show", "wide", "--width", "200"],
        0,
        out="Jane Doe\n  Ünïcode ships.",
        setup=[write("a.txt", page("Wide Talk", "Ünïcode ships.").encode("utf-16"))],
    ),
    Case(
        "utf16-le-without-bom",
        ["search", "ships", "--width", "200"],
        0,
        out="Narrow Talk",
        setup=[write("a.txt", page("Narrow Talk", "Plain ships.").encode("utf-16-le"))],
    ),
    Case(
        "cp1252",
        ["list"],
        0,
        err="a.txt:1: not UTF-8; read as cp1252",
        setup=[write("a.txt", page("Caf\xe9 \u201cTalk\u201d").encode("cp1252"))],
    ),
    Case(
        "latin1",
        ["list"],
        0,
        err="a.txt:1: not UTF-8; read as latin-1",
        setup=[write("a.txt", b"Talk \x81\x8d\n\nJane Doe: x\n")],
    ),
    Case(
        "stray-byte-in-utf8",  # one cp1252 dash in a UTF-8 page: the rest stays UTF-8
        ["search", "what’s"],
        0,
        err="a.txt:7: 1 byte is not UTF-8; read as cp1252",
        out="What’s next?",
        setup=[write("a.txt", STRAY)],
    ),
    Case(
        "stray-byte-title",
        ["list", "--json"],
        0,
        err=None,
        out='"title": "Curly “Quotes” Talk"',
        setup=[write("a.txt", STRAY)],
    ),
    Case(
        "crlf",
        ["quotes", "--speaker", "Jane", "--json"],
        0,
        out='"Ships."',
        setup=[write("a.txt", page().replace("\n", "\r\n"))],
    ),
    Case(
        "lone-cr",
        ["quotes", "--speaker", "Jane", "--json"],
        0,
        out='"Ships."',
        setup=[write("a.txt", page().replace("\n", "\r"))],
    ),
    Case(
        "crlf-front-matter",
        ["show", "wells", "--json"],
        0,
        out='"aliases": [\n        "AR"',
        setup=[write("a.md", front(SPEAKER_BLOCK).replace("\n", "\r\n"))],
    ),
    Case(
        "crlf-bad-front-matter",
        ["check"],
        1,
        out="k.md:3: front matter: duplicate key 'title'",
        setup=[write("k.md", front("title: a\ntitle: b\n").replace("\n", "\r\n"))],
    ),
    Case(
        "empty-file", ["list", "--json"], 0, out='"slug": "empty"', setup=[write("empty.txt", "")]
    ),
    Case(
        "only-boilerplate",
        ["list", "--json"],
        0,
        out='"slug": "boiler"',
        setup=[write("boiler.txt", "Dear Deeply Readers,\n\nLearn more\n")],
    ),
    Case(
        "stray-nul-in-utf8",  # one NUL in a UTF-8 page: read without it, not skipped whole
        ["search", "ships"],
        0,
        err="a.txt:7: 1 NUL byte; dropped",
        out="Ships.",
        setup=[write("a.txt", page(answer="Shi\x00ps.").encode("utf-8"))],
    ),
    Case(
        "binary-file",
        ["list"],
        0,
        err="bin.txt: binary file (NUL bytes); skipped",
        setup=[write("bin.txt", b"PK\x00\x03")],
    ),
    Case(
        "huge-file",
        ["list"],
        0,
        err="big.txt: larger than",
        setup=[write("big.txt", "x" * (11 * 1024 * 1024))],
    ),
    Case(
        "broken-file-rest-works",
        ["search", "Nusra"],
        0,
        err="bin.txt: binary",
        out="hits",
        setup=[write("bin.txt", b"\x00")],
    ),
    # -- paths ------------------------------------------------------------------------------
    Case("dotdot-slug", ["show", "../outside/secret"], 1, err="no article '../outside/secret'"),
    Case("absolute-slug", ["show", "/etc/passwd"], 1, err="no article '/etc/passwd'"),
    Case("nul-in-slug", ["show", "a\x00b"], {1, 2}, err=None),
    Case("long-slug", ["show", "x" * 10000], 1, err="no article"),
    Case(
        "symlink-outside",
        ["list", "--width", "200"],
        0,
        err="leak.txt: symbolic link to outside the archive; skipped",
        setup=[symlink("leak.txt", "../outside/secret.txt")],
    ),
    Case("symlink-loop", ["list"], 0, setup=[symlink("loop", ".")]),
    Case(
        "symlink-to-itself",
        ["list"],
        0,
        err="self.txt: symbolic link loops back on itself; skipped",
        setup=[symlink("self.txt", "self.txt")],
    ),
    Case(
        "symlink-dangling",
        ["list"],
        0,
        err="gone.txt: symbolic link leads nowhere (its target is missing); skipped",
        setup=[symlink("gone.txt", "missing.txt")],
    ),
    Case(
        "named-pipe",  # reading it would wait forever for a writer
        ["list", "--width", "200"],
        0,
        err="pipe.txt: not a regular file; skipped",
        setup=[fifo("pipe.txt")],
    ),
    Case(
        "config-named-pipe",  # reading deeply.yaml would wait forever for a writer
        ["list", "--width", "200"],
        0,
        err="deeply.yaml: ignored: not a regular file",
        out="Harbour Talk",
        setup=[write("a.txt", page()), fifo("deeply.yaml")],
    ),
    Case(
        "config-endless-device",  # read to its end, it would fill the memory
        ["search", "ships"],
        0,
        err="deeply.yaml: ignored: not a regular file",
        out="Ships",
        setup=[write("a.txt", page()), symlink("deeply.yaml", "/dev/zero")],
    ),
    Case(
        "lock-file-is-a-folder",
        ["list"],
        1,
        err=".lock: cannot lock the index (Is a directory)",
        setup=[write("a.txt", page()), lock_is_a_folder],
    ),
    Case(
        "link-to-a-folder",
        ["list", "--width", "200"],
        0,
        err="folder.txt: not a regular file; skipped",
        setup=[write("sub/a.txt", page("Linked Talk")), symlink("folder.txt", "sub")],
    ),
    Case(
        "name-not-utf8",  # the index can hold no such text: reported, and the rest works
        ["search", "Nusra", "--json"],
        0,
        err="bad\\xff.txt: file name is not valid UTF-8 (rename the file to read it); skipped",
        out="as-isis",
        setup=[write(os.fsdecode(b"bad\xff.txt"), page("Bad Name Talk"))],
    ),
    Case(
        "archive-name-too-long",
        ["--archive", "x" * 300, "list"],
        2,
        err="archive folder not found: xxx",
    ),
    Case(
        "hidden-folder", ["list", "--json"], 0, setup=[write(".hidden/a.txt", page("Hidden Talk"))]
    ),
    Case(
        "editor-backups",
        ["list", "--json"],
        0,
        setup=[write("a.txt~", page("Backup Talk")), write(".a.txt.swp", page("Swap Talk"))],
    ),
    Case(
        "duplicate-slugs",
        ["list", "--json"],
        0,
        err="slug 'harbour-talk' is taken; using 'harbour-talk-2'",
        out="harbour-talk-2",
        setup=[write("a.txt", page()), write("b.txt", page())],
    ),
    # -- front matter -----------------------------------------------------------------------
    Case(
        "alias-bomb",
        ["list"],
        0,
        err="bomb.md:3: front matter: YAML aliases are not allowed",
        setup=[write("bomb.md", front('a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'))],
    ),
    Case(
        "huge-front-matter",
        ["list"],
        0,
        err="huge.md:2: front matter: larger than 64 KiB",
        setup=[write("huge.md", front("title: " + "x" * 70000 + "\n"))],
    ),
    Case(
        "front-matter-list",
        ["list"],
        0,
        err="list.md:2: front matter: must be a mapping",
        setup=[write("list.md", front("- a\n- b\n"))],
    ),
    Case(
        "authors-number",
        ["list"],
        0,
        err="n.md:2: front matter: 'authors' must be a list of text",
        setup=[write("n.md", front("authors: 5\n"))],
    ),
    Case(
        "bad-date",
        ["list"],
        0,
        err="d.md:2: front matter: 'published' must be a date",
        setup=[write("d.md", front("published: not-a-date\n"))],
    ),
    Case(
        "duplicate-keys",
        ["list"],
        0,
        err="k.md:3: front matter: duplicate key 'title'",
        setup=[write("k.md", front("title: a\ntitle: b\n"))],
    ),
    Case(
        "esc-in-front-matter",
        ["list"],
        0,
        err="e.md:2: front matter: unacceptable character #x001b: special characters are not"
        " allowed\n",
        setup=[write("e.md", front("title: \x1b[31mRed\n"))],
    ),
    Case(
        "impossible-date",
        ["list"],
        0,
        err="d.md:3: front matter: 'published': 2016-13-45 is not a real date\n",
        setup=[write("d.md", front("title: a\npublished: 2016-13-45\n"))],
    ),
    Case(
        "python-tag",
        ["list"],
        0,
        err="t.md:2: front matter: unsupported YAML tag '!!python/object/apply:os.system'\n",
        setup=[write("t.md", front("title: !!python/object/apply:os.system ['touch x']\n"))],
    ),
    Case(
        "unclosed-front-matter",
        ["list"],
        0,
        err="u.md:1: front matter: no closing '---' line",
        setup=[write("u.md", "---\ntitle: a\n")],
    ),
    # -- the index --------------------------------------------------------------------------
    Case("corrupt-index", ["list", "--json"], 0, out="as-isis", setup=[damage_index("garbage")]),
    Case("old-index", ["list", "--json"], 0, out="as-isis", setup=[damage_index("old")]),
    Case(
        "unusable-cache",
        ["list", "--json"],
        0,
        err="cache unusable",
        out="as-isis",
        env={"DEEPLY_CACHE_DIR": "{outside}/secret.txt/cache"},
    ),
    # -- writes -----------------------------------------------------------------------------
    Case(
        "export-into-a-file-path",
        ["export", "-o", "{outside}/secret.txt/x.jsonl"],
        1,
        err="cannot write here",
    ),
    Case(
        "export-no-overwrite",
        ["export", "-o", "{outside}/secret.txt"],
        1,
        err="already exists (use --force to overwrite)",
    ),
    Case(
        "import-missing-file", ["import", "{outside}/nope.txt"], 1, err="", out="cannot read file"
    ),
    Case(
        "import-binary-says-its-path-once",
        ["import", "{outside}/bin.txt"],
        1,
        err="",
        out="failed: {outside}/bin.txt: binary file (NUL bytes); skipped",
        setup=[lambda folder: (folder.parent / "outside" / "bin.txt").write_bytes(b"\x00\x01")],
    ),
    Case(
        "import-a-named-pipe",  # no writer ever comes: reading it would wait forever
        ["import", "{outside}/pipe.txt"],
        1,
        err="",
        out="failed: {outside}/pipe.txt: not a regular file; skipped",
        setup=[lambda folder: os.mkfifo(folder.parent / "outside" / "pipe.txt")],
    ),
    Case(  # with --force too: the link may lead outside the archive, or to another article
        "import-onto-a-link",
        ["import", "--force", "{outside}/page.txt"],
        1,
        err="",
        out=f"{IMPORTED}: is a symbolic link; not written",
        setup=[import_source, symlink(IMPORTED, "../outside/secret.txt")],
    ),
    Case(  # a pipe in the archive: writing into it would wait for a reader (one is kept here)
        "import-onto-a-pipe",
        ["import", "{outside}/page.txt"],
        1,
        err="",
        out=f"{IMPORTED}: is not a regular file; not written",
        setup=[import_source, fifo(IMPORTED), _held_open(IMPORTED)],
    ),
    # -- queries and options ----------------------------------------------------------------
    Case("empty-query", ["search", ""], 2, err="nothing to search for"),
    # An empty filter is a mistake, not "no filter" (it would match the whole archive).
    Case("empty-speaker-filter", ["list", "--speaker", ""], 2, err="--speaker is empty"),
    Case("empty-author-filter", ["list", "--author", ""], 2, err="--author is empty"),
    Case("empty-search-article", ["search", "x", "--article", ""], 2, err="--article is empty"),
    Case("empty-export-search", ["export", "--search", " "], 2, err="--search is empty"),
    Case("empty-export-output", ["export", "-o", ""], 2, err="-o is empty"),
    Case("blank-export-output", ["export", "--output", " "], 2, err="-o is empty"),
    Case("empty-import-file", ["import", ""], 2, err="a file name to import is empty"),
    Case("empty-stats-slug", ["stats", ""], 2, err="slug is empty"),
    Case("empty-show-slug", ["show", " "], 2, err="slug is empty"),
    Case("empty-show-speaker", ["show", "as-isis", "--speaker", ""], 2, err="--speaker is empty"),
    # The last --archive wins: an empty one is refused, not read as the current folder.
    Case("empty-archive", ["--archive", "", "list"], 2, err="--archive is empty"),
    Case(
        "speaker-not-in-article",
        ["show", "as-isis", "--speaker", "Zzzz"],
        1,
        err="no speaker 'Zzzz' in this article (its speakers: Aram Nerguizian, Noah Bonsey,",
    ),
    Case("blank-query", ["search", "   "], 2, err="nothing to search for"),
    Case("punctuation-query", ["search", "!!! ???"], 2, err="nothing to search for"),
    Case(
        "many-terms",
        ["search", " ".join(f"w{i}" for i in range(10000))],
        2,
        err="too many search terms",
    ),
    Case("unmatched-quote", ["search", '"Deir Ezzor'], 0, out="hits"),
    Case("lone-operators", ["search", "OR", "-", "*"], 0, out="hits"),  # the word "or"
    Case("lone-punctuation", ["search", "-", "*", "_"], 2, err="nothing to search for"),
    Case("column-filter", ["search", "paragraphs:isis"], {0, 1}, err=""),
    Case("near", ["search", "NEAR(isis nusra)"], {0, 1}, err=""),
    Case("sql", ["search", "'; DROP TABLE files; --"], 1, out="0 hits"),
    Case("megabyte-argument", ["search", "a" * 1_000_000], 1, out="0 hits"),
    Case(
        "negative-limit",
        ["search", "isis", "--limit", "-5"],
        2,
        err="--limit must be 0 (no limit) or more",
    ),
    Case("huge-limit", ["list", "--limit", str(10**30), "--json"], 0, out="as-isis"),
    Case("empty-speaker", ["quotes", "--speaker", ""], 2, err="empty speaker name"),
    Case("tiny-width", ["list", "--width", "5"], 2, err=None),
]


def _env(folder: Path) -> dict[str, str]:
    return {"DEEPLY_CACHE_DIR": str(folder.parent / "cache")}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() and not p.is_symlink() else b"<dir>"
        for p in sorted(root.rglob("*"))
        if not p.is_symlink()
    }


def test_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP SECRET\n", encoding="utf-8")
    monkeypatch.setattr(archive_module, "MAX_BYTES", 10 * 1024 * 1024)
    for setup in case.setup:
        setup(folder)
    before_outside = _snapshot(outside)
    before_archive = _snapshot(folder)
    env = {**_env(folder), **{k: v.format(outside=outside) for k, v in case.env.items()}}
    args = [a.replace("{outside}", str(outside)) for a in case.args]
    result = CliRunner().invoke(app, ["--archive", str(folder), *args], env=env)

    codes = case.code if isinstance(case.code, set) else {case.code}
    assert result.exit_code in codes, (result.exit_code, result.stdout[-500:], result.stderr[-500:])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    if case.err == "":
        assert result.stderr == ""
    elif case.err is not None:
        assert case.err in result.stderr
    if case.out is not None:
        assert case.out.replace("{outside}", str(outside)) in result.stdout
    if "--json" in args and result.stdout:
        json.loads(result.stdout)
    else:
        assert not CONTROL.search(result.stdout.replace("\n", "").replace("\t", ""))
    assert "TOP SECRET" not in result.stdout + result.stderr
    assert _snapshot(outside) == before_outside
    if args[0] not in ("import", "export"):
        assert _snapshot(folder) == before_archive
    assert all(not p.name.endswith(".tmp") for p in tmp_path.rglob("*"))


@pytest.mark.parametrize(
    ("data", "text", "message", "line"),
    [
        # A UTF-8 page with cp1252 bytes pasted in: each such byte alone is read as cp1252.
        ("“a” ".encode() + b"\x93b\x94\r\nc\x85\n", "“a” “b”\r\nc…\n", "3 bytes", 1),
        # A byte cp1252 leaves undefined becomes U+FFFD; NBSP (a lone \xa0) is kept.
        ("é\n\n".encode() + b"x\x81y\xa0z\n", "é\n\nx\ufffdy\xa0z\n", "2 bytes", 3),
        # A cut multi-byte sequence: its bytes are read one by one.
        ("’\r".encode() + b"\xe2\x80 end", "’\râ€ end", "2 bytes", 2),
        # No valid multi-byte sequence at all: the whole file is cp1252 (or Latin-1).
        (b"caf\xe9 \x93x\x94\n", "café “x”\n", "not UTF-8; read as cp1252", 1),
        (b"a\n\x81\xe9\n", "a\n\x81é\n", "not UTF-8; read as latin-1", 2),
        ("\ufeffplain “utf-8”".encode(), "plain “utf-8”", None, None),
    ],
)
def test_decoding_keeps_utf8_around_stray_bytes(
    data: bytes, text: str, message: str | None, line: int | None, tmp_path: Path
) -> None:
    _assert_read_as(data, text, message, line, tmp_path)


def _assert_read_as(
    data: bytes, text: str, message: str | None, line: int | None, tmp_path: Path
) -> None:
    """The bytes of an article read as `text`, with a warning holding `message` at `line`
    (or none)."""
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    decoded, warning = archive_module.read_article_text(path, "a.txt")
    assert decoded == text
    if message is None:
        assert warning is None
    else:
        assert warning is not None and not warning.fatal
        assert (warning.path, warning.line) == ("a.txt", line)
        assert message in warning.message


_WIDE = "Wells\n\nJane Doe: Out “now”.\n"


@pytest.mark.parametrize(
    ("data", "text", "message", "line"),
    [
        # A UTF-16 page with a byte added at its end (an editor's newline, a cut download):
        # the text is kept, and the odd byte is one U+FFFD, with a warning at its line.
        (_WIDE.encode("utf-16") + b"\n", _WIDE + "\ufffd", "not all valid UTF-16", 4),
        # Half of a surrogate pair in the middle: only that character is lost.
        (
            "\ufeffWells\n".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"),
            "Wells\n\ufffdx\n",
            "in 1 place(s)",
            2,
        ),
        # UTF-32 with its byte order mark, either way round.
        (_WIDE.encode("utf-32"), _WIDE, None, None),
        (_WIDE.encode("utf-32-be").join([b"\x00\x00\xfe\xff", b""]), _WIDE, None, None),
    ],
    ids=["utf16-odd-byte", "utf16-lone-surrogate", "utf32-le", "utf32-be"],
)
def test_utf16_cut_short_and_utf32_are_read_as_text(
    data: bytes, text: str, message: str | None, line: int | None, tmp_path: Path
) -> None:
    """Was: 'binary file (NUL bytes); skipped', the whole article lost for one odd byte."""
    _assert_read_as(data, text, message, line, tmp_path)


_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("data", "text", "message", "line"),
    [
        (b"Wells\n\nJane Doe: Out\x00 now.\n", "Wells\n\nJane Doe: Out now.\n", "1 NUL byte", 3),
        (
            "\ufeffWells\x00\n\nJane Doe: Out \x00“now”.\x00\n".encode(),
            _WIDE,
            "3 NUL bytes (the first here); dropped",
            1,
        ),
        ("Wells é\n".encode() * 2000 + b"\x00" * 7, "Wells é\n" * 2000, "7 NUL bytes", 2001),
    ],
    ids=["one-nul", "three-nuls-and-a-bom", "nuls-after-a-long-page"],
)
def test_a_utf8_page_with_a_few_stray_nuls_is_read_without_them(
    data: bytes, text: str, message: str, line: int, tmp_path: Path
) -> None:
    """Was: 'binary file (NUL bytes); skipped', the whole article lost for one NUL byte."""
    _assert_read_as(data, text, message, line, tmp_path)


@pytest.mark.parametrize(
    "data",
    [
        _PNG + bytes(range(256)) * 4,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\nstream\n\x78\x9c\xff\x00\xfe\nendstream\n",
        b"Wells\n" + b"\x00" * 600,  # mostly NULs: a file zeroed by a crash, not text
        b"Wells\x00\x01\x02\x03\x04\x05\x06\n",
        b"\x00\x00\x00\n",
    ],
    ids=["png", "pdf", "many-nuls", "control-bytes", "only-nuls"],
)
def test_binary_files_with_nuls_stay_skipped(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(DeeplyError, match="binary file"):
        archive_module.read_article_text(path, "a.txt")


def test_an_archive_folder_whose_name_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"archive\xff")
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    env = {"DEEPLY_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["list"], ["search", "Nusra"], ["list"]):  # the second list: the cached index
        result = CliRunner().invoke(app, ["--archive", str(folder), *args], env=env)
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        assert "as-isis" in result.stdout


def test_many_articles_of_one_title_get_their_slugs_in_linear_time() -> None:
    """20,000 pages titled alike (`Q&A`): each -N was looked for from -2 up, 28 s at every
    refresh that changed a file; the numbers they get stay the same."""
    wanted = [(f"p{i:05d}.txt", "q-a") for i in range(20_000)] + [("x.txt", "q-a-3")]

    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError("slugs took over 5 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(5)
    try:
        slugs, problems = archive_module.distinct_slugs(wanted, {"p00009.txt": "q-a-7"})
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [slugs[f"p{i:05d}.txt"] for i in range(11)] == [
        "q-a", "q-a-2", "q-a-4", "q-a-5", "q-a-6", "q-a-8", "q-a-9", "q-a-10", "q-a-11", "q-a-7",
        "q-a-12",
    ]  # fmt: skip
    assert slugs["x.txt"] == "q-a-3" and len(set(slugs.values())) == len(wanted) == 20_001
    assert len(problems) == 19_999
