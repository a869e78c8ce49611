"""Where on the body a question and a post's title are: "hip arthritis flared" is not the knee
arthritis post's, "my arthritic knee" not the hip post's, however alike their words.

A post's title names the place it is about ("Pain on the Outside of the Hip", "Heel Fat Pad
Syndrome"); a question that names a place none of that title's places contain is asked about
somewhere else. Parts sit inside wholes: a "foot" question may be about a heel post, a "heel"
question is not about a post on the knee.
"""
from __future__ import annotations

import re
from typing import Mapping

# region -> the words that name it (whole words, plural and a few synonyms)
REGIONS = {
    "knee": r"knees?",
    # the knee's sides: "the outside of my knee" is IT band country, not the kneecap post's
    "front_knee": r"kneecaps?|patellar?|patellofemoral|front of (?:my|your|the|that) knees?",
    "outer_knee": r"(?:outside|outer side)[- ]of[- ](?:my|your|the|that)[- ]knees?|outer knees?|lateral knee",
    "inner_knee": r"(?:inside|inner side)[- ]of[- ](?:my|your|the|that)[- ]knees?|inner knees?|medial knee",
    "back_knee": r"(?:behind|back of) (?:my|your|the|that) knees?|back-outside of (?:my|your|the) knees?",
    "hip": r"hips?",
    "outer_hip": r"(?:outside|outer side|side) of (?:my|your|the|that) hips?|outer hips?|lateral hip|hip bursitis",
    "front_hip": r"front of (?:my|your|the|that) hips?|hip flexors?",
    "groin": r"groins?|adductors?|pelvis|pubic|inner thighs?|inside of (?:my|your|the) thighs?",
    "back": r"(?:low(?:er)?|upper|mid) back|back pain|my back|spine|lumbar|sacroiliac|si joint",  # not "back to running"
    "butt": r"butt|buttocks?|glutes?|sit bones?",
    "thigh": r"thighs?|quads?|quadriceps|hamstrings?|sit bones?",  # the hamstring starts at the sit bone
    "shin": r"shins?|tibia|tibial",
    "calf": r"calf|calves",
    "ankle": r"ankles?",
    "achilles": r"achilles",
    "heel": r"heels?",
    "arch": r"arch(?:es)?|midfoot|instep",
    "forefoot": r"ball of (?:my|your|the) foot|forefoot|metatarsals?",
    "toe": r"toes?|toenails?",
    "foot": r"foot|feet|sole",
}
# A part and the whole it belongs to are the same place: a "foot" question may be about the heel.
WITHIN = {"front_knee": "knee", "outer_knee": "knee", "inner_knee": "knee", "back_knee": "knee",
          "heel": "foot", "arch": "foot", "forefoot": "foot", "toe": "foot", "achilles": "heel",
          "outer_hip": "hip", "front_hip": "hip"}
_PATTERNS = {region: re.compile(r"\b(?:" + words + r")\b", re.I) for region, words in REGIONS.items()}


def regions_of(text: str) -> frozenset[str]:
    """The places `text` names; a part stands for its whole ("the outside of my hip" is not the
    front of the hip, though both are the hip)."""
    found = {region for region, pattern in _PATTERNS.items() if pattern.search(text)}
    return frozenset(found - {WITHIN[region] for region in found if region in WITHIN})


def _wholes(region: str) -> set[str]:
    out = {region}
    while region in WITHIN:
        region = WITHIN[region]
        out.add(region)
    return out


def elsewhere(asked: frozenset[str], title: frozenset[str]) -> bool:
    """True when the question names places and the title names places, and none of the title's
    places is one of the question's, a part of one or the whole one lies in."""
    return bool(asked and title) and not any(t in _wholes(a) or a in _wholes(t) for a in asked for t in title)


def posts_elsewhere(question: str, places: Mapping[str, frozenset[str]], named: frozenset[str]) -> frozenset[str]:
    """The posts (source -> the places its title names) about another place than the question
    names, except those it `named` ("calf cramps and a pale foot, is that compartment syndrome":
    the shin post is named, so not elsewhere)."""
    asked = regions_of(question)
    return frozenset(source for source, title in places.items() if source not in named and elsewhere(asked, title))
