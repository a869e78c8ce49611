"""Assistant.ask(message, history) = triage -> rewrite -> retrieve -> answer -> booking.

Triage runs first on every turn, on the runner's own words, and can change the whole reply.
The question is embedded exactly once (inside triage); a follow-up's retrieval query (see
rewrite.py) rides in that same model call, and its vector serves retrieval and sentence selection.
"""
from __future__ import annotations

import re
import time
from typing import Sequence

from .answer import AnswerParams, compose
from .clinic import Clinic, load_clinic
from .config import Settings
from .errors import UsageError
from .retrieve import Retriever
from .rewrite import retrieval_query
from .schema import Answer, Triage
from .store import Store

# A runner who is unsure whether PT is for them gets the discovery call first.
_UNSURE = re.compile(
    r"\b(not sure|unsure|should i (see|go|get|book)|do i need|is (pt|physical therapy|physio)|"
    r"can (pt|physical therapy|physio|you) help|worth (it|seeing|going)|right for me|"
    r"what (happens|to expect)|how does (it|pt|physical therapy) work|discovery call|cost|insurance)\b",
    re.I)


def clean_question(message: str, limit: int) -> str:
    """Control characters and invalid surrogates out, whitespace folded, length capped."""
    message = message.encode("utf-8", "replace").decode("utf-8")
    message = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in message)
    message = re.sub(r"\s+", " ", message).strip()
    if len(message) > limit:
        message = message[:limit].rsplit(" ", 1)[0]
    return message


class Assistant:
    def __init__(self, settings: Settings, embedder, clinic: Clinic, triager, retriever: Retriever):
        self.settings = settings
        self.embedder = embedder
        self.clinic = clinic
        self.triager = triager
        self.retriever = retriever
        self.params = AnswerParams(
            min_units=settings.answer_min_units, max_units=settings.answer_max_units,
            relative_floor=settings.relative_floor,
            min_sentence_similarity=settings.min_sentence_similarity,
            mmr_lambda=settings.mmr_lambda)
        from .lexical import TermCounter

        self._terms = TermCounter()

    def _overlap(self, question: str, sentences: list[str]) -> list[float]:
        asked, *said = self._terms([question, *sentences])
        return [len(asked & words) / len(asked) if asked else 0.0 for words in said]

    @classmethod
    def from_settings(cls, settings: Settings, embedder=None) -> "Assistant":
        from .embed import SentenceTransformerEmbedder
        from .triage import Triager, load_rules

        store = Store(settings.store_dir, settings.chroma_host, settings.chroma_port)
        store.active_manifest()  # a damaged pointer or manifest is reported before the model loads
        embedder = embedder or SentenceTransformerEmbedder(settings.model_path, settings.torch_threads)
        retriever = Retriever(store, embedder.name, embedder.dim, settings.dense_k,
                              settings.lexical_k, settings.rrf_k)
        triager = Triager(load_rules(settings.triage_file), embedder)
        return cls(settings, embedder, load_clinic(settings.clinic_file), triager, retriever)

    def ask(self, message: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        """`history`: earlier (question, answer) turns of this conversation, oldest first."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        question = clean_question(message or "", self.settings.max_question_chars)
        if not question:
            raise UsageError(self.clinic.messages["empty_question"])

        t = time.perf_counter()
        rewrite = retrieval_query(question, [asked for asked, _ in history])
        also_embed = [rewrite.query] if rewrite.is_follow_up else []
        triage, vectors = self.triager.check_with(question, also_embed)
        vector, query = (vectors[1], rewrite.query) if also_embed else (vectors[0], question)
        timings["triage"] = _ms(t)
        if triage.level == "emergency":
            return self._finish(question, self._red_flag_text(triage), (), triage, "red_flag", None,
                                timings, started)
        if triage.scope and triage.level == "none":
            words = self.clinic.scope.get(triage.scope, "")
            return self._finish(question, words, (), triage, "out_of_scope",
                                self.clinic.booking("out_of_scope"), timings, started)

        t = time.perf_counter()
        self.retriever.refresh()
        retrieval = self.retriever.search(query, vector, self.settings.passages)
        timings["retrieve"] = _ms(t)
        t = time.perf_counter()
        composed = None
        if retrieval.hits and retrieval.best_similarity >= self.settings.min_passage_similarity:
            units = self.retriever.store.unit_vectors(retrieval.version,
                                                      [h.chunk for h in retrieval.hits])
            params = self.params
            if triage.level == "urgent":  # the doctor comes first; one passage at most
                params = AnswerParams(**{**params.__dict__, "min_units": 1, "max_units": 2})
            composed = compose(vector, retrieval.hits, units, params, self._overlap, query)
        timings["answer"] = _ms(t)
        retrieved = tuple(h.chunk.id for h in retrieval.hits)

        if triage.level == "urgent":
            text = self._red_flag_text(triage)
            citations = ()
            if composed is not None:
                text, citations = f"{text}\n\n{composed.markdown}", composed.citations
            return self._finish(question, text, citations, triage, "red_flag",
                                self.clinic.booking("after_urgent"), timings, started, retrieved)
        if composed is None:
            return self._finish(question, self.clinic.messages["no_match"].strip(), (), triage,
                                "no_match", self.clinic.booking("no_match"), timings, started, retrieved)
        situation = "unsure" if _UNSURE.search(question) else "answered"
        return self._finish(question, composed.markdown, composed.citations, triage, "answered",
                            self.clinic.booking(situation), timings, started, retrieved)

    def _red_flag_text(self, triage: Triage) -> str:
        lead = self.clinic.triage[triage.level].strip()
        why = self.clinic.rule_message(triage.rule).strip()
        return f"**{lead}**" + (f" {why}" if why else "")

    def _finish(self, question, text, citations, triage: Triage, status, booking, timings, started,
                retrieved=()) -> Answer:
        timings["total"] = _ms(started)
        return Answer(question=question, answer=text, citations=tuple(citations), triage=triage.level,
                      status=status, booking=booking, timings_ms=timings, retrieved=retrieved)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0
