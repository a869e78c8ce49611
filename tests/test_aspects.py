"""What a question asks about, and what a section heading is about."""
import pytest

from assistant.answer.aspects import asks_what_it_is, heading_aspect, question_aspect, served_by, wants_look_alikes


@pytest.mark.parametrize("question, aspect", [
    ("how long does a hip flexor strain take to heal", "how_long"),
    ("sesamoditis healing time", "how_long"),
    ("when can i run again", "how_long"),
    ("does a baker cyst go away by itself", "how_long"),
    ("should i keep running on it", "keep_running"),
    ("can i still run trails with this", "keep_running"),
    ("do i need to see a doctor", "see_someone"),
    ("how can i tell if its a stress fracture", "tell"),
    ("is that shin splints or something else??", "tell"),
    ("what helps plantar fasciitis", "help"),
    ("should I stretch it?", "help"),
    ("best exercises for posterior tib", "help"),
    ("any tips for plantar fasciitis", "help"),
    ("why does my heel hurt", "why"),
    # round 21 (spent), in new words: "what else" asking for help, "how would X do that"
    ("loosened my laces already, what else actually helps it?", "help"),
    ("never rehabbed that sprain. how would an old sprain even do that??", "why"),
    ("what else could it be besides shin splints", "tell"),
    ("video showed my hip drops?? whats hip drop and does it matter", "what"),
    ("pt called it impingement. should i wear my old brace when i run, would that stop the pinch?", "help"),
    ("where should i do my first runs back? and how do i know when to add more", "help"),
    ("what causes mortons neuroma", "why"),
    ("what is piriformis syndrome", "what"),
    # what the condition is, asked as "is it X" (rounds 7 and 12, spent)
    ("the doctor wrote osgood schlatter disease on her sheet. is it an actual disease?? is it contagious", "what"),
    ("podiatrist said i might have a morton's neuroma, that word freaks me out. is it a tumor", "what"),
    ("im at 40 mpw right now, do i have to cut that way down", "keep_running"),
    ("do i have a stress fracture", "tell"),
    # the opening words win over an "or" further on
    ("why does my kneecap hurt going down stairs or hills", "why"),
    ("what causes it band pain, is it the hills or the mileage", "why"),
    ("so im 52 and my ankle swells. how long will this take or is it for good", "how_long"),
    # a story that asks nothing wants to know what it could be; a shoe in it is no question
    ("my toes go numb around mile 8 and it burns, better when i take my shoe off", "tell"),
    ("ball of my foot feels bruised after running on the treadmill all winter", "tell"),
    ("metatarsalgia treatment", "help"),  # a search, not a story
    ("my shins get super tight and burn at mile 2 and its gone 10 min after i stop. what is this", "identify"),
    ("what is this", "what"),
    ("exercises for peroneal tendinopathy", "help"),
    ("side stitch??", "what"),
    ("patellar tendon pain for 14 months now. will it ever actually heal", "how_long"),
    ("will my stiff big toe ever go back to normal or is this forever", "how_long"),
    ("rolled my ankle yesterday, what should i be doing for it", "help"),
    ("heel lift for haglunds??", "help"),
    # a condition and the weather are not treatments
    ("my shin pain is at one spot now, still shin splints?", "tell"),  # not "help" for "splints"
    ("slipped on black ice and did half a split, now my inner thigh hurts", None),
    # a story says when it goes away; "will it go away" asks how long
    ("my toes go numb about 40 min into my runs, goes away a while after i stop", "tell"),
    ("could the bike be doing it", "why"),
    # a follow-up's short forms
    ("is squatting ok", "help"),
    ("how should i sleep then", "help"),
    ("what about one of those straps", "help"),
    ("can i still do trails", "keep_running"),
    # runners' own ways of asking
    ("got another stitch on my tempo. what actually causes these", "why"),
    ("i drive 2 hours a day, could that be why my hip aches on runs", "why"),
    ("never twisted it or anything so how does a runner even get this", "why"),
    ("heel hurts and my sister has it too, are those things connected", "why"),
    ("my calf has a lump that wont go away, is it ok to keep running", "keep_running"),
    ("im 61 with arthritis in both knees, do i have to give up running", "keep_running"),
    ("how do i know im ready to race again", "keep_running"),
    ("how much pain is ok on an easy run", "keep_running"),
    ("how can i check my arch at home", "tell"),
    ("anything i can do before my race saturday", "help"),
    ("toes go numb at mile 5, what can i change", "help"),
    ("what do you guys actually do for a tendon like this", "help"),
    ("can i swim while my shin heals", "help"),
    ("how do i increase my cadence", "help"),
    ("what should my first week back look like", "help"),
    ("heat or ice for a sore achilles", "help"),
    ("should i pop the blister under my nail", "help"),
    # "what is it actually": a definition, though "is it actually" reads like "is it X"
    ("the urgent care doc said bursitis?? what is it actually", "what"),
    ("physio wrote a word i cant pronounce, whats that and is it serious", "what"),
    ("which muscle is that even", "what"),
    ("what really helps a pulled calf", "help"),
    # the clause that asks, after the story ("feels like" in the story is not the question)
    ("heel feels like a nail every morning. is there a stretch i can do in bed first", "help"),
    # weighing something they do: "or" here is not "X or Y?"
    ("been doing toe touches every night for my sore butt, good idea or making it worse", "help"),
    ("will those fix it or are store bought inserts fine", "help"),
    ("is the bike ok or will that irritate it too", "help"),
    ("what even is a plica", "what"),
    ("pt thinks its the navicular. where even is the navicular", "what"),
    ("what does ETAP stand for", "what"),
    ("what do the peroneal tendons even do", "what"),
    ("what do i do the first few days after a calf strain", "help"),  # "what do i do" is no definition
    ("do i get calf cramps bc im dehydrated", "why"),
    ("could the weight loss be the reason", "why"),
    # round 11 (spent): the cause asked as a guess, the same thing asked about two names, weighing
    # a thing told, stopping asked as shutting down
    ("heel cord stiff every morning since. was it that race that set it off?? never had trouble before", "why"),
    ("is it my arches causing it or more likely the extra miles i added", "why"),
    ("sharp ache above my butt cheek. is that left over from the pregnancy or did i do it running?", "why"),
    ("how does skipping plyo stuff make a bone crack??", "why"),
    ("urgent care said bursitis, the physio says tendinopathy. which one is it?? are they the same thing", "what"),
    ("should i put the heel lift back in my shoe or is that a bad idea for this??", "help"),
    ("nothing shooting down my leg. are there particular stretches or exercises i should be doing", "help"),
    ("do i have to shut running down completely or can i keep some of it going", "keep_running"),
    ("pain on the inside of my shin like 2 inches below the knee, plica?", "tell"),
    ("shin pain is one spot i can cover with a fingertip. still shin splints?", "tell"),
    # round 13 (spent): what fixes it, asked beside "is it just X" or "besides X"
    ("leak a bit on long runs and im over it. what actually fixes this, is it just kegels", "help"),
    ("spikes rub the bump raw every meet. what do i actually do about it besides quit xc", "help"),
    # whether one thing led to another, though "or" and "is that" read like "tell" (sessions after round 14)
    ("new job has me on my feet all day and now my arch aches on runs. connected?", "why"),
    ("started lifting heavy again and my lower back is cranky on runs, is that a real thing or in my head", "why"),
    ("could cheap shoes really cause shin splints or is that a store myth", "why"),
    ("how does a runner even end up with a stress fracture, i never fell", "why"),
    ("is the extra hill work to blame for my sore achilles", "why"),
    # weighing running on against holding back, or a treatment's worth
    ("comeback run felt ok but knee was a 3 by the end. keep going with the plan or back off", "keep_running"),
    ("two flat weeks pain free, ok to go back to my hilly loop or not yet", "keep_running"),
    ("knee tape before runs, does it really do anything or is it all placebo", "help"),
    ("mri showed a torn meniscus, do i need surgery or can rehab sort it", "help"),
    ("four weeks of calf raises and only a little better, should it be gone by now", "how_long"),
    ("doc says hallux limitus, my friend calls hers hallux rigidus. same thing or not", "what"),
    ("her heel is sore after practice. is it ok to let her keep running or will we make it worse", "keep_running"),
    ("i sit cross legged all day at my desk, could that be making my hip worse", "why"),
    ("switched to zero drop shoes last month and my achilles is stiff, did the shoes do that", "why"),
    # round 19 (spent), told in new words here
    ("six weeks in a boot for a navicular fracture. honestly when am i racing again", "how_long"),
    ("scan says stress fracture in my hip. what happens now, is this a crutches thing or surgery", "help"),
    ("my calf raises make the heel worse. am i doing them wrong or is there an easier one first", "help"),
    ("how does anyone even end up with a plantar plate tear. no fall or anything, just a lot of track", "why"),
    ("hamstring feels fine now, when can i try running again", "how_long"),
    ("pt said popliteus, what tendon even is that", "what"),
    ("race in an hour and my heel is cranky, just something i can do right now", "help"),
    ("is this shin splints or is it a stress fracture", "tell"),
    ("cramp or did i tear something", "tell"),
    # whether something they did or have led to it, told in new words (sessions after round 28)
    ("new baby in june and now my knees ache on runs. does that have anything to do with it", "why"),
    ("my pt says my weak glutes and my sore knee go together. is there actually a link", "why"),
    ("dentist says i grind my teeth, my jaw and my neck ache after races. is my posture the reason", "why"),
    ("my old broken wrist never mattered but is the old ankle fracture behind this heel pain", "why"),
    ("swapped to a heavier backpack for run commuting and now my low back aches, could the bag be it", "why"),
    ("new insoles last week and the arch burns. can insoles really do that", "why"),
    ("what does my hip have to do with my knee pain", "why"),
])
def test_question_aspects(question, aspect):
    assert question_aspect(question) == aspect


def test_doing_it_themselves_is_not_asking_why():
    # "can X really do that" asks whether X did it; "can i really do that" asks whether they may
    assert question_aspect("can i really do that on a sore knee") != "why"
    assert question_aspect("can socks really do that") == "why"


@pytest.mark.parametrize("question", [
    "knee felt fine on the 5 miler, can i do the 10 with my group or is that dumb",
    "is that bad for my hip, i crack it on purpose all day",
    "is the new gym class the reason or is that overblown",
])
def test_a_choice_or_a_worry_weighed_with_or_does_not_ask_for_the_symptoms(question):
    """Spent sets: "or is that dumb", "or just a gimmick", "is that bad" read as "X or Y?" and were
    answered with the symptoms."""
    assert question_aspect(question) != "tell"


@pytest.mark.parametrize("heading, aspect", [
    ("How it differs from other hip problems", "compare"),
    ("What should I do about a black toenail?", "help"),
    ("What does jumper's knee feel like?", "tell"),
    ("Jumper's knee or runner's knee: what's the difference?", "tell"),
    ("What helps patellar tendinopathy?", "help"),
    ("How to get rid of a stitch", "help"),
    ("How long does it take to heal?", "how_long"),
    ("Can I keep running?", "keep_running"),
    ("When should I see someone?", "see_someone"),
    ("Why do runners get it?", "why"),
    ("What is a Baker's cyst?", "what"),
    ("What is it?", "what"),  # not "is it X?"
    ("Will it go away?", "how_long"),
    # look-alikes: after the symptoms for "how can I tell", not "when to see someone"
    ("Could it be something else?", "compare"),
    ("What else could it be?", "compare"),
    (None, None),
])
def test_heading_aspects(heading, aspect):
    assert heading_aspect(heading) == aspect


def test_look_alikes_serve_how_can_i_tell_after_the_symptoms():
    assert served_by("tell") == ("tell", "compare")


def test_whats_doing_it_asks_no_definition():
    assert question_aspect("my foot lands way out in front. could that be whats doing it?") != "what"
    assert question_aspect("is the spur whats causing the pain under my heel") != "what"


def test_asking_for_a_name_is_recognised():
    assert asks_what_it_is("my knee aches after runs is that arthritis?? im only 38")
    assert asks_what_it_is("is this piriformis or sciatica from my back??")
    assert asks_what_it_is("do i have plantar fasciitis")
    assert not asks_what_it_is("what helps plantar fasciitis")
    assert not asks_what_it_is("can i run with sesamoiditis or do i have to stop completly")
    assert not asks_what_it_is("how long does a calf strain take to heal")
    # round 21: a feeling described, then an unrelated question, names nothing
    assert not asks_what_it_is("my calves feel like i ran a marathon already. tempo tomorrow, ok to still do it?")
    assert asks_what_it_is("sharp heel pain first thing, sounds like plantar fasciitis?")


def test_house_posts_answer_keep_running_and_how_long_in_what_helps():
    assert served_by("keep_running") == ("keep_running", "help")
    assert served_by("how_long") == ("how_long", "help")
    assert served_by("why") == ("why",) and served_by(None) == ()
    assert served_by("identify") == ("tell", "what")


def test_is_it_x_without_a_question_mark_wants_the_look_alikes():
    assert wants_look_alikes("deep achy groin pain. is it just a pulled groin")
    assert wants_look_alikes("is that bursitis or just arthritis")
    assert not wants_look_alikes("what helps it band")
