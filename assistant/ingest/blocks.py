"""How an article's structure becomes Blocks, the same for every format: a list is one block with
the sentence that leads into it, a nested list folds into its parent item, a table row reads as
one paragraph."""
from __future__ import annotations

from assistant.schema import Block

_SENTENCE_END = (".", "!", "?")


def fold_nested(parent: str, nested: list[str]) -> str:
    """A nested list becomes part of its parent item: "Strength: calf raises; squats".

    Folded rather than listed as sibling items, because a sub-item leans on its parent ("calf
    raises" is an answer only under "Strength:"), and a block holds one flat list; quoting the
    parent item then always brings its sub-items, and a sub-item never arrives without it."""
    if not nested:
        return parent
    joiner = " " if all(n.endswith(_SENTENCE_END) for n in nested) else "; "
    body = joiner.join(nested)
    if not parent:
        return body
    return f"{parent} {body}" if parent.endswith((":", *_SENTENCE_END)) else f"{parent}: {body}"


def table_row(header: list[str], cells: list[str]) -> str:
    """One table row as one paragraph, each cell named by its column: "Sign: Pain; Shin splints:
    spread along the shin". A row of bare cells out of context says nothing a runner can use."""
    if header and len(header) == len(cells):
        pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells) if c]
    else:
        pairs = [c for c in cells if c]
    return "; ".join(pairs)


def attach_lead_ins(blocks) -> tuple[Block, ...]:
    """A paragraph ending in ':' just before a list becomes its lead-in: "Common signs are:" and
    its items are quoted together or not at all. Every loader's blocks pass through here, so the
    rule lives in one place. Two lists in a row stay two lists: each parser now hands over
    whole lists, and in Markdown a new marker starts a new list on purpose."""
    attached: list[Block] = []
    for block in blocks:
        if block.is_list and not block.text and attached and not attached[-1].is_list \
                and attached[-1].text.rstrip().endswith(":"):
            block = Block(attached.pop().text, block.items, block.tag)
        attached.append(block)
    return tuple(attached)
