"""Every command through the CLI: exit statuses, stdout and stderr apart, JSON and text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from deeply_cli import query, render
from deeply_cli.cli import app
from deeply_cli.errors import DeeplyError
from tests.conftest import REPO, Invoke

SLUG = "as-isis-looks-deeper-into-deir-ezzor-nusra-remains-formidable-opponent"

INTERVIEW = """\
{title}

A short dek.

Written by Ann Writer Published on Read time Approx. 2 minutes

We asked {name}, director of the Acme Institute, about the harbour.

Syria Deeply: What happens at the harbour?

{name}: {answer}
"""


def write(
    folder: Path, filename: str, title: str, name: str, answer: str = "Ships come in."
) -> Path:
    path = folder / filename
    path.write_text(INTERVIEW.format(title=title, name=name, answer=answer), encoding="utf-8")
    return path


def test_version() -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("deeply 0.")


def test_list_json(invoke: Invoke) -> None:
    result = invoke("list", "--json")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)
    assert item == {
        "slug": SLUG,
        "path": "as-isis-looks-deeper-into-deir-ezzor.txt",
        "title": "As ISIS Looks Deeper into Deir Ezzor, Nusra Remains Formidable Opponent",
        "authors": ["Karen Leigh"],
        "published": None,
        "speakers": ["Aram Nerguizian", "Noah Bonsey", "Rania Abouzeid"],
        "questions": 5,
        "answers": 8,
    }


def test_list_text(invoke: Invoke) -> None:
    result = invoke("list", "--width", "300")
    assert result.exit_code == 0
    assert SLUG in result.stdout
    assert "Karen Leigh" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (["--author", "leigh"], True),
        (["--author", "Nobody"], False),
        (["--speaker", "Bonsey"], True),
        (["--speaker", "Bonsey", "--author", "Nobody"], False),
    ],
)
def test_list_filters_and_nothing_found(invoke: Invoke, args: list[str], found: bool) -> None:
    """A filter that leaves no article exits 1, as a search without hits does."""
    listed = invoke("list", *args, "--json")
    assert listed.exit_code == (0 if found else 1), listed.output
    assert [item["slug"] for item in json.loads(listed.stdout)] == ([SLUG] if found else [])
    shown = invoke("list", *args, "--width", "300")
    assert shown.exit_code == listed.exit_code
    assert (SLUG in shown.stdout) is found
    assert ("0 articles" in shown.stdout) is not found


def test_list_sorts_and_keeps_undated_articles_last(invoke: Invoke, tmp_path: Path) -> None:
    """`--sort date --reverse --limit 10` is the ten newest: undated articles come after the
    dated ones in either direction, not before them."""
    folder = tmp_path / "sorted"
    folder.mkdir()
    for name, title, date in [
        ("a", "Beta", "2015-03-01"),
        ("b", "alpha", None),
        ("c", "Gamma", "2013-01-02"),
    ]:
        text = INTERVIEW.format(title=title, name="Jane Doe", answer="Ships.")
        (folder / f"{name}.md").write_text(
            (f"---\npublished: {date}\n---\n" if date else "") + text, encoding="utf-8"
        )

    def paths(*args: str) -> list[str]:
        result = invoke("list", "--json", *args, folder=folder)
        assert result.exit_code == 0, result.output
        return [item["path"] for item in json.loads(result.stdout)]

    assert paths("--sort", "date") == ["c.md", "a.md", "b.md"]
    assert paths("--sort", "date", "--reverse") == ["a.md", "c.md", "b.md"]
    assert paths("--sort", "date", "--reverse", "--limit", "1") == ["a.md"]
    assert paths("--sort", "title") == ["b.md", "a.md", "c.md"]  # case does not matter
    assert paths("--sort", "title", "--reverse") == ["c.md", "a.md", "b.md"]
    assert paths("--reverse") == ["c.md", "b.md", "a.md"]


def test_show_by_prefix_keeps_brackets(invoke: Invoke) -> None:
    result = invoke("show", "as-isis")
    assert result.exit_code == 0, result.output
    assert "[these] groups [alternately]" in result.stdout
    assert "senior Syria analyst with the International Crisis Group" in result.stdout
    assert result.stdout.count("Noah Bonsey") >= 4


def test_show_role_only_beside_first_answer(invoke: Invoke) -> None:
    result = invoke("show", "as-isis", "--width", "300")
    assert (
        result.stdout.count("senior Syria analyst with the International Crisis Group") == 2
    )  # intro too


def test_show_a_dek_without_a_byline_in_the_header(invoke: Invoke, tmp_path: Path) -> None:
    """The dek under the title, the intro after the header: as on a page with a byline."""
    folder = tmp_path / "nobyline"
    folder.mkdir()
    (folder / "port.txt").write_text(
        "Harbour Talk\n\nWhat the pilots expect now.\n\nWe asked Jane Doe, a pilot.\n\n"
        "Syria Deeply: What changed?\n\nJane Doe: Everything.\n",
        encoding="utf-8",
    )
    result = invoke("show", "harbour-talk", folder=folder)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == ["Harbour Talk", "What the pilots expect now.", "n.d."]
    assert lines[5:7] == ["We asked Jane Doe, a pilot.", ""]
    data = json.loads(invoke("show", "harbour-talk", "--json", folder=folder).stdout)
    assert (data["dek"], data["intro"]) == (
        "What the pilots expect now.",
        ["We asked Jane Doe, a pilot."],
    )


def test_show_json_shape(invoke: Invoke) -> None:
    data = json.loads(invoke("show", "as-isis", "--json").stdout)
    for key in (
        "slug",
        "path",
        "title",
        "dek",
        "authors",
        "published",
        "read_minutes",
        "interviewer",
        "speakers",
        "intro",
        "exchanges",
    ):
        assert key in data
    assert data["interviewer"] == "Syria Deeply"
    assert data["read_minutes"] == 6
    assert len(data["intro"]) == 5
    first = data["exchanges"][0]
    assert first["question"]["speaker"] == "Syria Deeply"
    assert first["question"]["label"] == "Syria Deeply"
    assert [a["speaker"] for a in first["answers"]] == ["Aram Nerguizian", "Noah Bonsey"]
    assert {s["name"]: s["aliases"] for s in data["speakers"]}["Noah Bonsey"] == ["Bonsey"]
    assert data["exchanges"][3]["question"]["paragraphs"] == [
        "How strong is Jabhat al-Nusra right now in Deir Ezzor?"
    ]


def test_show_speaker_filter(invoke: Invoke) -> None:
    data = json.loads(invoke("show", "as-isis", "--speaker", "nerguizian", "--json").stdout)
    assert len(data["exchanges"]) == 2
    assert all(a["speaker"] == "Aram Nerguizian" for ex in data["exchanges"] for a in ex["answers"])
    text = invoke("show", "as-isis", "--speaker", "Nerguizian").stdout
    assert "Rania Abouzeid\n" not in text
    assert "What happens next for ISIS" in text


def test_show_unknown_slug_suggests(invoke: Invoke) -> None:
    result = invoke("show", "as-isis-looks-deeper-into-deir-ezor-nusra")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert "no article 'as-isis-looks-deeper-into-deir-ezor-nusra'; did you mean" in result.stderr
    assert SLUG in result.stderr


def test_show_unknown_slug_without_suggestion(invoke: Invoke) -> None:
    result = invoke("show", "zzz")
    assert result.exit_code == 1
    assert result.stderr.strip() == "deeply: error: no article 'zzz' (see `deeply list`)"


@pytest.mark.parametrize("many", [False, True])
def test_a_mistyped_slug_is_suggested_in_a_large_archive_too(many: bool) -> None:
    from deeply_cli import query
    from deeply_cli.errors import DeeplyError

    words = ["harbour", "bridge", "winter", "market", "school", "convoy", "border"]
    slugs = [f"{a}-{b}-{i}" for i in range(1000 if many else 5) for a in words for b in words]
    slugs.append(SLUG)
    assert (len(slugs) > query.SUGGEST_FROM_ALL) is many
    with pytest.raises(DeeplyError, match=f"did you mean {SLUG}"):
        query.find_slug(slugs, SLUG.replace("looks", "loks").replace("nusra", "nursa"))


WELLS = """---
title: Wells and Farms
speakers:
  - name: Ahmad Rahimi
    role: hydrologist
    aliases: [AR]
---
Water Deeply: Where does the water go?

AR: Mostly to the farms along the river.

Water Deeply: And in summer?

Rahimi: Less of it, and later.
"""


@pytest.mark.parametrize("command", ["quotes", "search", "list", "export", "show"])
def test_speaker_by_label_or_alias(invoke: Invoke, archive: Path, command: str) -> None:
    """--speaker takes a label the answers were printed with (AR: before Aram's prefix) and
    a deeply.yaml alias, besides names, surnames and prefixes."""
    (archive / "wells.md").write_text(WELLS, encoding="utf-8")
    (archive / "deeply.yaml").write_text("aliases:\n  Noah Bonsey: [NB]\n", encoding="utf-8")
    args = {
        "quotes": ["quotes"],
        "search": ["search", "the", "--limit", "0"],
        "list": ["list"],
        "export": ["export", "--format", "jsonl"],
        "show": ["show", "wells"],
    }[command]

    def speakers(wanted: str) -> set[str]:
        result = invoke(*args, "--speaker", wanted, *([] if command == "export" else ["--json"]))
        assert result.exit_code == 0, result.output
        if command == "export":
            return {json.loads(line)["speaker"] for line in result.stdout.splitlines()}
        data = json.loads(result.stdout)
        if command == "list":  # the articles they answer in
            return {"Ahmad Rahimi" if i["slug"] == "wells-and-farms" else "seed" for i in data}
        if command == "show":
            return {a["speaker"] for ex in data["exchanges"] for a in ex["answers"]}
        return {item["speaker"] for item in data if not item.get("is_question")}

    assert speakers("ar") == {"Ahmad Rahimi"}
    assert speakers("Rahimi") == {"Ahmad Rahimi"}
    if command != "show":
        seed = {"seed"} if command == "list" else None
        assert speakers("NB") == (seed or {"Noah Bonsey"})
        assert speakers("Ara") == (seed or {"Aram Nerguizian"})


def test_a_first_name_printed_as_a_label_is_still_ambiguous(invoke: Invoke, archive: Path) -> None:
    """`Jane:` printed for Jane Doe does not make `--speaker Jane` hers while Jane Smith
    answers too."""
    (archive / "doe.md").write_text(
        "Jane Doe Talks\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n\nSyria Deeply: And?\n\n"
        "Jane: Nothing.\n",
        encoding="utf-8",
    )
    (archive / "smith.md").write_text(
        "Jane Smith Talks\n\nSyria Deeply: You?\n\nJane Smith: Same.\n", encoding="utf-8"
    )
    result = invoke("quotes", "--speaker", "jane")
    assert result.exit_code == 2, result.output
    assert "'jane' matches 2 speakers: Jane Doe, Jane Smith" in result.stderr


def test_an_unknown_speaker_points_to_speakers(invoke: Invoke) -> None:
    result = invoke("quotes", "--speaker", "Zzyzx")
    assert result.exit_code == 1
    assert result.stderr.strip() == "deeply: error: no speaker 'Zzyzx' (see `deeply speakers`)"


def test_show_ambiguous_prefix(invoke: Invoke, archive: Path) -> None:
    write(archive, "other.txt", "As Ice Melts", "Jane Doe")
    result = invoke("show", "as-i")
    assert result.exit_code == 2
    assert "'as-i' matches 2 articles: as-ice-melts, as-isis" in result.stderr
    assert invoke("show", "as-ic").exit_code == 0


def test_quotes_bonsey(invoke: Invoke) -> None:
    result = invoke("quotes", "--speaker", "Bonsey", "--json")
    assert result.exit_code == 0
    quotes = json.loads(result.stdout)
    assert len(quotes) == 4
    assert {q["speaker"] for q in quotes} == {"Noah Bonsey"}
    assert all(q["question"] and q["slug"] == SLUG and q["title"] for q in quotes)
    assert [q["label"] for q in quotes] == ["Noah Bonsey", "Noah Bonsey", "Bonsey", "Bonsey"]
    assert quotes[0]["role"] == "senior Syria analyst with the International Crisis Group"
    assert quotes[3]["paragraphs"][0].startswith("In Deir Ezzor, Jabhat al-Nusra")
    assert len(quotes[3]["paragraphs"]) == 3


def test_quotes_text(invoke: Invoke) -> None:
    result = invoke("quotes", "--speaker", "noah bonsey", "--width", "120")
    assert result.exit_code == 0
    out = result.stdout
    assert out.count("Noah Bonsey") == 4
    assert out.count("Syria Deeply") == 4  # each answer shows its question
    assert "4 answers" in out


@pytest.mark.parametrize("name", ["Bonsey", "bonsey", "Noah Bonsey", "NOAH", "bon", "Noah B"])
def test_quotes_name_forms(invoke: Invoke, name: str) -> None:
    assert len(json.loads(invoke("quotes", "--speaker", name, "--json").stdout)) == 4


def test_quotes_ambiguous_and_unknown(invoke: Invoke, archive: Path) -> None:
    write(archive, "b.txt", "Harbour Talk", "Nora Bonsell")
    result = invoke("quotes", "--speaker", "bons")
    assert result.exit_code == 2
    assert "'bons' matches 2 speakers: Noah Bonsey, Nora Bonsell" in result.stderr
    result = invoke("quotes", "--speaker", "Nobody")
    assert result.exit_code == 1
    assert "no speaker 'Nobody'" in result.stderr
    assert result.stdout == ""


def test_archive_from_environment(archive: Path) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["list", "--json"], env={"DEEPLY_ARCHIVE": str(archive)})
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["slug"] == SLUG


def test_archive_found_upwards(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    archive.rename(tmp_path / "articles")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = CliRunner().invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["path"] == "as-isis-looks-deeper-into-deir-ezzor.txt"


def test_option_beats_environment(archive: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(
        app, ["--archive", str(empty), "list", "--json"], env={"DEEPLY_ARCHIVE": str(archive)}
    )
    assert json.loads(result.stdout) == []


def test_no_archive_anywhere() -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "deeply: error: no archive found: pass --archive DIR, set DEEPLY_ARCHIVE, "
        "or run deeply inside a folder with articles/"
    )


def test_missing_archive_option(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["--archive", str(tmp_path / "nope"), "list"])
    assert result.exit_code == 2
    assert "archive folder not found" in result.stderr


def _archive_error(argv: list[str], env: dict[str, str] | None = None) -> str:
    """The one line on stderr of a command refused for its archive (exit 2, no traceback)."""
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*argv, "list"], env=env)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert result.stdout == "" and result.stderr.count("\n") == 1
    return result.stderr.strip()


def test_an_archive_that_is_not_a_readable_folder_is_named_with_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--archive and DEEPLY_ARCHIVE naming a file, nothing, or a folder deeply may not read
    or enter: one line naming the path and what it is instead."""
    import os

    file = tmp_path / "a.txt"
    file.write_text("Jane Doe: Hello.\n")
    assert _archive_error(["--archive", str(file)]) == (
        f"deeply: error: {file} is a file, not an archive folder (pass --archive DIR, set "
        "DEEPLY_ARCHIVE, or run deeply inside a folder with articles/)"
    )
    assert _archive_error([], env={"DEEPLY_ARCHIVE": str(file)}) == (
        f"deeply: error: {file} is a file, not an archive folder (it comes from "
        "DEEPLY_ARCHIVE: set that to the folder that holds the articles)"
    )
    missing = tmp_path / "nope"
    assert _archive_error([], env={"DEEPLY_ARCHIVE": str(missing)}) == (
        f"deeply: error: archive folder not found: {missing} (it comes from "
        "DEEPLY_ARCHIVE: set that to the folder that holds the articles)"
    )
    # deeply runs as root in some containers, where no mode keeps it out: the system says no
    locked, shut = tmp_path / "locked", tmp_path / "shut"
    locked.mkdir()
    shut.mkdir()
    scandir, access = os.scandir, os.access

    def refused(path: object) -> None:
        if Path(os.fsdecode(path)) == locked:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", lambda path=".": refused(path) or scandir(path))
    monkeypatch.setattr(os, "access", lambda p, m, **kw: Path(p) != shut and access(p, m, **kw))
    assert _archive_error(["--archive", str(locked)]) == (
        f"deeply: error: cannot read archive folder {locked}: Permission denied (check its "
        "permissions)"
    )
    assert _archive_error(["--archive", str(shut)]) == (
        f"deeply: error: cannot read archive folder {shut}: Permission denied (check its "
        "permissions)"
    )


def test_an_archive_that_is_a_file_is_one_line_from_the_console_script(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_text("Jane Doe: Hello.\n")
    code = "from deeply_cli.launch import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "--archive", str(file), "show", "x"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"deeply: error: {file} is a file, not an archive folder (")
    assert result.stderr.count("\n") == 1


def test_text_is_never_markup(invoke: Invoke, archive: Path) -> None:
    write(
        archive,
        "x.txt",
        "[bold]Loud[/bold] :thumbs_up: \x1b[31mred",
        "Jane Doe",
        answer="We said [red]no[/red] \x1b]0;owned\x07 and :smile: \u202eevil",
    )
    result = invoke("show", "bold-loud")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[bold]Loud[/bold] :thumbs_up: ␛[31mred" in out
    assert "We said [red]no[/red] ␛]0;owned␇ and :smile: <U+202E>evil" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    data = json.loads(invoke("show", "bold-loud", "--json").stdout)
    assert data["exchanges"][0]["answers"][0]["paragraphs"][0].endswith(
        "\x1b]0;owned\x07 and :smile: \u202eevil"
    )
    assert "\u202e" not in invoke("show", "bold-loud", "--json").stdout


@pytest.mark.parametrize("command", ["list", "show", "quotes"])
def test_help_has_an_example(command: str) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"deeply {command}" in result.stdout
    assert "Example" in result.stdout


def test_python_dash_m(archive: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "deeply_cli",
            "--archive",
            str(archive),
            "quotes",
            "--speaker",
            "Bonsey",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 4


def test_closed_pipe_is_quiet(archive: Path) -> None:
    script = (
        f"{sys.executable} -m deeply_cli --archive '{archive}' show as-isis --width 40 | head -c 10"
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)
    assert result.stderr == ""


def test_speaker_surname_after_al_and_names_spelt_two_ways() -> None:
    names = ["Bashar al-Assad", "Noura Al-Ameer", "Noura al-Ameer", "Sami El-Hakim"]
    assert query.match_speaker(names, "Assad") == "Bashar al-Assad"
    assert query.match_speaker(names, "al-assad") == "Bashar al-Assad"
    assert query.match_speaker(names, "hakim") == "Sami El-Hakim"
    # each spelling can be chosen as shown; any other spelling asks which
    assert query.match_speaker(names, "Noura al-Ameer") == "Noura al-Ameer"
    assert query.match_speaker(names, "Noura  Al-Ameer") == "Noura Al-Ameer"
    with pytest.raises(DeeplyError, match="matches 2 speakers: Noura Al-Ameer, Noura al-Ameer"):
        query.match_speaker(names, "noura al-ameer")
    with pytest.raises(DeeplyError, match="matches 2 speakers"):
        query.match_speaker(names, "Ameer")


def test_speaker_typed_on_a_plain_keyboard() -> None:
    names = ["Kemal Kılıçdaroğlu", "Lech Wałęsa", "Søren Østergaard"]
    assert query.match_speaker(names, "Kilicdaroglu") == "Kemal Kılıçdaroğlu"
    assert query.match_speaker(names, "walesa") == "Lech Wałęsa"
    assert query.match_speaker(names, "Soren Ostergaard") == "Søren Østergaard"


@pytest.mark.parametrize("command", [["list"], ["speakers"], ["list", "--width", "20"]])
def test_a_narrow_terminal_still_shows_every_cell(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "5")
    out = invoke(*command).stdout
    assert max(map(len, out.splitlines())) == render.TABLE_MIN_WIDTH
    first_row = next(line for line in out.splitlines() if line.startswith("│"))
    assert all(cell.strip() for cell in first_row.strip("│").split("│")), out


def test_a_narrow_terminal_still_shows_every_figure(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "5")
    out = invoke("stats").stdout
    assert max(map(len, out.splitlines())) == render.TABLE_MIN_WIDTH
    assert "Noah Bonsey" in out and "447" in out and "Aram Nerguizian" in out, out


@pytest.mark.parametrize("columns", ["0", "1", "5"])
@pytest.mark.parametrize(
    "command", [["show", "as-isis"], ["search", "Nusra"], ["verify", "their roots"]]
)
def test_a_terminal_too_narrow_to_read_still_shows_the_text(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, columns: str, command: list[str]
) -> None:
    """`COLUMNS=0` is unset, as Python reads it; a width under 20 is raised to 20."""
    monkeypatch.setenv("COLUMNS", columns)
    result = invoke(*command)
    assert result.exit_code == 0
    words = result.stdout.split()
    assert len(words) > 5 and max(map(len, result.stdout.splitlines())) >= 15, result.stdout
    width = 80 if columns == "0" else render.MIN_WIDTH
    assert max(map(len, result.stdout.splitlines())) <= width


def test_a_limit_that_cuts_the_rows_says_so(invoke: Invoke) -> None:
    every = invoke("search", "ISIS", "--limit", "0").stdout.splitlines()[-1]
    count = int(every.split()[0])
    assert every == f"{count} hits"
    assert invoke("search", "ISIS", "--limit", "2").stdout.splitlines()[-1] == (
        "2 hits shown; more match (--limit 0 shows all)"
    )
    assert invoke("search", "ISIS", "--limit", str(count)).stdout.splitlines()[-1] == every
    assert len(json.loads(invoke("search", "ISIS", "--limit", "2", "--json").stdout)) == 2
    cut = invoke("speakers", "--limit", "1").stdout.splitlines()[-1]
    assert cut == "1 speaker shown; --limit 0 shows all"
    assert "shown" not in invoke("speakers", "--limit", "0").stdout


def test_text_that_starts_with_a_dash_is_text_not_options(invoke: Invoke) -> None:
    """The help's own example: `-Iraq` excludes a word; `-hamas` is not `-h` with `amas`;
    a quote may start with a dash."""
    for args in (["caliph*", "-Iraq", "--answers", "--json"], ["isis", "-hamas", "--json"]):
        result = invoke("search", *args)
        assert result.exit_code in (0, 1) and result.stdout.startswith("["), result.output
    both = json.loads(invoke("search", "isis", "--json", "--limit", "0").stdout)
    without = json.loads(invoke("search", "-nusra", "isis", "--json", "--limit", "0").stdout)
    assert without and len(without) < len(both)
    assert all("nusra" not in "".join(h["snippet"]).lower() for h in without)
    mistyped = invoke("search", "isis", "--jsn")
    assert mistyped.exit_code == 2 and "no such option: --jsn" in mistyped.output
    assert "Search questions and answers" in invoke("search", "-h").stdout
    quoted = invoke("verify", "-their roots are not dissimilar", "--json")
    assert quoted.exit_code == 0 and json.loads(quoted.stdout)[0]["exact"], quoted.output
    assert "Find where a quote comes from" in invoke("verify", "-h").stdout
    assert "no such option: --jsn" in invoke("verify", "--jsn").output


def test_after_a_double_dash_everything_is_text(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Transcripts write `--` for a dash, so a quote may start with one: a text with a space
    is never an option, and after `--` nothing is (read from the command line itself)."""
    folder = tmp_path / "dash"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Dash Talk\n\nWritten by Ann Writer\n\nSyria Deeply: Then?\n\n"
        "Jane Doe: --and then we left the city at night, --quietly. Or -h, as we said.\n",
        encoding="utf-8",
    )
    for dash in ([], ["--"]):
        quote = invoke("verify", "--json", *dash, "--and then we left the city", folder=folder)
        assert quote.exit_code == 0 and json.loads(quote.stdout)[0]["exact"], quote.output
    for args in (["search", "--json", "--", "--quietly"], ["verify", "--json", "--", "-h"]):
        monkeypatch.setattr(sys, "argv", ["deeply", "--archive", str(folder), *args])
        result = invoke(*args, folder=folder)
        assert result.exit_code == 0 and json.loads(result.stdout), result.output


def test_a_narrow_table_folds_its_headers_rather_than_cutting_them(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    long_name = "Muhammadabdulrahmanibnabdulazizverylongname Alqahtani"
    (folder / "a.txt").write_text(
        f"A Title\n\nWritten by Ann Writer\n\nSyria Deeply: Why?\n\n{long_name}: Because.\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("COLUMNS", "40")
    out = invoke("speakers", folder=folder).stdout
    assert "…" not in out, out  # Rich marks a cut cell so; folded, every letter stays
