"""The realistic measurement sets are sound as data (nothing here runs the assistant, so the
held-back sets stay unseen by it): every expected article exists in the store the set is asked
against, every key phrase is really in that article, and no question is asked twice across the
sets (a held-back question that repeats a tuned one measures nothing)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.helpers import ROOT

REALISTIC = ROOT / "tests" / "eval" / "realistic"
FRESH2 = REALISTIC / "fresh2"
FRESH3 = REALISTIC / "fresh3"
REALISTIC_STORE = (ROOT / "knowledge", REALISTIC / "articles")
# Each set with the article folders of the store it is asked against (the Makefile's eval targets).
SETS = {
    "questions.yaml": (REALISTIC / "questions.yaml", REALISTIC_STORE),
    "conversations.yaml": (REALISTIC / "conversations.yaml", REALISTIC_STORE),
    "fresh.yaml": (REALISTIC / "fresh.yaml", REALISTIC_STORE),
    "fresh2/questions.yaml": (FRESH2 / "questions.yaml", (*REALISTIC_STORE, FRESH2 / "articles")),
    "fresh2/conversations.yaml": (FRESH2 / "conversations.yaml", (*REALISTIC_STORE, FRESH2 / "articles")),
    "fresh3/questions.yaml": (FRESH3 / "questions.yaml", (*REALISTIC_STORE, FRESH2 / "articles", FRESH3 / "articles")),
    "fresh3/conversations.yaml": (FRESH3 / "conversations.yaml",
                                  (*REALISTIC_STORE, FRESH2 / "articles", FRESH3 / "articles")),
}
ARTICLE_SUFFIXES = {".md", ".txt", ".html"}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


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
