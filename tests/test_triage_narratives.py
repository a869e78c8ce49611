"""The narrative set (tests/eval/triage_narratives.yaml, issue 13) as a gate: runners' own stories
through the real triager on the real model.

Dev was tuned on and must meet the issue's targets. It grew in a second round (branch triage13):
64 new dev stories from other real posts, written before tuning and measured once (26 of their
34 red flags caught, 1 of their 30 calm stories flagged), then tuned on like the rest.

The test split is SPENT. It was held back and run once, at the end of issue 13 (commit c300d55:
emergency 17/20, urgent 14/15, false alarms 1/39, cautions 1/39, short of the target); after that
its misses were studied and the rules tuned with them in view. It is now one more tuned-on split
and is held to the same targets as dev. It says nothing about stories the rules have not seen:
that is a fresh held-back set, written by others and run once, outside this repository.

tests/eval/triage_narratives_fresh.yaml (114 stories by two writers who saw neither the rules'
vocabulary nor the tuning) was that fresh set, run ONCE at bcc13ba: emergency 26/29, urgent 21/29,
false alarms 2/56, cautions 5/56. It is SPENT too: its misses were studied and the rules changed
with them in view (branch triage13c: a harmless cause reaches only its own clause, two cauda equina
signs together, a near-faint in the senses, wider vocabulary), after which it meets the issue's
targets and is held to them here. Passing it says the rules still read those stories, not that
they will read the next ones: only a newer set, unseen, can say that.

tests/eval/triage_narratives_fresh3.yaml is that newer set (114 more stories, written while the
third round was tuned, by writers who saw neither), run ONCE at 8967ba6: emergency 21/28, urgent
26/29, false alarms 1/57, cautions 3/57, short of the target again. Its assertions are a floor at
that run, so the held-back result cannot silently get worse; they are not a target to tune against.
Round 4 (branch net13) then read its hardest misses with the rules in view (a faint told as a gap,
a finger pointing sideways, a wrist like a fork, a groin pain worse the further they go): it is
tuned on now, like the others. The learned net beside the rules (assistant/answer/triage_net.py)
was fitted on all of these sets; its honest figures are leave-one-set-out (bench/triage_net_fit.py).

tests/eval/triage_narratives_fresh4.yaml is round 4's held-back set (114 stories by writers who saw
neither the rules' words nor the tuning), run ONCE at 9c28794 with the net: emergency 26/29,
urgent 26/28, false alarms 4/57, cautions 6/57 (the rules alone at that commit: 24/29, 26/28,
3/57, 6/57). Also a floor at that run now, and spent. So is round 5's
(tests/eval/triage_narratives_fresh5.yaml, written after round 4's run while the lead fixed what it
showed), run ONCE at 79a6a9f: emergency 24/28, urgent 24/28, false alarms 1/58, cautions 4/58
(the rules alone: 23/28, 24/28, 1/58, 3/58). Round 6's (triage_narratives_fresh6.yaml, written
after round 5's run), run ONCE at cd8d48c: emergency 21/28, urgent 26/28, false alarms 4/58,
cautions 6/58 (the rules alone, as at the session's start: 20/28, 23/28, 4/58, 4/58). Round 7's
(triage_narratives_fresh7.yaml, written at the next session's start), run ONCE at be9908c:
emergency 25/28, urgent 24/29, false alarms 7/57, cautions 9/57 (the rules alone: 25/28, 24/29,
6/57, 5/57). Round 8's (triage_narratives_fresh8.yaml, written after round 7's run while its
misses were given to the rules), run ONCE at 35c2ca7: emergency 23/27, urgent 25/29, false alarms
7/58, cautions 9/58 (the rules alone: 22/27, 25/29, 7/58, 5/58). Round 9's (fresh9, written after
round 8's run), run ONCE at bb5e107: emergency 25/28, urgent 27/28, false alarms 3/58, cautions
8/58 (the rules alone: 25/28, 27/28, 3/58, 4/58).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.evaluate.narratives import evaluate_narratives, format_narratives
from assistant.evaluate.triage import load_narratives

EVAL = Path(__file__).resolve().parent / "eval"
SET = EVAL / "triage_narratives.yaml"
FRESH = EVAL / "triage_narratives_fresh.yaml"  # spent, see above
# Each held-back set (tests/eval/triage_narratives_fresh<N>.yaml, run once) -> the floor its figures
# hold: its one run, or what its misses became once it was spent.
FLOORS = {
    3: {"emergency": 0.75, "urgent": 0.89, "false_alarms": 0.05, "caution": 0.15},  # its one run
    4: {"emergency": 0.89, "urgent": 0.92, "false_alarms": 0.071, "caution": 0.11},  # its one run
    5: {"emergency": 0.85, "urgent": 0.85, "false_alarms": 0.018, "caution": 0.07},  # its one run
    6: {"emergency": 0.75, "urgent": 0.92, "false_alarms": 0.07, "caution": 0.11},  # its one run
    # Round 7's one run gave 25/28, 24/29, 7/57 false alarms, 9/57 cautions. Its misses were then given to
    # the rules (the set was spent): 26/28, 25/29, 5/57, and one of the two false alarms gone (a numb
    # bottom from sitting on an ice pack) is now a caution line from the net, 10/57. The floor holds
    # the better recall and false alarms, and the one caution more that came with them.
    # Session tri20 (a warm-up is not a warm calf, a cramp that let go, "it could snap" said by someone
    # else): 28/28, 27/29, 2/57 false alarms, the same 10/57 cautions.
    # Session tri22 (round 11's misses): the imagined "if my pee comes out brown" is no longer an
    # emergency but a caution from the net (a false alarm became a caution line): 1/57 false alarms, 11/57.
    7: {"emergency": 1.0, "urgent": 0.96, "false_alarms": 0.018, "caution": 0.193},
    # Round 8's one run gave 23/27, 25/29, 7/58 false alarms, 9/58 cautions. Spent, its misses were given
    # to the rules; session tri20 (a cramp that let go, what you feel before you faint) took it to 26/27,
    # 28/29, 2/58, and one of the false alarms gone (a heat near-faint, settled with water, asking what a
    # faint feels like) is now the net's caution line, 10/58. The floor holds those figures.
    8: {"emergency": 0.96, "urgent": 0.96, "false_alarms": 0.035, "caution": 0.173},
    # Round 9's one run gave 25/28, 27/28, 3/58, 8/58; its misses given to the rules in session tri20 (a
    # faint told by what came after, an unanswering runner, a knock then "what day is it", an elbow that
    # looks wrong, a calf cramp at the warm-up, an imagined twist): 28/28, 28/28, 1/58, 8/58.
    # Session tri22: a knock on the head with every warning sign denied is a caution now, not an
    # emergency (a head knock alone confirms no meaning match): 0/58 false alarms, 9/58 cautions.
    9: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.0, "caution": 0.156},
    # Round 10's one run (at 36544aa, the same story for story as at the session's start): 28/29, 19/28,
    # 1/57, 9/57. Its misses are new ways of telling urgent signs (a pop then no push-off that "doesn't
    # hurt much", a hand that won't grip on waking). Spent, its misses were given to the rules as families
    # (session tri21: a push-off that doesn't come, a hand that won't grip, a kneecap that slid out and
    # back, a temperature told as 38.x, a sore spot pressed on a bone): 29/29, 28/28, 0/57, 9/57. The
    # floor holds those.
    10: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.0, "caution": 0.158},
    # Round 11's one run (at 9842466, the product code of the session's start): emergency 23/26, urgent
    # 26/27, false alarms 8/61, cautions 3/61. Spent, its misses were given to the rules as families
    # (session tri22: a head knock told as "landed flat on the back of my head" then "zero memory of it",
    # a knee that "swole up like a grapefruit by dinner", calves throbbing "harder and harder" with feet
    # that can't point, a shin pain "climbing for 3 hours, not letting up", puffy and firm; a past
    # fracture "2 years since", a scan that came back clear, an imagined "if my pee comes out brown",
    # "came out of it with bruises", a jaw that popped out, a knock with every warning sign denied, chills
    # with no joint in the story): 26/26, 27/27, 1/61, 4/61. The floor holds those.
    11: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.017, "caution": 0.066},
    # Round 12's one run (at 548f9fe, the product code of the session's start): emergency 24/27, urgent
    # 24/28, false alarms 7/59, cautions 8/59. Spent, its misses were given to the rules as families
    # (session tri23: a jaw that aches on the climb and eases on walking, pee "the colour of coca cola",
    # "swollen, shiny, tense" with the pain "still climbing", "booted me in the back of the ankle" with
    # toes that won't rise, a calf "(not the knee)" puffy after a scope, a foot that "slaps down", an ache
    # that "keeps me awake"; "two summers ago", a clear x-ray, one butt cheek, calves too tight to flex
    # the feet, an ache "like someone kicked it", costochondritis, both calves after a flight, a dizzy
    # spell that passed): 27/27, 28/28, 2/59 (both the net's), 8/59. The floor holds those.
    12: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.034, "caution": 0.136},
    # Round 13's one run (at 6bd5c4b, the product code of the session's start): emergency 23/29, urgent
    # 28/28, false alarms 5/60, cautions 6/60. Spent, its misses went to the rules (a line drive "got me
    # right in the temple" and "could barely wake me", "couldnt see at all ... till my eyesight came
    # back", numb "at the top of my bum crack", "hardly any feeling" peeing, "pain ramping up", a known
    # 30-40% blockage with a squeeze that stops the run sooner each week (lasting_signs), "asked me
    # something totally random" in the heat; "at last years camp", numbness that "wears off", "couldnt
    # stand on it for a minute, then walked it off", "i can walk ok", hobbling with burning calves):
    # 29/29, 28/28, 1/60 (the net's: a face plant), 4/60 (all the net's). The floor holds those.
    13: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.017, "caution": 0.067},
    # Round 14's one run (at 0971df4, round 13's session's end): emergency 25/30, urgent 26/28, false
    # alarms 3/59, cautions 5/59. Spent, its misses went to the rules (heartburn that "crept up into my
    # neck and jaw", a bungee cord "wrapped round my chest", "clocked me on top of the head", "repeating
    # myself and cant stop yawning", "hot as a stove and not sweating", "not knowing where my car was",
    # a heel squeezed from both sides, "it just wont take any weight"; "first full breath" after an
    # inhaler, hobbling in a cramp, numbness that "crept up over a month"): 30/30, 28/28, 1/59 (a chest
    # ache a month ago, worked up and clear since), 4/59 (all the net's). The floor holds those.
    14: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.017, "caution": 0.068},
    # Round 15's one run (at 4736d8e, with the start code of the session after round 14): emergency 25/30,
    # urgent 21/27, false alarms 4/60, cautions 4/60. Spent, its misses went to the rules (a bloke "sat
    # on my chest" that "goes off when i stop", "dusky" lips and a voice that "only came out as a
    # whisper", "bone dry" and not able to tell the medics the month, "barely feel anything from my hips
    # down", a shin "finished 2 hrs ago" and still tightening, "a hollow sort of crack" and a bone
    # pushing up "like a tent pole", a wrist bent "like a fork", a groin ache that "at first" came after
    # runs and "now kicks in" during them, toes "catching on everything", "feel rubbish all over" at
    # 38.3, a knee twice the size "within 4 hours"; the other way, pain that "switched off", "last
    # july", "thought it was a heart attack", "stented now", an Achilles found intact): 30/30, 27/27,
    # 0/60, 6/60 (all the net's). The floor holds those.
    15: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.0, "caution": 0.1},
    # Round 16's one run (at 0eb3f63, the end code of the session after round 14): emergency 29/30,
    # urgent 23/27, false alarms 7/60, cautions 7/60. Spent, its misses went to the rules (a shin "like a
    # block of wood" with "painkillers like tic tacs", a racket "swung into the back of my heel" and
    # "zero push", numbness "5 days later still like that" or "still numb 24 hrs" after a cold run, a
    # knee that "slid out of line" and "feels loose"; the other way, "seizure meds", dizzy then "5 min
    # later fine", "breathing totally normal now", a&e "scanned me and sent me home"): 30/30, 27/27,
    # 5/60 (three the net's emergencies, a friend's heart attack last month, an Achilles that "swelled
    # like a golf ball" weeks ago), 6/60. The floor holds those.
    16: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.084, "caution": 0.1},
    # Round 17's one run (at 7e6f437, the end code of the session after round 14 with rounds 15-16's
    # families): emergency 23/29, urgent 24/27, false alarms 10/61, cautions 9/61. Spent, its misses went
    # to the rules (a whoosh and "next thing im looking at the sky", "wet the bed" and "couldnt tell if id
    # finished peeing", a shin "swollen tight and shiny" with toes hard to pull up, "tearing pain between
    # my shoulder blades", a back pain "into my belly too", breathing fast "sitting here typing this",
    # jeans "falling off me" and worst "at 3am", a wrist that can't turn over or hold a mug, a knee that
    # "keeps giving out"; the other way, the "wee" of "2 weeks", a foot that "wakes back up", foam
    # "rolled them", "napped" read as "snapped", out of breath "from a too-fast warmup", asthma the
    # inhaler calmed, "died of a heart attack", "hopping is fine", shins aching "all along the muscle"):
    # 29/29, 27/27, 2/61 (both the net's), 11/61 (three limps, five of the net's). The floor holds those.
    17: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.033, "caution": 0.181},
    # Round 18's one run (at 2f4fa4c, with round 17's families): emergency 26/30, urgent 21/26, false
    # alarms 3/61 (none of the 50 everyday stories), cautions 5/61. Spent, its misses went to the rules
    # (an "uncomfortable thing" in the chest, a lump "behind my collarbone" gone when dropping "to a walk",
    # a burning that made him "back right off till it went", a coach whose "chest and shoulders felt
    # off", a calf "swollen tight" with pain "building for hours", "zero weight possible on it", "achy at
    # nigth" with "the sheets soaked", a groin ache worst "late at night", one lower leg "fatter than the
    # left" that "wont go down", a daughter who "felt rubbish" with a warm knee; the other way, fainting
    # "getting out of bed too fast", hopping "with no pain", "the hop test" named): 30/30, 26/26, 1/61
    # (an Achilles rupture watched on television), 6/61. The floor holds those.
    18: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.017, "caution": 0.099},
    # Round 19's one run (at 9cccb34, the end code of the session after round 16): 26/29, 24/27, 5/61
    # false alarms, 5/61 cautions. Spent, its misses were given to the rules as families (a twinge "right
    # in the middle of my chest", a pressure "still sitting there behind my breastbone", a forehead
    # "walked into" a bar with a headache "the worst yet" and not knowing "which street i was on", "no
    # more sweat" and "still hot to the touch" after a hot half, not remembering "if the turn was left or
    # right", back pain every "nite" even "lying still" with night sweats, a knee "the size of a
    # grapefruit" after pops, a knee "getting worse not better, bigger, red" after a jab with a fluey
    # shiver; the other way, "slapping down flat footed", a numb foot whose "feeling came back" after the
    # finish, "totally normal now" after a hot dizzy spell, meralgia named): 29/29, 27/27, 4/61 (two
    # relatives' past collapses, a painter's tight calf by meaning, a numb foot the net calls
    # emergency), 5/61. The floor holds those.
    19: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.066, "caution": 0.082},
    # Round 20's one run (at e35f0c7, this session's end code): 26/29, 24/27, 3/61 false alarms, 6/61
    # cautions (round 19's families caught and cost nothing there: the session's start triage gives
    # the same). Spent, its misses were given to the rules as families (a pressure behind the
    # breastbone that fades as he jogs the recovery, a numb "undercarriage" with the bike denied, a
    # shin's pain "9/10 and climbing", a bone ache that wakes him "around 3am" and is "worse in bed", up
    # "half the night with it" with soaked sheets, a kneecap "hot and red" and a boy "running 102"; the
    # other way, a sports bra rubbing the breastbone): 29/29, 27/27, 2/61 (a chest pain a month past and
    # cleared by a stress echo, a locked knee an orthopaedist already saw), 6/61. The floor holds those.
    20: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.033, "caution": 0.099},
    # Round 21's one run (at 7e16bf5, this session's start code): 26/30, 26/27, 6/60 false alarms, 7/60
    # cautions. Spent, its misses were given to the rules as families (a chest "tightness accross" it
    # with a tingly "sholder" in the heat, still "sat here gasping" 40 minutes on and unable to "say a
    # full sentence", pee "dark tea coloured" after a 120-miler, a 64-year-old's "sudden severe low back
    # pain", clammy; a hip "at night its the worst" with the sheets soaked; the other way, calves
    # "screaming" in new shoes, a back that "hurts to roll over in bed", a side cramp that took the breath,
    # the "bottom of my right heel" numbish, toes numb in minimal shoes and a neuroma's old numb patch):
    # 30/30, 27/27, 0/60, 7/60. The floor holds those.
    21: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.0, "caution": 0.117},
    # Round 22's one run (at 8546116, this session's end code): 27/30, 24/27, 4/59 false alarms, 9/59
    # cautions. Spent, its misses were given to the rules as families (a jaw and both arms heavy 2 miles
    # in, easing at a walk, with a new sports bra blamed for the ribs; pee "the colour of strong tea"
    # after pickup basketball; a known aortic bulge and a blow between the shoulder blades "like a
    # sledgehammer", dropped to the knees; a hip where "nights are the worst" and it "throbs when im just
    # lying there" with low fevers; a knee red and warm with "little temps"; a knee that "slides and
    # gives out" after a pop; the other way, costochondritis named by a cardiologist, a known aneurysm
    # with "nothing new" (a risk factor confirms no meaning match now), a shin limp "back to normal"):
    # 30/30, 27/27, 1/59 (shin splints with a limp at every traffic light), 10/59. The floor holds those.
    22: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.017, "caution": 0.17},
    # Round 23's one run (at eef965a, the last session's end code): 24/30, 23/27, 1/60 false alarms, 4/60
    # cautions. Spent, its misses were given to the rules as families (vision going "grey from the edges
    # in" and "i know im going down"; "suffocating", "cant lie flat", puffing "just sitting in the tent"
    # at altitude; a head off the pavement "pounding worse and worse", "talking slow"; "stretchered me
    # off" on a "roasting" day, "muddled", not knowing their own phone number; "burning up with no sweat
    # at all", "keeps asking me the date"; skin "stretched and shiny" is no stretch; waking "around 2 or
    # 3am" soaked with an ache; a shin sore "just sitting at my desk", one spot "i can barely touch"; a
    # calf "fat and warm compared to the other" in a stiff shoe after a broken toe; hands that "curl like
    # claws"; the other way, face first into soft dirt, a stitch or a balled-up hamstring that made them
    # hobble, "couldnt get out till 11am" is no locked knee): 30/30, 27/27, 0/60, 2/60. The floor holds
    # those.
    23: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.0, "caution": 0.034},
    # Round 24's one run (at 421037f, this session's end code; the start code gives the same): 24/30,
    # 22/27, 7/60 false alarms, 4/60 cautions. Spent, its misses were given to the rules as families (an
    # "asthma flare" with the inhaler "not touching it" and blue lips; a "gash on my forehead" from
    # standing up into a corner; a "desert" run, skin "hot and bone dry", "not sweating at all anymore";
    # the same page read 5 times, "the words just wont make sense"; pee "like cold brew"; blood pressure
    # "through the roof" and "metal bands tightening round me"; "whipped the back of my leg"; hopping
    # "and nope"; "took my temp, 101" with an elbow "a lump like half a golf ball"; an arm that "went
    # wobbly and gave out"; "couldnt lift the front of the left foot"; the other way, "before i stopped
    # sweating" in front of the ac, a foot drop known for months in a brace, a limp "already less"):
    # 30/30, 27/27, 4/60 (a head knock checked by urgent care, a known clot scanned clear, a knee a
    # doctor examined, and the net's emergency on a headache after a hot 10k), 6/60. The floor holds those.
    24: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.067, "caution": 0.1},
    # Round 25's one run (at f30eb76, the start code of the session after rounds 23 and 24): 25/29,
    # 22/26, 3/62 (0/50 everyday), 5/62. Spent, its misses were given to the rules as families (jaw
    # ache into the left shoulder that "stopped, it eased"; "bonked my forehead", then "keep nodding
    # off"; "the insides of my thighs feel numb"; "felt something rip in my chest" through to the
    # shoulder blades, the worst pain ever; a wrist "bent at the wrist", a child's "bend in it that
    # shouldnt be there" and "wont move her fingers"; pressed on the bone, "nearly hit the ceiling";
    # a hop that made her "nearly cry"; the other way, "xrayed ..., no fracture" after a pinkie put
    # straight, "read online that back pain at night can be ...", a faint worked up at hospital and
    # well since, now a check line): 29/29, 26/26, 0/62, 7/62 (five of them the net's, on falls,
    # a bonk, puffy hands in the heat). The floor holds those.
    25: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.0, "caution": 0.113},
    # Round 26's one run (at d67c016, the end code of the session of round 25's run): 22/30, 25/28,
    # 5/59 (4/50 everyday), 8/59. Spent, its misses were given to the rules as families ("must have
    # been out a minute or two" and "my head hit too"; legs "went to jelly and i ate dirt", then "kept
    # dropping again"; "flew off the treadmill ... headache keeps building"; "both legs buckle" after
    # a back "tweaked"; stents and a throat that tightens on every jog and "goes away when i slow to a
    # walk"; "a hole in my memory", "didnt know my own bib number"; "each breath ... even standing
    # still", "inhaler, 2 puffs, nothing"; a daughter "still fighting for every breath"; "my body went
    # one way and the knee went the other"; "drive ... 6 hours a day" and a bigger calf; a shin that
    # "ached the whole 45 min drive ... just sitting there"; the other way a graze's "little red dots",
    # a toenail "sitting crooked", "i pass out at needles", thighs too sore to bend the knees, "fast"
    # no longer confirming a meaning alone): 30/30, 28/28, 2/59 (the net's emergency on a muggy run
    # that settled in the shade; an ankle that "swelled up like a balloon", seen by a doctor, still
    # read by meaning as a knee), 7/59, all seven the net's. The floor holds those.
    26: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.034, "caution": 0.119},
    # Round 27's one run (at b1912ad, product code 504db31, this session's start code): 23/29, 24/27,
    # 7/61 (4/50 everyday), 9/61. Spent, its misses were given to the rules as families ("went grey
    # ... and just folded, out maybe 20 sec"; "cant take a proper breath, even on the couch", woken
    # "feeling smothered"; "went straight down on the back of my head" and "talking like i had a mouth
    # full of mush"; "trying to pee for an hour and nothing comes out"; "both legs are like jelly" with
    # sciatica; a kicked shin "throbbing way more than a bruise should"; "a step-drag walk"; a sprain
    # "hotter, redder and fatter"; "the kneecap area had blown up"; the other way a crack that was "a
    # stick snapping", cold air whose breathlessness "goes away ... after i stop", "reading about
    # people peeing dark", a cardiologist's all-clear with "no pain since"): 29/29, 27/27, 3/61 (the
    # net's emergency on a fall that "knocked the wind out" of a runner who ran 9 more miles; a calf
    # swollen overnight after a first 44 miles, back to normal by morning, still read by meaning as a
    # clot; a man who saw another tear his Achilles a week ago, asking what it feels like), 11/61 (two
    # of the false alarms became check lines). The floor holds those.
    27: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.05, "caution": 0.181},
    # Round 28's one run (at 57b6d92, product code 178a979, the end code of the session of round 27's
    # run): 25/30, 25/27, 7/60 (4/50 everyday), 5/60. Spent, its misses were given to the rules as
    # families ("forehead and nose took it" and "zero memory of riding the last few miles back";
    # "something tore behind my breastbone ... straight back to my spine"; a 79-year-old's belly and
    # groin "started hurting bad" out of nowhere in a cold sweat; a jaw that "goes tight" on hills and
    # eases at a walk; "no feeling when i pee" with a bad back; a wrist that won't lift after a night
    # on the armrest; the other way blue lips with "breathing totally fine", a kneecap that "went back
    # in at the hospital"): 30/30, 26/27 (a burning spot where two toes meet the foot that wakes her
    # "burning and cramping": a neuroma's picture as much as a bone's, left), 6/60 (three the net's
    # and a toe numb under a black nail, a club mate's heart attack told to ask what to watch for, a
    # husband "very confused" by calves that seized in bed), 5/60. The floor holds those.
    28: {"emergency": 1.0, "urgent": 0.96, "false_alarms": 0.1, "caution": 0.084},
    # Round 29's one run (at cf4f35a, in a worktree at 2d834b3, this session's start code): 27/30,
    # 24/26, 4/61 (2/50 everyday), 9/61. Spent, its misses were given to the rules as families
    # ("black spots, then blank till i was walking out the door"; "numbness down my right leg and in
    # my groin"; a calf "rock hard and puffy" that keeps getting worse 4 hours after the run; "herd a
    # crack"; a knee that has "given way" twice since a twist; the other way "hobbled home ... i can
    # walk ok", a foot's numbness that "comes back a few minutes after i stop", "ruptured my left
    # achilles in 98", a hematologist's scarred vein that leaves the calf swollen): 30/30, 26/26,
    # 0/61, 11/61. The floor holds those.
    29: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.0, "caution": 0.181},
    # Round 30's one run (at ddd9523, product code 1c5e5d0, the end code of the session of round 29's
    # run): 28/30, 25/27, 4/60 (3/50 everyday), 7/60. Spent, its misses were given to the rules as
    # families (stents with "a sore spot on my chest" on runs and "a bit woozy going up the big hill";
    # a hop test told at length, "i literally cant"; a knee that "just gave out and i went down in a
    # heap"; the other way "heard a crunch ... xrays clear"): 29/30 (needles "in both calves and i
    # hadnt felt a thing" beside sciatica: the words are a denial's, left), 27/27, 3/60 (all three the
    # net's: a hot run cooling off at home, dizzy after a fall off a bike, a skinned knee whose swelling
    # is "way down"), 7/60. The floor holds those.
    30: {"emergency": 0.96, "urgent": 1.0, "false_alarms": 0.05, "caution": 0.117},
    # Round 31's one run (at a6229bf, product code e7739c6, the start code of its session): 30/31,
    # 23/26, 5/60 (2/50 everyday), 6/60. Spent, its misses were given to the rules as families (a
    # collapsed lung "still short of air, talking in bits" 40 minutes on; "a crack like a stick
    # snapping" that was the collarbone; a hand "asleep" since Friday, "how long does this take to
    # wear off"; a boy's heel warm, red and puffy with a fever every day; the other way: "stepped off
    # the sled", a swollen spot on a strained hamstring that "went down", a calf snap the ER called a
    # torn calf muscle with "heel raises fine", gout that the pills "calmed right down"): 31/31, 26/26,
    # 0/60, 9/60. The floor holds those.
    31: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.0, "caution": 0.15},
    # Round 32's one run (at d884b67, product code 1e6014e, the end code of round 31's session): 25/30,
    # 24/27, 4/60 (3/50 everyday), 2/60. Spent, its misses were given to the rules as families (a jaw
    # that aches on hill reps and is "gone" on backing off; a dad's "heartburn going up the hill" that
    # fades once he stops; a ball "full in the face", "i dont really remember that bit"; "sudden severe
    # low back and belly pain, lightheaded"; "the whole world started tilting", a marshal grabbed,
    # vision "grainy"; a wrist "bent back at a gross angle", shoved straight; a back "killing me at
    # night", pacing at 2am; a calf "fatter than the right one" after a flight; the other way: a ball
    # rolled under the heel, a pedal-whacked Achilles whose push-off "felt totally normal", a collapse
    # already discharged from hospital): 30/30, 27/27, 3/60 (two the net's: the discharged collapse and
    # the whacked Achilles; and "15 months since my achilles rupture", left: "N months since" as a past
    # event would also discount "4 months since i started running and last night i felt a pop"), 3/60.
    # The floor holds those. Round 33's families took the third back (a rupture named as the
    # story's past, "N months post", confirms no Achilles rule): 2/60.
    32: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.04, "caution": 0.05},
    # Round 33's one run (at 1ce7a9e, product code 31c8246, the start of its session): 27/30, 25/27,
    # 4/60 (2/50 everyday), 3/60. Spent, its misses were given to the rules as families (a "bursting"
    # chest pain "going right through to my back" at 51; Marfan and "like someone karate chopped me"
    # between the shoulder blades; a dad of 70 "stumbling and getting muddled", his shirt dry at 95
    # degrees; "a tug/snap thing just above my left heal" beside an aside "(same ankle i broke 4 yrs
    # ago)" that dated the whole story; worse lying down, on the couch at 2am, temps of 100, a belt a
    # notch looser; the other way: a zipper's raw stripe on the chest, "i cant stand socks on it", a
    # knee the gp examined ("ligaments fine"), a pop "in the middle of my calf" with the toes working):
    # 30/30, 27/27, 1/60 (the net's: the calf pop), 4/60. The floor holds those.
    33: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.02, "caution": 0.07},
    # Round 34's one run (at 741c765, product code 3470f6d, the end code of round 33's session):
    # 30/30, 22/26, 5/61 (2/50 everyday), 1/61. Spent, its misses were given to the rules as families
    # ("a proper crack", a knee that "by dinner had blown up like a balloon", a hip that aches "most
    # nights, enough to wake me" with temps and "lost about 4kg", "pressing right on that one spot
    # makes me wince"; the other way: "horror stories about rhabdo and cola coloured pee", "three dads
    # ... have torn an achilles"): 30/30, 26/26, 3/61 (the net's sleepless night after a marathon; a
    # headache after an easy run, "didnt hit my head", read as the head rule by meaning and confirmed by
    # its warning words; a shin "tingly" after a healed stress fracture), 1/61.
    34: {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.05, "caution": 0.02},
}

# The issue's targets, for both splits: both have been tuned on (the test split is spent).
ISSUE_TARGETS = {"emergency": 1.0, "urgent": 1.0, "false_alarms": 0.05, "caution": 0.15}
TARGETS = {"dev": ISSUE_TARGETS, "test": ISSUE_TARGETS}


@pytest.fixture(scope="module")
def cases():
    return load_narratives(SET)


@pytest.fixture(scope="module")
def figures(triager, cases):
    return evaluate_narratives(triager, cases)


def test_the_set_has_what_issue_13_asks_for(cases, rules):
    kinds = Counter(case.kind for case in cases)
    assert kinds["red_flag"] >= 60 and kinds["everyday"] >= 80 and kinds["mixed"] >= 20, kinds
    per_rule = Counter(rule for case in cases if case.kind == "red_flag" for rule in case.rules)
    assert {rule.id for rule in rules.red_flags} <= set(per_rule)
    assert min(per_rule.values()) >= 3, per_rule
    assert {case.split for case in cases} == {"dev", "test"}
    assert all(set(case.rules) <= set(rules.ids) for case in cases)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_each_split_meets_its_bar(figures, split):
    row, bar = figures[split], TARGETS[split]
    report = format_narratives({"dev": figures["dev"]})  # the dev lines only: test stays numbers
    for level in ("emergency", "urgent"):
        assert row["recall"][level] >= bar[level], (split, level, row["recall"], report)
    assert row["false_alarm_rate"] <= bar["false_alarms"], (split, row["false_alarms"], report)
    assert row["caution"] <= bar["caution"] * row["expected_none"], (split, row["caution"], report)


def test_the_spent_fresh_set_meets_the_issues_targets(triager):
    row = evaluate_narratives(triager, load_narratives(FRESH))["test"]
    report = format_narratives({"test": row})
    for level in ("emergency", "urgent"):
        assert row["recall"][level] >= ISSUE_TARGETS[level], (level, row["recall"], report)
    assert row["false_alarm_rate"] <= ISSUE_TARGETS["false_alarms"], (row["false_alarms"], report)
    assert row["caution"] <= ISSUE_TARGETS["caution"] * row["expected_none"], (row["caution"], report)


@pytest.mark.parametrize("path, floor", [(EVAL / f"triage_narratives_fresh{n}.yaml", floor)
                                         for n, floor in FLOORS.items()], ids=[f"round{n}" for n in FLOORS])
def test_a_held_back_set_stays_at_its_one_run(triager, path, floor):
    row = evaluate_narratives(triager, load_narratives(path))["test"]
    for level in ("emergency", "urgent"):
        assert row["recall"][level] >= floor[level], (level, row["recall"])
    assert row["false_alarm_rate"] <= floor["false_alarms"], row["false_alarms"]
    assert row["caution"] <= floor["caution"] * row["expected_none"], row["caution"]


# Runners' questions to the answer sets (every questions.yaml, all spent): most are everyday, some
# tell a real red flag ("knee blew up like a balloon an hour after i twisted it"). At stop 22, 65 of
# 1,178 raised urgent or emergency, many on a word out of place ("my strides are long and loopy" ->
# heat stroke, "physio gave me exercises" -> a torn Achilles); after its fixes, 49. Round 13's 62
# questions added 3, each a real one (numb between the legs with a wrecked back, a red hot heel
# with a fever, shins that throb in bed): 52 of 1,240. Round 14's added 2, both real (a dip in the
# Achilles cord, a thigh bone that hurts to hop on): 54 of 1,302. Round 15's added 5 (60 of 1,364
# before "grow out of it" stopped reading as "out of it": heat stroke), real or close (one spot on
# the shin after weeks of shin splints, a foot stamped on and puffy since that hurts to push off, a
# twisted knee puffy by morning that catches; two kneecap dislocations already past, one three
# weeks ago, one recurring since high school): 59 of 1,364. Round 16's added 3 (tightness in the chest
# and a breath hard to get the evening after dry needling by the shoulder blade, one sore spot on a
# metatarsal with a puffy foot, a kneecap dislocated at 16 that half slips since): 62 of 1,426. Round 17's
# added 4 (an ankle rolled a fifth time, no weight on it for minutes, the knobby bone sore; a sit bone
# that wakes the runner with 8 pounds lost; a knee hot, red and puffy with a fever; and one past:
# a kneecap that kept dislocating, reconstructed five weeks ago): 66 of 1,488. Its families added none.
# Round 18's added 4, all real (a spot on the fibula aching for 3 weeks, a knee swollen within the hour of a
# twist, a bladder that "could hardly go" with numb inner thighs, a stabbing spot on a healing metatarsal);
# its families added a fifth, "a collapsible cup", then took it back: 70 of 1,550. Round 19's added 5, four
# real (a front-of-hip ache that now hurts to hop on, a groin that hurts standing on one leg, a groin
# ache building for weeks, an ankle hot, red and swollen with a shiver) and one not (meralgia named for a
# numb patch on the thigh), which a look-alike example then took back: 74 of 1,612. Round 20's added 2:
# a calf puffy and warm after a flight (real), and a lacrosse ball dug "into the sore spot every night"
# (a place, not a time), which its families then took back: 75 of 1,674. Round 21's added 7, six real (a
# calf puffy, warm and red out of a boot, a foot cold and pale after a roll, breathless with a tight chest
# after a swollen calf, numb where the runner sits, a foot that slaps, an outer knee aching in bed and
# waking him) and one not (a tender spot below the knee, hopping fine, read as bone stress: the medial
# tibial plateau can break there too, so it stays); its families added none: 82 of 1,736. Round 22's
# added 8, seven real or close (a snap on the outer foot and barely any weight, a foot pointing the wrong
# way, one sore spot on a bone getting worse, a hip that wakes her at night, both legs weak with a sore
# back, a kneecap aching in bed, a smashed shin tight and getting worse) and one not ("tingling. is the
# bump" read as a numb bum), which its families took back: 89 of 1,798. Round 23's added 3, two real (cola
# pee after a first spin class; a patch still numb two months into a diagnosed nerve's treatment, which
# its article calls normal, but the rules can't tell a diagnosis in another sentence) and one not (a
# Graston session where the therapist "went too hard", read as a hard muscle), which its families took
# back: 91 of 1,860. Round 24's added 7, four real or close (a pop high under the butt and a purple thigh,
# a teenager's hip pop and a limp, two single sore spots on a bone) and three not (a kindergarten teacher's
# "knees up by my chest. deep ache" across a full stop, "stressed out of my mind" read as confusion, and
# the net's breathlessness on a metallic taste after 400s); its families took the first two back: 96 of
# 1,922. Round 25's added 3, one real (a toe that "looks kinda crooked" under a dropped pan) and two not
# (a chilblain that "itches worst at night" read as night pain, a strain's "yellow purple bruise" by the
# ankle read as a clot's colour), which its families took back: 97 of 1,984. Round 26's added 6, five real (a foot that can't take weight
# to the bathroom, "kicked ... high up in the back of my calf" with an ugly walk, a foot numb and weak two
# days after dry needling, a cancer survivor's hip that hurts at night however she lies, a groin and
# inner thighs numb on the toilet after a sore back) and one not (a Freiberg's toe joint "swollen and
# really stiff" read by meaning as a septic joint); its families added none: 103 of 2,046. Round 27's added 7, four real (a knee landed on
# on ice that "puffed up", a bursa red and hot with a fever after a gravel fall, a butt ache that hurts to
# hop on after a jump in mileage, numb inner thighs and peeing "off" after a fall on the tailbone) and
# three not (an electrician who "dont remember hitting my knee" read as a faint, a tailbone patient
# "sitting sideways on one cheek" read as a deformity, both taken back by its families; and the net's
# emergency on a calf that "goes dead" with a cold foot on one hill, gone 3 minutes after stopping,
# which a doctor examined: left, as the net's): 108 of 2,108. Round 28's added 6, three real or close
# (a hop that hurts low in the back on light eating, one spot on a shin that gets worse the longer she
# runs, a pinky toe gone weak beside a burning heel) and three not (a known peroneal subluxation's
# "pop" the doctor has named, "besides popping pills" read as a pop at the Achilles, a kneecap out
# "4 times since i was 15" read as a dislocation now): its families took the last two back: 112 of
# 2,170. Round 29's added 7, six real (one spot on the lower fibula, a friend who can't take two steps
# on a crooked ankle, one spot on a long bone of the foot, a pregnant runner's warm puffy calf, a knee
# that ballooned fast, a foot that slaps down) and one not (a sore thigh "i dont remember hitting it
# on anything" read as a faint, taken back by its families, which also caught round 16's calf "rock
# hard and swollen" 5 hours after hills): 119 of 2,232. Round 30's added 5, all real (two hop tests
# that hurt low in the back, a 17-year-old who nearly passed out with a racing heart, a knee hot, red
# and puffy with chills, a foot that slaps down): 124 of 2,294. Round 31's added 9, five real or close
# (a calf swollen and warm 3 weeks after ACL surgery, a foot still numb 4 weeks into disc sciatica, a
# foot that slaps, a spreading bruise and a swollen shin on warfarin, one spot on a foot bone on 1,300
# calories a day) and four not (a foot numb after sitting at a desk beside sciatica, a hip that aches at
# night from the way she sleeps, a hop test with "nothing sharp", a spot that buzzes "like hitting your
# funny bone"): its families took the last two back, and caught round 18's heel "red and hot to the
# touch and swollen" with a fever: 132 of 2,356. Round 32's added 7, six real (both feet tingling and a
# foot that slaps with a stiff low back, a knee "huge and puffy" within hours of a pop, a numb foot
# catching the stairs after a knee twist, "somebody whacked the back of my ankle" and no push onto the
# toes, a calf swollen and warm after a flight, a hop that hurts low in the back) and one on the wrong
# rule (a swollen red lump that leaked at the top of the buttock crease, a knee's rule: a doctor all
# the same): 139 of 2,418. Round 33's 62 added 9 (three real or close: a calf puffy and warm above a
# boot, two groin pains that stop a hop or a stand on one leg; the rest a rupture told as the past:
# "9 months post achilles rupture", "back to jogging after the achilles rupture"); its families took
# four of those back and none else moved: 144 of 2,480. Round 34's 62 added 7, all real or close (a
# shin "rock hard" 3 hours after a hilly 20k, a fall on the kneecap that won't straighten, a knee that
# caught and won't straighten, one spot on a foot bone or a shin that hurts in bed or to press, a boy
# limping with knee and groin pain, a low back that hurts to hop): 151 of 2,542.
QUESTION_RED_FLAGS = 151


def test_the_answer_sets_questions_raise_no_more_red_flags_than_they_did(triager):
    from assistant.evaluate.retrieval import load_questions

    folder = EVAL
    files = [folder / "questions.yaml", *sorted((folder / "realistic").rglob("*questions.yaml")),
             folder / "realistic" / "fresh.yaml"]
    questions = [q.text for path in files for q in load_questions(path)]
    raised = [text for text in questions if triager.check(text)[0].level in ("emergency", "urgent")]
    assert len(questions) >= 2542 and len(raised) <= QUESTION_RED_FLAGS, (len(raised), raised[:5])
