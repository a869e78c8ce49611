"""The realistic measurement sets are sound as data (nothing here runs the assistant, so the
held-back sets stay unseen by it): every expected article exists in the store the set is asked
against, every key phrase is really in that article, and no question is asked twice across the
sets (a held-back question that repeats a tuned one measures nothing)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from assistant.evaluate.keyfacts import fold
from tests.helpers import ROOT

REALISTIC = ROOT / "tests" / "eval" / "realistic"
REALISTIC_STORE = (ROOT / "knowledge", REALISTIC / "articles")
LAST_ROUND = 34  # the newest held-back round: fresh2/ ... fresh34/ (the Makefile's eval-heldback)


def round_store(n: int) -> tuple[Path, ...]:
    """The article folders of round n's store: the house and realistic posts, then each round's
    new posts up to its own (round n's questions were written against the posts that existed)."""
    return (*REALISTIC_STORE, *(REALISTIC / f"fresh{k}" / "articles" for k in range(2, n + 1)))


# Each set with the article folders of the store it is asked against (the Makefile's eval targets).
SETS = {
    "questions.yaml": (REALISTIC / "questions.yaml", REALISTIC_STORE),
    "conversations.yaml": (REALISTIC / "conversations.yaml", REALISTIC_STORE),
    "fresh.yaml": (REALISTIC / "fresh.yaml", REALISTIC_STORE),
    **{f"fresh{n}/{kind}.yaml": (REALISTIC / f"fresh{n}" / f"{kind}.yaml", round_store(n))
       for n in range(2, LAST_ROUND + 1) for kind in ("questions", "conversations")},
}
ARTICLE_SUFFIXES = {".md", ".txt", ".html"}


def flat(text: str) -> str:
    """As the eval folds an answer (keyfacts.fold: curly quotes straight, spaces single, lower
    case), so a phrase with "doesn't" is found in a saved page's "doesn&rsquo;t"."""
    return fold(text)


def article_texts(folders) -> dict[str, str]:
    texts = {}
    for folder in folders:
        for path in Path(folder).iterdir():
            if path.suffix in ARTICLE_SUFFIXES:
                raw = path.read_text(encoding="utf-8")
                if path.suffix == ".html":  # the post only: comments and sidebars are not the article
                    soup = BeautifulSoup(raw, "html.parser")
                    raw = (soup.find("article") or soup).get_text(" ")
                texts[path.stem] = flat(raw)
    return texts


def expectations(data: dict):
    """(label, article id or None, key phrases) for each question and each follow-up turn."""
    for item in data.get("questions") or []:
        yield item["q"], item.get("article"), item.get("key_phrases") or []
    for item in data.get("conversations") or []:
        yield " / ".join(item["turns"]), item["first_article"], []
        yield " / ".join(item["turns"]), item["second_article"], item.get("second_key_phrases") or []


@pytest.mark.parametrize("name", list(SETS))
def test_every_expected_article_exists_and_holds_its_key_phrases(name):
    path, folders = SETS[name]
    texts = article_texts(folders)
    problems = []
    for label, article, phrases in expectations(yaml.safe_load(path.read_text(encoding="utf-8"))):
        if article is None:
            assert not phrases, (name, label)
            continue
        if article not in texts:
            problems.append((label, article, "no such article"))
            continue
        problems += [(label, article, phrase) for phrase in phrases if flat(phrase) not in texts[article]]
    assert problems == [], (name, problems)


def test_no_question_is_asked_in_two_sets():
    seen: dict[str, str] = {}
    repeats = []
    for name, (path, _) in SETS.items():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        asked = [item["q"] for item in data.get("questions") or []]
        asked += [item["turns"][0] for item in data.get("conversations") or []]
        for question in asked:
            key = flat(question)
            if key in seen and seen[key] != name:
                repeats.append((question, seen[key], name))
            seen.setdefault(key, name)
    assert repeats == []


# The triage story sets (issue 13), in the order they were written, and the learned net's training
# file: every story has its own id, and no story is told twice anywhere (a training story that
# repeats a measured one would let the net be measured on what it was fitted on).
TRIAGE_EVAL = ROOT / "tests" / "eval"
TRIAGE_STORY_SETS = ("triage_narratives.yaml", "triage_narratives_fresh.yaml",
                     *(f"triage_narratives_fresh{n}.yaml" for n in range(3, LAST_ROUND + 1)),
                     "triage_training.yaml")
TRIAGE_TRAINING = TRIAGE_EVAL / "triage_training.yaml"


def triage_texts() -> list[tuple[str, str | None, str]]:
    """(set, id, text) for every story and one-liner."""
    found = []
    for name in TRIAGE_STORY_SETS:
        for item in yaml.safe_load((TRIAGE_EVAL / name).read_text(encoding="utf-8"))["narratives"]:
            found.append((name, item.get("id"), item["text"]))
    one_liners = yaml.safe_load((TRIAGE_EVAL / "triage.yaml").read_text(encoding="utf-8"))
    found += [("triage.yaml", None, item["text"]) for group in ("red_flags", "lookalikes", "scope")
              for item in one_liners.get(group) or []]
    return found


def test_triage_story_ids_are_unique_across_the_sets():
    ids = [(name, story_id) for name, story_id, _ in triage_texts() if name != "triage.yaml"]
    assert all(story_id for _, story_id in ids), [name for name, story_id in ids if not story_id]
    seen: dict[str, str] = {}
    repeats = [(story_id, seen[story_id], name) for name, story_id in ids
               if story_id in seen or seen.setdefault(story_id, name) != name]
    assert repeats == []


def test_no_triage_story_is_told_twice():
    seen: dict[str, str] = {}
    repeats = []
    for name, story_id, text in triage_texts():
        key = flat(text)
        if key in seen:
            repeats.append((text[:60], seen[key], name))
        seen.setdefault(key, f"{name}:{story_id}")
    assert repeats == []


def test_the_training_file_is_training_only():
    """Never measured: no split (the narrative eval reads dev/test splits only), said in its header,
    and labelled the way the sets it sits beside are."""
    raw = TRIAGE_TRAINING.read_text(encoding="utf-8")
    assert raw.startswith("# TRAINING DATA") and "never a measurement" in raw.splitlines()[0]
    stories = yaml.safe_load(raw)["narratives"]
    assert not [s["id"] for s in stories if "split" in s]
    kinds = {s["kind"] for s in stories}
    assert kinds <= {"red_flag", "everyday", "mixed"}
    assert sum(s["level"] == "none" for s in stories) >= 120
    assert sum(s["level"] in ("urgent", "emergency") for s in stories) >= 60
    assert all((s["level"] == "none") == (s["kind"] != "red_flag") for s in stories)
