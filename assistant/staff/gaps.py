"""The content-gap list: what runners asked that the articles did not answer well, grouped
into topics (similar questions together), most asked first — the clinic's next blog posts.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

# The status that means "the articles fell short" (thumbs-down ratings count too).
GAP_STATUSES = frozenset({"no_match"})
SIMILAR = 0.62  # cosine similarity of two questions' embeddings to share a topic (MiniLM paraphrases ~0.7+)


@dataclass(frozen=True)
class Gap:
    questions: tuple[str, ...]  # distinct wordings, most asked first
    count: int  # times asked or rated down
    thumbs_down: int
    last_day: str
    chunk_ids: tuple[str, ...]  # passages the runners were shown, most shown first


def is_gap(entry: dict) -> bool:
    return entry.get("feedback") == "down" or (
        entry.get("feedback") is None and entry.get("status") in GAP_STATUSES)


def _key(question: str) -> str:
    return re.sub(r"[^\w]+", " ", question.casefold()).strip()


def content_gaps(entries: Sequence[dict], embed: Callable | None = None,
                 similar: float = SIMILAR) -> list[Gap]:
    """`embed`: texts -> unit vectors (the assistant's embedder); without it only identical
    wordings (ignoring case and punctuation) are grouped."""
    gaps = [e for e in entries if is_gap(e) and str(e.get("question", "")).strip()]
    by_key: dict[str, list[dict]] = {}
    for entry in gaps:
        by_key.setdefault(_key(entry["question"]), []).append(entry)
    keys = sorted(by_key, key=lambda k: -len(by_key[k]))  # frequent wordings lead their topic
    topics: list[list[str]] = []
    if embed is not None and keys:
        vectors = embed([by_key[k][-1]["question"] for k in keys])
        leaders: list[int] = []
        for i in range(len(keys)):
            best = max(leaders, key=lambda j: float(vectors[i] @ vectors[j]), default=None)
            if best is not None and float(vectors[i] @ vectors[best]) >= similar:
                topics[leaders.index(best)].append(keys[i])
            else:
                leaders.append(i)
                topics.append([keys[i]])
    else:
        topics = [[k] for k in keys]
    out = [_gap([by_key[k] for k in topic]) for topic in topics]
    return sorted(out, key=lambda g: (-g.count, _negate_day(g.last_day)))


def _gap(groups: list[list[dict]]) -> Gap:
    entries = [e for group in groups for e in group]
    shown = Counter(cid for e in entries for cid in (e.get("chunk_ids") or e.get("chunks") or ()))
    return Gap(questions=tuple(group[-1]["question"] for group in groups),
               count=len(entries),
               thumbs_down=sum(1 for e in entries if e.get("feedback") == "down"),
               last_day=max(str(e.get("day", "")) for e in entries),
               chunk_ids=tuple(cid for cid, _ in shown.most_common()))


def _negate_day(day: str) -> tuple:
    return tuple(-ord(ch) for ch in day)  # newest first among equally frequent topics
