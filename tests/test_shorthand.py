"""Runners' shorthand spelled out for search (clinic.yaml `shorthand:`)."""
from assistant.answer.shorthand import Shorthand

WORDS = {"itbs": "IT band syndrome", "pf": "plantar fasciitis", "pfps": "patellofemoral pain", "si joint": "sacroiliac joint"}


def test_a_short_form_is_followed_by_its_words():
    spell = Shorthand(WORDS)
    assert spell("can i keep running with itbs") == "can i keep running with itbs (IT band syndrome)"
    assert spell("PF flaring again?") == "PF (plantar fasciitis) flaring again?"
    assert spell("my si joint aches") == "my si joint (sacroiliac joint) aches"


def test_the_longest_form_wins_and_only_whole_words_count():
    spell = Shorthand(WORDS)
    assert spell("pfps for a year") == "pfps (patellofemoral pain) for a year"
    assert spell("pfft, my pfizer shot and a pf-style ache") == "pfft, my pfizer shot and a pf-style ache"


def test_no_shorthand_leaves_the_text_alone():
    assert Shorthand({})("itbs") == "itbs"


def test_a_broken_shorthand_line_is_a_config_error_naming_it(tmp_path):
    import pytest

    from assistant.clinic import load_clinic
    from assistant.errors import ConfigError
    from tests.helpers import ROOT

    text = (ROOT / "knowledge" / "clinic.yaml").read_text(encoding="utf-8")
    assert "\n  itbs: IT band syndrome\n" in text
    broken = tmp_path / "clinic.yaml"
    broken.write_text(text.replace("\n  itbs: IT band syndrome\n", "\n  itbs: [IT band]\n"), encoding="utf-8")
    with pytest.raises(ConfigError, match="shorthand.itbs"):
        load_clinic(broken)
    assert load_clinic(ROOT / "knowledge" / "clinic.yaml").shorthand["itbs"] == "IT band syndrome"


def test_the_clinics_list_reads_a_first_visit_as_the_evaluation():
    """Round 11 (spent): "first pt appointment is thursday for my knee, will they make me hop" was
    answered from the knee post; the evaluation post says what the first visit holds."""
    from assistant.clinic import load_clinic
    from tests.helpers import ROOT

    spell = Shorthand(load_clinic(ROOT / "knowledge" / "clinic.yaml").shorthand)
    assert spell("first pt appointment is thursday") == (
        "first pt appointment (first physical therapy appointment, evaluation) is thursday")
    assert "evaluation" in spell("do i bring the mri to my first visit")


def test_the_clinics_list_reads_booking_pt_as_the_evaluation():
    """Round 12 (spent): "kind of scared to book pt because they'll tell me to stop running" was
    answered from the hands-on treatments post; the evaluation post says what the plan holds."""
    from assistant.clinic import load_clinic
    from tests.helpers import ROOT

    spell = Shorthand(load_clinic(ROOT / "knowledge" / "clinic.yaml").shorthand)
    assert "evaluation" in spell("kind of scared to book pt")
