"""Posts named by their whole name, and the post a lead paragraph is about.

A post's file name is its name as staff gave it ("heel-fat-pad-syndrome", "plantar-fasciitis").
Round 11 added a heel fat pad post whose look-alike paragraph says how plantar fasciitis differs
("classically sharp for the first few steps out of bed"): "my heel hurts for the first few steps
when i get out of bed" then led with it. A paragraph that names one other post is about that
post's condition, and that post is the authority on it: when its own best block is nearly as
close (`share` of the lead's score) and the question did not name the lead's post, it leads instead.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Mapping

# A file name's last words that name no condition: "bone-stress-injuries" is "bone stress".
NAME_SUFFIXES = frozenset({"syndrome", "injuries", "injury", "pain", "problems"})
# ...and last words a runner may leave off a name of three words or more: "my plantar plate",
# "a hip labral thing", "pes anserine" name the tear, the tear and the bursitis posts.
KIND_WORDS = frozenset({"tear", "strain", "sprain", "fracture", "tendinopathy", "bursitis", "dysfunction"})
# A two-word name ending in one of these is also named the other way round: "the arthritis in my
# right ankle" names the ankle arthritis post (round 23: it led with anterior ankle impingement).
CONDITION_WORDS = KIND_WORDS | {"arthritis", "osteoarthritis", "impingement", "instability", "tendinitis"}


def name_phrases(sources: Iterable[str]) -> dict[str, re.Pattern]:
    """source -> its file name's words as a phrase in running text ("plantar fasciitis",
    "runner's knee", "heel fat pads"). Posts of one word are left out: one word ("plica") is
    retrieve.title_words' job, and "stitch" alone names a post only by its title's help."""
    phrases = {}
    for source in sources:
        words = [w for w in re.split(r"[-_\s]+", Path(source).stem.lower()) if w]
        while words and words[-1] in NAME_SUFFIXES:
            words.pop()
        if len(words) >= 2:
            stems = [w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words]  # "runners" -> "runner's"
            kind_optional = len(words) >= 3 and words[-1] in KIND_WORDS
            phrase = r"[\w']*\W+".join(map(re.escape, stems[:-1] if kind_optional else stems)) + r"[\w']*"
            if kind_optional:
                phrase += r"(?:\W+" + re.escape(stems[-1]) + r"[\w']*)?"
            if len(words) == 2 and {words[-1], stems[-1]} & CONDITION_WORDS:  # "sprains" as "sprain"
                place, condition = map(re.escape, stems)
                phrase = (f"(?:{phrase}|{condition}\\w*\\W+(?:in|of|on)\\W+(?:my |the |his |her |both )?"
                          f"(?:left |right )?{place}\\w*)")
            phrases[source] = re.compile(r"\b" + phrase, re.I)
    return phrases


def named_in(text: str, phrases: Mapping[str, re.Pattern]) -> frozenset[str]:
    """The posts `text` names by their whole name."""
    return frozenset(source for source, phrase in phrases.items() if phrase.search(text))


def authority(lead_source: str, lead_text: str, scores: Iterable[tuple[str, float]],
              phrases: Mapping[str, re.Pattern], asked_names: frozenset[str], share: float) -> str:
    """The post that should lead: `lead_source`, or the one other post its lead paragraph names
    when that post's best block scores at least `share` of the lead's best (`scores`: (source,
    score) of each competing block) and the question did not name the lead's post ("is it X or
    Y": both named, each post speaks for itself)."""
    if lead_source in asked_names:
        return lead_source
    best_score: dict[str, float] = {}
    for source, score in scores:
        best_score[source] = max(score, best_score.get(source, score))
    lead_score = best_score[lead_source]
    others = named_in(lead_text, phrases) - {lead_source}
    if len(others) != 1:
        return lead_source  # none, or a paragraph comparing several: it speaks for its own post
    (other,) = others
    if best_score.get(other, float("-inf")) < share * lead_score:
        return lead_source
    return other
