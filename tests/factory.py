"""Small invented archives for tests."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

FIRST = ["Jane", "Omar", "Lina", "Karim", "Sofia", "Yusuf", "Marta", "Hadi", "Noor", "Pavel"]
LAST = [
    "Doe",
    "Haddad",
    "Kurdi",
    "Moreau",
    "al-Masri",
    "Novak",
    "Saleh",
    "Brandt",
    "Farah",
    "Ortiz",
]
WORDS = (
    "water harbour ceasefire border militia council aid convoy refugees winter wheat bread "
    "bridge river checkpoint negotiation sanctions diplomacy élection café Deir Ezzor al-Nusra "
    "ISIS’s governance electricity hospital school market fuel"
).split()


def page(
    rng: random.Random,
    title: str,
    vocabulary: Sequence[str] = WORDS,
    length: tuple[int, int] = (5, 14),
) -> str:
    names = rng.sample([f"{f} {s}" for f in FIRST for s in LAST], 2)
    intro = (
        f"We asked {names[0]}, director of the Acme Institute, and {names[1]}, "
        "a researcher at the Harbour Council, about the winter."
    )
    parts = [
        title,
        "A dek about the winter.",
        "Written by Ann Writer Published on Read time Approx. 3 minutes",
        intro,
    ]
    for n in range(rng.randint(2, 4)):
        parts.append(f"Syria Deeply: {sentence(rng, vocabulary, length)}?")
        for who in rng.sample(names, rng.randint(1, 2)):
            label = who if n == 0 else who.split()[-1]
            parts.append(f"{label}: {sentence(rng, vocabulary, length)}.")
            parts += [f"{sentence(rng, vocabulary, length)}." for _ in range(rng.randint(0, 2))]
    return "\n\n".join(parts) + "\n"


def sentence(
    rng: random.Random, vocabulary: Sequence[str] = WORDS, length: tuple[int, int] = (5, 14)
) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(*length))).capitalize()


def make_archive(
    folder: Path,
    count: int,
    seed: int = 1,
    vocabulary: Sequence[str] = WORDS,
    length: tuple[int, int] = (5, 14),
) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"sub{i % 3}" / f"page-{i:03d}.txt"
        path.parent.mkdir(exist_ok=True)
        text = page(rng, f"Winter Talk Number {i}", vocabulary, length)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
