"""The answer step's tuned numbers, as compose() takes them (their values, and why, are in Settings)."""
from __future__ import annotations

from dataclasses import dataclass

from assistant.config import Settings


@dataclass(frozen=True)
class AnswerParams:
    """The answer step's tuned numbers. Their values, and why, are in Settings: the defaults
    here are Settings' own, so the two can't disagree."""

    min_sentence_similarity: float = Settings.min_sentence_similarity
    passage_similarity: float = Settings.answer_passage_similarity
    sure_similarity: float = Settings.sure_similarity
    open_question_similarity: float = Settings.open_question_similarity
    relative_floor: float = Settings.relative_floor
    relevant_share: float = Settings.relevant_share
    passage_weight: float = Settings.passage_weight
    heading_weight: float = Settings.heading_weight
    lexical_weight: float = Settings.lexical_weight
    rank_weight: float = Settings.rank_weight
    aspect_weight: float = Settings.aspect_weight
    follow_weight: float = Settings.follow_weight
    name_weight: float = Settings.name_weight
    title_weight: float = Settings.title_weight
    titled_weight: float = Settings.titled_weight
    place_weight: float = Settings.place_weight
    authority_share: float = Settings.authority_share
    second_article_share: float = Settings.second_article_share
    max_blocks: int = Settings.answer_max_blocks
    max_words: int = Settings.answer_max_words

    @classmethod
    def from_settings(cls, settings: Settings) -> "AnswerParams":
        return cls(min_sentence_similarity=settings.min_sentence_similarity,
                   passage_similarity=settings.answer_passage_similarity,
                   sure_similarity=settings.sure_similarity,
                   open_question_similarity=settings.open_question_similarity, relative_floor=settings.relative_floor,
                   relevant_share=settings.relevant_share, passage_weight=settings.passage_weight,
                   heading_weight=settings.heading_weight, rank_weight=settings.rank_weight,
                   lexical_weight=settings.lexical_weight, aspect_weight=settings.aspect_weight,
                   follow_weight=settings.follow_weight, name_weight=settings.name_weight,
                   title_weight=settings.title_weight, titled_weight=settings.titled_weight,
                   place_weight=settings.place_weight,
                   authority_share=settings.authority_share,
                   second_article_share=settings.second_article_share,
                   max_blocks=settings.answer_max_blocks, max_words=settings.answer_max_words)
