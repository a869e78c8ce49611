"""The off-topic weights (assistant/answer/offtopic.py): shipped, read, and used only to say "not
covered" when retrieval is unsure too. On the real model and the tiny real store."""
from __future__ import annotations

import json

import pytest

from assistant.answer.offtopic import OFFTOPIC_FILE, load_offtopic
from assistant.errors import ConfigError


def test_the_shipped_weights_fit_the_bundled_model(embedder):
    net = load_offtopic()
    assert net.model == embedder.name and net.head.weights.shape == (embedder.dim,)
    assert 0.5 <= net.refuse_at < 1.0 and 0.0 < net.unless_close < 1.0


def test_damaged_weights_are_a_clear_config_error(tmp_path):
    damaged = tmp_path / "offtopic.json"
    damaged.write_text(json.dumps({"model": "x", "head": {"weights": [0.1]}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="off-topic weights"):
        load_offtopic(damaged)
    assert json.loads(OFFTOPIC_FILE.read_text(encoding="utf-8"))["fitted_on"]  # says what it learned from


def test_what_a_question_is_about_shows_in_its_vector(embedder):
    net = load_offtopic()
    about_fuel = embedder.embed(["how many grams of carbs per hour should i take on a marathon"])[0]
    about_a_heel = embedder.embed(["sharp pain under my heel with the first steps in the morning"])[0]
    assert net.off_topic(about_fuel) and not net.off_topic(about_a_heel)


@pytest.mark.parametrize("question", [
    "my stomach cramps on long runs, how many grams of carbs per hour should i take",
    "tight hips after sitting, how many hours of sleep do i need in marathon training",
])
def test_a_body_word_in_passing_does_not_make_a_fuel_or_sleep_question_covered(assistant, question):
    """"Cramps" and "hips" are the articles' words, so the key-word check calls these covered and
    a passage was quoted; what they ask about is fuel and sleep, which no article covers."""
    assert assistant.ask(question).status == "no_match"
    net, assistant.offtopic = assistant.offtopic, None
    try:  # without the weights they were answered
        assert assistant.ask(question).status == "answered"
    finally:
        assistant.offtopic = net


def test_the_weights_never_refuse_what_the_articles_words_answer(assistant, embedder):
    """Scored off-topic (racing again after a marathon), but "calves" and "tight" are in the
    passages: retrieval is sure enough, the answer stands. An injury question is never off-topic."""
    question = "calves feel tight after my marathon, how soon can i race a 5k"
    assert assistant.offtopic.off_topic(embedder.embed([question])[0])
    assert assistant.ask(question).status == "answered"
    assert assistant.ask("my heel hurts when i get out of bed, what helps").citations
