"""Who speaks: resolving printed labels to speakers, and finding each speaker's role."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from deeply_cli import labels as lb
from deeply_cli.frontmatter import FrontMatter
from deeply_cli.header import Para
from deeply_cli.model import Note, Speaker, Turn
from deeply_cli.text import WORDS, fold, initials, without_article

_QUESTION = object()  # marker: the label is the interviewer's
_PARTICLE = r"(?:al|el|bin|ibn|abu|de|da|van|von|der|du|le|la)"
_ARTICLES = ("al", "el", "ad", "an", "ar", "as", "ash", "at", "az")  # Arabic `al-` and its forms
_NAME_WORD = rf"(?:(?:{'|'.join(_ARTICLES)})-)?[A-Z][\w’'.-]*"  # `Khatib`, `al-Khatib`
_CAPITALISED_RUN = re.compile(rf"{_NAME_WORD}(?:[ ]+(?:{_PARTICLE}[ ]+)*{_NAME_WORD})*")
# How a biography on a contributors page opens right after the name (`Jane Doe: is a
# journalist`). Not a pronoun: answers open so (`They waited.`, `He has no reason to stop.`).
_BIO_BARE = re.compile(r"(?:is|was|has) ")
_ROUNDUP_HINTS = re.compile(
    r"\?|\b(?:ask|asked|weigh|weighed|spoke|experts?|analysts?|views|perspectives|react|answers?)\b",
    re.IGNORECASE,
)
_CONTRIBUTORS = re.compile(  # in a title
    r"\b(?:contributors|our (?:team|writers|reporters|staff|authors)|about us|masthead)\b",
    re.IGNORECASE,
)


class Found(NamedTuple):
    """A paragraph that opens a turn (a named tuple: cheap to build)."""

    speaker: str
    label: str
    is_question: bool
    rest: str


def _surname_keys(name: str) -> set[str]:
    """`Noah Bonsey` -> bonsey; `Ana de la Cruz` -> de la cruz, la cruz, cruz; al-Masri -> masri."""
    words = fold(name).split()
    keys = {" ".join(words[i:]) for i in range(1, len(words))} or set(words)
    return keys | {without_article(key) for key in keys}


def _initials_of_particles(name: str) -> set[str]:
    """A name's initials where an `al-`/`el-` word is given by its second letter or not at
    all: `Sami Al-Khatib` is SK as well as SAK, `Nour el-Din Haddad` NH as well as NDH."""
    second, skipped = [], []
    for word in name.split():
        article, dash, rest = word.partition("-")
        if dash and article.casefold() in _ARTICLES and rest[:1].isupper():
            second.append(rest[0])
        elif word[:1].isupper():
            second.append(word[0])
            skipped.append(word[0])
    return {"".join(second), "".join(skipped)}


def _one_spelling(names: Sequence[str], declared: Collection[str]) -> list[str]:
    """`Dr. Jane Doe:` beside `JANE DOE:` is one person printed two ways: one name for
    every form that differs only by an honorific or by case, as the page best gives it (the
    declared name, else without the honorific and not in capitals). A name printed one way
    only stays as printed."""
    forms: dict[str, list[str]] = defaultdict(list)
    for name in names:
        forms[fold(lb.without_title(name))].append(name)
    chosen = []
    for group in forms.values():
        bare = [lb.without_title(name) for name in group]
        chosen.append(
            group[0]
            if len(group) == 1
            else next((n for n in group if n in declared), None)
            or next((n for n in bare if not n.isupper()), bare[0])
        )
    return chosen


class NameBook:
    """Names indexed by the ways a label may print them: full, surname, first name, initials."""

    def __init__(self, names: Iterable[str]) -> None:
        self.full: dict[str, str] = {}
        self.surname: dict[str, set[str]] = defaultdict(set)
        self.first: dict[str, set[str]] = defaultdict(set)
        self.initials: dict[str, set[str]] = defaultdict(set)
        for name in names:
            if not name.split():
                continue
            self.full.setdefault(fold(name), name)
            for key in _surname_keys(name):
                self.surname[key].add(name)
            bare = lb.without_title(name)  # `Dr. Lina Khalil` is LK as well
            self.first[fold(bare.split()[0])].add(name)
            for form in {initials(name), *_initials_of_particles(bare)}:
                self.initials[form].add(name)

    def by_word(self, key: str) -> set[str]:
        """Surname first; a first name only when no surname matches."""
        return self.surname.get(key) or self.first.get(key) or set()


class Resolver:
    """Decides, once per article, which paragraphs open a turn and whose it is."""

    def __init__(
        self,
        paras: Sequence[Para],
        *,
        meta: FrontMatter,
        authors: Sequence[str],
        publication: str | None,
        context: Sequence[str],
        config_aliases: Mapping[str, str],
        interviewer_labels: frozenset[str],
    ) -> None:
        self.warnings: list[Note] = []
        self.affiliations: dict[str, str] = {}
        self.publication = publication or next((a for a in authors if a.endswith(" Deeply")), None)
        self._meta = meta
        self._authors = list(authors)
        self._author_keys = {fold(a) for a in authors}
        self._interviewer_labels = set(interviewer_labels)
        if meta.interviewer:
            self._interviewer_labels |= {fold(meta.interviewer), fold(initials(meta.interviewer))}
        self._aliases = {k: v for k, v in config_aliases.items()}
        for speaker in meta.speakers:
            for alias in (speaker.name, *speaker.aliases):
                self._aliases[fold(alias)] = speaker.name
        self._labels = [lb.split_label(p.text) for p in paras]
        self._counts = Counter(fold(lab.name) for lab in self._labels if lab)
        # Labels printed at least once before words that open a sentence (or on their own
        # line): `Aleppo: the power was cut.` in answer after answer is a lead-in, not a name.
        self._opens_sentence = {
            fold(lab.name) for lab in self._labels if lab and not lab.rest[:1].islower()
        }
        self._known = self._full_names(context, paras)
        self._book = NameBook([*self._known, *self._authors])
        self._all_context: NameBook | None = None
        self._leading: dict[str, set[str]] | None = None  # see `_longer_name`
        self._leading_context: dict[str, set[str]] | None = None
        self._people_labelled: Counter[str] | None = None  # see `_labelled_again`
        self._answered: set[str] = set()  # speakers who have answered so far, in page order
        self._printed_first: dict[str, str] = {}  # folded label kept as a name -> first form
        self._context = without_emphasis("\n".join([*context, *self._leading_text(paras)]))
        self._question_kinds: list[str] = []
        self._others_ask: dict[str, bool] = {}
        self._answerers: dict[str | None, str | None] = {}  # by publication: who `A:` is
        self._previous: Found | None = None  # the turn before the label being resolved
        self._asked_by: str | None = None  # a speaker found to ask, with no interviewer label
        self._one_word_roundup: bool | None = None  # answers by first names, and no questions
        self._paras, self._context_texts = paras, context  # for `_first_names_answer`
        self._decide_interviewer_presence()
        self.turns = self._decide(paras)
        self.interviewer = meta.interviewer or self._interviewer_name()

    # -- what the article tells us before resolving --------------------------------------------
    def _full_names(self, context: Sequence[str], paras: Sequence[Para]) -> list[str]:
        names = [s.name for s in self._meta.speakers]
        spelling = self._spelling(context, paras)
        for label in self._labels:
            if (
                label
                and len(label.name.split()) > 1
                and not lb.interviewer_label(label.name)
                and lb.person_shaped(label.name)
                and lb.plausible_affiliation(label.affiliation)
                and not _subheading(label.rest)
                and fold(label.name.split()[0]) not in lb._PARTICLES  # `De la Cruz:`: a surname
                and spelling.get(fold(label.name), label.name) not in names
            ):
                names.append(spelling.get(fold(label.name), label.name))
        names = _one_spelling(names, {s.name for s in self._meta.speakers})
        # `Dr. Jane Smith:` where `Jane Smith:` speaks too is one person, printed both ways;
        # so is `Dr. Khalil:` beside `Dr. Samer Khalil:`.
        surnames = {
            k for n in names if len(lb.without_title(n).split()) > 1 for k in _surname_keys(n)
        }
        shorter = {
            k for n in map(lb.without_title, names) if len(n.split()) > 2 for k in _surname_keys(n)
        }
        return [
            n
            for n in names
            if (
                (bare := lb.without_title(n)) == n
                or (bare not in names and not (len(bare.split()) == 1 and fold(bare) in surnames))
            )
            and fold(n) not in shorter  # `Bin Rashid:` beside `Ahmed bin Rashid:` is him
        ]

    def _spelling(self, context: Sequence[str], paras: Sequence[Para]) -> dict[str, str]:
        """`JANE DOE:` in capitals is the Jane Doe the title, dek or intro names: folded name
        -> the intro's spelling (only on a page with labels in capitals)."""
        if not any(lab and lab.name.isupper() and " " in lab.name for lab in self._labels):
            return {}
        first = next((i for i, lab in enumerate(self._labels) if lab), len(paras))
        text = without_emphasis("\n".join([*context, *(p.text for p in paras[:first])]))
        names = [name for name in context_names(text) if not name.isupper()]
        spelling = {fold(lb.without_title(name)): lb.without_title(name) for name in names}
        return spelling | {fold(name): name for name in names}  # `DR. JANE DOE` as printed

    def _leading_text(self, paras: Sequence[Para]) -> list[str]:
        """Paragraphs before the first label: the intro that names the speakers."""
        texts = []
        known = {fold(lb.without_title(name)) for name in self._known}
        for para, label in zip(paras, self._labels, strict=True):
            if label and (lb.interviewer_label(label.name) or fold(label.name) in self._aliases):
                break
            if label and fold(lb.without_title(label.name)) in known:
                break
            texts.append(para.text)
        return texts

    def _decide_interviewer_presence(self) -> None:
        self._has_questions = False  # read by the dry resolution that decides it
        self._has_questions = any(
            lab and self._resolve(lab, dry=True) is _QUESTION for lab in self._labels
        )

    # -- decisions -----------------------------------------------------------------------------
    def _decide(self, paras: Sequence[Para]) -> dict[int, Found]:
        found: dict[int, Found] = {}
        for index, (para, label) in enumerate(zip(paras, self._labels, strict=True)):
            if label is None:
                continue
            if not label.rest and not self._followed_by_text(index):
                if self._resolve(label, dry=True) is not None:
                    message = f"label '{label.name}' has no text after it; kept as text"
                    self.warnings.append(Note(para.line, message))
                continue
            self._previous = found[next(reversed(found))] if found else None
            who = self._resolve(label, line=para.line)
            if who is _QUESTION:
                self._question_kinds.append(label.name)
                found[index] = Found(self._author_asking(label), label.printed, True, label.rest)
            elif isinstance(who, str):
                if not found and self._has_questions and label.rest[:1].islower():
                    continue  # `Jane Doe, a nurse, on her day: the shelling …` opens the intro
                after_answer = bool(found) and not found[next(reversed(found))].is_question
                if after_answer and self._quoted_in_passing(label, who):
                    continue
                self._answered.add(who)
                found[index] = Found(who, label.printed, False, label.rest)
                if label.affiliation and lb.plausible_affiliation(label.affiliation):
                    # `Jane Doe, Acme Institute, on the truce:`: the topic is not her role
                    role = _TOPIC.split(label.affiliation, maxsplit=1)[0].strip()
                    if role:
                        self.affiliations.setdefault(who, role)
        found.update(self._vox_pop(paras, found))
        if not self._question_kinds and (asker := self._asker(paras, found)):
            self._question_kinds.append(asker)
            self._asked_by = asker
            for index, turn in found.items():
                if turn.speaker == asker:
                    found[index] = Found("", turn.label, True, turn.rest)
        return found

    def _author_asking(self, label: lb.Label) -> str:
        """Of several authors, the one a question's label names (`Tom Roe:`, `TR:`, `Roe:`),
        who asks it rather than the first to ask; else '' (the interviewer asks)."""
        if len(self._authors) < 2 or lb.interviewer_label(label.name):
            return ""  # `SD:` is the publication, whoever else has those initials
        name = lb.without_title(label.name)
        key, letters = fold(name), name.replace(".", "")
        for author in self._authors:
            if key in (fold(author), *_surname_keys(author)) or letters == initials(author):
                return author
        return ""

    def _asker(self, paras: Sequence[Para], found: Mapping[int, Found]) -> str | None:
        """With no interviewer's label, the speaker who asks: `Tom Roe: How many …?` in
        turn after turn, where the others answer (a contributor interviewing, the byline
        naming only the publication). At least two turns, three in four asking, and no
        other speaker asking in half their turns."""
        turns: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # speaker -> turns, asking
        for index, turn in found.items():
            text = turn.rest or (paras[index + 1].text if index + 1 < len(paras) else "")
            counts = turns[turn.speaker]
            counts[0] += 1
            counts[1] += asks(text)
        askers = [name for name, (n, asks) in turns.items() if n >= 2 and asks >= 0.75 * n]
        if len(askers) != 1 or len(turns) < 2:
            return None
        others = [(n, asks) for name, (n, asks) in turns.items() if name != askers[0]]
        return askers[0] if all(asks < 0.5 * n for n, asks in others) else None

    def _quoted_in_passing(self, label: lb.Label, who: str) -> bool:
        """`Bashar al-Assad: he will stay …` inside an answer: a name, not a speaker. Only for
        a name printed once as a label, that the page does not introduce, whose words start in
        lower case, as an answer's seldom do."""
        return (
            label.rest[:1].islower()
            and self._counts[fold(label.name)] == 1
            and all(s.name != who for s in self._meta.speakers)
            and fold(who) not in fold(self._context)
        )

    def _followed_by_text(self, index: int) -> bool:
        """Whether a label on its own line has its text in the next paragraph: one that is
        not a label itself, though it may hold a colon (`It returned to what it was in 2008:
        an insurgency.`)."""
        if index + 1 >= len(self._labels):
            return False
        after = self._labels[index + 1]
        return after is None or self._resolve(after, dry=True) is None

    def _vox_pop(self, paras: Sequence[Para], found: Mapping[int, Found]) -> dict[int, Found]:
        """`Jane, Teacher, Aleppo` on its own line, then her answer: only where several occur."""
        candidates: dict[int, lb.Label] = {}
        own = [
            lb.own_line_label(p.text) if self._labels[i] is None else None
            for i, p in enumerate(paras)
        ]
        for i, label in enumerate(own):
            nxt = i + 1
            if label and nxt < len(paras) and own[nxt] is None and self._labels[nxt] is None:
                candidates[i] = label
        if len(candidates) < 2:
            return {}
        # A staff or contributors page (`Jane Doe, Managing Editor`, then `Jane has covered
        # Syria since 2011.`): names with their posts, each before a profile, not answers.
        if self._contributors_title():
            return {}
        profiles = sum(_profile(lab.name, paras[i + 1].text) for i, lab in candidates.items())
        if 2 * profiles >= len(candidates):
            return {}
        for label in candidates.values():
            self.affiliations.setdefault(label.name, label.affiliation or "")
        return {
            i: Found(lab.name, lab.printed, False, "")
            for i, lab in candidates.items()
            if i not in found
        }

    def _resolve(self, label: lb.Label, *, line: int = 0, dry: bool = False) -> object:
        """A speaker's full name, _QUESTION for the interviewer, or None when not a label."""
        name, key = label.name, fold(label.name)
        if not lb.plausible_affiliation(label.affiliation):
            return None  # `Jane Doe, who runs the clinic, said: …` is prose
        if key in self._interviewer_labels:
            return _QUESTION
        if key in self._aliases:
            return self._speaker_or_question(self._aliases[key])
        if self._has_questions and lb.answer_label(name) and not label.affiliation:
            return self._answerer(label, line, dry)
        if lb.looks_like_initials(name):
            return self._by_initials(name.replace(".", ""), label, line, dry)
        match = lb.interviewer_label(name)
        if match and not label.affiliation:
            if match.group("publication") and not self.publication:
                self.publication = match.group("publication")
            return _QUESTION
        if _subheading(label.rest) and key not in self._book.full:
            return None  # `Tal Abyad: Who Holds the Town?` heads a part of an explainer
        if (
            not dry
            and not self._has_questions
            and key not in self._author_keys
            and self._biography(label)
        ):
            return None
        bare = lb.without_title(name)
        if " " in name and (longer := self._longer_name(name)):
            return self._speaker_or_question(longer)  # `Abu Mohammad:` for Abu Mohammad al-Halabi
        if key in self._book.full:
            return self._speaker_or_question(self._book.full[key])
        if bare != name:  # `Dr. Jane Smith:` for Jane Smith, `Prof. Haddad:` for Omar Haddad
            return self._resolve(label._replace(name=bare), line=line, dry=dry)
        if len(name.split()) == 1:
            return self._by_single_word(label, line, dry)
        # `de la Cruz:` for Ana de la Cruz, named by another label or else by the intro
        people = self._book.surname.get(key) or self._context_book().surname.get(key, set())
        if len(people) == 1:
            return self._speaker_or_question(next(iter(people)))
        return name if lb.person_shaped(name) else None

    def _longer_name(self, name: str) -> str | None:
        """The one person whose name, as a label or the intro prints it, opens with these
        words: `Abu Mohammad` or `Um Khaled` (a kunya), `Jane Doe` for Jane Doe Smith."""
        key = fold(name)
        if self._leading is None:
            self._leading = _leading_words(self._known)
        people = self._leading.get(key, set())
        if not people:
            # Not the title's names: a headline's capitals (`Jane Doe Talks Water`) read as
            # names. Gathered only when the intro prints these words before another name word.
            text = self._context.partition("\n")[2] if self._context_texts else self._context
            if not any(
                lb.capitalised(text[at + len(name) + 1 :]) for at in _occurrences(text, f"{name} ")
            ):
                return None
            if self._leading_context is None:
                folded = fold(text)
                named = [n for n in self._context_book().full.values() if fold(n) in folded]
                self._leading_context = _leading_words(named)
            people = self._leading_context.get(key, set())
        if len({fold(lb.without_title(n)) for n in people}) != 1:
            return None
        return self._book.full.get(fold(lb.without_title(n := min(people))), n)

    def _named_in_full(self, surname: str) -> str | None:
        """The one person of that surname the title or intro names in full, by the name a
        label gives them (the intro's `Dr. Jane Doe` is the `Jane Doe:` who answers)."""
        people = {
            person
            for person in self._context_book().surname.get(fold(surname), ())
            if " " in lb.without_title(person)
        }
        if len(people) != 1:
            return None
        person = people.pop()
        return self._book.full.get(fold(lb.without_title(person)), person)

    def _answerer(self, label: lb.Label, line: int, dry: bool) -> str:
        """`A:` is the one person the labels, else the title and intro, name besides the
        author; with none or several, the label is kept as the speaker's name."""
        if self.publication not in self._answerers:  # once: a page may hold thousands of `A:`
            self._answerers[self.publication] = self._find_answerer()
        if person := self._answerers[self.publication]:
            return person
        if not dry and fold(label.name) not in self._printed_first:
            self.warnings.append(Note(line, f"label '{label.name}' names no one speaker; kept"))
        return self._kept(label.name)

    def _find_answerer(self) -> str | None:
        for names in (self._known, self._context_book().full.values()):
            people = {
                n for n in names if fold(n) not in self._author_keys and not lb.publication_name(n)
            }
            people.discard(self.publication or "")
            if names is not self._known and self._context_texts:
                # A headline's capitalised words (`The Harbour After the Floods`) read as a
                # name: one the title alone prints is the answerer only where the title sets
                # it off as one (`Q&A: Jane Doe, Director of Acme`, `Jane Doe on …`).
                title, _, rest = self._context.partition("\n")
                people = {
                    n
                    for n in people
                    if fold(n) in fold(rest) or _set_off_in_title(n, without_emphasis(title))
                }
            if len(people) > 1:
                # `Q&A: Jane Doe, Director of Acme`: the one the title names is the
                # interviewee; else the one the intro gives a role (`We spoke with Jane Doe,
                # a nurse with Acme Relief`), not the organisation or place also named. A
                # headline's capitalised words (`Why the Harbour Matters`) read as a name
                # too: one the title alone names yields to one the intro describes.
                title, _, rest = map(fold, self._context.partition("\n"))
                in_title = {n for n in people if fold(n) in title}
                roles = {n: _role_in_texts(n, [self._context], ()) for n in people}
                # One the intro describes as the publication's (`Syria Deeply reporter Tom
                # Roe`, `Tom Roe of Syria Deeply`) asks: he is not described as answering.
                described = {n for n, role in roles.items() if role and "Deeply" not in role}
                again = {n for n in in_title if fold(n) in rest}
                groups = (in_title & described, again, described, in_title if not described else ())
                people = next((g for g in groups if len(g) == 1), people)
            if len(people) == 1:
                return people.pop()
            if people:
                return None
        return None

    def _speaker_or_question(self, name: str) -> object:
        bare = lb.without_title(name)
        if bare != name and " " not in bare and (person := self._named_in_full(bare)):
            name = person  # `Dr. Kurdi:` (or `Kurdi:` after it) for the intro's Lina Kurdi
        if fold(name) in self._author_keys and name != self.publication:
            return _QUESTION
        if self.publication and fold(name) == fold(self.publication):
            return _QUESTION
        if lb.publication_name(name):
            return _QUESTION  # `SD:` for the title's Syria Deeply on a Refugees Deeply page
        return name

    def _by_initials(self, letters: str, label: lb.Label, line: int, dry: bool) -> object:
        """`JD:` for the one speaker so named; `SD:` for Syria Deeply unless a speaker who has
        already spoken has those initials (then a question mark decides, with a warning)."""
        known = set(self._book.initials.get(letters, ()))
        spoken = known & self._answered
        named = known or set(self._context_book().initials.get(letters, ()))
        publication = bool(self.publication) and initials(self.publication or "") == letters
        if publication and spoken:
            return self._shared_initials(spoken, label, line, dry)
        if publication:
            labelled = self._people(known)
            people = labelled or self._people(self._context_book().initials.get(letters, set()))
            if len(people) == 1 and self._asked_otherwise(letters):
                return people.pop()
            if len(people) == 1 and not labelled and self._sole_answerer(letters, people):
                # `SD:` for both sides, the intro naming Sami Dawood: no label names him.
                return self._shared_initials(people, label, line, dry)
            return _QUESTION
        if len(named) == 1:
            return self._speaker_or_question(named.pop())
        if len(named) > 1:
            return self._doubt(label, line, dry, f"could be {', '.join(sorted(named))}")
        if lb.interviewer_label(letters):
            return _QUESTION
        if len(letters) > 2 and "." not in label.name:  # `DOE:` is a surname in capitals
            key = fold(letters)
            people = self._book.by_word(key) or self._context_book().by_word(key)
            if len(people) == 1:
                return self._speaker_or_question(next(iter(people)))
        if not dry:
            self.warnings.append(Note(line, f"label '{label.name}' matches no speaker's initials"))
        return label.name if self._counts[fold(label.name)] > 1 else None

    def _shared_initials(self, people: set[str], label: lb.Label, line: int, dry: bool) -> object:
        """`SD:` for Syria Deeply and for Sami Dawood: after the interviewer's question it is
        his answer, after his answer (or first on the page) the next question; after someone
        else's answer, a question mark makes it a question. Warned either way."""
        previous = self._previous
        if previous is None:
            question = True  # an interview opens with a question
        elif previous.is_question or previous.speaker in people:
            question = not previous.is_question
        else:
            question = asks(label.rest)
        names = ", ".join(sorted(people))
        who = "the interviewer" if question else names
        self._doubt(label, line, dry, f"the publication or {names}; read as {who}")
        return _QUESTION if question else self._speaker_or_question(sorted(people)[0])

    def _sole_answerer(self, letters: str, people: set[str]) -> bool:
        """Whether no label on the page names anyone but these people, by these initials or
        their name, or asks: then `SD:` may be one of them answering."""
        key = f"sole:{letters}"
        if key not in self._others_ask:
            forms = {k for n in people for k in (fold(n), *_surname_keys(n), fold(n.split()[0]))}
            self._others_ask[key] = not any(
                label is not None
                and label.name.replace(".", "") != letters
                and fold(label.name) not in forms
                and fold(label.name) not in self._author_keys
                and fold(label.name) not in self._interviewer_labels
                and not lb.interviewer_label(label.name)
                and (
                    lb.person_shaped(label.name, single_ok=True)
                    or lb.looks_like_initials(label.name)
                )
                for label in self._labels
            )
        return self._others_ask[key]

    def _people(self, names: set[str]) -> set[str]:
        """These names less the publication and the authors, who ask rather than answer."""
        return {n for n in names if self._speaker_or_question(n) is not _QUESTION}

    def _asked_otherwise(self, letters: str) -> bool:
        """Whether the page's questions carry another label (`Q:`, `Question:`), so that
        `SD:` is Sara Dabbagh rather than Syria Deeply shortened. (Once per initials: a
        page may hold thousands of labels.)"""
        if letters not in self._others_ask:
            self._others_ask[letters] = self._find_other_asker(letters)
        return self._others_ask[letters]

    def _find_other_asker(self, letters: str) -> bool:
        for label in self._labels:
            if label is None or label.name.replace(".", "") == letters:
                continue
            match = lb.interviewer_label(label.name)
            if (match and not match.group("publication")) or (
                fold(label.name) in self._interviewer_labels
                and fold(label.name) != fold(self.publication or "")
            ):
                return True
        return False

    def _by_single_word(self, label: lb.Label, line: int, dry: bool) -> object:
        word = label.name
        if not lb.person_shaped(word, single_ok=True):
            return None
        key = fold(word)
        # The names in the intro are gathered only when the article's own names do not decide.
        people = self._book.by_word(key) or self._context_book().by_word(key)
        if len(people) == 1:
            return self._speaker_or_question(next(iter(people)))
        if len(people) > 1:
            return self._doubt(label, line, dry, f"could be {', '.join(sorted(people))}")
        if _AGED.match(label.affiliation or "") or _a_person(
            _role_after_comma(word, [self._context], ())
        ):
            return self._kept(word)  # `Nour, 19, a student:`; the intro's `Abdulrahman, a …`
        repeated = self._counts[key] > 1 and key in self._opens_sentence
        if (repeated and (self._known or self._has_questions)) or (
            not dry and self._first_names_answer(label)
        ):
            if not dry:
                self.warnings.append(Note(line, f"label '{word}' matches no full name; kept as is"))
            return self._kept(word)
        if not dry:
            self.warnings.append(Note(line, f"'{word}:' looks like a label but matches no speaker"))
        return None

    def _first_names_answer(self, label: lb.Label) -> bool:
        """`Noura: You could not …` printed once, where people answer by their first names
        (names changed): right after a question or another such answer, or on a round-up of
        several the intro does not name (`Aleppo:` and `Raqqa:` after an intro on the two
        cities are places). A lead-in (`Turkey: a buffer zone`) after a named speaker's words
        stays text."""
        if not label.rest[:1].isupper():
            return False
        if self._has_questions:
            previous = self._previous
            return previous is not None and (
                previous.is_question or " " not in lb.name_and_role(previous.label)[0]
            )
        if self._one_word_roundup is None:
            first = next(i for i, lab in enumerate(self._labels) if lab)
            before = [*self._context_texts, *(p.text for p in self._paras[:first])]
            named = fold("\n".join(before))
            words = {
                fold(lab.name)
                for lab in self._labels
                if lab
                and " " not in lab.name
                and lab.rest[:1].isupper()
                and lb.person_shaped(lab.name, single_ok=True)
                and not lb.looks_like_initials(lab.name)
                and not re.search(rf"\b{re.escape(fold(lab.name))}\b", named)
            }
            self._one_word_roundup = len(words) > 1 and bool(_ROUNDUP_HINTS.search(named))
        return self._one_word_roundup

    def _doubt(self, label: lb.Label, line: int, dry: bool, why: str) -> object:
        if not dry:
            self.warnings.append(Note(line, f"label '{label.name}' is ambiguous ({why})"))
        return self._kept(label.name)

    def _kept(self, name: str) -> str:
        """A label kept as the speaker's name, as first printed: `SMITH:` after `Smith:` is
        the same (unresolved) speaker, not another."""
        return self._printed_first.setdefault(fold(name), name)

    def _context_book(self) -> NameBook:
        """Names in the title, dek and intro: each run of capitalised words, read as the name
        that ends at each of its words (`We asked Rania Abouzeid` gives Rania Abouzeid)."""
        if self._all_context is None:
            # `Dr. Jane Doe` in the dek and `Jane Doe` in the intro are one person.
            names = list(dict.fromkeys(context_names(self._context)))
            self._all_context = NameBook(_one_spelling(names, ()))
        return self._all_context

    def _contributors_title(self) -> bool:
        """Whether the title names a contributors page (`Our Contributors`), not a round-up
        (`… Weigh In: …?`)."""
        title = self._context.partition("\n")[0]
        return bool(_CONTRIBUTORS.search(title)) and not _ROUNDUP_HINTS.search(title)

    def _biography(self, label: lb.Label) -> bool:
        """A contributors page (`Jane Doe: Jane is a journalist …`), not an answer."""
        rest = fold(label.rest[:80])
        own = tuple(fold(t) + " " for t in label.name.split())
        if rest.startswith(own) or _BIO_BARE.match(rest):
            return True
        if self._contributors_title():
            return True  # `Our Contributors`, whatever the dek says; not `… Weigh In: …?`
        if self._counts[fold(label.name)] > 1 or self._labelled_again(label.name):
            return False  # a contributors page names each person once; an interview, often
        return not _ROUNDUP_HINTS.search(self._context)

    def _labelled_again(self, name: str) -> bool:
        """Whether the person this label names has another label on the page too, printed
        another way (`Jane Doe:` then `Doe:` or `JD:`): a contributors page names each once."""
        if self._people_labelled is None:
            people: Counter[str] = Counter()
            for label in self._labels:
                if label and (person := self._labelled_person(label.name)):
                    people[person] += 1
            self._people_labelled = people
        person = self._labelled_person(name)
        return person is not None and self._people_labelled[person] > 1

    def _labelled_person(self, name: str) -> str | None:
        """The one full name of the page's that a label prints, in full, by a word of it or
        by its initials; else None (no look into the intro: this decides between labels)."""
        bare = lb.without_title(name)
        if " " in bare:
            return self._book.full.get(fold(name)) or self._book.full.get(fold(bare))
        if lb.looks_like_initials(bare):
            people = self._book.initials.get(bare.replace(".", ""), set())
        else:
            people = self._book.by_word(fold(bare))
        return next(iter(people)) if len(people) == 1 else None

    def _interviewer_name(self) -> str | None:
        """The publication or person asking, from the first question's label."""
        if not self._question_kinds:
            return None
        if self._asked_by:
            return self._asked_by
        first = self._question_kinds[0]
        for author in self._authors:
            if fold(author) == fold(first) or initials(author) == first.replace(".", ""):
                return author
        match = lb.interviewer_label(first)
        if match and match.group("publication"):
            return match.group("publication")
        if asking := _INITIALS_ASKING.fullmatch(first):
            # `SD:` is the publication of those initials: the banner's, else one the title,
            # dek or intro names (`She spoke to Syria Deeply`), not the author.
            named = [self.publication or "", *(m.group() for m in _DEEPLY.finditer(self._context))]
            if found := next((p for p in named if initials(p) == asking[1]), None):
                self.publication = self.publication or found
                return found
            if self.publication:
                # The banner's vertical has other initials (`SD Asks:` on a Refugees Deeply
                # page): the vertical of those initials asks, not the banner's.
                return _VERTICALS.get(asking[1]) or asking[1]
        if self.publication:
            return self.publication
        if self._authors:
            # `Q:` by a page of several authors: they ask, as one author does; not `Q`.
            *others, last = self._authors
            return f"{', '.join(others)} and {last}" if others else last
        return first

    def turn_at(self, index: int) -> Found | None:
        return self.turns.get(index)


# The archive's verticals by their initials, for a label of initials the page does not spell
# out (`SD Asks:` under another vertical's banner).
_VERTICALS = {
    initials(name): name
    for name in (
        "Syria Deeply", "News Deeply", "Refugees Deeply", "Water Deeply", "Arctic Deeply",
        "Oceans Deeply", "Peacebuilding Deeply", "Malnutrition Deeply", "Ebola Deeply",
    )
}  # fmt: skip
_INITIALS_ASKING = re.compile(r"([A-Z]{1,3}D)(?: Asks| ASKS| asks)?")
_DEEPLY = re.compile(r"\b(?:[A-Z][\w&’'-]* ){1,3}Deeply\b")


# A name the title sets off: at its start or after a colon, a dash or `with`; and before a
# colon, a comma, a dash, a parenthesis, a possessive or a word in lower case (`Jane Doe on
# the Ceasefire`), or at the end after a colon or `with` (`In Conversation With Jane Doe`).
_LEAD_TITLE_NAME = re.compile(r"(?:[:–—|]\s*|\b[Ww]ith\s+)$")
_AFTER_TITLE_NAME = re.compile(r"\s*(?:[:,–—|(]|[’']s\b)|\s+[a-z]")


def _set_off_in_title(name: str, title: str) -> bool:
    for at in _occurrences(title, name):
        lead = _LEAD_TITLE_NAME.search(title, 0, at) if at else None
        if at and lead is None:
            continue
        end = at + len(name)
        if _AFTER_TITLE_NAME.match(title, end) or (lead and not title[end:].strip(" .!?")):
            return True
    return False


def _profile(name: str, text: str) -> bool:
    """Whether `text` opens a profile of the person named: with a word of the name, or `She
    is`, `He has` … (an answer seldom does)."""
    opening = fold(text[:60])
    # `Jane’s work …` as `Jane is …`; the possessive in its folded form, as `opening` has it
    words = tuple(f"{word}{end}" for word in fold(name).split() for end in (" ", fold("’s ")))
    return opening.startswith(words) or bool(_PROFILE_PRONOUN.match(opening))


_PROFILE_PRONOUN = re.compile(
    r"(?:she|he) (?:is|was|has|covers|covered|reports|reported|writes|wrote|works|worked"
    r"|lives|joined|leads|heads|runs|studied|holds)\b"
)
_TOPIC = re.compile(r"(?:^|,\s*)(?:on|about|regarding)\s")


def asks(text: str) -> bool:
    """A turn that ends with a question mark, before closing quotes, brackets or Markdown
    emphasis (`*What now?*`)."""
    return text.rstrip(' "”’)]*_').endswith("?")


def _subheading(text: str) -> bool:
    """A short question in title case (`Who Holds the Town?`), as subheadings are written;
    answers are written in sentences."""
    words = text.split()
    if not 2 <= len(words) <= 12 or not text.endswith("?"):
        return False
    long = [word for word in words if len(word.strip("?’'\"“”")) > 3]
    return len(long) >= 2 and all(word[0].isupper() for word in long)


def context_names(text: str) -> list[str]:
    """Every name of two or three words that ends at a word of a capitalised run, less the
    post before it: `Free Syrian Army Commander Omar Haddad` gives Omar Haddad (a title stays:
    `Dr. Smith` is how the page names him)."""
    names = []
    for run in _CAPITALISED_RUN.findall(text):
        for tokens in _name_runs(run.split()):
            for end in range(1, len(tokens)):
                start, words = end, 1  # three capitalised words back; particles do not count
                while start > 0 and words < 3:
                    start -= 1
                    words += lb.capitalised(tokens[start])
                window = tokens[start : end + 1]
                while window and (
                    fold(window[0]) in lb._NOT_NAMES
                    or fold(window[0]) in _POSTS
                    or not lb.capitalised(window[0])
                ):
                    window.pop(0)
                if len(window) > 1 and lb.person_shaped(" ".join(window)):
                    names.append(" ".join(window))
    return names


def _name_runs(tokens: list[str]) -> Iterator[list[str]]:
    """A run of capitalised words cut where a name must end: after a possessive (`UNICEF’s
    Jane Doe`, `the White Helmets’ Raed Hamdan`) or a word that ends a sentence (`… spoke to
    Jane Doe. Her clinic …`)."""
    run: list[str] = []
    for token in tokens:
        if token.endswith(("’s", "'s")):
            run.append(token[:-2])
        elif token.endswith(("s’", "s'")) and len(token) > 2:
            run.append(token[:-1])
        elif token.endswith(".") and len(token) > 2 and not _keeps_its_period(token):
            run.append(token.rstrip("."))
        else:
            run.append(token)
            continue
        yield run
        run = []
    if run:
        yield run


def _keeps_its_period(token: str) -> bool:
    """`Dr.`, `St.`, `Jr.`: a period that is part of the word, not a sentence's end."""
    return lb.is_title(token) or fold(token) in lb._PARTICLES or fold(token) in ("jr.", "sr.")


def _leading_words(names: Iterable[str]) -> dict[str, set[str]]:
    """Each name by the words it opens with, two or more but not all of them (folded)."""
    leading: dict[str, set[str]] = defaultdict(set)
    for name in names:
        words = fold(lb.without_title(name)).split()
        if words and words[-1] in _PLACE_WORDS:
            continue  # `Omar Haddad Street` is named after him, not him
        for end in range(2, len(words)):
            leading[" ".join(words[:end])].add(name)
    return leading


_PLACE_WORDS = frozenset(
    "street road square avenue hospital clinic school mosque airport camp bridge park hotel"
    " building neighborhood neighbourhood quarter stadium".split()
)


# Capitalised posts printed before a name (`Commander Omar Haddad`, `Director Jane Doe`).
_POSTS = frozenset(
    """
    commander director chief spokesman spokeswoman spokesperson mayor governor lieutenant
    brigadier chairman chairwoman chair secretary envoy deputy head leader founder co-founder
    coordinator officer official activist journalist reporter correspondent photographer
    analyst researcher economist lawyer nurse surgeon representative delegate negotiator emir
    commissioner administrator manager president-elect premier king queen prince princess
    """.split()
)


_PERSON_NOUNS = _POSTS | frozenset(
    """
    student teacher doctor physician farmer refugee mother father son daughter worker volunteer
    engineer fighter rebel defector resident shopkeeper pharmacist medic paramedic writer
    artist poet musician teenager grandmother grandfather widow professor man woman boy
    girl survivor smuggler driver baker tailor mechanic electrician carpenter imam priest
    """.split()
)


# -- roles ------------------------------------------------------------------------------------
# Series headings in the archive: `Expert View: …`, `Q&A: …`, `Syria Deeply Asks: …`.
_SERIES_NAME = r"(?:One[- ]on[- ]One|Q\s*[+&]\s*A|Expert View|The Interview|(?:[\w ]+ )?Asks)\s*:"
SERIES_HEADING = re.compile(_SERIES_NAME, re.IGNORECASE)
# `Expert View: Jane Doe, a pilot`: the title names the speaker and the role.
_SERIES = re.compile(_SERIES_NAME + r"\s*(?P<name>[^,:]+?)\s*,\s*(?P<role>[^:]+)$", re.IGNORECASE)
_ROLE_STOPS = (
    ", to ", ", about ", ", on ", ", for ", ", who ", ", which ", ", said", ", says", ", told",
    ", tells", ", spoke", ", explain", ", discuss", ", weigh", ", and ", "; ", " – ", " — ",
    ", what ", ", how ", ", why ", ", whether ", ", where ", ", when ", ", if ", " .", ": ",
)  # fmt: skip
# `Omar Haddad, an economist at X, has published …`: the role ends where the sentence's verb is.
_ROLE_VERB = re.compile(
    r", (?:has|have|had|is|was|were|are|will|would|can|could|did|does|talks|talked|shares"
    r"|shared|gives|gave|offers|offered|answers|joins|joined|looks|looked|sat|sits|walks"
    r"|walked|takes|took|recalls|recalled|remembers|remembered|argues|argued|believes"
    r"|believed|warns|warned|breaks|broke|reflects|reflected|describes|described|examines"
    r"|examined|assesses|assessed|outlines|outlined|predicts|predicted|thinks|thought"
    r"|considers|considered|unpacks|unpacked|analyzes|analyses|analyzed|analysed|returns"
    r"|returned|knows|knew|sees|saw|calls|called|says|said|explains|collects|collected|tracks"
    r"|tracked|represents|represented|studies|studied|draws|drew|runs|ran|leads|led|heads"
    r"|headed|oversees|oversaw|manages|managed|directs|directed|covers|covered|writes|wrote"
    r"|works|worked|lives|lived|spends|spent|helps|helped|founded|documents|documented"
    r"|monitors|monitored|coordinates|coordinated|teaches|taught|trains|trained|serves"
    r"|served|fled|left|spoke|speaks|tells|told|kept|keeps|became|becomes|began|begins"
    r"|built|builds|opened|opens|started|starts|stayed|stays|moved|moves|made|makes|won|lost"
    r"|went|goes|came|comes|visited|visits|traveled|travelled|travels|arrived|arrives"
    r"|escaped|escapes|survived|survives|crossed|crosses|smuggled|smuggles)\b"
)


# `a pilot at Acme Port and has worked there …`: `and` opening the sentence's next verb.
_AND_VERB = re.compile(
    r" and (?:has|have|had|is|was|were|are|will|would|can|could|spoke|speaks|told|tells|says"
    r"|said|lives|lived|fled|left)\b"
)


def roles_for(
    turns: Sequence[Turn],
    *,
    meta: FrontMatter,
    texts: Sequence[str],
    title: str | None,
    affiliations: Mapping[str, str],
) -> tuple[Speaker, ...]:
    """Speakers in order of their first answer, with roles and the labels they went by."""
    declared = {s.name: s for s in meta.speakers}
    names = list(dict.fromkeys(t.speaker for t in turns if not t.is_question))
    aliases: dict[str, list[str]] = {
        n: list(declared[n].aliases) if n in declared else [] for n in names
    }
    for turn in turns:
        printed = lb.name_and_role(turn.label)[0]
        if (
            not turn.is_question
            and printed != turn.speaker
            and printed not in aliases[turn.speaker]
        ):
            aliases[turn.speaker].append(printed)
    series = _SERIES.match(title or "")
    texts = [without_emphasis(text) for text in texts]
    # A name whose words are not all in the texts has no role there: not looked for (a page
    # of thousands of labels would look for each through the whole intro).
    present = set(WORDS.findall("\n".join(texts)))
    named = [name for name in names if present.issuperset(WORDS.findall(name))]
    found = set(named)
    speakers = []
    for name in names:
        role = declared[name].role if name in declared else None
        printed = None if role else affiliations.get(name) or None
        role = role or printed
        if not role and series and fold(series.group("name")) == fold(name):
            role = series.group("role").strip()
        if (not role or printed) and name in found:
            said = _role_in_texts(name, texts, named)
            # `Jane Doe, Acme Institute:` whom the intro calls a director at the Institute
            role = said if said and (not role or _fuller(said, printed or "")) else role
        speakers.append(Speaker(name, role, tuple(aliases[name])))
    speakers += [s for s in meta.speakers if s.name not in aliases]
    return tuple(speakers)


def _fuller(said: str, printed: str) -> bool:
    """Whether the intro's description holds the label's shorter one (`director of the
    Middle East program at the Acme Institute` beside `Acme Institute`)."""
    shorter = re.escape(fold(printed.removeprefix("the ")))
    return (
        len(said) > len(printed) and re.search(rf"(?<!\w){shorter}(?!\w)", fold(said)) is not None
    )


# Markdown emphasis around words (`**Jane Doe**, a nurse`, `*Book*`); not `_`, which
# also joins words in addresses and handles.
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__|\*)(?=[^\s*_])([^*_\n]+?)(?<=[^\s*_])\1(?![\w*])")


def without_emphasis(text: str) -> str:
    """Text less its Markdown emphasis marks, so that a name in bold reads as the name."""
    return _EMPHASIS.sub(r"\2", text) if "*" in text or "__" in text else text


def _starts_a_name(text: str, name: str, at: int) -> bool:
    """Whether `name` found at `at` is that speaker rather than the end of a longer name:
    a surname alone (`Smith`) is not the one in `John Smith, …`, but is in `We asked Smith`,
    `Dr. Smith` or `Senator Smith`. A full name always stands for itself."""
    if " " in name.strip():
        return True
    if at and (text[at - 1].isalnum() or text[at - 1] in "-’'"):
        return False
    words = text[:at].split()
    if at == 0 or text[at - 1] != " " or not words:
        return True
    before = words[-1]
    return not (before[0].isupper() and before[-1].isalpha()) or lb.is_title(before)


def _role_in_texts(name: str, texts: Sequence[str], names: Sequence[str]) -> str | None:
    """The description after a speaker's name: `We asked Jane Doe, ROLE, and …`, else
    `Jane Doe (ROLE)` or `Jane Doe – ROLE –`, else `Jane Doe is a ROLE.`"""
    return (
        _role_after_comma(name, texts, names)
        or _shared_role(name, texts, names)
        or _role_aside(name, texts)
        or _role_after_is(name, texts)
        or _role_before(name, texts)
        or _role_of(name, texts, names)
    )


# `Noah Bonsey of the International Crisis Group`, `Jane Doe from Acme Relief`: capitalised
# words (with `of`, `for`, `and`, `the` inside) after the name and a preposition.
_OF_ORGANISATION = re.compile(
    r" (?:of|(?P<from>from)|with) (?:the )?((?:[A-Z][\w’'&.-]*)(?: (?:(?:of|for|and|the|on|de|al)"
    r" )*[A-Z][\w’'&.-]*)*)"
)


def _role_of(name: str, texts: Sequence[str], names: Sequence[str]) -> str | None:
    """The organisation a name is `of` or `with` (`from Aleppo` as said), when nothing else
    gives a role."""
    if " " not in name:
        return None
    for text in texts:
        for at in _occurrences(text, name):
            if org := _OF_ORGANISATION.match(text, at + len(name)):
                role = org.group(2)
                for other in names:  # `Jane Doe of Acme and John Roe`: his name is no part
                    if other != name and (cut := role.find(f" and {other}")) >= 0:
                        role = role[:cut]
                return ("from " if org["from"] else "") + role.rstrip(".")
    return None


def _role_before(name: str, texts: Sequence[str]) -> str | None:
    """`We spoke with Acme Institute senior fellow Jane Doe`: a post printed before the name
    (with its organisation, and a word or two such as `senior`), when nothing follows it."""
    if " " not in name:
        return None
    for text in texts:
        for at in _occurrences(text, name):
            if before := _POST_BEFORE.search(text, max(0, at - 120), at):
                role = _DETERMINER.sub("", before.group(1)).strip()
                if role and role.split()[-1] in _POST_NOUNS:  # not `the mother of`
                    return role
    return None


_POST_NOUNS = _PERSON_NOUNS | frozenset(
    """
    fellow expert scholar specialist adviser advisor consultant editor author ambassador
    historian scientist lecturer professor director researcher analyst spokesman spokeswoman
    """.split()
)
# Capitalised words (the organisation), then up to three lowercase ones ending in a post,
# right before the name; `the`, `a` or `her` before them are no part of the role.
_POST_BEFORE = re.compile(r"(?:^|(?<=[\s(“\"]))((?:[A-Z][\w’'&.-]* ){0,4}(?:[a-z][\w’'-]* ){1,3})$")
_DETERMINER = re.compile(r"^(?:[Tt]he|[Aa]n?|[Hh]er|[Hh]is|[Tt]heir|[Oo]ur|[Ii]ts) ")


# `Jane Doe (a pilot at Acme Port)`, `Jane Doe – a pilot at Acme Port –`, `… — a pilot.`
_ASIDE_ROLE = re.compile(r" ?(?:\(([^()]{3,160})\)|([–—]) ([^–—()]{3,160}?)(?: \2|[.;]?$))")
# What a parenthesis after a name says that is not a role.
_NOT_ASIDE = re.compile(
    r"(?:pictured|left|right|cent(?:er|re)|above|below|top|bottom|photo|not |name|real name"
    r"|pseudonym|alias|also known|known as|aka|now|then|and |or |but |who |which |she |he |they"
    r"|we |i |\d|@|https?:|www\.)",  # a handle or an address, not a role
    re.IGNORECASE,
)


_ARTICLE = re.compile(r"(?:an?|the) ")


def _role_aside(name: str, texts: Sequence[str]) -> str | None:
    for text in texts:
        for at in _occurrences(text, name):
            end = at + len(name)
            if not _starts_a_name(text, name, at) or text[end : end + 1].isalnum():
                continue
            aside = _ASIDE_ROLE.match(text, end)
            if aside is None:
                continue
            role = (aside.group(1) or aside.group(3)).strip(" ,.")
            dashed = aside.group(1) is None  # between dashes, only `a/an/the …`: not a clause
            if (
                role
                and "?" not in role
                and _describes(role)
                and not _NOT_ASIDE.match(role)
                and not lb.looks_like_initials(role)  # `Jane Doe (JD)`
                and not (dashed and not _ARTICLE.match(role))
            ):
                return role
    return None


def _role_after_is(name: str, texts: Sequence[str]) -> str | None:
    needle = f"{name} is "
    for text in texts:
        for at in _occurrences(text, needle):
            if not _starts_a_name(text, name, at):
                continue
            clause, plain = lb.unquoted(text[at + len(needle) : at + len(needle) + 399])
            if said := _ROLE_IS.match(plain[: _role_end(plain)]):
                # Cut where a comma role stops (`…, which runs …`, `… and has …`); a state
                # (`not optimistic`, `worried about`, `in Beirut`) is no role.
                role = _role_from(f" {clause[said.start(1) : said.end(1)]}", name, ())
                if role and not _A_STATE.match(role):
                    return role
    return None


# What `Name is …` says that is a state, not a post: `not optimistic`, `worried about the
# port`, `working on a book`, `45 and a pilot`.
_A_STATE = re.compile(
    r"(?:not|no|very|so|too|quite|still|here|there|optimistic|pessimistic|hopeful|skeptical"
    r"|sceptical|confident|sure|unsure|afraid|certain|uncertain|aware|right|wrong|happy|sad"
    r"|angry|proud|\d+|[a-z]+ed|[a-z]+ing)\b"
)


# What `Name is …` says of a speaker, up to the end of its sentence. (Names are found with
# str.find, not a pattern made for each: compiling one took a tenth of the time an article
# takes to parse.)
_ROLE_IS = re.compile(r"((?:an? |the )?[^;:!?]{3,160}?)(?: who | whose |[;:!?]| \.|$)")


# A sentence's period: before a space, or glued to the next sentence's first word after a
# word in lower case (`journalists.We`; not `Ph.D`, `U.S.`).
_PERIOD = re.compile(r"\. |(?<=[^\W\d_A-Z]{2})\.(?=[^\W\d_a-z][^\W\d_A-Z])")


def _role_end(segment: str) -> int:
    """Where the sentence ends (at `.`, `?` or `!`), or a parenthesis the role is inside
    closes: not at the period of `U.N.` or `Ph.D.`, nor at the `)` of `Human Rights Watch
    (HRW)`. A period with no space after it ends the sentence too, before a capitalised word
    (`… journalists.We spoke to him`), as pages lose the space."""
    end = len(segment)
    at = next(
        (m.start() for m in _PERIOD.finditer(segment) if not lb.abbreviation(segment, m.start())),
        -1,
    )
    if at >= 0:
        end = at
    elif segment.endswith("."):
        end -= 1
    for mark in ("? ", "! "):  # a question or an exclamation ends the sentence as well
        if 0 <= (at := segment.find(mark)) < end:
            end = at
    if end == len(segment) and segment.endswith(("?", "!")):
        end -= 1
    depth = 0
    for i, char in enumerate(segment[:end]):
        if char == "(":
            depth += 1
        elif char == ")":
            if not depth:
                return i
            depth -= 1
    return end


def _occurrences(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + len(needle))


def _role_after_comma(name: str, texts: Sequence[str], names: Sequence[str]) -> str | None:
    for text in texts:
        found = next(
            (
                (at, comma)
                for at in _occurrences(text, name)
                if (comma := _comma_after(text, at + len(name))) > 0
                and _starts_a_name(text, name, at)
                and not _JOINED.match(text, at + len(name))
            ),
            None,
        )
        if found is None:
            continue
        found, comma = found
        role = _role_from(text[comma + 1 : comma + 400], name, names)
        if (
            role
            and _AND_BEFORE.search(text, max(0, found - 80), found)
            and _SAID_OF_ALL.match(role)
        ):
            role = _one_each(role)  # `Jane Doe and John Roe, both pilots`: John Roe's too
        if role:
            return role
    return None


def _comma_after(text: str, end: int) -> int:
    """Where the comma after a name stands: right after it, or after an aside that is no
    role (`Jane Doe (@janedoe), a pilot`, `Jane Doe (pictured), …`); else -1."""
    if text.startswith(",", end):
        return end
    aside = _HANDLE_OR_ASIDE.match(text, end)
    if aside and text.startswith(",", aside.end()):
        inside = aside.group(1)
        if _NOT_ASIDE.match(inside):
            return aside.end()
    return -1


_HANDLE_OR_ASIDE = re.compile(r" ?\(([^()]{1,80})\)")


def _shared_role(name: str, texts: Sequence[str], names: Sequence[str]) -> str | None:
    """`Jane Doe and John Roe, both pilots at Acme Air,`: the role shared by the names an
    `and` joins is each one's (`pilots at Acme Air`)."""
    for text in texts:
        for at in _occurrences(text, name):
            joined = _JOINED.match(text, at + len(name))
            if joined and _starts_a_name(text, name, at):
                role = _role_from(text[joined.end() : joined.end() + 399], name, names)
                return _one_each(role) if role else None
    return None


def _role_from(segment: str, name: str, names: Sequence[str]) -> str | None:
    """The role that opens `segment` (the text after `Name,`), up to where it stops: stops
    are looked for outside quotation marks (`the author of “Syria: A History,” about …`)."""
    segment, plain = lb.unquoted(segment)
    end = _role_end(plain)
    segment, plain = segment[:end], plain[:end]
    if age := _AGE.match(plain):  # `Ahmad Tarakji, 45, a surgeon`: the role follows
        segment, plain = segment[age.end() :], plain[age.end() :]
    if _ROLE_VERB.match(f",{plain}"):
        return None  # `…, a pilot at Acme Port, has worked …`: the sentence's verb, no role
    ended = plain + " "  # a stop such as `, why ` also where the sentence ends after it
    stops = [ended.find(s) for s in _ROLE_STOPS]
    stops.append(verb.start() if (verb := _ROLE_VERB.search(plain)) else -1)
    stops.append(verb.start() if (verb := _AND_VERB.search(plain)) else -1)
    stops += [plain.find(f" {other}") for other in names if other != name]
    end = min((s for s in stops if s >= 0), default=len(segment))
    role = _WHO_IS.sub("", segment[:end].strip(" ,."), count=1)
    return role if role and _describes(role) and not _WHO_TELLS.match(role) else None


# Names joined by `and` (`Jane Doe and John Roe`, `Jane Doe, John Roe and Omar Haddad`)
# before a role said of them all: `, both …`, `, two …`, `, all three …`, `, who both …`.
_NAME_IN_LIST = rf"(?:(?:{'|'.join(_ARTICLES)})-)?[^\W\d_a-z][\w’'.-]*"
_NAME_IN_LIST = rf"{_NAME_IN_LIST}(?: (?:{_PARTICLE} )*{_NAME_IN_LIST}){{0,3}}"
_QUANTITY = r"(?:who (?:are |were )?)?(?:both|all|two|three|four|five)\b"
_JOINED = re.compile(rf"(?:, {_NAME_IN_LIST}){{0,4}},? (?:and|&) {_NAME_IN_LIST}, (?={_QUANTITY})")
_SAID_OF_ALL = re.compile(_QUANTITY)
_AND_BEFORE = re.compile(r"[^\W\d_][\w’'.-]*,? (?:and|&) $")  # `Jane Doe and ` before a name
_EACH = re.compile(
    r"(?:(?P<who>who )(?P<are>(?:are|were) )?)?(?:both|all(?: (?:two|three|four|five))?|two"
    r"|three|four|five) (?!(?:days?|weeks?|months?|years?|hours?|times?|decades?|of them"
    r"|of whom)\b)(?P<of>of (?=(?:the|their|its|our) [a-z]))?(?=\w)"
)


def _one_each(role: str) -> str | None:
    """A role said of several people, as each one's: `both pilots at X` -> `pilots at X`,
    `who both work at X` -> `who work at X`, `two of the founders of X` -> `one of the
    founders of X`; `two weeks after …` is none."""
    each = _EACH.match(role)
    if each is None:
        return None
    start = "one of " if each["of"] else "who " if each["who"] and not each["are"] else ""
    return start + role[each.end() :]


# `Jane Doe, who is a surgeon in Idlib,`: the role is `a surgeon in Idlib`.
_WHO_IS = re.compile(r"^who (?:is|’s|'s) (?=(?:an?|the) )")
# `Jane Doe, who spoke to us from Beirut,` or `…, who asked not to be named,` tells of the
# interview, not of her: no role (`who runs the clinic` is one).
_WHO_TELLS = re.compile(
    r"who (?:(?:also|has|have|had|now|then|later|\w+ly) )*(?:spoke|speaks|talked|talks|said"
    r"|says|told|tells|asked|asks|requested|requests|declined|declines|agreed|agrees|wished"
    r"|wishes|preferred|prefers|wanted|wants|did not|didn’t|didn't|does not|doesn’t|doesn't"
    r"|would not|wouldn’t|wouldn't|joined us|joins us|answered|answers|responded|responds"
    r"|replied|replies|shared|shares|explained|explains|described|describes|discussed"
    r"|discusses|sat down|sits down|met us|meets us|reached|contacted)\b"
)


_AGE = re.compile(r"\s*\d{1,3},(?=\s*(?:an?|the|who)\s)")
_AGED = re.compile(r"\d{1,3}(?:,|$)")  # a one-word name's affiliation that starts with an age


def _a_person(role: str | None) -> bool:
    """A role only a person has (`a 24-year-old media activist`), not a place's (`Aleppo, the
    largest city`): what lets a name of one word found in the intro speak."""
    return role is not None and any(
        word in _PERSON_NOUNS or word.endswith("-old") for word in fold(role).split()
    )


def _describes(role: str) -> bool:
    """`senior analyst at X` is a role; `about the talks` and `45, in Geneva` are not."""
    first = role.split()[0].strip(",").casefold()
    return not first.isdigit() and first not in _NOT_ROLE_WORDS


_NOT_ROLE_WORDS = frozenset(
    "about after at before by during for from in into last on over since this to today "
    "when where while with yesterday".split()
    + "i we you he she they it there".split()  # `In a call with Jane Doe, we asked …`
)
