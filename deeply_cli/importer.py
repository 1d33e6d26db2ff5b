"""Article -> a clean article file: front matter with what was inferred, then the body."""

from __future__ import annotations

from typing import Any

from deeply_cli.model import Article, Turn


def front_matter(article: Article, slug: str) -> dict[str, Any]:
    """Every inferred field, none invented: absent values stay absent."""
    fields: dict[str, Any] = {
        "title": article.title,
        "slug": slug,
        "dek": article.dek,
        "authors": list(article.authors),
        "published": article.published,
        "read_minutes": article.read_minutes,
        "publication": article.publication,
        "interviewer": article.interviewer,
        "url": article.url,
        "caption": article.caption,
        "tags": list(article.tags) or None,
        "speakers": [
            {"name": s.name, "role": s.role, "aliases": list(s.aliases)}
            if s.aliases
            else {"name": s.name, "role": s.role}
            for s in article.speakers
        ]
        or None,
    }
    return {k: v for k, v in fields.items() if v is not None}


def _turn_text(turn: Turn) -> list[str]:
    first, *rest = turn.paragraphs
    return [f"{turn.label}: {first}", *rest]


def article_file(article: Article, slug: str) -> str:
    """The text `deeply import` writes: parsing it gives the same article back."""
    import yaml

    meta = yaml.safe_dump(
        front_matter(article, slug), allow_unicode=True, sort_keys=False, width=100
    )
    blocks = list(article.intro)
    for exchange in article.exchanges:
        if exchange.question:
            blocks += _turn_text(exchange.question)
        for answer in exchange.answers:
            blocks += _turn_text(answer)
    blocks += article.notes
    return f"---\n{meta}---\n\n" + "\n\n".join(blocks) + "\n"
