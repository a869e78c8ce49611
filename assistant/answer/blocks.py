"""Whole blocks, put back together from the passages of a published version, and written out.

Matching happens on small units (one sentence, one list item: each has its own vector); what is
quoted is their parent block - a paragraph, or a list with its lead-in - the field's
parent-document shape (LangChain's ParentDocumentRetriever / MultiVectorRetriever). We don't use
those classes: they embed the query themselves (a second model call, where ours reuses the one
vector triage made) and return parents without the children's scores, which decide how much of
a block to quote. A block may run over two passages; the index joins it again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.schema import ITEM, Chunk, Unit

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
# Openers that lean on the sentence before them: a quote never starts with one.
_OPENS_ON_PREVIOUS = re.compile(
    r"^(this|that|these|those|it|they|so|such|both|then|also|however|but|instead|"
    r"otherwise|because of this|as a result|for that reason|in that case)\b", re.I)
MAX_ITEMS = 8  # a list this long or shorter is quoted whole
WHOLE_WORDS = 90  # a paragraph this short is one thought: quoted whole


def escape_markdown(text: str) -> str:
    """Article text is shown literally: no links, HTML or emphasis can be smuggled through."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class BlockKey:
    source: str
    section: int
    block: int


@dataclass(frozen=True)
class Block:
    key: BlockKey
    units: tuple[Unit, ...]  # content units, in the article's order
    first: Chunk  # the passage it starts in: title, heading, link and citation id

    @property
    def is_list(self) -> bool:
        return any(u.kind == ITEM for u in self.units)

    @property
    def text(self) -> str:
        return " ".join(u.text for u in self.units)


class BlockIndex:
    """Every content block of a version, by key (built once per version, with the reader)."""

    def __init__(self, chunks):
        ordered = sorted(chunks, key=lambda c: (c.source, c.section, c.part))
        units: dict[BlockKey, list[Unit]] = {}
        first: dict[BlockKey, Chunk] = {}
        for chunk in ordered:
            for unit in chunk.content:
                key = BlockKey(chunk.source, chunk.section, unit.block)
                units.setdefault(key, []).append(unit)
                first.setdefault(key, chunk)
        self.blocks = {key: Block(key, tuple(found), first[key]) for key, found in units.items()}
        self.sections: dict[tuple[str, int], list[Block]] = {}
        for key in sorted(self.blocks, key=lambda k: (k.source, k.section, k.block)):
            self.sections.setdefault((key.source, key.section), []).append(self.blocks[key])

    def of(self, chunk: Chunk, unit: Unit) -> Block | None:
        return self.blocks.get(BlockKey(chunk.source, chunk.section, unit.block))


def quoted_units(block: Block, relevant: set[str], pointer: str, asked_for: bool = False,
                 shown: frozenset[BlockKey] = frozenset()) -> tuple[list[Unit], str]:
    """What of a block to quote (units, and the "and N more" pointer or "").

    A list comes with its lead-in and every item (up to MAX_ITEMS), else the relevant items and
    a pointer to the rest. `asked_for`: the list is what was asked (its section serves the
    aspect: the causes for "why"), so every item answers, whatever its words; a long one then
    shows MAX_ITEMS items, the relevant ones and the rest in order, and points to the others.
    A paragraph comes whole when most of its sentences are relevant; otherwise (a long
    paragraph) the run from the first relevant sentence to the last, reaching back over any
    sentence that leans on the one before it. A closing lead-in ("It comes in two forms:") stays
    only when the block after it is `shown` too."""
    units = list(block.units)
    if block.is_list:
        lead = [u for u in units if u.kind != ITEM]
        items = [u for u in units if u.kind == ITEM]
        if len(items) <= MAX_ITEMS:
            return lead + items, ""
        picked = [i for i, u in enumerate(items) if u.text in relevant][:MAX_ITEMS] or list(range(MAX_ITEMS // 2))
        if asked_for:  # the relevant items, then the first others, shown in the article's order
            others = [i for i in range(len(items)) if i not in picked]
            picked = sorted(picked + others[:MAX_ITEMS - len(picked)])
        chosen = [items[i] for i in picked]
        return lead + chosen, pointer.format(count=len(items) - len(chosen))
    hits = [i for i, u in enumerate(units) if u.text in relevant]
    leads_on = BlockKey(block.key.source, block.key.section, block.key.block + 1) in shown
    if not hits or len(hits) * 2 >= len(units) or len(block.text.split()) <= WHOLE_WORDS:
        return (units if leads_on else _without_dangling(units)), ""
    start, end = hits[0], hits[-1]
    while start > 0 and _OPENS_ON_PREVIOUS.match(units[start].text):
        start -= 1
    run = units[start:end + 1]
    return (run if leads_on and end == len(units) - 1 else _without_dangling(run)), ""


def _without_dangling(units: list[Unit]) -> list[Unit]:
    """A paragraph's closing "Here's how I tell them apart:" leads into what the block does not
    hold (round 27's spent sets: sub-headings followed it, and the answer ended on the colon). It
    is left out, unless the next block is quoted after it; a paragraph that is nothing else is
    not quoted at all (empty)."""
    while units and units[-1].text.rstrip().endswith(":"):
        units = units[:-1]
    return units


def render(units: list[Unit], pointer: str, n: int) -> str:
    """A paragraph on one line; a list as a Markdown list under its lead-in; each marked [n]."""
    lead = " ".join(escape_markdown(u.text) for u in units if u.kind != ITEM)
    items = [f"- {escape_markdown(u.text)} [{n}]" for u in units if u.kind == ITEM]
    lines = [f"{lead} [{n}]"] if lead else []
    if items:
        lines += ([""] if lines else []) + items
    if pointer:
        lines.append(f"- {escape_markdown(pointer)}")
    return "\n".join(lines)


def plain(units: list[Unit], pointer: str) -> str:
    """The same, without markers or escapes: the citation's quote."""
    lead = " ".join(u.text for u in units if u.kind != ITEM)
    items = [f"- {u.text}" for u in units if u.kind == ITEM]
    return "\n".join(([lead] if lead else []) + items + ([pointer] if pointer else []))
