"""A learned "the articles are not about this" signal, for honest `no_match` (issue 12).

Key words cannot tell a training, gear, weather or fuelling question from an injury question
that uses a body word in passing: "my lungs burn on 5 degree mornings, what do you wear",
"hands swell on hot long runs, how much should i drink per hour" name a body part and a
symptom, so coverage.py counts them covered and the answer quoted a nerve post. What such a
question is *about* shows in its vector. One logistic regression on the question's vector,
fitted by bench/offtopic_fit.py on the spent answer sets (answerable questions against the
running-adjacent ones no article covers), weights read here with numpy only.

It turns an answer into "not covered" only when retrieval is not sure either: the question names
no post's title word, is no follow-up, its rarest key word is not in the passages (unless it
scores `sure_at`: "what's a good marathon plan for a 3:30 goal" finds "plan" in the comeback
post), and no sentence of the passages is `unless_close` to it. The other way, a question it scores below
`doubt_at` is not refused for lacking a key word alone (coverage.not_covered): "how long is the
first visit, trying to fit it in on my lunch break" lacks "lunch", and the evaluation post
answers it. The weights know the articles' domain as it was when they were fitted:
after adding posts on a new kind of subject (fuelling, say), refit them (bench/offtopic_fit.py
--write), or the new post's questions may be called not covered until then.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer.triage_net import Head
from assistant.errors import ConfigError

OFFTOPIC_FILE = Path(__file__).with_name("offtopic.json")


@dataclass(frozen=True)
class OffTopicNet:
    model: str  # the embedding model the weights were fitted on: another model's vectors mean nothing here
    head: Head  # P(no article covers it | the question's vector)
    refuse_at: float  # at/above this the question is off the articles' topic...
    unless_close: float  # ...unless a passage's sentence is at least this similar to it
    doubt_at: float  # at/above this a key word missing from the passages may refuse it (coverage.py)
    sure_at: float = 1.0  # at/above this it is off-topic even when its rarest key word was found

    def score(self, vector: np.ndarray) -> float:
        return self.head.score(np.asarray(vector, dtype=np.float64))

    def off_topic(self, vector: np.ndarray) -> bool:
        return self.score(vector) >= self.refuse_at


def off_topic_verdict(net: OffTopicNet | None, vector: np.ndarray, named: bool,
                      word_found: bool) -> tuple[float | None, bool]:
    """(compose.Asked.off_topic_unless, .key_word_rule). `named`: the question names a post or
    carries a follow-up's topic; `word_found`: its rarest key word is in the passages found.
    Without weights: never off-topic, and the key-word rule applies to every question."""
    if net is None:
        return None, True
    doubt = net.score(vector)
    off = not named and (doubt >= net.sure_at or (doubt >= net.refuse_at and not word_found))
    return (net.unless_close if off else None), doubt >= net.doubt_at


def load_offtopic(path: Path = OFFTOPIC_FILE) -> OffTopicNet:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        head = Head(np.asarray(data["head"]["weights"], dtype=np.float64), float(data["head"]["bias"]))
        t = data["thresholds"]
        return OffTopicNet(model=str(data["model"]), head=head, refuse_at=float(t["refuse_at"]),
                           unless_close=float(t["unless_close"]), doubt_at=float(t["doubt_at"]),
                           sure_at=float(t["sure_at"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"cannot read the off-topic weights {path}: {exc}") from exc
