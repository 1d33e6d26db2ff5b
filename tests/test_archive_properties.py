"""Random archives (random bytes, names and front matter) through every read command:
never an exception, never a control character on stdout in human mode."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from deeply_cli.cli import app

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NAME = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    min_size=1,
    max_size=30,
).filter(lambda n: n not in (".", ".."))
FRONT = st.sampled_from(
    ["", "---\ntitle: [x\n---\n", "---\n- a\n---\n", "---\nauthors: 5\n---\n",
     "---\ntitle: \x1b[31mRed\nspeakers: [{name: Jane Doe, aliases: [JD]}]\n---\n", "---\n"]
)  # fmt: skip
LINES = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(
            ["Syria Deeply: Why?", "Jane Doe: Because \x1b[2J[bold]now[/bold].", "Doe: x",
             "Written by Ann Writer Published on Read time Approx. 3 minutes", "\u202eevil",
             "Dear Deeply Readers,", "<div source='p' />", "[![a][1]][1]Jane Doe: hi", "\x9b31m",
             "JD: Yes :smile:"]
        ),
    ),
    max_size=25,
)  # fmt: skip
PAGES = st.tuples(FRONT, LINES).map(
    lambda t: (t[0] + "\n\n".join(t[1])).encode("utf-8", "surrogatepass")
)
FILES = st.lists(
    st.tuples(NAME.map(lambda n: n + ".txt"), st.one_of(st.binary(max_size=300), PAGES)),
    max_size=6,
    unique_by=lambda f: f[0],
)
COMMANDS = [
    ["list", "--limit", "0"],
    ["show", "{slug}"],
    ["quotes", "--speaker", "Jane"],
    ["search", "why"],
    ["speakers"],
    ["stats"],
    ["check"],
    ["verify", "Because now"],
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FILES)
def test_every_read_command_survives_a_random_archive(files: list[tuple[str, bytes]]) -> None:
    work = Path(tempfile.mkdtemp())
    try:
        folder = work / "archive"
        folder.mkdir()
        for name, data in files:
            try:
                (folder / name).write_bytes(data)
            except OSError:
                continue  # a name this file system refuses
        env = {"DEEPLY_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
        runner = CliRunner()
        listed = runner.invoke(
            app, ["--archive", str(folder), "list", "--limit", "0", "--json"], env=env
        )
        assert listed.exit_code == 0, listed.output
        slug = (listed.stdout.split('"slug": "', 1)[1:] or ['x"'])[0].split('"', 1)[0]
        for command in COMMANDS:
            args = [a.replace("{slug}", slug) for a in command]
            result = runner.invoke(app, ["--archive", str(folder), *args], env=env)
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                args,
                result.exception,
            )
            assert result.exit_code in (0, 1, 2), (args, result.exit_code)
            assert "Traceback" not in result.stdout + result.stderr
            assert not CONTROL.search(result.stdout.replace("\n", "").replace("\t", "")), args
    finally:
        shutil.rmtree(work, ignore_errors=True)
