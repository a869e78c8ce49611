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
# A heading that asks, or opens like a FAQ question ("When you need a scan or a doctor"), starts
# a section of its own; others ("Fix the shoes", "1. Settle the load") belong to the one above.
_TOP_HEADING = re.compile(r"\?\s*$|^(what|why|how|when|where|who|can|could|should|is|are|do|does|will)\b", re.I)
# Openers that lean on the sentence before them: a quote never starts with one.
_OPENS_ON_PREVIOUS = re.compile(
    r"^(this|that|these|those|it|they|so|such|both|then|also|however|but|instead|"
    r"otherwise|because of this|as a result|for that reason|in that case)\b", re.I)
# A paragraph's closing sentence that promises what comes after it: "It comes in two forms:",
# "Here's the plan we usually follow.", "There are two main types of tear, and ..." (pasted posts
# put the plan under sub-headings of their own: round 33's session, the spent sets).
_PROMISE = re.compile(r":\s*$|^(so |and )?(here'?s|here is|here are)\b[^:]*:?$|"
                      r"^there are (two|three|four|five|several|a few) (main |common |different )?"
                      r"(types|kinds|ways|routes|forms|stages)\b", re.I)
PROMISE_WORDS = 16  # a longer closing sentence says something itself
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

    @property
    def size(self) -> int:  # in words: what an answer's budget counts
        return len(self.text.split())


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
        ordered_keys = sorted(self.blocks, key=lambda k: (k.source, k.section, k.block))
        for key in ordered_keys:
            self.sections.setdefault((key.source, key.section), []).append(self.blocks[key])
        self._next = {key: after for key, after in zip(ordered_keys, ordered_keys[1:]) if key.source == after.source}
        self._in_order: dict[str, list[tuple[int, list[Block]]]] = {}  # each article's sections, in order
        for (source, number), blocks in sorted(self.sections.items()):
            self._in_order.setdefault(source, []).append((number, blocks))
        # The first block of each promised sub-section: quoted under its heading, which names the step.
        self.sub_heads = {self.sections[(b.key.source, b.key.section)][0].key
                          for source, section in self.sections for b in self.sub_sections(source, section)}

    def of(self, chunk: Chunk, unit: Unit) -> Block | None:
        return self.blocks.get(BlockKey(chunk.source, chunk.section, unit.block))

    def next_key(self, key: BlockKey) -> BlockKey | None:
        """The block after `key` in its article, across a section break."""
        return self._next.get(key)

    def sub_sections(self, source: str, section: int) -> list[Block]:
        """The blocks of the sections that carry out a promise closing section `section` ("Here's
        the plan we usually follow." over "1. Settle the load", "2. Start with isometric holds"):
        the sections after it, up to the next heading that asks or opens like a FAQ heading."""
        last = self.sections.get((source, section), [None])[-1]
        if last is None or not leads_on(last.units):
            return []
        out = []
        for number, blocks in self._in_order.get(source, ()):
            if number <= section:
                continue
            if _TOP_HEADING.search(blocks[0].first.heading or "?"):
                break
            out += blocks
        return out


def leads_on(units) -> bool:
    """The last unit is a promise of what follows it (a lead-in into the next block)."""
    if not units or units[-1].kind == ITEM:
        return False
    text = units[-1].text.strip()
    return len(text.split()) <= PROMISE_WORDS and bool(_PROMISE.search(text))


def quoted_units(block: Block, relevant: set[str], pointer: str, asked_for: bool = False,
                 continued: bool = False) -> tuple[list[Unit], str]:
    """What of a block to quote (units, and the "and N more" pointer or "").

    A list comes with its lead-in and every item (up to MAX_ITEMS), else the relevant items and
    a pointer to the rest. `asked_for`: the list is what was asked (its section serves the
    aspect: the causes for "why"), so every item answers, whatever its words; a long one then
    shows MAX_ITEMS items, the relevant ones and the rest in order, and points to the others.
    A paragraph comes whole when most of its sentences are relevant; otherwise (a long
    paragraph) the run from the first relevant sentence to the last, reaching back over any
    sentence that leans on the one before it. A closing lead-in ("It comes in two forms:") stays
    only when the block after it is quoted too (`continued`)."""
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
    if not hits or len(hits) * 2 >= len(units) or len(block.text.split()) <= WHOLE_WORDS:
        return (units if continued else _without_dangling(units)), ""
    start, end = hits[0], hits[-1]
    while start > 0 and _OPENS_ON_PREVIOUS.match(units[start].text):
        start -= 1
    run = units[start:end + 1]
    return (run if continued and end == len(units) - 1 else _without_dangling(run)), ""


def _without_dangling(units: list[Unit]) -> list[Unit]:
    """A paragraph's closing "Here's how I tell them apart:" leads into what the block does not
    hold (round 27's spent sets: sub-headings followed it, and the answer ended on the colon). It
    is left out, unless the next block is quoted after it; a paragraph that is nothing else is
    not quoted at all (empty)."""
    while leads_on(units):
        units = units[:-1]
    return units


def render(units: list[Unit], pointer: str, n: int, heading: str | None = None) -> str:
    """A paragraph on one line; a list as a Markdown list under its lead-in; each marked [n];
    under its `heading` in bold when one is given (a step of a promised plan)."""
    lead = " ".join(escape_markdown(u.text) for u in units if u.kind != ITEM)
    items = [f"- {escape_markdown(u.text)} [{n}]" for u in units if u.kind == ITEM]
    lines = ([f"**{escape_markdown(heading)}**", ""] if heading else []) + ([f"{lead} [{n}]"] if lead else [])
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
