"""`deeply check`: everything in an archive that needs a person's attention."""

from __future__ import annotations

from dataclasses import dataclass

from deeply_cli.archive import Loaded


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int | None
    message: str
    severity: str  # error: the file is skipped; warning: read, but doubtful

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def findings(loaded: Loaded) -> list[Finding]:
    found = [
        Finding(p.path, p.line, p.message, "error" if p.fatal else "warning")
        for p in loaded.problems
    ]
    for entry in loaded.entries:
        article = entry.article
        found += [Finding(entry.path, w.line, w.message, "warning") for w in article.warnings]
        if not article.exchanges:
            found.append(Finding(entry.path, None, "no questions or answers found", "warning"))
        elif not article.answers:  # every answer read as part of a question
            asked = len(article.questions)
            found.append(
                Finding(
                    entry.path,
                    article.questions[0].line,
                    f"{asked} question{'s' if asked != 1 else ''} but no answers: are the"
                    " answers labelled with their speakers' names?",
                    "warning",
                )
            )
    return sorted(found, key=lambda f: (f.path, f.line or 0))
