"""Benchmark deeply on a synthetic archive of raw interview pages.

    python -m tests.bench [N] [--runs R] [--keep DIR] [--json]

Generates N pages (about 10-15 KB each, in the raw layout of the Syria Deeply archive) in a
temporary folder, then times deeply as whole processes, each with a fresh cache: the first full
index (with its peak memory), a refresh after 1% of the files changed, the read commands on an
up-to-date index, `rg`/`grep` over the same files, and a minimal Typer + Rich app as the floor
that any Python command line pays. Standard library only; deeply runs as
`sys.executable -m deeply_cli`, so run this with the Python deeply is installed in.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shlex
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from random import Random

SEED = 20_240_601
GENERATOR = 1  # bump when the generated pages change, so kept archives are regenerated
MARKER = ".deeply-bench.json"  # hidden: deeply and rg skip it
PER_FOLDER = 100
VOCABULARY = 4_000
EXPERTS = 2_000
RARE_EVERY = 1_000  # the rare word is planted in articles 0, 1000, 2000, …
PHRASE_EVERY = 50  # the phrase is planted in articles 1, 51, 101, …
WARM_UP = 80  # articles in the warm-up archive: enough for deeply's worker pool (64)
POLL = 0.02  # seconds between memory samples of the index process tree
TIMEOUT = 3_600.0  # seconds for any one command

BANNER = (
    "Dear Deeply Readers,\n\n"
    "Welcome to the archives of Syria Deeply. While we paused regular publication of the site"
    " on May 15, 2018, and transitioned some of our coverage to Peacebuilding Deeply, we are"
    " happy to serve as an ongoing public resource on the Syrian conflict. We hope you’ll enjoy"
    " the reporting and analysis that was produced by our dedicated community of editors"
    " contributors.\n\n"
    "We continue to produce events and special projects while we explore where the on-site"
    " journalism goes next. If you’d like to reach us with feedback or ideas for collaboration"
    " you can do so at"
)
FOOTER = (
    "Suggest your story or issue.\n\n\nShare Your Story.\n\n"
    "Have a story idea? Interested in adding your voice to our growing community?\n\nLearn more"
)
FOOTER_START = FOOTER.split("\n", 1)[0].encode()
FIRST_NAMES = """
    Aida Amal Amir Ana Anders Basma Bilal Carla Chloe Dalia Daniel Dina Elif Emre Farid Fatima
    Felix Hana Hassan Ines Ivan Jana Joseph Karim Lara Layla Leila Lina Lucas Maha Malik Marco
    Maria Marta Maya Mehmet Mira Nadia Nabil Nina Noor Omar Pavel Rami Rana Rania Samir Sara
    Selim Sofia Tarek Tomas Yara Yusuf Zaid Zeynep
""".split()
ROLES = (
    "senior fellow at the {A} Institute",
    "director of the {A} Center for {B} Studies",
    "professor of {B} studies at {A} University",
    "senior analyst with the {A} Group",
    "a researcher at the {A} Foundation",
    "former adviser to the {A} Ministry of {B}",
    "editor of the {A} Review",
    "a journalist who covers {B} affairs for the {A} Monitor",
)
CONSONANTS = "bcdfghklmnprstvz"  # no j, q, w, x, y: the rare word has an x in it
VOWELS = "aeiou"


# -- the synthetic archive ----------------------------------------------------------------------
class Corpus:
    """Everything pages are made of, derived from the seed: words, names, roles, authors."""

    def __init__(self, seed: int) -> None:
        rng = Random(seed)
        self.seed = seed
        words = _pseudo_words(rng, VOCABULARY + EXPERTS + 200)
        vocab, rest = words[:VOCABULARY], words[VOCABULARY:]
        # Zipf-like (Zipf-Mandelbrot, s = 1): short words tend to be the common ones.
        vocab.sort(key=lambda w: len(w) + 4 * rng.random())
        self.vocab = vocab
        weights = [1 / (rank + 2.7) for rank in range(len(vocab))]
        self.cum = list(itertools.accumulate(weights))
        total = self.cum[-1]
        self.word_bytes = sum(w * (len(v) + 1) for w, v in zip(weights, vocab, strict=True)) / total
        self.title_pool = vocab[30:]
        self.common = vocab[0]
        self.phrase = f"{vocab[60]} {vocab[140]}"
        core = rest[-1]
        self.rare = core[:2] + "x" + core[2:]  # no generated word has an x
        surnames = [w.capitalize() for w in rest[:EXPERTS]]
        self.experts: list[tuple[str, str]] = []  # (full name, role)
        for surname in surnames:
            a, b = (w.capitalize() for w in rng.sample(vocab[200:], 2))
            role = rng.choice(ROLES).format(A=a, B=b)
            self.experts.append((f"{rng.choice(FIRST_NAMES)} {surname}", role))
        self.authors = [
            f"{rng.choice(FIRST_NAMES)} {w.capitalize()}" for w in rest[EXPERTS : EXPERTS + 40]
        ]

    # -- pieces of text --------------------------------------------------------------------------
    def words(self, rng: Random, count: int) -> list[str]:
        return rng.choices(self.vocab, cum_weights=self.cum, k=count)

    def paragraph(self, rng: Random, count: int, end: str = ".") -> str:
        words = self.words(rng, max(count, 3))
        sentences = []
        start = 0
        while start < len(words):
            stop = min(len(words), start + rng.randint(8, 24))
            if len(words) - stop < 4:
                stop = len(words)
            sentence = words[start:stop]
            sentences.append(sentence[0].capitalize() + " " + " ".join(sentence[1:]))
            start = stop
        return ". ".join(sentences) + end

    # -- one article ------------------------------------------------------------------------------
    def head(self, rng: Random) -> tuple[list[str], list[int]]:
        """Title words and expert numbers: drawn first, so `heads` can recompute them cheaply."""
        title = [rng.choice(self.title_pool) for _ in range(rng.randint(4, 9))]
        experts = rng.sample(range(EXPERTS), rng.randint(2, 3))
        while len({self.experts[e][0].split()[0] for e in experts}) < len(experts):
            experts = rng.sample(range(EXPERTS), len(experts))
        return title, experts

    def page(self, number: int) -> tuple[str, str]:
        """(file name, page text) of article `number`; the same for any N."""
        rng = Random(self.seed * 1_000_003 + number)
        title_words, experts = self.head(rng)
        names = [self.experts[e][0] for e in experts]
        roles = [self.experts[e][1] for e in experts]
        target = rng.randint(10_000, 15_000)

        title = " ".join(w.capitalize() for w in title_words)
        dek = self.paragraph(rng, rng.randint(18, 35))
        intro = [self.paragraph(rng, rng.randint(40, 90)) for _ in range(rng.randint(1, 3))]
        asked = [f"{name}, {role}" for name, role in zip(names, roles, strict=True)]
        topic = " ".join(self.words(rng, rng.randint(6, 14)))
        intro.append(
            f"We asked {', '.join(asked[:-1])}, and {asked[-1]}, to weigh in on the {topic}."
        )
        exchanges: list[tuple[str, list[tuple[int, int]]]] = []  # question, (expert, paragraphs)
        answered: set[int] = set()
        for _ in range(rng.randint(4, 8)):
            question = self.paragraph(rng, rng.randint(10, 28), end="?")
            who = rng.sample(range(len(names)), rng.randint(1, len(names)))
            exchanges.append((question, [(w, 1 + rng.randint(0, 3)) for w in who]))
            answered.update(who)
        for missing in sorted(set(range(len(names))) - answered):
            exchanges[-1][1].append((missing, 1 + rng.randint(0, 2)))

        slots = sum(n for _, answers in exchanges for _, n in answers)
        fixed = len(BANNER) + len(FOOTER) + len(title) + len(dek) + 80
        fixed += sum(len(p) + 2 for p in intro)
        fixed += sum(len(q) + 16 for q, _ in exchanges)
        fixed += sum(len(names[w]) + 4 for _, answers in exchanges for w, _ in answers)
        budget = max(slots * 20.0, (target - fixed) / self.word_bytes)
        shares = [0.6 + 0.8 * rng.random() for _ in range(slots)]
        scale = budget / sum(shares)
        sizes = iter(max(12, round(s * scale)) for s in shares)

        body: list[str] = []
        spoken: set[int] = set()
        for question, answers in exchanges:
            body.append(f"Syria Deeply: {question}")
            for who, count in answers:
                label = names[who] if who not in spoken else names[who].split()[-1]
                spoken.add(who)
                body.append(f"{label}: {self.paragraph(rng, next(sizes))}")
                body += [self.paragraph(rng, next(sizes)) for _ in range(count - 1)]
        answers_at = [i for i, p in enumerate(body) if not p.startswith("Syria Deeply: ")]
        if number % RARE_EVERY == 0:
            at = rng.choice(answers_at)
            body[at] = f"{body[at][:-1]} {self.rare}."
        if number % PHRASE_EVERY == 1:
            at = rng.choice(answers_at)
            body[at] = f"{body[at][:-1]} {self.phrase}."

        words = sum(len(p) for p in body) / self.word_bytes
        byline = (
            f"Written by {rng.choice(self.authors)} Published on Read time Approx."
            f" {max(1, round(words / 230))} minutes"
        )
        text = "\n\n".join([BANNER, title, dek, byline, *intro, *body, FOOTER])
        return f"{number:06d}-{'-'.join(title_words[:3])}.txt", text

    def heads(self, count: int) -> Iterator[tuple[list[str], list[int]]]:
        for number in range(count):
            yield self.head(Random(self.seed * 1_000_003 + number))


def _pseudo_words(rng: Random, count: int) -> list[str]:
    found: dict[str, None] = {}
    while len(found) < count:
        syllables = rng.choice((1, 2, 2, 2, 3, 3, 3, 4))
        word = "".join(
            rng.choice(CONSONANTS) + rng.choice(VOWELS) + (rng.choice(CONSONANTS + "    ")).strip()
            for _ in range(syllables)
        )
        if len(word) >= 3 and word not in ("not", "and", "near"):
            found[word] = None
    return list(found)


_CORPUS: Corpus | None = None


def _init_worker(corpus: Corpus) -> None:
    global _CORPUS
    _CORPUS = corpus


def _write_range(job: tuple[Path, int, int]) -> int:
    """Write articles [start, stop) under root; returns the bytes written."""
    root, start, stop = job
    assert _CORPUS is not None
    written = 0
    for number in range(start, stop):
        folder = root / f"{number // PER_FOLDER:04d}"
        if number % PER_FOLDER == 0 or number == start:
            folder.mkdir(parents=True, exist_ok=True)
        name, text = _CORPUS.page(number)
        data = text.encode("utf-8")
        with open(folder / name, "wb") as handle:
            handle.write(data)
        written += len(data)
    return written


def generate(corpus: Corpus, root: Path, count: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    chunk = 500
    jobs = [(root, start, min(count, start + chunk)) for start in range(0, count, chunk)]
    workers = min(len(os.sched_getaffinity(0)), len(jobs))
    if workers < 2:
        _init_worker(corpus)
        for job in jobs:
            _write_range(job)
    else:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_init_worker, initargs=(corpus,)) as pool:
            for _ in pool.imap_unordered(_write_range, jobs):
                pass
    marker = {"generator": GENERATOR, "seed": corpus.seed, "n": count}
    (root / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")


def article_files(root: Path) -> list[Path]:
    return sorted(
        Path(folder) / name
        for folder, _, names in os.walk(root)
        for name in names
        if name.endswith(".txt")
    )


def reusable(root: Path, corpus: Corpus, count: int) -> bool:
    try:
        marker = json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = {"generator": GENERATOR, "seed": corpus.seed, "n": count}
    return marker == wanted and len(article_files(root)) == count


@dataclass
class Targets:
    """What the read commands ask for, chosen so that each one finds something."""

    show_prefix: str
    speaker: str
    speaker_articles: int
    rare: str
    rare_files: int
    common: str
    phrase: str
    phrase_planted: int


def targets(corpus: Corpus, count: int) -> Targets:
    slugs: list[str] = []
    speaker_articles = 0
    first_expert = -1
    for title, experts in corpus.heads(count):
        slugs.append("-".join(title))
        if first_expert < 0:
            first_expert = experts[0]
        speaker_articles += first_expert in experts
    words = slugs[0].split("-")
    prefix = slugs[0]
    for size in range(2, len(words) + 1):
        candidate = "-".join(words[:size])
        if sum(s.startswith(candidate) for s in slugs) == 1:
            prefix = candidate
            break
    return Targets(
        show_prefix=prefix,
        speaker=corpus.experts[first_expert][0],
        speaker_articles=speaker_articles,
        rare=corpus.rare,
        rare_files=len(range(0, count, RARE_EVERY)),
        common=corpus.common,
        phrase=corpus.phrase,
        phrase_planted=len(range(1, count, PHRASE_EVERY)),
    )


def modify(paths: Sequence[Path], corpus: Corpus, rng: Random) -> dict[Path, bytes]:
    """Add a paragraph to each file's last answer and bump its mtime; returns the originals."""
    originals: dict[Path, bytes] = {}
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        originals[path] = data
        at = data.rfind(FOOTER_START)
        extra = corpus.paragraph(rng, rng.randint(40, 90)).encode("utf-8") + b"\n\n"
        with open(path, "wb") as handle:
            handle.write(data[:at] + extra + data[at:])
        now = time.time_ns()
        os.utime(path, ns=(now, now))
    return originals


def restore(originals: dict[Path, bytes]) -> None:
    for path, data in originals.items():
        with open(path, "wb") as handle:
            handle.write(data)


# -- running and measuring ----------------------------------------------------------------------
@dataclass
class Result:
    name: str
    command: list[str]
    times: list[float] = field(default_factory=list)
    note: str = ""
    error: str | None = None
    peak_tree_mib: float | None = None
    peak_process_mib: float | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def best(self) -> float | None:
        return min(self.times) if self.times else None


@dataclass
class Run:
    seconds: float
    status: int
    stderr: str
    peak_tree_kib: int = 0
    peak_process_kib: int = 0


class Runner:
    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.err_path = workdir / "stderr.txt"

    def run(
        self, argv: Sequence[str], *, monitor: bool = False, env: dict[str, str] | None = None
    ) -> Run:
        """Run one whole process, stdout to /dev/null; with monitor, sample the tree's memory."""
        with open(self.err_path, "w+b") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                cwd=self.workdir,
                env=self.env if env is None else env,
                start_new_session=True,  # its pool workers share its process group
            )
            peak_tree = 0
            deadline = start + TIMEOUT
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG if monitor else 0)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    os.killpg(proc.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                peak_tree = max(peak_tree, tree_rss_kib(proc.pid))
                time.sleep(POLL)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        if time.perf_counter() > deadline:
            stderr += f"\n(killed after {TIMEOUT:.0f} s)"
        # ru_maxrss of a reaped child: the largest single process among it and its reaped children
        return Run(seconds, proc.returncode, stderr, peak_tree, usage.ru_maxrss)

    def interleaved(
        self, specs: Sequence[tuple[str, Sequence[str], Sequence[int]]], runs: int
    ) -> list[Result]:
        """Each command once to warm up, then run after run in turn, so that a machine getting
        busier or quieter meanwhile moves every median alike and ratios stay fair."""
        results = [Result(name, list(argv)) for name, argv, _ in specs]
        for round_ in range(runs + 1):
            for result, (_, argv, ok) in zip(results, specs, strict=True):
                if result.error:
                    continue
                done = self.run(argv)
                if done.status not in ok:
                    result.error = failure(done)
                elif round_:
                    result.times.append(done.seconds)
        return results

    def measure(
        self, name: str, argv: Sequence[str], runs: int, *, ok: Sequence[int] = (0,), warm: bool
    ) -> Result:
        result = Result(name, list(argv))
        if warm:
            first = self.run(argv)
            if first.status not in ok:
                result.error = failure(first)
                return result
        for _ in range(runs):
            done = self.run(argv)
            if done.status not in ok:
                result.error = failure(done)
                return result
            result.times.append(done.seconds)
        return result


def failure(run: Run) -> str:
    lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
    tail = " | ".join(lines[-3:]) if lines else "(no stderr)"
    return f"exit status {run.status} after {run.seconds:.2f} s: {tail}"


def tree_rss_kib(root: int) -> int:
    """Summed resident memory of a process and all its descendants (0 once it is gone)."""
    total = 0
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
    return total


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def descendants(root: int) -> list[int]:
    found = [root]
    at = 0
    while at < len(found):
        found += children(found[at])
        at += 1
    return found


def children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    kids: list[int] = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", "rb") as handle:
                kids += [int(k) for k in handle.read().split()]
        except FileNotFoundError:
            return _children_by_scan(pid)
        except OSError:
            continue
    return kids


def _children_by_scan(parent: int) -> list[int]:
    """For kernels without /proc/PID/task/TID/children: read every process's parent."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
            if int(stat[stat.rfind(b")") + 2 :].split()[1]) == parent:
                kids.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return kids


FLOOR_APP = '''\
"""The framework floor: a Typer app with one command that prints a small Rich table."""

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def main() -> None:
    table = Table("slug", "title", "speakers")
    table.add_row("alpha", "The First Article", "Jane Doe, Omar Haddad")
    table.add_row("beta", "The Second Article", "Lina Kurdi")
    Console().print(table)


if __name__ == "__main__":
    app()
'''


# -- the report ---------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        fts5 = "with FTS5"
    except sqlite3.OperationalError:
        fts5 = "without FTS5"
    rg = shutil.which("rg")
    rg_version = (
        subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        if rg
        else "not installed"
    )
    grep = subprocess.run(["grep", "--version"], capture_output=True, text=True).stdout
    return {
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpus": f"{os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
        "python": f"{platform.python_implementation()} {platform.python_version()}"
        f" ({sys.executable})",
        "sqlite": f"{sqlite3.sqlite_version} {fts5}",
        "rg": rg_version,
        "grep": grep.split("\n")[0],
    }


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(results: Sequence[Result], floor: float | None) -> str:
    rows = [("measurement", "runs", "median s", "min s", "× floor", "notes")]
    for r in results:
        ratio = f"{r.median / floor:.1f}" if r.median is not None and floor else "—"
        note = f"FAILED: {r.error}" if r.error else r.note
        rows.append((r.name, str(len(r.times)), seconds(r.median), seconds(r.best), ratio, note))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for n, row in enumerate(rows):
        numbers = zip(row[1:5], widths[1:5], strict=True)
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in numbers]
        lines.append("  ".join([*cells, row[5]]).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  -----")
    return "\n".join(lines)


# -- main ---------------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("n", nargs="?", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the archive at DIR; reuse it if it fits"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    if args.n < 1 or args.runs < 1:
        parser.error("N and --runs must be 1 or more")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    check = subprocess.run(
        [sys.executable, "-c", "import deeply_cli.cli, typer, rich"], capture_output=True
    )
    if check.returncode:
        sys.stderr.write(f"bench: {sys.executable} cannot import deeply_cli, typer and rich\n")
        return 2
    info = machine()
    count, runs = args.n, args.runs
    print(f"deeply benchmark: {count} articles, {runs} runs per measurement")
    for key, value in info.items():
        print(f"  {key + ':':10}{value}")

    workdir = Path(tempfile.mkdtemp(prefix="deeply-bench-"))
    originals: dict[Path, bytes] = {}
    try:
        corpus = Corpus(SEED)
        root = (args.keep or workdir / "archive").resolve()
        generated_in: float | None = None
        if args.keep and reusable(root, corpus, count):
            source = f"reused {root}"
        else:
            if root.exists() and any(root.iterdir()):
                if not (root / MARKER).exists():
                    sys.stderr.write(f"bench: {root} is not empty and not a generated archive\n")
                    return 2
                shutil.rmtree(root)
            start = time.perf_counter()
            generate(corpus, root, count)
            generated_in = time.perf_counter() - start
            source = f"generated in {generated_in:.1f} s"
        files = article_files(root)
        size = sum(p.stat().st_size for p in files)
        folders = len({p.parent for p in files})
        goal = targets(corpus, count)
        print(
            f"  {'archive:':10}{root}: {len(files)} files in {folders} folders,"
            f" {size / 1e6:.1f} MB ({size / len(files) / 1024:.1f} KiB a file), {source}"
        )

        cache = workdir / "cache"
        dropped = ("DEEPLY_ARCHIVE", "NO_COLOR", "PYTHONDONTWRITEBYTECODE")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        # Bytecode cached as after a normal install, but in a folder of ours: the source tree and
        # site-packages stay untouched, and $PYTHONDONTWRITEBYTECODE cannot make every run compile.
        env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
        env["DEEPLY_CACHE_DIR"] = str(cache)
        runner = Runner(workdir, env)
        warm_up(runner, corpus, workdir)
        print(
            f"  {'bytecode:':10}cached in a private PYTHONPYCACHEPREFIX, warmed up by each"
            f" command on a small archive ({WARM_UP} articles) before timing"
        )
        deeply = [sys.executable, "-m", "deeply_cli", "--archive", str(root)]
        results: list[Result] = []

        # First full index on a fresh cache: time and peak memory of the process tree.
        first = runner.run([*deeply, "index"], monitor=True)
        full = Result("index (first, fresh cache)", [*deeply, "index"])
        if first.status:
            full.error = failure(first)
        else:
            full.times.append(first.seconds)
            full.peak_tree_mib = first.peak_tree_kib / 1024
            full.peak_process_mib = first.peak_process_kib / 1024
            warnings = len(first.stderr.strip().splitlines())
            full.note = (
                f"peak RSS {full.peak_tree_mib:.0f} MiB summed over the process tree,"
                f" {full.peak_process_mib:.0f} MiB largest process"
                + (f"; {warnings} lines on stderr" if warnings else "")
            )
        results.append(full)
        state = index_state(runner, deeply)
        if not first.status and state.get("articles") != count:
            full.note += f"; index holds {state.get('articles')} articles, not {count}"

        # Refresh after 1% of the files changed: a fresh 1% each run.
        share = max(1, count // 100)
        rng = Random(SEED + 1)
        order = rng.sample(files, len(files))
        refresh = Result(f"index (refresh, {share} files changed)", [*deeply, "index"])
        for run in range(runs):
            batch = [order[(run * share + k) % len(order)] for k in range(share)]
            for path, data in modify(batch, corpus, rng).items():
                originals.setdefault(path, data)
            done = runner.run([*deeply, "index"])
            if done.status:
                refresh.error = failure(done)
                break
            refresh.times.append(done.seconds)
        state = index_state(runner, deeply)
        if not refresh.error and state.get("unchanged") != count:
            refresh.note = f"afterwards the index was not up to date: {state}"
        results.append(refresh)
        results.append(
            runner.measure("index (nothing changed)", [*deeply, "index"], runs, warm=False)
        )

        # Read commands on the up-to-date index.
        reads = [
            ("list", ["list"], (0,), "default limit (20)"),
            (f"show {goal.show_prefix}", ["show", goal.show_prefix], (0,), "slug prefix"),
            (
                f"quotes --speaker {shlex.quote(goal.speaker)}",
                ["quotes", "--speaker", goal.speaker],
                (0,),
                f"speaker in {goal.speaker_articles} article(s)",
            ),
            ("speakers", ["speakers"], (0,), ""),
            (
                f"search {goal.rare}",
                ["search", goal.rare],
                (0,),
                f"rare: planted in {goal.rare_files} file(s)",
            ),
            (f"search {goal.common}", ["search", goal.common], (0,), "the most common word"),
            (
                f"search '\"{goal.phrase}\"'",
                ["search", f'"{goal.phrase}"'],
                (0,),
                f"phrase: planted in {goal.phrase_planted} files",
            ),
        ]
        # The same rare word with rg and grep over the same files, the floor (what any Typer +
        # Rich command costs with this Python) and bare start-up: all measured in turn with the
        # read commands.
        floor_file = workdir / "floor.py"
        floor_file.write_text(FLOOR_APP, encoding="utf-8")
        others = [
            (f"grep -rc {goal.rare} DIR", ["grep", "-rc", goal.rare, str(root)], (0,)),
            ("floor: Typer app, small Rich table", [sys.executable, str(floor_file)], (0,)),
            ("python -c pass", [sys.executable, "-c", "pass"], (0,)),
        ]
        if shutil.which("rg"):
            others.insert(0, (f"rg -c {goal.rare} DIR", ["rg", "-c", goal.rare, str(root)], (0,)))
        measured = runner.interleaved(
            [(name, [*deeply, *cmd], ok) for name, cmd, ok, _ in reads] + others, runs
        )
        read_results, compared = measured[: len(reads)], measured[len(reads) :]
        for result, (*_, note) in zip(read_results, reads, strict=True):
            result.note = note if not result.note else f"{note}; {result.note}"
        results += read_results
        if not shutil.which("rg"):
            results.append(Result("rg -c WORD DIR", [], note="rg not installed"))
        *searches, floor, bare = compared
        for result in searches:
            result.note = "for comparison"
        floor.note = "the framework floor (× floor = 1)"
        bare.note = "interpreter start-up alone"
        results += compared

        total = time.perf_counter() - began
        print()
        print(table(results, floor.median))
        print()
        gen = f"generation {generated_in:.1f} s, " if generated_in is not None else ""
        print(f"{gen}whole run {total:.1f} s (every deeply command runs with a fresh cache dir)")
        failed = [r for r in results if r.error]
        for r in failed:
            print(f"FAILED {r.name}: {shlex.join(r.command)}\n  {r.error}")
        if args.json:
            report = {
                "n": count,
                "runs": runs,
                "machine": info,
                "archive": {
                    "path": str(root),
                    "files": len(files),
                    "folders": folders,
                    "bytes": size,
                    "generated_seconds": generated_in,
                },
                "targets": asdict(goal),
                "floor_median": floor.median,
                "results": [
                    {
                        **asdict(r),
                        "median": r.median,
                        "min": r.best,
                        "ratio_to_floor": r.median / floor.median
                        if r.median is not None and floor.median
                        else None,
                    }
                    for r in results
                ],
                "total_seconds": total,
            }
            print(json.dumps(report, indent=2, ensure_ascii=False))
        return 1 if failed else 0
    finally:
        if args.keep and originals:
            restore(originals)  # the kept archive stays as generated
        shutil.rmtree(workdir, ignore_errors=True)


def warm_up(runner: Runner, corpus: Corpus, workdir: Path) -> None:
    """Run every measured command once on a small archive of its own, so that the bytecode of
    all the modules they import (the index's worker pool too) is cached before timing."""
    folder = workdir / "warm"
    _init_worker(corpus)
    _write_range((folder, 0, WARM_UP))
    goal = targets(corpus, WARM_UP)
    env = dict(runner.env, DEEPLY_CACHE_DIR=str(workdir / "warm-cache"))
    deeply = [sys.executable, "-m", "deeply_cli", "--archive", str(folder)]
    for command in (
        ["index"],
        ["list"],
        ["show", goal.show_prefix],
        ["quotes", "--speaker", goal.speaker],
        ["speakers"],
        ["search", goal.rare],
        ["index", "--json"],
    ):
        runner.run([*deeply, *command], env=env)
    shutil.rmtree(folder, ignore_errors=True)


def index_state(runner: Runner, deeply: Sequence[str]) -> dict[str, object]:
    """What `deeply index --json` reports (it also brings the index up to date)."""
    done = subprocess.run(
        [*deeply, "index", "--json"], capture_output=True, text=True, env=runner.env
    )
    try:
        return dict(json.loads(done.stdout))
    except ValueError:
        return {"error": failure(Run(0.0, done.returncode, done.stderr))}


if __name__ == "__main__":
    sys.exit(main())
