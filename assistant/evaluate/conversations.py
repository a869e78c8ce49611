"""Follow-up figures on two-turn conversations (tests/eval/realistic/conversations.yaml).

Each conversation is asked as the chat asks it: the first message, then the follow-up with the
first exchange as history. What counts is the follow-up: does it cite `second_article` first?
Same-topic follow-ups ("should I stretch it?") and switching ones ("also my achilles is sore")
fail in opposite ways (losing the topic vs. clinging to it), so they are reported apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from assistant.errors import ConfigError
from assistant.evaluate.figures import LISTED_SPLITS, count, share
from assistant.evaluate.keyfacts import Verdict, judge, reply_from_answer


@dataclass(frozen=True)
class Conversation:
    first: str
    second: str
    first_article: str
    second_article: str
    key_phrases: tuple[str, ...] = ()  # of the follow-up's answer; may be empty
    split: str = "dev"

    @property
    def same_topic(self) -> bool:
        return self.first_article == self.second_article


def load_conversations(path: Path) -> list[Conversation]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    conversations = []
    for i, item in enumerate(data.get("conversations") or []):
        turns = item.get("turns") if isinstance(item, dict) else None
        if not isinstance(turns, list) or len(turns) != 2:
            raise ConfigError(f"{path}: conversations[{i}] needs `turns: [first, follow-up]`")
        conversations.append(Conversation(str(turns[0]), str(turns[1]), item.get("first_article"),
                                          item.get("second_article"), tuple(item.get("second_key_phrases") or ()),
                                          item.get("split", "dev")))
    return conversations


def evaluate_conversations(assistant, conversations: Sequence[Conversation]) -> dict:
    verdicts = []
    for talk in conversations:
        first = assistant.ask(talk.first)
        second = assistant.ask(talk.second, [(talk.first, first.answer)])
        verdicts.append(judge(talk.second_article, talk.key_phrases, reply_from_answer(second)))
    return follow_up_figures(conversations, verdicts)


def follow_up_figures(conversations: Sequence[Conversation], verdicts: Sequence[Verdict]) -> dict:
    """Pure: {split: row}; the listed (dev) splits also name the follow-ups that went wrong."""
    by_split: dict[str, list] = {}
    for talk, verdict in zip(conversations, verdicts):
        by_split.setdefault(talk.split, []).append((talk, verdict))
    return {split: _row(pairs, split in LISTED_SPLITS) for split, pairs in sorted(by_split.items())}


def _row(pairs: list, listed: bool) -> dict:
    with_phrases = [(t, v) for t, v in pairs if t.key_phrases]
    key_fact = count(with_phrases, lambda p: p[1].key_fact)
    row = {
        **_right_first(pairs),
        "same_topic": _right_first([(t, v) for t, v in pairs if t.same_topic]),
        "switching": _right_first([(t, v) for t, v in pairs if not t.same_topic]),
        "with_key_phrases": len(with_phrases),
        "key_fact": key_fact, "key_fact_rate": share(key_fact, len(with_phrases)),
    }
    if listed:
        row["misses"] = [{"turns": [t.first, t.second], "expected": t.second_article, "cited": list(v.cited),
                          "missing": list(v.missing)} for t, v in pairs if not v.key_fact]
    return row


def _right_first(pairs: list) -> dict:
    right = count(pairs, lambda p: p[1].right_first)
    return {"n": len(pairs), "right_first": right, "right_first_rate": share(right, len(pairs))}
