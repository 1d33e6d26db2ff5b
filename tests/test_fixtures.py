"""Golden pages for every layout in FORMAT-NOTES, and one-line label rules."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from deeply_cli.archive import base_slug
from deeply_cli.parser import parse
from deeply_cli.text import normalize_ws
from tests.expected import check

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = sorted([*FIXTURES.glob("*.txt"), *FIXTURES.glob("*.md")])
BYLINE = "Written by Mona Writer Published on Read time Approx. 2 minutes"


def _load(name: str) -> list:
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


def test_there_are_golden_pages() -> None:
    assert len(PAGES) >= 10


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_golden_page(page: Path) -> None:
    expected = page.with_name(page.stem + ".expected.yaml")
    assert expected.exists(), f"{page.name} has no expectation"
    check(
        parse(page.read_text(encoding="utf-8")),
        yaml.safe_load(expected.read_text(encoding="utf-8")),
    )


@pytest.mark.parametrize("case", _load("labels.yaml"), ids=lambda c: c["label"])
def test_label_shapes(case: dict) -> None:
    page = f"Harbour Talk\n\n{BYLINE}\n\nSyria Deeply: What happened?\n\n{case['text']}\n"
    article = parse(page)
    [answer] = article.answers
    assert (answer.speaker, answer.label) == (case["name"], case["label"])
    assert article.speaker(case["name"]).role == case["role"]
    assert answer.paragraphs[0] == normalize_ws(case["text"][len(case["label"]) + 1 :])


@pytest.mark.parametrize("text", _load("not-labels.yaml"))
def test_not_labels_stay_text(text: str) -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe asked Jane Doe and Omar Haddad about the harbour.\n\n"
        f"Syria Deeply: What happened?\n\nJane Doe: We saw the convoy.\n\n{text}\n\n"
        "Omar Haddad: It was late.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.label) for a in article.answers] == [
        ("Jane Doe", "Jane Doe"),
        ("Omar Haddad", "Omar Haddad"),
    ]
    kept = [*article.answers[0].paragraphs, *article.notes]
    assert normalize_ws(text) in kept


def test_initials_shared_by_publication_and_speaker_warn() -> None:
    page = (
        "Dear Deeply Readers,\n\nWelcome to the archives of Syria Deeply. You can do so at\n\n"
        f"Harbour Talk\n\n{BYLINE}\n\nSyria Deeply: Who are you?\n\nSami Dabbagh: A pilot.\n\n"
        "SD: And the harbour?\n\nSD: It is closed.\n"
    )
    article = parse(page)
    turns = [t for ex in article.exchanges for t in (ex.question, *ex.answers)]
    assert [(t.speaker, t.is_question) for t in turns] == [
        ("Syria Deeply", True),
        ("Sami Dabbagh", False),
        ("Syria Deeply", True),
        ("Sami Dabbagh", False),
    ]
    assert len(article.warnings) == 2
    assert "label 'SD' is ambiguous" in article.warnings[0].message


def test_sd_is_the_publication_when_no_speaker_has_spoken_with_those_initials() -> None:
    page = (
        "Welcome to the archives of Syria Deeply. You can do so at\n\n"
        f"Harbour Talk\n\n{BYLINE}\n\nWe asked Sara Dahan, a pilot, about the harbour.\n\n"
        "SD: What happened.\n\nSara Dahan: Nothing.\n"
    )
    article = parse(page)
    assert article.questions[0].speaker == "Syria Deeply"
    assert article.answers[0].speaker == "Sara Dahan"


def test_first_name_label_resolves_through_the_intro() -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\n"
        "We spoke to Rania Haddad, a harbour pilot, about the ships.\n\n"
        "Syria Deeply: What changed?\n\nRania: Everything.\n\n"
        "Syria Deeply: And now?\n\nHaddad: Less.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.label) for a in article.answers] == [
        ("Rania Haddad", "Rania"),
        ("Rania Haddad", "Haddad"),
    ]
    assert article.speakers[0].role == "a harbour pilot"


def test_namesakes_keep_their_own_roles_and_a_title_joins_the_name() -> None:
    """Two Smiths: a bare `Smith:` is ambiguous, so it is kept as printed (one speaker in
    any case, never the role of `John Smith, economist`); `Dr. Jane Smith:` is Jane Smith."""
    page = (
        f"Prices Talk\n\n{BYLINE}\n\n"
        "We asked John Smith, economist at Acme Bank, and Jane Smith, historian at Beta"
        " University, about prices.\n\n"
        "Syria Deeply: What happened?\n\nJohn Smith: They rose.\n\n"
        "Jane Smith: They rose before.\n\nSyria Deeply: And then?\n\n"
        "Smith: Who knows.\n\nDr. Jane Smith: With a title.\n\nSMITH: In capitals.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.label) for a in article.answers] == [
        ("John Smith", "John Smith"),
        ("Jane Smith", "Jane Smith"),
        ("Smith", "Smith"),
        ("Jane Smith", "Dr. Jane Smith"),
        ("Smith", "SMITH"),
    ]
    roles = {s.name: s.role for s in article.speakers}
    assert roles == {
        "John Smith": "economist at Acme Bank",
        "Jane Smith": "historian at Beta University",
        "Smith": None,
    }
    assert sum("'Smith' is ambiguous" in w.message for w in article.warnings) == 1


@pytest.mark.parametrize(
    ("intro", "name", "role"),
    [
        (
            "We spoke with Senator Jane Smith, chair of the Armed Services Committee, about it.",
            "Jane Smith",
            "chair of the Armed Services Committee",
        ),
        (
            "Harvard’s Jane Smith, a professor of history, spoke.",
            "Jane Smith",
            "a professor of history",
        ),
        (
            "Former Ambassador Robert Ford is a senior fellow at the Middle East Institute.",
            "Robert Ford",
            "a senior fellow at the Middle East Institute",
        ),
        ("We asked Senator Smith, a hawk, about it.", "Smith", "a hawk"),
        ("We asked John Smith, a baker, about it.", "Smith", None),  # John's, not Smith's
        (
            "Omar Haddad, an economist at the Acme Institute, has published three reports.",
            "Omar Haddad",
            "an economist at the Acme Institute",
        ),
        (
            "Jane Doe, a senior planner at Acme Relief, talks about how the camp has changed.",
            "Jane Doe",
            "a senior planner at Acme Relief",
        ),
        (
            "Leila Ortiz, director of the Acme Archive, collects videos of the war.",
            "Leila Ortiz",
            "director of the Acme Archive",
        ),
        (
            "Sara Dabbagh, a teacher in Douma, kept her school open.",
            "Sara Dabbagh",
            "a teacher in Douma",
        ),
        # A period that ends an abbreviation, and a parenthesis opened inside the role.
        (
            "We asked Jane Doe, the U.N. humanitarian coordinator in Damascus, about it.",
            "Jane Doe",
            "the U.N. humanitarian coordinator in Damascus",
        ),
        (
            "Sami Farah, a researcher at Human Rights Watch (HRW) in Beirut, said so.",
            "Sami Farah",
            "a researcher at Human Rights Watch (HRW) in Beirut",
        ),
        (
            "We met Omar Haddad, a Ph.D. candidate at St. Andrews. He studies water.",
            "Omar Haddad",
            "a Ph.D. candidate at St. Andrews",
        ),
        ("We met them (Sara Lee, an analyst) in May.", "Sara Lee", "an analyst"),
        (
            "Jane Doe is a former U.S. diplomat who served in Damascus.",
            "Jane Doe",
            "a former U.S. diplomat",
        ),
        ("Jane Doe is a nurse. She left in 2014.", "Jane Doe", "a nurse"),
        # An age before the role.
        (
            "Syria Deeply spoke to Ahmad Tarakji, 45, a surgeon from Aleppo, about it.",
            "Ahmad Tarakji",
            "a surgeon from Aleppo",
        ),
        # In parentheses or between dashes; an aside that is not a role is none.
        (
            "We spoke with Jane Doe (a pilot at Acme Port) about it.",
            "Jane Doe",
            "a pilot at Acme Port",
        ),
        (
            "We asked Jane Doe – a pilot at Acme Port – about it.",
            "Jane Doe",
            "a pilot at Acme Port",
        ),
        ("We asked Jane Doe — the port’s chief pilot.", "Jane Doe", "the port’s chief pilot"),
        ("We spoke with Jane Doe (pictured) about it.", "Jane Doe", None),
        ("We spoke with Jane Doe (not her real name) about it.", "Jane Doe", None),
        ("We spoke with Jane Doe (JD) about it.", "Jane Doe", None),
        ("We spoke with Jane Doe – and she was angry – about it.", "Jane Doe", None),
        # A relative clause: `who is` a role, `who runs` one; telling of the interview, none.
        (
            "We spoke with Jane Doe, who is a surgeon at the Acme Hospital, about the siege.",
            "Jane Doe",
            "a surgeon at the Acme Hospital",
        ),
        (
            "Jane Doe, who heads Acme Relief in Gaziantep, says so.",
            "Jane Doe",
            "who heads Acme Relief in Gaziantep",
        ),
        (
            "Jane Doe, 34, who teaches at the Acme School, spoke.",
            "Jane Doe",
            "who teaches at the Acme School",
        ),
        ("Jane Doe, who spoke to Syria Deeply from Beirut, said so.", "Jane Doe", None),
        ("We asked Jane Doe, who requested anonymity, about the siege.", "Jane Doe", None),
        ("We asked Jane Doe, who has asked us not to name her town, about it.", "Jane Doe", None),
    ],
)
def test_a_role_after_a_capitalised_word(intro: str, name: str, role: str | None) -> None:
    from deeply_cli.speakers import _role_in_texts

    assert _role_in_texts(name, [intro], [name]) == role


@pytest.mark.parametrize(
    ("intro", "name"),
    [
        ("We asked Smith, a miller, about flour.", "Smith"),
        ("We asked Dr. Smith, a miller, about it.", "Dr. Smith"),  # the name the intro gives
    ],
)
def test_a_role_is_found_after_a_surname_alone(intro: str, name: str) -> None:
    page = (
        f"Flour Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: Why?\n\nSmith: Wheat.\n\n"
        "Syria Deeply: And?\n\nSmith: Rain.\n"
    )
    article = parse(page)
    assert [(s.name, s.role) for s in article.speakers] == [(name, "a miller")]


def test_unknown_notice_before_a_title_without_dek() -> None:
    page = (
        "Dear friends of the site, a note.\n\nWe are closing the site this week and moving on.\n\n"
        f"Big Title Here\n\n{BYLINE}\n\nIntro.\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    )
    article = parse(page)
    assert (article.title, article.dek) == ("Big Title Here", None)
    assert [r.kind for r in article.removed] == ["header", "header"]


@pytest.mark.parametrize(
    ("head", "title", "dek"),
    [
        (
            "Why the War Matters to the U.S.\n\nA dek sentence here.",
            "Why the War Matters to the U.S.",
            "A dek sentence here.",
        ),
        ("Big Title\n\nA dek sentence.", "Big Title", "A dek sentence."),
        ("We are closing the site.\n\nBig Title Here", "Big Title Here", None),
        (
            "A Title: With a Colon\n\nJane Doe, a pilot, on ships .",
            "A Title: With a Colon",
            "Jane Doe, a pilot, on ships .",
        ),
    ],
)
def test_title_and_dek_before_the_byline(head: str, title: str, dek: str | None) -> None:
    article = parse(f"{head}\n\n{BYLINE}\n\nIntro.\n")
    assert (article.title, article.dek) == (title, dek)


def test_labels_in_capitals() -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nSYRIA DEEPLY: Why?\n\nNOAH BONSEY: Because.\n\n"
        "THE QUESTION: And?\n\nBONSEY: So.\n"
    )
    article = parse(page)
    assert article.interviewer == "Syria Deeply"
    assert [(a.speaker, a.label) for a in article.answers] == [
        ("NOAH BONSEY", "NOAH BONSEY"),
        ("NOAH BONSEY", "BONSEY"),
    ]


def test_a_label_with_no_text_is_warned_at_its_line() -> None:
    article = parse(
        f"Harbour Talk\n\n{BYLINE}\n\nSyria Deeply: Why?\n\nJane Doe:\n\nOmar Haddad: Yes.\n"
    )
    assert [a.speaker for a in article.answers] == ["Omar Haddad"]
    assert [(w.line, w.message) for w in article.warnings] == [
        (7, "label 'Jane Doe' has no text after it; kept as text")
    ]


NO_TITLE = "Syria Deeply: What is the first question?\n\nJane Doe: The first answer.\n\n"
NO_TITLE += "Syria Deeply: And the second?\n\nDoe: The second answer.\n"


@pytest.mark.parametrize(
    "page",
    [
        NO_TITLE,
        "---\n---\n" + NO_TITLE,
        "---\ndek: A talk.\n---\n" + NO_TITLE,
        NO_TITLE.replace("Syria Deeply:", "Q:"),
        NO_TITLE.replace("question?\n", "question?\n\nIt has a second paragraph.\n"),
        # A round-up that opens with an answer: the next paragraph opens a turn too.
        "Jane Doe: The first answer.\n\nOmar Haddad: Another view.\n\n"
        "Syria Deeply: And the harbour?\n\nDoe: Closed.\n",
    ],
    ids=[
        "plain",
        "empty-front-matter",
        "front-matter-no-title",
        "q-label",
        "two-paragraph-question",
        "answer-first",
    ],
)
def test_a_first_paragraph_that_opens_the_interview_is_not_the_title(page: str) -> None:
    article = parse(page)
    assert article.title is None
    assert base_slug("talks/first-talk.txt", article) == "first-talk"
    first = article.exchanges[0].question or article.exchanges[0].answers[0]
    assert first.line == page.count("\n", 0, page.index("e first ")) + 1
    assert first.paragraphs[0] in ("What is the first question?", "The first answer.")


def test_a_first_question_in_markdown_emphasis_opens_the_interview() -> None:
    """`**Syria Deeply:** *What …?*`: the question mark before the closing emphasis asks, as
    it does where the labels are resolved; the page has no title, not that question."""
    page = "\n\n".join(
        line.replace("Syria Deeply: ", "**Syria Deeply:** *").replace("?", "?*")
        for line in NO_TITLE.strip().split("\n\n")
    )
    assert page.startswith("**Syria Deeply:** *What is the first question?*")
    article = parse(page + "\n")
    assert article.title is None
    assert [e.question.paragraphs for e in article.exchanges if e.question] == [
        ("*What is the first question?*",),
        ("*And the second?*",),
    ]


@pytest.mark.parametrize(
    ("page", "title"),
    [
        # `Jane Doe: a phrase` is a title when a dek follows and the interview starts later.
        (
            "Jane Doe: The Harbour After the War\n\nJane Doe is a pilot in the port.\n\n"
            "Syria Deeply: What changed?\n\nDoe: Everything.\n",
            "Jane Doe: The Harbour After the War",
        ),
        (
            f"Syria Deeply Asks: What Next for the Harbour?\n\nThree pilots answer.\n\n{BYLINE}\n\n"
            "Jane Doe, a pilot: Nothing good.\n\nOmar Haddad, a pilot: Less trade.\n",
            "Syria Deeply Asks: What Next for the Harbour?",
        ),
        ("Harbour Talk\n\n" + NO_TITLE, "Harbour Talk"),
        # No byline: a series title, a publication's heading that asks nothing, a column name.
        (
            "Expert View: Jane Doe on the Harbour\n\nSyria Deeply: What happened?\n\n"
            "Jane Doe: Ships came.\n",
            "Expert View: Jane Doe on the Harbour",
        ),
        (
            "Syria Deeply: The Week Ahead in Damascus\n\nSyria Deeply: What happened?\n\n"
            "Jane Doe: Ships came.\n",
            "Syria Deeply: The Week Ahead in Damascus",
        ),
        (
            "Harbour Diary: A Week of Ships\n\nSyria Deeply: What happened?\n\n"
            "Jane Doe: Ships came.\n\nSyria Deeply: And then?\n\nDoe: They left.\n",
            "Harbour Diary: A Week of Ships",
        ),
    ],
)
def test_a_title_shaped_like_a_label_stays_the_title(page: str, title: str) -> None:
    article = parse(page)
    assert article.title == title
    assert article.answers


def test_roles_with_abbreviations_in_a_roundup() -> None:
    """Periods inside a role (U.S., U.N., Ph.D.) do not end the label: each expert's answer
    stays theirs, and the first does not swallow the others."""
    page = (
        f"Will Talks Resume?\n\n{BYLINE}\n\nSyria Deeply: Will talks resume?\n\n"
        "Robert Ford, former U.S. ambassador to Syria: Not this year.\n\n"
        "Lina Sergie, Ph.D. candidate at Columbia University: I agree.\n\n"
        "Staffan Olsson, former U.N. official in Damascus: Perhaps in spring.\n\n"
        "Syria Deeply: Why not sooner?\n\nFord: The parties are not ready.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Robert Ford", ("Not this year.",)),
        ("Lina Sergie", ("I agree.",)),
        ("Staffan Olsson", ("Perhaps in spring.",)),
        ("Robert Ford", ("The parties are not ready.",)),
    ]
    assert article.speaker("Lina Sergie").role == "Ph.D. candidate at Columbia University"


@pytest.mark.parametrize(
    ("first", "caption"),
    [
        ("A girl walks through the camp. KARAM AL-MASRI/AFP/Getty Images", True),
        ("Fighters near Aleppo, Feb. 4, 2016. (Photo by Jane Roe/Anadolu Agency)", True),
        ("Photo by Jane Roe", True),
        ("GHAITH ABDUL-AHAD/Guardian", True),
        ("Children play in Aleppo. Photo by Jane Roe for Syria Deeply, taken in May.", True),
        ("We spoke in Aleppo. Reuters reported the siege that week.", False),
        ("ISIS/Daesh: the group’s rise and fall in Raqqa", False),
        ("KARAM AL-MASRI/Harbour News Agency", True),
        ("We spoke with Jane Porter, a former Reuters correspondent, about press freedom.", False),
        ("Syria Deeply: Reuters reported 40 dead on Monday. What happened?", False),
        ("Reuters reported on Tuesday that Kurdish-led forces had entered the town.", False),
        ("AFP reports that the convoy was turned back.", False),
        ("Turkish troops entered Afrin on Saturday, according to Reuters.", False),
        ("The convoy was turned back, a U.N. official told AFP.", False),
        ("A girl in Afrin, photographed for AFP", True),
        ("Courtesy of the Haddad family", True),
        ("AFP/Jane Roe", True),
        ("Sam Tarling/Oxfam", True),
        ("UNICEF/Al-Issa", True),
        ("A displaced family in Idlib. UNHCR/Andrew McConnell", True),
        ("A protest in Kafranbel. Credit: Raed Fares", True),
        ("He works for Aleppo/Idlib Relief in Berlin.", False),
        ("Assad and/or Putin will decide.", False),
    ],
)
def test_a_credit_makes_a_caption_only_at_its_end(first: str, caption: bool) -> None:
    page = f"Harbour Talk\n\n{BYLINE}\n\n{first}\n\nSyria Deeply: Why?\n\nJane Porter: Ships.\n"
    article = parse(page)
    assert (article.caption == first) is caption
    said = [*article.intro, *(p for ex in article.exchanges for p in ex.question.paragraphs)]
    assert (first in said or first.split(": ", 1)[-1] in said) is not caption


def test_a_note_inside_the_interview_does_not_take_the_answer_after_it() -> None:
    """A note between turns is one paragraph; a reading list after the last turn runs on."""
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nSyria Deeply: Is it ready?\n\n"
        "Jane Porter: Not yet. Three things are missing.\n\n"
        "Note: I am speaking for myself here, not for the ministry.\n\n"
        "The first thing is money.\n\nSyria Deeply: When?\n\nJane Porter: Next year.\n\n"
        "Recommended reading:\n\nThe Harbour Report, 2016\n"
    )
    article = parse(page)
    assert [a.paragraphs for a in article.answers] == [
        ("Not yet. Three things are missing.", "The first thing is money."),
        ("Next year.",),
    ]
    assert article.notes == (
        "Note: I am speaking for myself here, not for the ministry.",
        "Recommended reading:",
        "The Harbour Report, 2016",
    )


@pytest.mark.parametrize(
    ("page", "speaker"),
    [
        (
            "SD: How many clinics are open?\n\nDr. Lina Khalil: Eleven.\n\nSD: Why so few?\n\n"
            "LK: Airstrikes.\n",
            "Dr. Lina Khalil",
        ),
        (
            "We spoke with Dr. Rima Aziz about the clinics.\n\nSD: How many are open?\n\n"
            "RA: Eleven.\n\nSD: Why so few?\n\nRA: Airstrikes.\n",
            "Dr. Rima Aziz",
        ),
        (
            "MW: Does it work?\n\nElif Şafak-Yılmaz: Not yet.\n\nMW: Why not?\n\n"
            "EŞY: It works against families.\n",
            "Elif Şafak-Yılmaz",
        ),
        (
            "SD: Who are you?\n\nMaj Sjöwall: A writer.\n\nSD: And now?\n\nMS: It is quiet.\n",
            "Maj Sjöwall",
        ),
    ],
)
def test_initials_of_titled_and_non_ascii_names(page: str, speaker: str) -> None:
    article = parse(f"Harbour Talk\n\n{BYLINE}\n\n{page}")
    assert [a.speaker for a in article.answers] == [speaker, speaker]
    assert not article.warnings


@pytest.mark.parametrize(
    "title", ["Expert View: The War Is Not Over.", "What Comes After the Siege of Aleppo."]
)
def test_a_headline_ending_in_a_period_stays_the_title(title: str) -> None:
    page = (
        f"{title}\n\nThree analysts on what comes next\n\n{BYLINE}\n\n"
        "Syria Deeply: Is it over?\n\nJane Porter: No.\n"
    )
    article = parse(page)
    assert (article.title, article.dek) == (title, "Three analysts on what comes next")


def test_a_name_and_headline_title_is_not_a_first_answer() -> None:
    page = (
        "Lina Sergie: We Will Rebuild Aleppo\n\nSD: Can Aleppo be rebuilt?\n\n"
        "Lina Sergie: Yes.\n\nSD: By whom?\n\nSergie: By its people.\n"
    )
    article = parse(page)
    assert article.title == "Lina Sergie: We Will Rebuild Aleppo"
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Lina Sergie", ("Yes.",)),
        ("Lina Sergie", ("By its people.",)),
    ]


def test_vox_pop_roles_in_any_case_but_not_lists() -> None:
    page = (
        f"Voices From the Camp\n\n{BYLINE}\n\nWe spoke to residents about the winter.\n\n"
        "Khaled, 34, a farmer from Saraqeb\n\nWe burn plastic.\n\n"
        "Rami, 27, activist, Idlib city\n\nThe bakeries are closed.\n\n"
        "Damascus, Homs, and Aleppo\n\nAll three were cold.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Khaled", ("We burn plastic.",)),
        (
            "Rami",
            ("The bakeries are closed.", "Damascus, Homs, and Aleppo", "All three were cold."),
        ),
    ]
    assert article.speaker("Khaled").role == "34, a farmer from Saraqeb"


@pytest.mark.parametrize("credit", ["GHAITH ABDUL-AHAD/Guardian", "Sam Tarling/Oxfam"])
def test_a_photographer_credit_in_a_single_newline_capture_is_the_caption(credit: str) -> None:
    page = (
        f"Harbour Talk\n{BYLINE}\n{credit}\n"
        "We spoke with Jane Porter about the harbour.\nSyria Deeply: Why?\nJane Porter: Ships.\n"
    )
    article = parse(page)
    assert article.caption == credit
    assert article.intro == ("We spoke with Jane Porter about the harbour.",)


def test_a_contributors_page_whose_dek_names_analysts_has_no_answers() -> None:
    page = (
        "Our Contributors\n\nThe reporters and analysts who wrote for us.\n\n"
        "Alia Stone: Syrian-American journalist and author of two books.\n\n"
        "Tom Rolle: Freelance journalist based in Beirut.\n"
    )
    article = parse(page)
    assert article.answers == ()
    assert "Tom Rolle: Freelance journalist based in Beirut." in article.intro


def test_a_reading_list_before_a_last_label_stays_in_the_notes() -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nSyria Deeply: Is it ready?\n\nJane Doe: Not yet.\n\n"
        "Recommended Reading\n\nThe Harbour Report\n\nShips and Ports\n\n"
        "Syria Deeply: Sign up for our newsletter.\n"
    )
    article = parse(page)
    assert article.answers[0].paragraphs == ("Not yet.",)
    assert article.notes[:3] == ("Recommended Reading", "The Harbour Report", "Ships and Ports")


def test_subheadings_with_commas_are_not_vox_pop_labels() -> None:
    page = (
        f"Two Cities\n\n{BYLINE}\n\nA short guide.\n\nAleppo, before the war\n\nIt was busy."
        "\n\nHoms, after the siege\n\nIt is quiet.\n"
    )
    article = parse(page)
    assert article.answers == ()
    assert "Aleppo, before the war" in article.intro


def test_contributors_weighing_in_on_a_question_is_a_roundup() -> None:
    page = (
        "Our Contributors Weigh In: What Next for Aleppo?\n\nThree views.\n\n"
        "Jane Doe, senior fellow at the Acme Institute: It will not hold.\n\n"
        "John Roe, a historian: It might hold for a month.\n"
    )
    article = parse(page)
    assert [a.speaker for a in article.answers] == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize("full", ["Dr. Samer Khalil", "Samer Khalil"])
def test_a_titled_surname_is_the_full_name_printed_short(full: str) -> None:
    page = (
        f"Madaya Talk\n\n{BYLINE}\n\nSyria Deeply: How many are starving?\n\n"
        f"{full}: Around 400.\n\nSyria Deeply: Any convoys?\n\nDr. Khalil: One, in January.\n"
    )
    article = parse(page)
    assert [s.name for s in article.speakers] == [full]
    assert [t.speaker for t in article.answers] == [full, full]


@pytest.mark.parametrize(
    ("intro", "label", "initials", "full", "role"),
    [
        (
            "Syria Deeply spoke to Dr. Lina Kurdi, a surgeon in eastern Ghouta.",
            "Dr. Kurdi",
            "LK",
            "Dr. Lina Kurdi",
            "a surgeon in eastern Ghouta",
        ),
        (
            "We spoke to Lina Sinjab, a BBC correspondent, about the siege.",
            "Ms. Sinjab",
            "LS",
            "Lina Sinjab",
            "a BBC correspondent",
        ),
    ],
)
def test_a_titled_surname_label_is_the_person_the_intro_names(
    intro: str, label: str, initials: str, full: str, role: str
) -> None:
    page = (
        f"Madaya Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: How many are starving?\n\n"
        f"{label}: Around 400.\n\nSyria Deeply: Any convoys?\n\n{initials}: One, in January.\n"
    )
    article = parse(page)
    assert [(s.name, s.role) for s in article.speakers] == [(full, role)]
    assert [a.speaker for a in article.answers] == [full, full]


def test_a_name_and_colon_in_lower_case_inside_an_answer_is_not_a_new_speaker() -> None:
    page = (
        f"Geneva Talk\n\n{BYLINE}\n\nWe spoke to Yahya Aridi, a spokesman.\n\n"
        "Syria Deeply: Who are the players?\n\nYahya Aridi: Many, each with its own aim.\n\n"
        "Bashar al-Assad: he will stay as long as Russia wants him to.\n\n"
        "Syria Deeply: And the talks?\n\nAridi: They go on.\n\n"
        "Syria Deeply: And the regime?\n\nLina Sami: we are still waiting.\n"
    )
    article = parse(page)
    answers = [(t.speaker, t.paragraphs) for t in article.answers]
    assert answers[0] == (
        "Yahya Aridi",
        (
            "Many, each with its own aim.",
            "Bashar al-Assad: he will stay as long as Russia wants him to.",
        ),
    )
    # after a question, words in lower case still answer it
    assert [s for s, _ in answers] == ["Yahya Aridi", "Yahya Aridi", "Lina Sami"]


@pytest.mark.parametrize(
    ("intro", "answerers"),
    [
        ("Rami Haddad is an economist in Beirut.", ["Rami Haddad", "Rami Haddad"]),
        ("Rami Haddad and Omar Said disagree about it.", ["A", "Answer"]),  # who? kept as is
    ],
)
def test_a_page_of_q_and_a_labels_keeps_its_answers(intro: str, answerers: list[str]) -> None:
    page = (
        f"Q+A on the Economy of War\n\n{BYLINE}\n\n{intro}\n\nQ: How has the pound fared?\n\n"
        "A: Badly.\n\nIt has lost most of its value.\n\nQ: Who profits?\n\nAnswer: Smugglers.\n"
    )
    article = parse(page)
    assert [(t.speaker, t.paragraphs) for t in article.answers] == [
        (answerers[0], ("Badly.", "It has lost most of its value.")),
        (answerers[1], ("Smugglers.",)),
    ]
    assert [ex.question.paragraphs for ex in article.exchanges if ex.question] == [
        ("How has the pound fared?",),
        ("Who profits?",),
    ]
    assert len(article.warnings) == (answerers[0] == "A") * 2


@pytest.mark.parametrize(
    ("intro", "role"),
    [
        ("We spoke to the chief spokesman, Yahya Aridi, about the talks.", None),
        ("We spoke with Yahya Aridi, 45, in Geneva last week.", None),
        (
            "We spoke with Yahya Aridi, spokesman of the delegation.",
            "spokesman of the delegation",
        ),
        # a question word that ends the sentence ends the role too
        ("We asked Yahya Aridi, spokesman of the delegation, why.", "spokesman of the delegation"),
        ("We asked Yahya Aridi, a spokesman, how?", "a spokesman"),
        # the sentence's verb ends the role
        ("Yahya Aridi, a spokesman, went to Geneva in May.", "a spokesman"),
        ("Yahya Aridi, a spokesman, visited the camps.", "a spokesman"),
        ("Yahya Aridi, a spokesman, traveled to Geneva.", "a spokesman"),
        ("Yahya Aridi, a spokesman, escaped from Daraa in 2013.", "a spokesman"),
    ],
)
def test_words_after_a_name_that_do_not_describe_him_are_no_role(
    intro: str, role: str | None
) -> None:
    page = (
        f"Geneva Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: Who are the players?\n\n"
        "Yahya Aridi: Many.\n"
    )
    assert [(s.name, s.role) for s in parse(page).speakers] == [("Yahya Aridi", role)]


@pytest.mark.parametrize(
    ("intro", "named", "not_named"),
    [
        ("Syria Deeply spoke to nurse Jane Doe.", "Jane Doe", "Jane Doe."),
        ("We asked UNICEF’s Jane Doe about it.", "Jane Doe", "UNICEF’s Jane Doe"),
        ("We reached Free Syrian Army Commander Omar Haddad.", "Omar Haddad", "Commander Omar"),
        ("Acme Relief Director Jane Doe and Jane Doe’s team", "Jane Doe", "Director Jane Doe"),
        ("We asked Ana St. John about it.", "Ana St. John", "Ana St John"),
    ],
)
def test_names_in_the_intro_end_where_a_name_must(intro: str, named: str, not_named: str) -> None:
    from deeply_cli.speakers import context_names

    names = context_names(intro)
    assert named in names
    assert not any(name.startswith(not_named) for name in names if name != named)


def test_a_surname_label_finds_a_name_that_ends_a_sentence() -> None:
    page = (
        f"Clinic Talk\n\n{BYLINE}\n\nThe clinics closed. We spoke to UNICEF’s Jane Doe.\n\n"
        "Syria Deeply: Why?\n\nOmar Haddad: Strikes.\n\nSyria Deeply: And now?\n\n"
        "Doe: We work in a basement.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.label) for a in article.answers] == [
        ("Omar Haddad", "Omar Haddad"),
        ("Jane Doe", "Doe"),
    ]


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        ("He said <i>never</i>.", "He said never ."),
        ("<span style=”color: red”>Red</span> lines.", "Red lines."),
        ("See <a href=”” target=”_blank”>the report</a>.", "See the report ."),
        ("<div source=’picture’ id=’1234′ flow=’…’ />They left.", "They left."),
        ("The rate a<b and c>d held.", "The rate a<b and c>d held."),
        ("In C++ we write vector<int> and <3.", "In C++ we write vector<int> and <3."),
        ("Tags like <b class and more> stay.", "Tags like <b class and more> stay."),
    ],
)
def test_markup_is_removed_but_text_between_angle_brackets_stays(answer: str, shown: str) -> None:
    article = parse(f"Tag Talk\n\n{BYLINE}\n\nSyria Deeply: Why?\n\nJane Doe: {answer}\n")
    assert article.answers[0].paragraphs[0] == shown


def test_initials_that_are_the_publications_name_a_speaker_when_q_asks() -> None:
    page = (
        "One on One: The Teacher Who Stayed\n\n"
        "Written by Syria Deeply Published on Read time Approx. 3 minutes\n\n"
        "Sara Dabbagh, a teacher in Douma, kept her school open through the siege.\n\n"
        "Q: How many pupils do you have?\n\nSD: About 200.\n\n"
        "Q: Where do you teach?\n\nSD: In a basement.\n"
    )
    article = parse(page)
    assert [(t.speaker, t.label) for t in article.answers] == [("Sara Dabbagh", "SD")] * 2
    assert [t.label for t in article.questions] == ["Q", "Q"]


@pytest.mark.parametrize(
    ("full", "short", "intro"),
    [
        ("Ahmed bin Rashid", "Bin Rashid", None),  # both printed as labels
        ("Rafael de la Vega", "De la Vega", None),
        ("Sami Al-Khatib", "SK", None),  # initials: the word after the article
        ("Nour el-Din Haddad", "NH", None),  # initials: the particle word left out
        ("Sami al-Khatib", "Al-Khatib", "an analyst at the Levant Forum"),  # named by the intro
        ("Maria de la Cruz", "De la Cruz", "a professor at Acme University"),
    ],
)
def test_names_with_particles_are_one_speaker_however_short(
    full: str, short: str, intro: str | None
) -> None:
    if intro is None:  # the full name is a label first, then the short one
        body = f"Syria Deeply: Why?\n\n{full}: Oil.\n\nSyria Deeply: Who buys it?\n\n{short}: Many."
    else:  # an expert round-up: the intro names them, the labels are short
        body = (
            f"We asked {full}, {intro}, and Jane Doe, a fellow at the Acme Institute, who"
            f" controls the crossings.\n\n{short}: A patchwork.\n\nDoe: Turkey does."
        )
    article = parse(f"Crossings Talk\n\n{BYLINE}\n\n{body}\n")
    assert [s.name for s in article.speakers] == [full] if intro is None else [full, "Jane Doe"]
    assert [t.label for t in article.answers] == [full, short] if intro is None else [short, "Doe"]
    assert article.answers[0].speaker == full
    if intro:
        assert article.speaker(full).role == intro


def test_first_names_with_an_age_speak_once_each() -> None:
    page = (
        "Refugees Deeply Asks: What Would Make You Go Home?\n\n"
        f"{BYLINE}\n\nWe put one question to Syrians in Gaziantep.\n\n"
        "Nour, 19, a student: A university that is still standing.\n\n"
        "Fatima, 41, a nurse from Idlib: Hospitals that are not targets.\n"
    )
    article = parse(page)
    assert [(s.name, s.role) for s in article.speakers] == [
        ("Nour", "19, a student"),
        ("Fatima", "41, a nurse from Idlib"),
    ]
    assert article.intro == ("We put one question to Syrians in Gaziantep.",)


def test_one_name_the_intro_describes_as_a_person_speaks() -> None:
    page = (
        f"Q+A: Inside Douma\n\n{BYLINE}\n\nSyria Deeply spoke to Abdulrahman, a 24-year-old"
        " media activist in Douma.\n\nSyria Deeply: How does news get out?\n\n"
        "Abdulrahman: Through a satellite link.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Abdulrahman", ("Through a satellite link.",))
    ]
    assert article.questions[0].paragraphs == ("How does news get out?",)


def test_one_word_places_the_intro_describes_stay_text() -> None:
    page = (
        f"Three Cities\n\n{BYLINE}\n\nAleppo, the largest city, fell first. Raqqa, a city on"
        " the Euphrates, came next.\n\nAleppo: The siege ended in December.\n\n"
        "Raqqa: The offensive began in June.\n"
    )
    assert parse(page).answers == ()


def test_an_own_line_label_may_say_where_from_after_an_age() -> None:
    page = (
        f"Voices From Zaatari\n\n{BYLINE}\n\nWe asked refugees what they need.\n\n"
        "Mahmoud, 34, Electrician, Homs\n\nParts for the heaters.\n\n"
        "Um Khaled, 52, from Daraa\n\nOne heater for eleven people.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Mahmoud", ("Parts for the heaters.",)),
        ("Um Khaled", ("One heater for eleven people.",)),
    ]
    assert [s.role for s in article.speakers] == ["34, Electrician, Homs", "52, from Daraa"]


def test_an_explainer_of_armed_groups_has_no_speakers() -> None:
    page = (
        f"Who’s Who in Idlib: The Armed Groups\n\n{BYLINE}\n\nIdlib is the last province held"
        " by the opposition. Which groups hold it, and who backs them?\n\n"
        "Hayat Tahrir al-Sham: The strongest group, led by former members of Jabhat al-Nusra."
        "\n\nNour al-Din al-Zenki: Based west of Aleppo city.\n\n"
        "Faylaq al-Sham: Close to the Muslim Brotherhood.\n\n"
        "Jaysh al-Izza: Active in the north of Hama.\n"
    )
    article = parse(page)
    assert article.answers == () and article.speakers == ()
    assert len(article.intro) == 5


@pytest.mark.parametrize(
    "signature",
    [
        "Jane Smith, Founder, News Deeply",
        "Jane Smith and Tom Brown, Co-Founders, News Deeply",
        "— The Syria Deeply Team",
    ],
)
def test_a_farewell_letter_ends_at_its_signature(signature: str) -> None:
    page = (
        "Dear Readers,\n\nAfter six years, this is our last day. Thank you for reading.\n\n"
        f"{signature}\n\nOne on One: Laila Haddad, Correspondent\n\n{BYLINE}\n\n"
        "Laila Haddad has covered Aleppo since 2012.\n\nSD: How did it start?\n\n"
        "Haddad: Slowly.\n"
    )
    article = parse(page)
    assert (article.title, article.dek) == ("One on One: Laila Haddad, Correspondent", None)
    assert article.intro == ("Laila Haddad has covered Aleppo since 2012.",)


@pytest.mark.parametrize(
    "name",
    [
        unicodedata.normalize("NFD", "José Ramírez"),  # accents written apart (macOS, PDFs)
        "أَحْمَد رَحِيمِي",  # Arabic with its vowel marks
        "राम शर्मा",  # Devanagari vowel signs are marks
    ],
)
def test_a_label_with_combining_marks_is_a_label(name: str) -> None:
    page = f"Marks Talk\n\n{BYLINE}\n\nSyria Deeply: What happened?\n\n{name}: Fine.\n"
    article = parse(page)
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        (unicodedata.normalize("NFC", name), ("Fine.",))
    ]
    assert article.questions[0].paragraphs == ("What happened?",)
    assert article.speakers[0].aliases == ()


def test_html_character_references_are_read_as_the_characters() -> None:
    """Scraped pages keep `&amp;`, `&nbsp;`, `&#8217;`: in a byline an `&` joins two authors,
    and in text they are the characters; `AT&T` and an unknown `&foo;` stay as written."""
    page = (
        "Harbour&nbsp;Talk\n\nWritten by Mona Writer &amp; Tom Roe Published on Read time"
        " Approx. 2 minutes\n\nWe asked Jane&nbsp;Doe, a pilot at AT&T&#8217;s port, about it."
        "\n\nSyria Deeply: What&#8217;s left?\n\nJane&nbsp;Doe: Inter&shy;national aid &amp;"
        " &#x201C;hope&#x201D;, &foo;&#10;nothing more.\n"
    )
    article = parse(page)
    assert (article.title, article.authors) == ("Harbour Talk", ("Mona Writer", "Tom Roe"))
    assert article.intro == ("We asked Jane Doe, a pilot at AT&T’s port, about it.",)
    assert article.questions[0].paragraphs == ("What’s left?",)
    [answer] = article.answers
    assert answer.speaker == "Jane Doe"
    assert answer.paragraphs == ("International aid & “hope”, &foo; nothing more.",)


@pytest.mark.parametrize(
    "intro",
    [
        "Syria Deeply spoke with Jane Doe, a logistics officer with Acme Relief in Gaziantep.",
        "Jane Doe is a logistics officer for Acme Relief. We met her at the Bab Salama Crossing.",
    ],
)
def test_answer_label_is_the_interviewee_the_intro_describes(intro: str) -> None:
    """`A:` on a `Q:`/`A:` page is the one person the intro introduces with a role, not an
    organisation or a place it also names."""
    page = (
        f"Q&A: What Next for the Port\n\n{BYLINE}\n\n{intro}\n\n"
        "Q: What happened at the port?\n\nA: The ships stopped coming.\n\nQ: Why?\n\nA: Money.\n"
    )
    article = parse(page)
    assert [a.speaker for a in article.answers] == ["Jane Doe", "Jane Doe"]
    assert article.speakers[0].role.startswith("a logistics officer")
    assert article.warnings == ()


def test_names_in_bold_in_a_markdown_intro_keep_their_roles() -> None:
    """`We asked **Jane Doe**, a nurse, …`: the bold marks are not part of what follows the
    name, so the role is read, and a one-word name the intro describes is a speaker."""
    page = (
        f"# Voices From Idlib\n\n{BYLINE}\n\nWe asked **Abdulrahman**, a 24-year-old media"
        " activist, and **Jane Doe**, a nurse at the *Acme* Clinic, about the winter.\n\n"
        "**Syria Deeply:** How cold is it?\n\n**Abdulrahman:** Very cold.\n\n"
        "**Jane Doe:** The clinic has no fuel.\n\n**Syria Deeply:** What now?\n\n"
        "**Abdulrahman:** We wait.\n"
    )
    article = parse(page)
    assert [(s.name, s.role) for s in article.speakers] == [
        ("Abdulrahman", "a 24-year-old media activist"),
        ("Jane Doe", "a nurse at the Acme Clinic"),
    ]
    assert article.warnings == ()


def test_sd_for_both_sides_alternates_when_the_intro_names_the_namesake() -> None:
    """Syria Deeply interviews Sami Dawood and prints `SD:` for both: after a question the
    next `SD:` is his answer, after his answer the next question (`Tell us …` too)."""
    page = (
        "Q+A: Sami Dawood on the Water Crisis\n\nSyria Deeply spoke with Sami Dawood, an"
        " engineer in Aleppo.\n\nWritten by Syria Deeply Published on Read time Approx. 3"
        " minutes\n\nSD: How bad is it?\n\nSD: Very bad. We have no fuel.\n\n"
        "SD: Tell us about the pumps.\n\nSD: Most were looted. Who did it? Everyone.\n\n"
        "SD: Is there any hope?\n\nSD: There is always hope, no?\n"
    )
    article = parse(page)
    assert [
        (q.paragraphs[0], [a.speaker for a in ex.answers])
        for ex in article.exchanges
        for q in [ex.question]
    ] == [
        ("How bad is it?", ["Sami Dawood"]),
        ("Tell us about the pumps.", ["Sami Dawood"]),
        ("Is there any hope?", ["Sami Dawood"]),
    ]
    assert article.interviewer == "Syria Deeply"
    assert article.speakers[0].role == "an engineer in Aleppo"
    assert len(article.warnings) == 6 and "ambiguous" in article.warnings[0].message


def test_sd_after_the_namesakes_answer_is_the_next_question() -> None:
    page = (
        "Welcome to the archives of Syria Deeply. You can do so at\n\n"
        f"Harbour Talk\n\n{BYLINE}\n\nSyria Deeply: Who are you?\n\nSami Dabbagh: A pilot.\n\n"
        "SD: Tell us about the harbour.\n\nSD: It is closed. Why? Nobody knows.\n"
    )
    article = parse(page)
    assert [
        (t.speaker, t.is_question) for ex in article.exchanges for t in (ex.question, *ex.answers)
    ] == [
        ("Syria Deeply", True),
        ("Sami Dabbagh", False),
        ("Syria Deeply", True),
        ("Sami Dabbagh", False),
    ]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("March 8th, 2016", "2016-03-08"),
        ("Tuesday, March 8, 2016", "2016-03-08"),
        ("Tue. 8 March 2016", "2016-03-08"),
        ("8th of March 2016", "2016-03-08"),
        ("2016-03-08T10:30:00Z", "2016-03-08"),
        ("Sept. 8, 2016", "2016-09-08"),
        ("Marx 8, 2016", None),  # not a month: never a guessed date
        ("Junk 3, 2016", None),
        ("Feb. 30, 2016", None),
    ],
)
def test_byline_dates_in_the_forms_pages_print(date: str, expected: str | None) -> None:
    page = (
        f"Harbour Talk\n\nWritten by Mona Writer Published on {date} Read time Approx. 2 minutes"
        "\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    )
    article = parse(page)
    assert (article.title, article.authors) == ("Harbour Talk", ("Mona Writer",))
    assert (article.published.isoformat() if article.published else None) == expected


def test_labels_in_capitals_are_the_speakers_the_page_names() -> None:
    """`JANE DOE:` is the Jane Doe of the dek (with her role), `DOE:` her surname rather than
    unknown initials, and `SD ASKS:` the interviewer."""
    page = (
        "Jane Doe: The Siege Is Not Over\n\nJane Doe, a doctor in Eastern Ghouta, talks about"
        " the siege.\n\nWritten by Syria Deeply Published on Read time Approx. 4 minutes\n\n"
        "SYRIA DEEPLY: When did the siege start?\n\nJANE DOE: In 2013.\n\n"
        "SD ASKS: And now?\n\nDOE: Worse.\n"
    )
    article = parse(page)
    assert [
        (t.speaker, t.is_question) for ex in article.exchanges for t in (ex.question, *ex.answers)
    ] == [
        ("Syria Deeply", True),
        ("Jane Doe", False),
        ("Syria Deeply", True),
        ("Jane Doe", False),
    ]
    assert [(s.name, s.role) for s in article.speakers] == [
        ("Jane Doe", "a doctor in Eastern Ghouta")
    ]
    assert article.warnings == ()


def test_a_named_interviewer_who_is_not_the_author_asks_the_questions() -> None:
    """The byline names only the publication; a contributor's label precedes every question
    (`Tom Roe: …?`) and the interviewee's every answer: Tom Roe is the interviewer."""
    page = (
        "The Doctors Who Stayed\n\nWritten by Syria Deeply Published on Read time Approx. 4"
        " minutes\n\nSyria Deeply contributor Tom Roe spoke with Jane Doe, a surgeon in Idlib,"
        " about the hospitals.\n\nTom Roe: How many hospitals are still open?\n\n"
        "Jane Doe: Three, and they are full.\n\nTom Roe: You stayed. Why?\n\n"
        "Jane Doe: Because someone must. Who else?\n\nTR: And now?\n\nJD: We wait.\n"
    )
    article = parse(page)
    assert article.interviewer == "Tom Roe"
    assert [
        (q.speaker, [a.speaker for a in ex.answers])
        for ex in article.exchanges
        for q in [ex.question]
    ] == [("Tom Roe", ["Jane Doe"])] * 3
    assert [s.name for s in article.speakers] == ["Jane Doe"]


def test_a_round_up_with_a_rhetorical_question_has_no_interviewer() -> None:
    page = (
        f"Will It Hold?\n\n{BYLINE}\n\nWe asked two experts whether the truce will hold.\n\n"
        "Jane Doe: Will it? No.\n\nOmar Haddad: Yes.\n\nJane Doe: Who would bet on it?\n\n"
        "Omar Haddad: Moscow wants it.\n"
    )
    article = parse(page)
    assert article.questions == () and len(article.answers) == 4


def test_labels_printed_again_are_an_interview_not_a_contributors_page() -> None:
    """An intro with no word of asking (`Jane Doe is a surgeon.`) and no interviewer's
    label: names that label several paragraphs are speakers, not biographies."""
    page = (
        "The Doctors Who Stayed\n\nWritten by Syria Deeply Published on Read time Approx. 4"
        " minutes\n\nJane Doe is a surgeon in Idlib. Tom Roe met her in May.\n\n"
        "Tom Roe: How many hospitals are still open?\n\nJane Doe: Three, and they are full.\n\n"
        "Tom Roe: Are you afraid?\n\nJane Doe: Every day.\n"
    )
    article = parse(page)
    assert article.intro == ("Jane Doe is a surgeon in Idlib. Tom Roe met her in May.",)
    assert [a.paragraphs for a in article.answers] == [
        ("Three, and they are full.",),
        ("Every day.",),
    ]
    assert article.interviewer == "Tom Roe"


def test_answer_label_is_the_interviewee_the_title_names() -> None:
    """The intro describes two people (her predecessor too); `A:` is the one in the title."""
    page = (
        f"Q&A: Jane Doe, Director of the Acme Clinic\n\n{BYLINE}\n\nJane Doe took over the"
        " clinic from Tom Roe, a surgeon who left for Germany. Jane Doe, a pediatrician, has"
        " worked in Douma since 2012.\n\nQ: What changed?\n\nA: Everything.\n"
    )
    article = parse(page)
    assert [a.speaker for a in article.answers] == ["Jane Doe"]
    assert article.warnings == ()


@pytest.mark.parametrize(
    "note",
    [
        "Mona Writer is a freelance journalist based in Beirut.",
        "*Mona Writer, a journalist, covers Syria for Acme News.*",
        "Follow Jane Doe on Twitter @janedoe.",
        "Interview conducted by Mona Writer and translated by Sara Lee.",
        "This interview was translated by Sara Lee.",
    ],
)
def test_a_note_after_the_last_answer_is_not_part_of_it(note: str) -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe asked Jane Doe, a pilot, about the harbour.\n\n"
        f"Syria Deeply: Why?\n\nJane Doe: Because.\n\nNobody pays.\n\n{note}\n"
    )
    article = parse(page)
    assert article.answers[-1].paragraphs == ("Because.", "Nobody pays.")
    assert article.notes == (note,)


def test_a_paragraph_about_the_author_inside_an_answer_stays_in_it() -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe asked Jane Doe, a pilot, about the harbour.\n\n"
        "Syria Deeply: Why?\n\nJane Doe: Because.\n\nMona Writer is right about that.\n\n"
        "Syria Deeply: And?\n\nJane Doe: Nothing.\n"
    )
    assert parse(page).answers[0].paragraphs == ("Because.", "Mona Writer is right about that.")
    page = (
        "Harbour Talk\n\nWritten by Syria Deeply Published on Read time Approx. 2 minutes\n\n"
        "Syria Deeply: Why?\n\nJane Doe: Because.\n\nSyria Deeply has been our only reader.\n"
    )
    assert parse(page).answers[0].paragraphs == (
        "Because.",
        "Syria Deeply has been our only reader.",
    )


def test_an_intro_shaped_like_a_label_opens_the_intro() -> None:
    """`Jane Doe, a nurse, on her longest day: the shelling …` before the first question is
    the intro (its words start in lower case), and her role stops before the topic."""
    page = (
        f"A Day in Douma\n\n{BYLINE}\n\nJane Doe, a nurse at the Acme Clinic in Douma, on her"
        " longest day: the shelling, the patients and the fear.\n\n"
        "Syria Deeply: When did it start?\n\nJane Doe: At dawn.\n"
    )
    article = parse(page)
    assert len(article.intro) == 1 and article.intro[0].startswith("Jane Doe, a nurse")
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [("Jane Doe", ("At dawn.",))]
    assert article.speakers[0].role == "a nurse at the Acme Clinic in Douma"


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("John Smith, Jr.", ["John Smith, Jr."]),
        ("John Smith, Jr., and Jane Doe", ["John Smith, Jr.", "Jane Doe"]),
        ("Jane Doe, PhD & Tom Roe", ["Jane Doe, PhD", "Tom Roe"]),
        ("Jane Doe, Tom Roe and Sara Lee", ["Jane Doe", "Tom Roe", "Sara Lee"]),
    ],
)
def test_a_name_suffix_in_the_byline_is_not_another_author(byline: str, authors: list) -> None:
    page = (
        f"Harbour Talk\n\nWritten by {byline} Published on Read time Approx. 2 minutes\n\n"
        "Syria Deeply: Why?\n\nJane Roe: Because.\n"
    )
    assert list(parse(page).authors) == authors


NO_BYLINE_DEK = "What the harbour pilots expect now that the war is over."
NO_BYLINE_TURNS = (
    "Syria Deeply: What changed?\n\nJane Doe: Everything.\n\nSyria Deeply: And now?\n\nDoe: Less.\n"
)


@pytest.mark.parametrize(
    ("lead", "dek", "intro"),
    [
        # the dek, then an intro that names the speaker
        (
            [NO_BYLINE_DEK, "We spoke to Jane Doe, a pilot at Acme Port, about the ships."],
            NO_BYLINE_DEK,
            ["We spoke to Jane Doe, a pilot at Acme Port, about the ships."],
        ),
        # the dek names her too; the intro still follows it
        (
            ["Jane Doe, a pilot, on ships .", "We spoke to Jane Doe, a pilot at Acme Port."],
            "Jane Doe, a pilot, on ships .",
            ["We spoke to Jane Doe, a pilot at Acme Port."],
        ),
        # the dek, background, then the intro that names her
        (
            [NO_BYLINE_DEK, "The port closed in 2013.", "We spoke to Jane Doe, a pilot."],
            NO_BYLINE_DEK,
            ["The port closed in 2013.", "We spoke to Jane Doe, a pilot."],
        ),
        # the dek right before the first turn
        ([NO_BYLINE_DEK], NO_BYLINE_DEK, []),
        # an intro of two paragraphs, the first naming her: no dek to tell apart
        (
            ["We spoke to Jane Doe, a pilot at Acme Port.", "The port closed in 2013."],
            None,
            ["We spoke to Jane Doe, a pilot at Acme Port.", "The port closed in 2013."],
        ),
        # one paragraph that names who answers: the intro, as such pages write it
        (
            ["Jane Doe, a pilot at Acme Port, spoke to Syria Deeply about the ships."],
            None,
            ["Jane Doe, a pilot at Acme Port, spoke to Syria Deeply about the ships."],
        ),
    ],
    ids=[
        "dek-and-intro",
        "dek-naming-her",
        "dek-background-intro",
        "dek-only",
        "intro-only",
        "lone-intro",
    ],
)
def test_a_dek_without_a_byline_is_the_dek(lead: list[str], dek: str | None, intro: list) -> None:
    """Title, dek, no byline, then the interview: the paragraph after the title is the dek
    where it stands apart from the intro, and the page reads as it does with a byline."""
    title = "Harbour Talk: The Port After the War"
    head = [title, dek, BYLINE] if dek else [title, BYLINE]
    with_byline = parse("\n\n".join([*head, *intro, NO_BYLINE_TURNS]))
    banner = (
        "Dear Deeply Readers,\n\nWelcome to the archives of Syria Deeply. [email protected]\n\n"
    )
    for start in ("", banner):
        article = parse(start + "\n\n".join([title, *lead, NO_BYLINE_TURNS]))
        assert (article.title, article.dek) == (title, dek)
        assert list(article.intro) == intro
        assert [a.speaker for a in article.answers] == ["Jane Doe", "Jane Doe"]
        assert article.speakers == with_byline.speakers
        assert article.answers[0].paragraph == with_byline.answers[0].paragraph


def test_a_round_ups_framing_question_without_a_byline_stays_the_intro() -> None:
    page = (
        "Harbour Views\n\nWe asked two pilots: what next for the harbour?\n\n"
        "Jane Doe, a pilot: Nothing good.\n\nJohn Roe, a pilot: Less trade.\n"
    )
    article = parse(page)
    assert (article.title, article.dek) == ("Harbour Views", None)
    assert article.intro == ("We asked two pilots: what next for the harbour?",)
    dek_first = page.replace("\n\nWe asked", "\n\nTwo views of the port.\n\nWe asked")
    assert parse(dek_first).dek == "Two views of the port."
    assert parse(dek_first).intro == article.intro


@pytest.mark.parametrize(
    ("labels", "intro", "name"),
    [
        (["Dr. Jane Doe", "JANE DOE", "Dr. Doe", "DOE"], "We spoke to a pilot.", "Jane Doe"),
        (["JANE DOE", "Dr. Jane Doe", "DOE", "Dr. Doe"], "We spoke to a pilot.", "Jane Doe"),
        (["Prof. Jane Doe", "Jane Doe", "PROF. DOE", "Doe"], "We spoke to a pilot.", "Jane Doe"),
        (["Gen. Omar Haddad", "OMAR HADDAD", "Gen. Haddad", "HADDAD"], "", "Omar Haddad"),
        (["Sheikh Omar Haddad", "Omar Haddad", "Sheikh Haddad", "Haddad"], "", "Omar Haddad"),
        (["Lt. Col. Omar Haddad", "OMAR HADDAD", "Col. Haddad", "HADDAD"], "", "Omar Haddad"),
        (
            ["Dr. Jane Doe", "JANE DOE", "Dr. Doe", "DOE"],
            "We spoke to Dr. Jane Doe, a pilot at Acme Air.",
            "Jane Doe",
        ),
        (
            ["JANE DOE", "Jane Doe", "DOE", "Doe"],
            "We spoke to Jane Doe, a pilot at Acme Air.",
            "Jane Doe",
        ),
    ],
)
def test_labels_differing_by_an_honorific_or_case_are_one_speaker(
    labels: list[str], intro: str, name: str
) -> None:
    """`Dr. Jane Doe:` beside `JANE DOE:` is one person, named as the page best gives it
    (without the honorific, not in capitals), and so are `Dr. Doe:` and `DOE:` later."""
    turns = [
        f"Syria Deeply: Question {i}?\n\n{label}: Answer {i}." for i, label in enumerate(labels)
    ]
    article = parse("\n\n".join(["Harbour Talk", BYLINE, intro, *turns]) + "\n")
    assert [(a.speaker, a.label) for a in article.answers] == [(name, lab) for lab in labels]
    [speaker] = article.speakers
    assert speaker.name == name
    assert speaker.role == ("a pilot at Acme Air" if "Acme" in intro else None)
    assert article.warnings == ()


def test_namesakes_with_honorifics_and_capitals_stay_apart() -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe spoke to two pilots.\n\n"
        "Syria Deeply: What happened?\n\nDr. Jane Doe: We flew.\n\nJohn Doe: We landed.\n\n"
        "Syria Deeply: And then?\n\nJANE DOE: Less.\n\nMR. JOHN DOE: More.\n\n"
        "JOHN DOE: Much more.\n"
    )
    article = parse(page)
    assert [a.speaker for a in article.answers] == [
        "Jane Doe",
        "John Doe",
        "Jane Doe",
        "John Doe",
        "John Doe",
    ]
    assert [s.name for s in article.speakers] == ["Jane Doe", "John Doe"]


@pytest.mark.parametrize(
    ("intro", "roles"),
    [
        (
            "Jane Doe and John Roe, both pilots at Acme Air, spoke to Syria Deeply.",
            ["pilots at Acme Air", "pilots at Acme Air"],
        ),
        (
            "We asked Jane Doe & John Roe, both pilots at Acme Air, about the harbour.",
            ["pilots at Acme Air", "pilots at Acme Air"],
        ),
        (
            "Jane Doe and John Roe, both of the Acme Institute, spoke to Syria Deeply.",
            ["of the Acme Institute", "of the Acme Institute"],
        ),
        (
            "Jane Doe and John Roe, two analysts at Acme Bank, spoke to Syria Deeply.",
            ["analysts at Acme Bank", "analysts at Acme Bank"],
        ),
        (
            "Jane Doe and John Roe, who both work at Acme Bank, spoke to Syria Deeply.",
            ["who work at Acme Bank", "who work at Acme Bank"],
        ),
        (
            "Jane Doe and John Roe, who are both pilots at Acme Air, spoke to Syria Deeply.",
            ["pilots at Acme Air", "pilots at Acme Air"],
        ),
        (
            "Jane Doe and John Roe, two of the founders of Acme Air, spoke to Syria Deeply.",
            ["one of the founders of Acme Air", "one of the founders of Acme Air"],
        ),
        (
            "Jane Doe, John Roe and Omar Haddad, all three analysts at Acme Bank, spoke.",
            ["analysts at Acme Bank", "analysts at Acme Bank", "analysts at Acme Bank"],
        ),
        # each their own role, or none
        ("Jane Doe, a nurse, and John Roe, a doctor, spoke to us.", ["a nurse", "a doctor"]),
        (
            "We spoke to Jane Doe, both a pilot and a writer, and John Roe, a doctor.",
            ["both a pilot and a writer", "a doctor"],
        ),
        ("Jane Doe and John Roe spoke to Syria Deeply.", [None, None]),
        ("Jane Doe and John Roe, two weeks after the siege, spoke to us.", [None, None]),
    ],
)
def test_a_role_shared_by_names_joined_by_and_is_each_ones(intro: str, roles: list) -> None:
    names = ["Jane Doe", "John Roe", "Omar Haddad"][: len(roles)]
    turns = [f"{name}: We flew." for name in names]
    page = "\n\n".join(["Harbour Talk", BYLINE, intro, "Syria Deeply: What happened?", *turns])
    article = parse(page + "\n")
    assert [(s.name, s.role) for s in article.speakers] == list(zip(names, roles, strict=True))


@pytest.mark.parametrize("label", ["Almouslem", "FA"])
def test_a_name_the_dek_gives_with_an_honorific_and_the_intro_without_is_one_person(
    label: str,
) -> None:
    page = (
        "The Doctor Who Stayed\n\nDr. Farida Almouslem ran a maternity hospital in Aleppo.\n\n"
        f"{BYLINE}\n\nFarida Almouslem, an obstetrician, spoke to Syria Deeply.\n\n"
        f"Syria Deeply: When did you stay?\n\n{label}: In 2012.\n\n"
        f"Syria Deeply: And then?\n\n{label}: We moved to a basement.\n"
    )
    article = parse(page)
    assert [a.speaker for a in article.answers] == ["Farida Almouslem"] * 2
    assert [(s.name, s.role) for s in article.speakers] == [("Farida Almouslem", "an obstetrician")]
    assert not article.warnings


@pytest.mark.parametrize(
    ("intro", "role"),
    [
        (
            "Jane Doe is a co-founder of Acme Watch, a group of journalists.We spoke by phone.",
            "a co-founder of Acme Watch, a group of journalists",
        ),
        (
            "We asked Jane Doe, a surgeon in Idlib.She works at the Acme Clinic.",
            "a surgeon in Idlib",
        ),
        (
            "We asked Jane Doe, a Ph.D. candidate at Acme University.",
            "a Ph.D. candidate at Acme University",
        ),
        (
            "We asked Jane Doe, a fellow at the U.S.Institute of Peace.",
            "a fellow at the U.S.Institute of Peace",
        ),
    ],
)
def test_a_role_ends_at_a_period_that_lost_its_space(intro: str, role: str) -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: What happened?\n\nJane Doe: Ships.\n"
    )
    assert parse(page).speakers[0].role == role


@pytest.mark.parametrize(
    ("line", "after", "caption"),
    [
        ("Karam Al-Masri", "Raed Fares founded Radio Fresh in 2013.", True),
        ("Jane Roe and Omar Haddad", "Raed Fares founded Radio Fresh in 2013.", True),
        ("Karen Leigh", "Karen Leigh is the managing editor of Syria Deeply.", False),
        ("Karen Leigh", "She is the managing editor of Syria Deeply.", False),
        ("Abu Khaled, 45, shopkeeper", "We smelled chlorine first.", False),
    ],
)
def test_a_photographers_name_alone_after_a_single_newline_byline_is_the_caption(
    line: str, after: str, caption: bool
) -> None:
    page = f"Harbour Talk\n{BYLINE}\n{line}\n{after}\nSyria Deeply: Why?\nRaed Fares: Ships.\n"
    article = parse(page)
    assert (article.caption == line) is caption
    assert (line in article.intro) is not caption


@pytest.mark.parametrize("byline", [BYLINE + "\n\n", ""])
def test_a_farewell_letter_before_a_dek_with_the_address_token_ends_at_its_signature(
    byline: str,
) -> None:
    page = (
        "Dear Readers,\n\nAfter six years, this is our last day.\n\n"
        "Lara Setrakian, Co-Founder and CEO, News Deeply\n\n"
        "Q+A: The Volunteers Who Map Airstrikes\n\n"
        "Airwars tracks deaths from airstrikes. Tips: <[email protected]> .\n\n"
        f"{byline}Chris Woods directs Airwars.\n\n"
        "Syria Deeply: How do you verify a strike?\n\nChris Woods: Two sources.\n"
    )
    article = parse(page)
    assert article.title == "Q+A: The Volunteers Who Map Airstrikes"
    assert (article.dek or "").startswith("Airwars tracks deaths")
    assert article.intro == ("Chris Woods directs Airwars.",)
    assert [r.text for r in article.removed if r.kind == "header"][-1].startswith("Lara Setrakian")


@pytest.mark.parametrize("blank", ["\u200b", "\ufeff", "\u2060"])
def test_characters_that_print_as_nothing_around_a_label_do_not_hide_it(blank: str) -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\n{blank}Syria Deeply{blank}: What happened?\n\n"
        f"Jane Doe{blank}: Ships came.{blank}\n\n{blank}\n\nThen they left.\n"
    )
    article = parse(page)
    assert [(t.speaker, t.paragraphs) for t in (*article.questions, *article.answers)] == [
        ("Syria Deeply", ("What happened?",)),
        ("Jane Doe", ("Ships came.", "Then they left.")),
    ]


def test_first_names_printed_once_answer_after_a_question_or_another_first_name() -> None:
    page = (
        f"Sisters of Raqqa\n\n{BYLINE}\n\nWe spoke to three women. Their names were changed.\n\n"
        "Syria Deeply: How did you leave?\n\nAmal: At night.\n\nFatima: We walked.\n\n"
        "Syria Deeply: What was hardest?\n\nAmal: The hisba.\n\nNoura: Trusting no one.\n\n"
        "Syria Deeply: And the powers?\n\nJane Doe: Each wants its share.\n\n"
        "Turkey: Ankara wants a buffer zone.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Amal", ("At night.",)),
        ("Fatima", ("We walked.",)),
        ("Amal", ("The hisba.",)),
        ("Noura", ("Trusting no one.",)),
        ("Jane Doe", ("Each wants its share.", "Turkey: Ankara wants a buffer zone.")),
    ]


def test_a_round_up_of_first_names_printed_once_has_their_answers() -> None:
    page = (
        f"What Do You Miss?\n\n{BYLINE}\n\nWe asked three women in Raqqa what they miss.\n\n"
        "Amal: The river.\n\nFatima: My school.\n\nNoura: Nothing at all.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Amal", ("The river.",)),
        ("Fatima", ("My school.",)),
        ("Noura", ("Nothing at all.",)),
    ]


def test_places_a_round_up_intro_names_stay_text() -> None:
    page = (
        f"Three Cities\n\n{BYLINE}\n\nWe asked analysts about Aleppo and Raqqa.\n\n"
        "Aleppo: The siege ended in December.\n\nRaqqa: The offensive began in June.\n"
    )
    assert parse(page).answers == ()


def test_a_label_on_its_own_line_keeps_an_answer_that_holds_a_colon() -> None:
    page = (
        f"Is ISIS Finished?\n\n{BYLINE}\n\nWe asked two experts.\n\n"
        "Hassan Hassan, co-author of “ISIS: Inside the Army of Terror”:\n\n"
        "It has returned to what it was in 2008: an insurgency.\n\n"
        "Charles Lister, senior fellow at the Middle East Institute:\n\n"
        "Syria: the war is not over.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Hassan Hassan", ("It has returned to what it was in 2008: an insurgency.",)),
        ("Charles Lister", ("Syria: the war is not over.",)),
    ]
    assert article.speakers[0].role == "co-author of “ISIS: Inside the Army of Terror”"
    assert not [w for w in article.warnings if "no text" in w.message]


def test_a_surname_after_a_titled_surname_label_is_the_person_the_intro_names() -> None:
    page = (
        f"Aleppo Talk\n\n{BYLINE}\n\nDr. Zaher Sahloul, a critical care specialist, went to"
        " Aleppo.\n\nSyria Deeply: What did you see?\n\nDr. Sahloul: Hospitals in caves.\n\n"
        "Syria Deeply: How many doctors?\n\nSahloul: Around 30.\n\nZS: Most are exhausted.\n"
    )
    article = parse(page)
    assert [a.speaker for a in article.answers] == ["Dr. Zaher Sahloul"] * 3
    assert [(s.name, s.role) for s in article.speakers] == [
        ("Dr. Zaher Sahloul", "a critical care specialist")
    ]


def test_another_verticals_initials_are_the_interviewer_not_a_speaker() -> None:
    """A Syria Deeply interview under the Refugees Deeply banner: `SD:` is the publication
    the title names, asking, not a speaker called Syria Deeply."""
    page = (
        "Dear Deeply Readers,\n\nWelcome to the archives of Refugees Deeply. You can do so at\n\n"
        f"Syria Deeply Asks: Will the Harbour Reopen?\n\n{BYLINE}\n\n"
        "We asked Jane Doe, a harbour pilot, about the ships.\n\n"
        "Syria Deeply: What happened?\n\nJane Doe: They waited.\n\n"
        "SD: Will it last?\n\nJD: Nobody knows.\n"
    )
    article = parse(page)
    turns = [t for ex in article.exchanges for t in (ex.question, *ex.answers)]
    assert [(t.label, t.is_question) for t in turns] == [
        ("Syria Deeply", True),
        ("Jane Doe", False),
        ("SD", True),
        ("JD", False),
    ]
    assert [s.name for s in article.speakers] == ["Jane Doe"]


def test_a_name_the_sentence_goes_on_from_with_its_verb_has_no_role() -> None:
    """`The port’s director, Jane Doe, has worked …` and `…, a pilot at Acme Port, has
    worked …`: what follows the name's comma is the verb, not a role; so `Acme Port` is no
    one described, and `A:` is the one person the intro describes."""
    page = (
        f"Harbour Pilots\n\n{BYLINE}\n\nThe port’s director, Omar Haddad, has worked there since"
        " 2012.\n\nSyria Deeply: What happened?\n\nOmar Haddad: They waited.\n"
    )
    assert parse(page).speakers[0].role is None
    page = (
        f"After the floods\n\n{BYLINE}\n\nOn Monday the harbour reopened. Jane Doe, a harbour pilot"
        " at Acme Port, has worked there for 20 years.\n\nQ: What happened to the ships?\n\n"
        "A: They waited outside.\n"
    )
    article = parse(page)
    assert [(s.name, s.role) for s in article.speakers] == [
        ("Jane Doe", "a harbour pilot at Acme Port")
    ]


@pytest.mark.parametrize(
    "title",
    ["Why the Harbour Matters", "Harbour Pilots Wait", "Syria Deeply Asks: What Next for Ships?"],
)
def test_answer_label_is_not_a_headlines_capitalised_words(title: str) -> None:
    """`A:` is the person the intro describes, not capitalised words of a headline that read
    as a name (`Harbour Matters`), nor a publication the title names."""
    page = (
        f"{title}\n\n{BYLINE}\n\nWe asked Jane Doe, a harbour pilot, about the ships.\n\n"
        "Q: What happened to the ships?\n\nA: They waited outside.\n"
    )
    article = parse(page)
    assert [(s.name, s.role) for s in article.speakers] == [("Jane Doe", "a harbour pilot")]


@pytest.mark.parametrize(
    ("intro", "role"),
    [
        (
            "We interviewed Jane Doe, the author of “Syria: A History,” about the book.",
            "the author of “Syria: A History”",
        ),
        (
            "We interviewed Jane Doe, author of “Why Syria?” and a fellow at Acme, about it.",
            "author of “Why Syria?” and a fellow at Acme",
        ),
        (
            "Jane Doe is the author of “Syria: A History.” She lives in Beirut.",
            "the author of “Syria: A History”",
        ),
        (
            "Jane Doe, host of the podcast ‘Frontline: Syria,’ spoke to us.",
            "host of the podcast ‘Frontline: Syria’",
        ),
    ],
)
def test_a_role_reads_past_the_colon_and_question_mark_of_a_quoted_title(
    intro: str, role: str
) -> None:
    """A book's or a show's title in quotation marks is part of the role: its colon or
    question mark ends nothing, and a comma or period printed inside the closing quote
    ends the role there."""
    page = f"Book Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    assert parse(page).speaker("Jane Doe").role == role


def test_a_labels_short_affiliation_yields_to_the_intros_fuller_role() -> None:
    """`Jane Doe, Acme Institute:` whom the intro calls `director of the Middle East program
    at the Acme Institute`: the intro's role, which holds the label's; a label's own role
    stays where the intro says something else."""
    page = (
        f"Russia Talk\n\n{BYLINE}\n\nWe spoke to Jane Doe, director of the Middle East program"
        " at the Acme Institute, and Omar Haddad, a lecturer at Beta University.\n\n"
        "Syria Deeply: What next?\n\nJane Doe, Acme Institute: A frozen conflict.\n\n"
        "Omar Haddad, historian: A partition.\n"
    )
    roles = {s.name: s.role for s in parse(page).speakers}
    assert roles == {
        "Jane Doe": "director of the Middle East program at the Acme Institute",
        "Omar Haddad": "historian",
    }


@pytest.mark.parametrize(
    ("first", "caption"),
    [
        ("Children play in a camp in Lebanon. Photo: Jane Roe", True),
        ("Children play in a camp in Lebanon. (Photo: Jane Roe/Acme)", True),
        ("Children play in a camp in Lebanon. (Photo courtesy of Jane Roe)", True),
        ("Children play in a camp in Lebanon. Photograph by Jane Roe", True),
        ("Children play in a camp in Lebanon (Jane Roe/Acme Relief)", True),
        ("Children play in a camp in Lebanon. Image: Acme Relief", True),
        ("Children play in a camp in Lebanon. Jane Roe for Syria Deeply", True),
        ("Children play in a camp in Lebanon. © Jane Roe", True),
        ("Children play in a camp in Lebanon. Copyright Jane Roe", True),
        ("Jane Roe is a reporter for Syria Deeply.", False),
        ("She spoke to us from Beirut (via Skype/WhatsApp)", False),
        ("The photo shows a boy (left/right) in Aleppo, she said.", False),
    ],
)
def test_a_caption_in_a_capture_without_the_single_newline_ends_with_its_credit(
    first: str, caption: bool
) -> None:
    """`… Photo: Jane Roe`, `(Photo courtesy of …)`, `(Jane Roe/Acme Relief)`, `© Jane Roe`,
    `Jane Roe for Syria Deeply`: credits that end a caption set apart by a blank line."""
    page = f"Harbour Talk\n\n{BYLINE}\n\n{first}\n\nSyria Deeply: Why?\n\nJane Porter: Ships.\n"
    assert (parse(page).caption == first) is caption


def test_each_of_two_authors_asks_the_questions_their_label_names() -> None:
    page = (
        "Life After the Siege\n\nWritten by Mona Writer and Tom Roe Published on Read time"
        " Approx. 2 minutes\n\nAli Hassan left Madaya in 2017.\n\nTom Roe: Why did you leave?"
        "\n\nAli Hassan: There was no food.\n\nTR: Where to?\n\nAH: Idlib.\n\n"
        "Mona Writer: And now?\n\nAH: I wait.\n\nMW: For what?\n\nAH: Peace.\n"
    )
    article = parse(page)
    assert [(q.speaker, q.label) for q in article.questions] == [
        ("Tom Roe", "Tom Roe"),
        ("Tom Roe", "TR"),
        ("Mona Writer", "Mona Writer"),
        ("Mona Writer", "MW"),
    ]
    assert article.interviewer == "Tom Roe"
    assert [s.name for s in article.speakers] == ["Ali Hassan"]


@pytest.mark.parametrize(
    "start",
    [
        "They waited outside.",
        "He has no reason to stop.",
        "Her government will fall.",
        "She is right, and so is he.",
    ],
)
def test_a_roundup_answer_that_opens_with_a_pronoun_is_an_answer(start: str) -> None:
    """Experts answering with no question asked: `Omar Haddad: They waited …` is an answer,
    not a contributor's biography (`Omar Haddad: Omar is a journalist …`)."""
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe asked Jane Doe, a harbour pilot at Acme Port, and Omar"
        " Haddad, an analyst, about the ships.\n\nJane Doe: It is cold.\n\n"
        f"Omar Haddad: {start}\n\nIt was late.\n"
    )
    article = parse(page)
    assert [(a.speaker, len(a.paragraphs)) for a in article.answers] == [
        ("Jane Doe", 1),
        ("Omar Haddad", 2),
    ]


def test_a_place_lead_in_printed_in_several_answers_stays_text() -> None:
    """`Aleppo: the power was cut.` in one answer and `Aleppo: no power yet.` in another: a
    word printed more than once before a colon, its text never opening a sentence, is the
    answer's lead-in, not a speaker called Aleppo."""
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe asked Jane Doe, a pilot, about the ships.\n\n"
        "Syria Deeply: What happened?\n\nJane Doe: Two cities suffered.\n\n"
        "Aleppo: the power was cut.\n\nHoms: the bakeries closed.\n\n"
        "Syria Deeply: And now?\n\nJane Doe: Still bad.\n\nAleppo: no power yet.\n\n"
        "Homs: bread again.\n"
    )
    article = parse(page)
    assert [(a.speaker, len(a.paragraphs)) for a in article.answers] == [
        ("Jane Doe", 3),
        ("Jane Doe", 3),
    ]


@pytest.mark.parametrize(
    "form",
    ["*{}:* {}", "_{}:_ {}", "*{}*: {}", "***{}:*** {}", "**{}: {}**"],
)
def test_a_markdown_label_in_italics_or_inside_a_bold_paragraph_is_a_label(form: str) -> None:
    page = (
        f"# Harbour Talk\n\n{BYLINE}\n\nWe asked Jane Doe, a pilot, about the ships.\n\n"
        + form.format("Syria Deeply", "What happened?")
        + "\n\n"
        + form.format("Jane Doe", "The ships waited.")
        + "\n"
    )
    article = parse(page)
    assert [(q.label, q.paragraphs) for q in article.questions] == [
        ("Syria Deeply", ("What happened?",))
    ]
    assert [(a.speaker, a.paragraphs) for a in article.answers] == [
        ("Jane Doe", ("The ships waited.",))
    ]


@pytest.mark.parametrize(
    "date", ["March 8, 2016 10:30", "Mar. 8, 2016, 10:30 a.m.", "8 March 2016 at 3:15 pm EST"]
)
def test_a_byline_date_with_a_time_after_it_is_read(date: str) -> None:
    page = (
        f"Harbour Talk\n\nWritten by Mona Writer Published on {date} Read time Approx. 2 minutes"
        "\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    )
    article = parse(page)
    assert article.published is not None and article.published.isoformat() == "2016-03-08"
    assert article.read_minutes == 2


@pytest.mark.parametrize(
    ("intro", "role"),
    [
        (
            "Jane Doe is the founder of Acme Relief, which runs clinics.",
            "the founder of Acme Relief",
        ),
        (
            "Jane Doe is a pilot at Acme Port and has worked there for years.",
            "a pilot at Acme Port",
        ),
        ("Jane Doe is a pilot at Acme Port, and she has seen it all.", "a pilot at Acme Port"),
        ("Jane Doe is not optimistic about the port.", None),
        ("Jane Doe is worried about the port.", None),
        ("Jane Doe is in Beirut this week.", None),
        ("Jane Doe is 45 and a pilot.", None),
    ],
)
def test_a_role_said_with_is_ends_where_a_comma_role_would(intro: str, role: str | None) -> None:
    """`Jane Doe is ROLE`: the role stops at `, which`, `, and`, `and has`, as after a comma;
    what the sentence says of her state or whereabouts is no role."""
    page = f"Harbour Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    assert parse(page).speaker("Jane Doe").role == role


@pytest.mark.parametrize(
    ("intro", "role"),
    [
        (
            "Syria Deeply spoke with Acme Institute senior fellow Jane Doe about the truce.",
            "Acme Institute senior fellow",
        ),
        ("We spoke with Syrian-American physician Jane Doe.", "Syrian-American physician"),
        ("The Damascus-based analyst Jane Doe spoke to us.", "Damascus-based analyst"),
        ("We spoke with the mother of Jane Doe.", None),
        ("We asked Jane Doe about the port.", None),
    ],
)
def test_a_post_printed_before_the_name_is_the_role(intro: str, role: str | None) -> None:
    page = f"Harbour Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    assert parse(page).speaker("Jane Doe").role == role


@pytest.mark.parametrize(
    "intro",
    [
        "In an interview with Jane Doe, we asked about the port.",
        "After meeting Jane Doe, she told us about the port.",
        "Before Jane Doe, there was no pilot.",
    ],
)
def test_a_clause_after_the_names_comma_that_opens_with_a_pronoun_is_no_role(intro: str) -> None:
    page = f"Harbour Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    assert parse(page).speaker("Jane Doe").role is None


@pytest.mark.parametrize(
    "note",
    [
        "Translated from Arabic by Tom Roe.",
        "— Mona Writer",
        "Mona Writer contributed reporting from Beirut.",
        "Additional reporting by Tom Roe.",
        "A version of this article was first published by Acme News.",
        "Names have been changed to protect identities.",
        "*Some names have been changed for security reasons.*",
        "The names of the refugees have been changed.",
    ],
)
def test_a_credit_or_notice_after_the_last_answer_is_a_note(note: str) -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe asked Jane Doe about the ships.\n\n"
        f"Syria Deeply: What?\n\nJane Doe: Ships.\n\n{note}\n"
    )
    article = parse(page)
    assert article.answers[0].paragraphs == ("Ships.",)
    assert article.notes == (note,)


@pytest.mark.parametrize(
    "text",
    ["Translated into English, the word means hope.", "The names were changed by the regime."],
)
def test_an_answer_about_translation_or_names_stays_the_answer(text: str) -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe asked Jane Doe about the ships.\n\n"
        f"Syria Deeply: What?\n\nJane Doe: Ships.\n\n{text}\n"
    )
    assert parse(page).answers[0].paragraphs == ("Ships.", text)


def test_a_label_that_opens_one_persons_longer_name_is_that_person() -> None:
    """`Abu Mohammad:` (a kunya) and `Um Khaled:` for the Abu Mohammad al-Halabi and Um Khaled
    Haddad the intro names; not for a street named after someone."""
    page = (
        f"Siege Talk\n\n{BYLINE}\n\nWe asked Abu Mohammad al-Halabi, a commander, and Um Khaled"
        " Haddad, a nurse, about the siege. Both live near Omar Haddad Street.\n\n"
        "Syria Deeply: What?\n\nAbu Mohammad: Hunger.\n\nUm Khaled: Fear.\n\n"
        "Syria Deeply: Then?\n\nAbu Mohammad al-Halabi: More.\n\nOmar Haddad: Less.\n"
    )
    article = parse(page)
    assert [(a.speaker, a.label) for a in article.answers] == [
        ("Abu Mohammad al-Halabi", "Abu Mohammad"),
        ("Um Khaled Haddad", "Um Khaled"),
        ("Abu Mohammad al-Halabi", "Abu Mohammad al-Halabi"),
        ("Omar Haddad", "Omar Haddad"),
    ]
    assert article.speaker("Um Khaled Haddad").role == "a nurse"


def test_a_kunya_label_is_the_person_only_the_intro_names_in_full() -> None:
    page = (
        f"Siege Talk\n\n{BYLINE}\n\nWe asked Abu Mohammad al-Halabi, a commander, about the"
        " siege.\n\nSyria Deeply: What?\n\nAbu Mohammad: Hunger.\n\nSyria Deeply: Then?\n\n"
        "Abu Mohammad: More.\n"
    )
    article = parse(page)
    assert [(s.name, s.role) for s in article.speakers] == [
        ("Abu Mohammad al-Halabi", "a commander")
    ]


@pytest.mark.parametrize(
    ("intro", "role"),
    [
        (
            "We spoke to Jane Doe (@janedoe), a pilot at Acme Port, about it.",
            "a pilot at Acme Port",
        ),
        ("We spoke to Jane Doe (@janedoe) about the ships.", None),
        (
            "We spoke to Jane Doe (pictured), a pilot at Acme Port, about it.",
            "a pilot at Acme Port",
        ),
        ("We spoke to Jane Doe (not her real name), a pilot, about the ships.", "a pilot"),
    ],
)
def test_an_aside_after_the_name_that_is_no_role_leaves_the_role_after_it(
    intro: str, role: str | None
) -> None:
    page = f"Harbour Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    assert parse(page).speaker("Jane Doe").role == role


@pytest.mark.parametrize(
    ("intro", "roles"),
    [
        (
            "We asked Jane Doe of the Center for Strategic and International Studies and John"
            " Roe, director of the Beta Center, about it.",
            {
                "Jane Doe": "Center for Strategic and International Studies",
                "John Roe": "director of the Beta Center",
            },
        ),
        (
            "We asked Jane Doe of Acme and John Roe of Beta Group.",
            {"Jane Doe": "Acme", "John Roe": "Beta Group"},
        ),
        (
            "We spoke with Jane Doe from Aleppo and John Roe.",
            {"Jane Doe": "from Aleppo", "John Roe": None},
        ),
    ],
)
def test_the_organisation_a_name_is_of_is_the_role(intro: str, roles: dict) -> None:
    page = f"Talk\n\n{BYLINE}\n\n{intro}\n\nJane Doe: Ships.\n\nJohn Roe: Boats.\n"
    assert {s.name: s.role for s in parse(page).speakers} == roles


@pytest.mark.parametrize("label", ["SD", "SD Asks"])
def test_publication_initials_ask_for_the_publication_the_intro_names(label: str) -> None:
    """No banner and a byline by a person: `SD:` is Syria Deeply, which the intro names,
    not the author."""
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nJane Doe, a pilot, spoke to Syria Deeply about the"
        f" ships.\n\n{label}: What happened?\n\nJane Doe: Ships.\n"
    )
    article = parse(page)
    assert (article.interviewer, article.publication) == ("Syria Deeply", "Syria Deeply")
    assert article.questions[0].speaker == "Syria Deeply"


@pytest.mark.parametrize("label", ["Syria Deeply asks", "SD asks"])
def test_an_interviewer_label_with_asks_in_lower_case_asks(label: str) -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nJane Doe, a pilot, spoke to Syria Deeply.\n\n"
        f"{label}: What?\n\nJane Doe: Ships.\n\n{label}: And?\n\nJane Doe: Boats.\n"
    )
    article = parse(page)
    assert article.interviewer == "Syria Deeply"
    assert [a.paragraphs for a in article.answers] == [("Ships.",), ("Boats.",)]


@pytest.mark.parametrize("intro", ["the Jane Doe spoke.", "We met “the Jane Doe” once."])
def test_a_determiner_alone_before_the_name_is_no_role(intro: str) -> None:
    page = f"Harbour Talk\n\n{BYLINE}\n\n{intro}\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    assert parse(page).speaker("Jane Doe").role is None


@pytest.mark.parametrize(
    "intro",
    [
        "Syria Deeply reporter Tom Roe spoke with Jane Doe, a pilot, about the ships.",
        "Tom Roe of Syria Deeply spoke with Jane Doe, a pilot, about the ships.",
        "Tom Roe, a Syria Deeply contributor, spoke with Jane Doe, a pilot, about the ships.",
    ],
)
def test_answer_label_is_not_the_publications_reporter_nor_a_title_word(intro: str) -> None:
    """`A:` is the one the intro describes who is not the publication's (he asks), not the
    capitalised words of the title (`Harbour Talk`) that the intro never names."""
    page = (
        "Harbour Talk\n\nWritten by Syria Deeply Published on Read time Approx. 2 minutes\n\n"
        f"{intro}\n\nQ: What?\n\nA: Ships.\n"
    )
    assert [a.speaker for a in parse(page).answers] == ["Jane Doe"]


def test_a_headline_of_short_words_shaped_like_a_label_is_the_title() -> None:
    """`Jane Doe: The War Is Not Over` on a page with no byline: its words are short, but
    capitalised as a headline's; her first answer is the one after the question."""
    page = (
        "Jane Doe: The War Is Not Over\n\nSyria Deeply: What happened?\n\n"
        "Jane Doe: They waited.\n\nSyria Deeply: And now?\n\nDoe: They are inside.\n"
    )
    article = parse(page)
    assert article.title == "Jane Doe: The War Is Not Over"
    assert [a.paragraphs for a in article.answers] == [("They waited.",), ("They are inside.",)]


@pytest.mark.parametrize("title", ["Our Team", "The People Behind the Site"])
def test_a_staff_page_of_names_with_posts_and_profiles_has_no_answers(title: str) -> None:
    """`Jane Doe, Managing Editor` alone on a line, then `Jane has covered …`: a staff page,
    shaped like a vox pop, whose profiles are no answers."""
    page = (
        f"{title}\n\nThe people behind Syria Deeply.\n\nJane Doe, Managing Editor\n\n"
        "Jane has covered Syria since 2011.\n\nTom Roe, Senior Reporter\n\n"
        "Tom reports from Gaziantep.\n\nLina Kurdi, Fellow\n\nShe is a researcher.\n"
    )
    article = parse(page)
    assert article.answers == ()
    assert "Tom reports from Gaziantep." in article.intro


@pytest.mark.parametrize("tail", ["minutes read", "min read", "minutes to read", "min. read."])
def test_words_after_the_read_time_keep_the_date_and_minutes(tail: str) -> None:
    page = (
        "Harbour Talk\n\nWritten by Mona Writer Published on Mar. 8, 2016 Read time Approx. 6"
        f" {tail}\n\nSyria Deeply: Why?\n\nJane Doe: Because.\n"
    )
    article = parse(page)
    assert article.authors == ("Mona Writer",)
    assert article.published is not None and article.published.isoformat() == "2016-03-08"
    assert article.read_minutes == 6


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("> **Syria Deeply:** What happened?", "> **Jane Doe:** We saw it."),
        ("> Syria Deeply: What happened?", "> Jane Doe: We saw it."),
        (">> *Syria Deeply:* What happened?", ">Jane Doe: We saw it."),
    ],
)
def test_a_label_in_a_markdown_quote_is_a_label(question: str, answer: str) -> None:
    page = (
        f"Harbour Talk\n\n{BYLINE}\n\nWe spoke to Jane Doe, a harbour pilot.\n\n"
        f"{question}\n\n{answer}\n"
    )
    article = parse(page)
    assert [(q.speaker, q.label, q.paragraphs) for q in article.questions] == [
        ("Syria Deeply", "Syria Deeply", ("What happened?",))
    ]
    assert [(a.speaker, a.label, a.paragraphs) for a in article.answers] == [
        ("Jane Doe", "Jane Doe", ("We saw it.",))
    ]
    assert article.intro == ("We spoke to Jane Doe, a harbour pilot.",)


@pytest.mark.parametrize(
    ("title", "answerer"),
    [
        ("The Harbour After the Floods", "A"),  # no one named: kept as printed
        ("Why Harbour Pilots Wait", "A"),
        ("Harbour Talk", "A"),
        ("Q&A: Jane Doe, Director of the Acme Clinic", "Jane Doe"),
        ("Jane Doe on the Harbour After the Floods", "Jane Doe"),
        ("Jane Doe: The War Is Not Over", "Jane Doe"),
        ("In Conversation With Jane Doe", "Jane Doe"),
    ],
)
def test_answer_label_with_no_intro_is_a_name_only_the_title_sets_off(
    title: str, answerer: str
) -> None:
    """`A:` on a page with no intro: a headline's capitalised words (`Harbour After`) are no
    one, so the label is kept as printed, with a warning; a name the title sets off with a
    colon, a comma, `with` or a word in lower case after it is the one who answers."""
    article = parse(f"{title}\n\n{BYLINE}\n\nQ: What?\n\nA: Ships.\n\nQ: Why?\n\nA: Wind.\n")
    assert [a.speaker for a in article.answers] == [answerer, answerer]
    assert [s.name for s in article.speakers] == [answerer]
    assert bool(article.warnings) == (answerer == "A")


@pytest.mark.parametrize(
    ("banner", "label", "interviewer"),
    [
        ("Refugees Deeply", "SD Asks", "Syria Deeply"),
        ("Refugees Deeply", "SD", "Syria Deeply"),
        ("Water Deeply", "ND", "News Deeply"),
        ("Refugees Deeply", "RD", "Refugees Deeply"),  # the banner's own initials
    ],
)
def test_initials_of_another_vertical_than_the_banners_are_that_vertical(
    banner: str, label: str, interviewer: str
) -> None:
    """`SD Asks:` on a Refugees Deeply page that never spells Syria Deeply out: the vertical
    of those initials asks, not the banner's, whose initials are RD; the page stays the
    banner's."""
    page = (
        f"Dear Deeply Readers,\n\nWelcome to the archives of {banner}. You can do so at\n\n"
        f"Harbour Talk\n\n{BYLINE}\n\nWe spoke to Jane Doe, a harbour pilot.\n\n"
        f"{label}: What happened?\n\nJane Doe: They waited.\n"
    )
    article = parse(page)
    assert (article.interviewer, article.publication) == (interviewer, banner)
    assert [(q.speaker, q.label) for q in article.questions] == [(interviewer, label)]
    assert [a.speaker for a in article.answers] == ["Jane Doe"]


@pytest.mark.parametrize(
    ("byline", "interviewer"),
    [
        ("Mona Writer, Tom Roe and Ann Poe", "Mona Writer, Tom Roe and Ann Poe"),
        ("Mona Writer & Tom Roe", "Mona Writer and Tom Roe"),
        ("Mona Writer", "Mona Writer"),
    ],
)
@pytest.mark.parametrize("label", ["Q", "Question", "SD Asks"])
def test_a_generic_question_label_on_a_page_of_several_authors_is_theirs(
    byline: str, interviewer: str, label: str
) -> None:
    """`Q:` on a page with no banner: the byline's authors ask, one or several; the label
    is no interviewer's name."""
    page = (
        f"Harbour Talk\n\nWritten by {byline} Published on Read time Approx. 2 minutes\n\n"
        f"We spoke to Jane Doe, a harbour pilot.\n\n{label}: What happened?\n\n"
        "Jane Doe: They waited.\n"
    )
    article = parse(page)
    assert article.interviewer == interviewer
    assert [(q.speaker, q.label) for q in article.questions] == [(interviewer, label)]
    assert [a.speaker for a in article.answers] == ["Jane Doe"]


@pytest.mark.parametrize("title", ["The People Behind the Site", "Harbour Voices"])
def test_a_profile_that_opens_with_the_persons_possessive_is_no_answer(title: str) -> None:
    """`Jane’s reporting …` opens a profile as `Jane has …` does, curly or straight."""
    page = (
        f"{title}\n\nThe people behind Syria Deeply.\n\nJane Doe, Managing Editor\n\n"
        "Jane’s reporting covers Syria.\n\nTom Roe, Senior Reporter\n\n"
        "Tom's beat is the border.\n\nLina Kurdi, Fellow\n\nLina’s research is on water.\n"
    )
    article = parse(page)
    assert article.answers == ()
    assert "Tom's beat is the border." in article.intro
