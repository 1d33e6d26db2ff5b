"""`deeply import` writes clean articles atomically; `deeply check` reports what needs attention."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, Invoke

TARGET = "as-isis-looks-deeper-into-deir-ezzor-nusra-remains-formidable-opponent.md"


def _comparable(data: dict) -> dict:
    """show --json minus what describes the file rather than the article."""
    data = {k: v for k, v in data.items() if k not in ("path", "removed", "warnings")}
    for exchange in data["exchanges"]:
        for turn in [exchange["question"], *exchange["answers"]]:
            if turn:
                turn.pop("line")
    return data


def test_import_gives_the_same_article(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "imported"
    folder.mkdir()
    result = invoke("import", str(SAMPLE), folder=folder)
    assert result.exit_code == 0, result.output
    assert f"written: {SAMPLE} -> {TARGET} (5 exchanges)" in result.stdout
    text = (folder / TARGET).read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: As ISIS Looks Deeper")
    assert "published" not in text.split("---")[1]  # unknown date stays absent
    assert "Dear Deeply Readers" not in text and "Learn more" not in text
    assert oct((folder / TARGET).stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    imported = json.loads(invoke("show", "as-isis", "--json", folder=folder).stdout)
    raw = json.loads(invoke("show", "as-isis", "--json").stdout)
    assert _comparable(imported) == _comparable(raw)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_import_never_overwrites_without_force(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "imported"
    folder.mkdir()
    (folder / TARGET).write_text("mine\n", encoding="utf-8")
    result = invoke("import", str(SAMPLE), folder=folder)
    assert result.exit_code == 1
    # The file that exists is the target, named as such; the source is named once.
    assert f"failed: {SAMPLE}: {TARGET}: already exists (use --force to overwrite)" in (
        result.stdout
    )
    assert (folder / TARGET).read_text(encoding="utf-8") == "mine\n"
    assert invoke("import", str(SAMPLE), "--force", folder=folder).exit_code == 0
    assert (folder / TARGET).read_text(encoding="utf-8").startswith("---\n")
    assert sorted(p.name for p in folder.iterdir()) == [TARGET]  # no temporary files left


def test_an_existing_article_is_named_before_any_write_fails(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a full disk, the page that exists is what is said (as --dry-run says it), not the
    full disk that writing its copy first ran into."""
    folder = tmp_path / "imported"
    folder.mkdir()
    (folder / TARGET).write_text("mine\n", encoding="utf-8")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.mkstemp", full)
    result = invoke("import", str(SAMPLE), folder=folder)
    assert result.exit_code == 1
    assert f"{TARGET}: already exists (use --force to overwrite)" in result.stdout
    assert "No space left" in invoke("import", str(SAMPLE), "--force", folder=folder).stdout


def test_a_page_named_twice_is_imported_once(invoke: Invoke, tmp_path: Path) -> None:
    """`deeply import *.txt page.txt`: the page is one article, not SLUG.md and SLUG-2.md."""
    folder = tmp_path / "imported"
    folder.mkdir()
    link, hard = tmp_path / "link.txt", tmp_path / "hard.txt"
    link.symlink_to(SAMPLE)
    hard.write_bytes(SAMPLE.read_bytes())
    os.link(hard, tmp_path / "hard-too.txt")  # one file under two names
    result = invoke("import", str(SAMPLE), str(SAMPLE), str(link), folder=folder)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("written:") == 1
    assert [p.name for p in folder.iterdir()] == [TARGET]
    again = invoke("import", str(hard), str(tmp_path / "hard-too.txt"), "--force", folder=folder)
    assert again.exit_code == 0 and again.stdout.count("written:") == 1, again.stdout
    assert [p.name for p in folder.iterdir()] == [TARGET]


def test_import_dry_run_writes_nothing(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "imported"
    folder.mkdir()
    result = invoke("import", str(SAMPLE), "--dry-run", folder=folder)
    assert result.exit_code == 0
    assert result.stdout.startswith("---\ntitle: As ISIS")
    assert f"would write: {SAMPLE} -> {TARGET}" in result.stderr
    assert list(folder.iterdir()) == []


def test_import_dry_run_json_is_only_json(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "imported"
    folder.mkdir()
    result = invoke("import", str(SAMPLE), "--dry-run", "--json", folder=folder)
    assert result.exit_code == 0
    [report] = json.loads(result.stdout)
    assert report["status"] == "would write" and report["text"].startswith("---\ntitle: As ISIS")
    assert list(folder.iterdir()) == []


def test_import_dry_run_says_what_the_real_run_would(invoke: Invoke, tmp_path: Path) -> None:
    """A dry run over an article that exists fails as the real run would, and with --force
    says it would write."""
    folder = tmp_path / "imported"
    folder.mkdir()
    (folder / TARGET).write_text("mine\n", encoding="utf-8")
    result = invoke("import", str(SAMPLE), "--dry-run", folder=folder)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"failed: {SAMPLE}: {TARGET}: already exists (use --force to overwrite)" in (
        result.stderr
    )
    as_json = invoke("import", str(SAMPLE), "--dry-run", "--json", folder=folder)
    [report] = json.loads(as_json.stdout)
    assert report["status"] == "failed" and "text" not in report
    forced = invoke("import", str(SAMPLE), "--dry-run", "--force", folder=folder)
    assert forced.exit_code == 0 and f"would write: {SAMPLE} -> {TARGET}" in forced.stderr
    assert (folder / TARGET).read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("force", [False, True])
def test_pages_of_one_title_imported_together_are_both_kept(
    invoke: Invoke, tmp_path: Path, force: bool
) -> None:
    folder, raw = tmp_path / "imported", tmp_path / "raw"
    folder.mkdir()
    raw.mkdir()
    for name, speaker in (("a.txt", "Jane Doe"), ("b.txt", "John Roe")):
        (raw / name).write_text(
            f"Harbour Talk\n\nWritten by Ann Writer\n\nSyria Deeply: Why?\n\n{speaker}: Ships.\n",
            encoding="utf-8",
        )
    args = ["import", str(raw / "a.txt"), str(raw / "b.txt"), *(["--force"] if force else [])]
    result = invoke(*args, folder=folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["harbour-talk-2.md", "harbour-talk.md"]
    assert "Jane Doe" in (folder / "harbour-talk.md").read_text(encoding="utf-8")
    assert "John Roe" in (folder / "harbour-talk-2.md").read_text(encoding="utf-8")


def test_import_reports_each_file(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "imported"
    folder.mkdir()
    result = invoke("import", str(SAMPLE), str(tmp_path / "missing.txt"), "--json", folder=folder)
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [r["status"] for r in reports] == ["written", "failed"]
    assert "cannot read file" in reports[1]["error"]


def test_check_clean_archive(invoke: Invoke) -> None:
    result = invoke("check")
    assert result.exit_code == 0
    assert result.stdout.strip() == "1 articles read; all clean"


def test_check_reports_with_lines(invoke: Invoke, archive: Path) -> None:
    (archive / "bad.md").write_text("---\nauthors: 5\n---\n", encoding="utf-8")
    (archive / "empty.txt").write_text("Just a title\n\nAnd a paragraph.\n", encoding="utf-8")
    (archive / "odd.txt").write_text(
        "Title\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n\nDoe: Yes.\n\nSmith: Who?\n",
        encoding="utf-8",
    )
    result = invoke("check", "--json")
    assert result.exit_code == 1
    found = {(f["path"], f["line"], f["severity"]) for f in json.loads(result.stdout)}
    assert ("bad.md", 2, "error") in found
    assert ("empty.txt", None, "warning") in found
    assert ("odd.txt", 9, "warning") in found
    text = invoke("check").stdout
    assert "bad.md:2: front matter: 'authors' must be a list of text  [error]" in text
    assert "3 files need attention" in text


def test_check_flags_questions_without_answers(invoke: Invoke, archive: Path) -> None:
    (archive / "unlabelled.txt").write_text(
        "Title\n\nSyria Deeply: Why?\n\nBecause of the harbour.\n\nSyria Deeply: And then?\n\n"
        "Then the bridge.\n",
        encoding="utf-8",
    )
    result = invoke("check")
    assert result.exit_code == 1
    assert (
        "unlabelled.txt:3: 2 questions but no answers: are the answers labelled with their"
        " speakers' names?  [warning]" in result.stdout
    )
