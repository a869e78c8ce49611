"""The learned net beside the triage rules (assistant/answer/triage_net.py): the shipped weights
load and change behaviour the way the module says, on the real model; the decision itself is
checked model-free with hand-made heads.

The stories below are from tests/eval/triage_training.yaml, which the shipped net was fitted on:
these tests say the product does what is claimed, not how well it does on unseen stories (that is
bench/triage_net_fit.py's leave-one-set-out)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assistant.answer.triage import Closeness, Triager
from assistant.answer.triage_net import Head, TriageNet, load_net
from assistant.schema import Triage

# tr-rf-breath-01: breathless on the stairs two days after a flight, with a pain breathing in;
# tr-rf-fracture-04: a dislocated shoulder in other words. (tr-rf-fainting-06, a faint told as a gap,
# "was out maybe 20 seconds", has been the rules' own since round 26.)
MISSED_BY_THE_RULES = {
    "flew back from the race abroad two days ago and today i'm out of puff walking up the stairs, heart "
    "racing, sharp pain when i breathe in. never like this. just jet lag?": ("emergency", "breathlessness"),
    "fell on a downhill and my shoulder looks square and flat instead of round, arm hanging and i can't move it, "
    "really painful. my friend says pop it back in. should i let him try?": ("urgent", "fracture_or_dislocation"),
}
# tr-ev-001, tr-ev-006, tr-mx-093: jelly legs that settled with food, a cramp that let go, a groin
# pain whose MRI was clear.
EVERYDAY = [
    "first half marathon yesterday!! right after the finish my legs went completely to jelly and my hands were "
    "shaking, felt a bit spaced out. got a bagel and a coke in me and 15 min later i was totally normal, walked "
    "to the car laughing. is the jelly leg thing normal for a first one?",
    "calf cramped up solid at mile 22, toes curled and everything, i literally yelped. stopped, stretched it "
    "against a lamp post for a minute and it let go, jogged it in. today it feels a little bruised but i can "
    "walk and hop fine.",
    "the doctor checked my hip last month for a stress fracture because of groin pain, MRI was clear and it "
    "turned out to be an adductor strain, now fully better. can i build back to 40 miles a week?",
]


@pytest.fixture(scope="module")
def rules_alone(rules, embedder):
    return Triager(rules, embedder)


def test_the_shipped_net_is_for_this_model_and_reads_its_features(embedder, triager):
    net = load_net()
    assert net.model == embedder.name and triager.net is not None
    assert net.red.weights.shape == net.emergency.weights.shape == (2 * embedder.dim,)
    assert 0 < net.caution_at <= net.raise_at < 1 and 0 < net.emergency_at < 1 and net.min_words > 1


@pytest.mark.parametrize("message", sorted(MISSED_BY_THE_RULES))
def test_a_red_flag_the_rules_miss_is_raised_by_the_net(triager, rules_alone, message):
    by_rules, _ = rules_alone.check(message)
    assert by_rules.level not in ("urgent", "emergency"), by_rules
    got, _ = triager.check(message)
    assert (got.level, got.rule, got.by_net) == (*MISSED_BY_THE_RULES[message], True)


@pytest.mark.parametrize("message", EVERYDAY)
def test_everyday_stories_that_sound_alarming_stay_calm(triager, message):
    assert triager.check(message)[0] == Triage("none")


def test_short_messages_are_left_to_the_rules(triager, rules_alone):
    # tests/eval/questions.yaml: raised to an emergency before short messages were left to the rules
    message = "pain shoots from my low back down the back of my leg to my foot"
    assert triager.check(message)[0] == rules_alone.check(message)[0] == Triage("none")


def test_a_net_fitted_on_another_model_is_not_used(rules, embedder):
    assert Triager(rules, embedder, replace(load_net(), model="another/model")).net is None


# ---------------------------------------------------------------------------- model-free decisions

def net_scoring(red: float, emergency: float) -> TriageNet:
    """A net whose heads give these scores whatever the features (zero weights, a logit bias)."""
    def head(p: float) -> Head:
        return Head(np.zeros(4), float(np.log(p / (1 - p))))
    return TriageNet(model="m", red=head(red), emergency=head(emergency), raise_at=0.8, emergency_at=0.6,
                     caution_at=0.5, cite_at=0.4, min_words=3)


FEATURES = np.zeros(4)
STORY = 30  # words


def near(**similarity: float) -> dict:
    return {rule_id: (Closeness(s, 0.0, 0.0),) for rule_id, s in similarity.items()}


def test_the_rules_red_flags_are_never_changed(rules):
    fired = Triage("urgent", "dvt")
    assert net_scoring(0.99, 0.99).decide(fired, FEATURES, rules, near(chest_pain=0.9), STORY) == fired


def test_a_high_score_raises_to_the_nets_level_citing_the_closest_rule_of_that_level(rules):
    close = near(chest_pain=0.5, fainting=0.6, fracture_or_dislocation=0.9)
    assert net_scoring(0.9, 0.7).decide(Triage(), FEATURES, rules, close, STORY) == \
        Triage("emergency", "fainting", by_net=True)
    assert net_scoring(0.9, 0.3).decide(Triage(), FEATURES, rules, close, STORY) == \
        Triage("urgent", "fracture_or_dislocation", by_net=True)


def test_no_close_rule_cites_none(rules, clinic):
    got = net_scoring(0.9, 0.3).decide(Triage(), FEATURES, rules, near(dvt=0.3), STORY)
    assert got == Triage("urgent", None, by_net=True)
    assert clinic.rule_message(None) == clinic.triage["unnamed"].strip() != ""


def test_a_caution_rule_of_the_raised_level_is_kept(rules):
    by_rules = Triage("caution", "fracture_or_dislocation", scope="diagnosis")
    got = net_scoring(0.9, 0.3).decide(by_rules, FEATURES, rules, near(dvt=0.9), STORY)
    assert got == Triage("urgent", "fracture_or_dislocation", scope="diagnosis", by_net=True)


def test_a_middling_score_gives_the_default_check_line(rules, clinic):
    got = net_scoring(0.6, 0.1).decide(Triage(scope="diagnosis"), FEATURES, rules, near(dvt=0.9), STORY)
    assert got == Triage("caution", None, scope="diagnosis", by_net=True)
    assert clinic.check_line(got.rule) == clinic.triage["caution"]["default"].strip()
    kept = Triage("caution", "dvt")  # the rules' own caution stays theirs
    assert net_scoring(0.6, 0.1).decide(kept, FEATURES, rules, near(), STORY) == kept


def test_low_scores_and_short_messages_change_nothing(rules):
    assert net_scoring(0.3, 0.9).decide(Triage(), FEATURES, rules, near(), STORY) == Triage()
    assert net_scoring(0.99, 0.99).decide(Triage(), FEATURES, rules, near(fainting=0.9), 2) == Triage()


# ---------------------------------------------------------------------------- in the reply

def test_the_reply_to_a_story_the_net_raised_leads_with_the_red_flag_words(assistant, clinic):
    message, (_, rule) = next((m, lr) for m, lr in MISSED_BY_THE_RULES.items() if lr[0] == "emergency")
    answer = assistant.ask(message)
    assert (answer.triage, answer.status, answer.booking) == ("emergency", "red_flag", None)
    assert answer.answer == f"**{clinic.triage['emergency'].strip()}** {clinic.rule_message(rule)}"
