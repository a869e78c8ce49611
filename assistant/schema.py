"""Plain frozen dataclasses that cross module lines.

LangChain and Chroma types never leave their own modules; everything else passes these.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# What a block of an article is. Only `content` is ever quoted; the others are the post
# talking about itself, selling, page chrome, the author's bio, or pointing elsewhere in the
# post (tagged at ingest from rules and examples in knowledge/filler.yaml).
CONTENT = "content"
TAGS = (CONTENT, "intro", "sales", "nav", "bio", "backref")


@dataclass(frozen=True)
class Block:
    """One paragraph, or one list together with the sentence that leads into it."""

    text: str  # the paragraph; for a list, its lead-in ("Common signs are:"), or "" when it has none
    items: tuple[str, ...] = ()  # a list's items in order; empty for a paragraph
    tag: str = CONTENT

    @property
    def is_list(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class Section:
    heading: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Article:
    source: str  # canonical source id: the file's path relative to the knowledge folder
    slug: str
    title: str
    url: str | None
    sections: tuple[Section, ...]
    published: str | None = None
    tags: tuple[str, ...] = ()


SENTENCE, ITEM, LEAD_IN, HEADING = "sentence", "item", "lead_in", "heading"


@dataclass(frozen=True)
class Unit:
    """The smallest piece that is matched: one sentence of a paragraph, one list item, or a
    sentence of a list's lead-in. What is quoted is its whole block (or a run of it)."""

    text: str
    kind: str  # SENTENCE | ITEM | LEAD_IN, or HEADING: the section's heading, matched but never quoted
    block: int  # index of its block within the section: units of one block share it across chunks
    tag: str = CONTENT

    @property
    def is_item(self) -> bool:
        return self.kind == ITEM


@dataclass(frozen=True)
class Chunk:
    id: str
    source: str
    slug: str
    title: str
    url: str | None
    heading: str | None
    units: tuple[Unit, ...]
    section: int = 0  # index of its section in the article: (source, section, unit.block) names a block
    part: int = 0  # index of this passage within its section (a long section has several)

    @property
    def text(self) -> str:
        """The passage as the runner would read it (items on their own lines)."""
        return units_text(self.units)

    @property
    def content(self) -> tuple[Unit, ...]:
        """The units that may be quoted (filler never is)."""
        return tuple(u for u in self.units if u.tag == CONTENT and u.kind != HEADING)

    @property
    def embed_text(self) -> str:
        """What the model and BM25 see: title and heading give a short passage its context;
        filler is left out, so a sales paragraph never pulls its passage towards a question."""
        head = f"{self.title} — {self.heading}" if self.heading else self.title
        return f"{head}\n{units_text(self.content)}"


def units_text(units) -> str:
    """Units as the runner reads them: a block's sentences run together, items on their own lines."""
    lines: list[str] = []
    last_block = -1
    for unit in units:
        if unit.kind == HEADING:
            continue
        if unit.is_item:
            lines.append(f"- {unit.text}")
        elif unit.block == last_block and lines and not lines[-1].startswith("- "):
            lines[-1] = f"{lines[-1]} {unit.text}"
        else:
            lines.append(unit.text)
        last_block = unit.block
    return "\n".join(lines)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused score (reciprocal-rank fusion)
    dense_similarity: float | None = None  # cosine similarity, when the dense search found it


@dataclass(frozen=True)
class Citation:
    n: int
    title: str
    url: str | None
    source: str
    heading: str | None
    quote: str
    chunk_id: str


@dataclass(frozen=True)
class BookingLink:
    label: str
    url: str


@dataclass(frozen=True)
class Booking:
    text: str
    links: tuple[BookingLink, ...]
    phone: str | None = None


@dataclass(frozen=True)
class Triage:
    level: str = "none"  # "none" | "caution" | "urgent" | "emergency"
    rule: str | None = None  # id of the rule that fired
    scope: str | None = None  # id of the scope rule that fired (off-topic, dosing, injection...)
    by_net: bool = False  # the level was raised by the learned net (triage_net.py), not by a rule


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    citations: tuple[Citation, ...]
    triage: str
    status: str  # "answered" | "no_match" | "out_of_scope" | "red_flag"
    booking: Booking | None
    timings_ms: dict = field(default_factory=dict)
    retrieved: tuple[str, ...] = ()  # chunk ids retrieved, best first

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "citations": [
                {"n": c.n, "title": c.title, "url": c.url, "source": c.source,
                 "heading": c.heading, "quote": c.quote, "chunk_id": c.chunk_id}
                for c in self.citations
            ],
            "triage": self.triage,
            "status": self.status,
            "booking": None if self.booking is None else {
                "text": self.booking.text,
                "links": [{"label": link.label, "url": link.url} for link in self.booking.links],
                "phone": self.booking.phone,
            },
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "retrieved": list(self.retrieved),
        }
