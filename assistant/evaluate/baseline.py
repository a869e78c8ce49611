"""The "best single chunk" baseline the assistant's answers are compared with.

The textbook retrieval-augmented setup without our answer step: every published article's full
text cut by LangChain's RecursiveCharacterTextSplitter (1000 characters, 200 overlap), embedded
with the same model; for each question the single nearest chunk by cosine is the whole answer,
cited to its article. It never refuses. If the assistant's sentence picking does not beat this,
the answer step is not earning its complexity.

The articles come from the store (as the loader read them), not from the files, so the
baseline sees exactly the words the assistant can quote.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from assistant.evaluate.answers import judge_all, key_fact_figures
from assistant.evaluate.keyfacts import Reply, article_id
from assistant.schema import Chunk, units_text

CHUNK_SIZE, CHUNK_OVERLAP = 1000, 200
SPLITTER = f"RecursiveCharacterTextSplitter(chunk_size={CHUNK_SIZE}, chunk_overlap={CHUNK_OVERLAP})"


def article_texts(chunks: Iterable[Chunk]) -> dict[str, str]:
    """Pure: {article id: full text}: the title, then each section's heading and its blocks in
    order (a paragraph on one line, a list as its lead-in and "- item" lines), blank lines
    between blocks so the splitter can cut there first.

    Chunks partition a section's units in order, so they are put back in order by (section,
    first block, last block); chunk ids end in a content hash and say nothing about order.
    Ties (one long block cut into several chunks) keep the order the store returns, the order
    they were written in."""
    by_article: dict[str, list[tuple[int, Chunk]]] = {}
    for position, chunk in enumerate(chunks):
        by_article.setdefault(article_id(chunk.source), []).append((position, chunk))
    texts = {}
    for article, placed in by_article.items():
        ordered = [c for _, c in sorted(placed, key=lambda pc: (*_place(pc[1]), pc[0]))]
        parts = [ordered[0].title]
        for section in dict.fromkeys(c.section for c in ordered):
            in_section = [c for c in ordered if c.section == section]
            if in_section[0].heading:
                parts.append(in_section[0].heading)
            units = [u for c in in_section for u in c.units]
            blocks = dict.fromkeys(u.block for u in units)
            parts += [units_text([u for u in units if u.block == b]) for b in blocks]
        texts[article] = "\n\n".join(p for p in parts if p)
    return texts


def _place(chunk: Chunk) -> tuple[int, int, int]:
    blocks = [u.block for u in chunk.units] or [-1]
    return chunk.section, blocks[0], blocks[-1]


def split_articles(texts: dict[str, str]) -> list[tuple[str, str]]:
    """(article id, chunk text) for every chunk of every article, articles in name order."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    return [(article, piece) for article, text in sorted(texts.items()) for piece in splitter.split_text(text)]


def nearest_replies(question_vectors, pieces: Sequence[tuple[str, str]], piece_vectors) -> list[Reply]:
    """Pure: each question's answer is its most similar piece (vectors are unit length, so the
    dot product is the cosine)."""
    best = (question_vectors @ piece_vectors.T).argmax(axis=1)
    return [Reply("answered", pieces[i][1], (pieces[i],)) for i in best]


def evaluate_baseline(assistant, questions: Sequence) -> dict:
    """The baseline's key-fact figures per split (numbers only: no question lists)."""
    pieces = split_articles(article_texts(assistant.retriever.chunks.values()))
    piece_vectors = assistant.embedder.embed([text for _, text in pieces])
    asked = [q for q in questions if q.text.strip()]
    replies = nearest_replies(assistant.embedder.embed([q.text for q in asked]), pieces, piece_vectors)
    return {"splitter": SPLITTER, "chunks": len(pieces),
            "splits": key_fact_figures(asked, judge_all(asked, replies), details=False)}
