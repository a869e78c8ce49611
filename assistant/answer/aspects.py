"""What a question asks about, and what a section of an article is about.

"How can I tell if..." wants the symptoms, "what helps" the treatment, "should I keep running"
the advice on running with it, "how long" the outlook. The answer step prefers blocks from the
section that serves the aspect asked. Plain patterns, checked in order: the first that matches
names the aspect; the question patterns are tried on the runner's words, the heading patterns
on a section heading ("What does jumper's knee feel like?" -> tell).
"""
from __future__ import annotations

import re

ASPECTS = ("how_long", "keep_running", "see_someone", "tell", "help", "why", "what", "identify")
# Where an article keeps the answer when it has no section of the aspect's own: the house posts
# ("What it is / Typical symptoms / Common causes / What helps at home / When to see a PT") say
# whether to keep running and how long it takes inside "What helps at home". First found wins.
LOOK_ALIKES = "compare"  # a section heading's aspect only: how the condition differs from others
SERVED_BY = {"keep_running": ("keep_running", "help"), "how_long": ("how_long", "help"), "tell": ("tell", LOOK_ALIKES),
             "identify": ("tell", "what")}
# ...and where either section answers as well: a story of symptoms ending "what is this?" is
# met by the post's "What is it?" or by its "How can I tell?", whichever matches the story.
EITHER = {"identify"}
# The question's opening words say what it asks more surely than words further on: "why does
# my kneecap hurt ... is it the stairs or the hills" asks why, though "or" reads like "tell".
_OPENING = [
    ("how_long", r"how long\b"),
    ("why", r"(why|how come|what (actually |really |even )?(causes|caused|is causing|sets off|triggers)|what'?s causing)\b"),
]
# Asked anywhere, before the other aspects: "...could that be why my butt hurts" asks why, though
# "could that be" reads like "tell"; "i never fell, so how does a fat pad get irritated" too.
_FIRST = [
    ("why", r"\b(could|can|would|is) (that|this|it) (be )?(why|the cause|causing|what'?s causing)\b|\brisk factor|"
            r"\b(things|two) (\w+ )?(connected|linked|related)\b|\bhow (does|do|did|would|can) (a |an |my |the |your )?"
            r"(runner|runners|someone|people|you|\w+( \w+)?) (even )?(get|got|tear|injure|strain|become) "
            r"(\w+ )?(irritated|inflamed|injured|hurt|torn|their|it|this|that|a|an)\b|"
            # "was it that race that set it off", "could the straps be causing this", "is that left
            # over from the pregnancy", "how does skipping plyo stuff make a bone crack"
            r"\b(set (it|this|that) off|caus(ing|ed) (it|this|that)|brought (it|this|that) on|left ?over from)\b|"
            r"\bhow (does|do|did|would|could|can) (\w+ ){1,5}?(make|cause|lead to) (a |an |my |the |your )?\w+|"
            r"\bhow (does|do|did|would|could|can) (\w+ ){1,5}?(even |actually )?(do that|do this)\b"),  # round 21: "how would an old sprain even do that??"
    # Whether one thing led to another: "connected?", "is the hockey to blame?", "is that a real
    # thing", "coincidence or did the road do this", "did all that mileage give me arthritis",
    # "could old shoes really cause it", "how does a runner even end up with turf toe" (round 15)
    ("why", r"\b(connected|related|linked|coincidence|to blame|a myth)\b|\bis (that|this|it) (really |actually )?(a |an )?(real |actual )?thing\b|"
            r"\b(an? )?(age|kid|genetic|gene|mileage|shoe) thing\b|\bcould (that|this) be it\b|\bend(ed)? up with\b|"
            r"\b(did|does|do|can|could|would|will|might) (\w+ ){1,4}?(really |actually )?(cause|give (me|you|people|runners|someone)|lead to)\b|"
            r"\bhow (do|does|did|would|could|can) (you|a runner|runners|someone|people) (even |actually )?(tear|develop|injure|strain)\b"),
    # "what actually fixes this, is it just kegels", "what do i actually do about it besides quit
    # xc": what helps, though "is it just X" reads like "tell" (round 13, spent)
    ("help", r"\bwhat (actually |really |even )?(fix(es)?|cures?|works|gets rid of)\b|"
             # "what happens now, do they just hand me crutches or is this a surgery thing" (round 19)
             r"\bwhat (happens|now|next)\b(?! (is|was|if|when|to|with))|\b(a )?(surgery|surgical|operation|crutches) thing\b|"
             r"\bwhat (do|can|should) i (actually |really |even )?do (about|for|with) (it|this|that|them)\b"),
    # "turf toe?? what is it actually", "whats that and is it normal": asks what it is, though
    # "is it actually" reads like "is it X"
    ("what", r"\bwhat('?s| is| are) (it|that|this|they|those|that thing)( even)? ?(actually|really|exactly|in plain english|in english)\b|"
             r"\bwhat('?s| is) (it|that|this)\s*(\?|,|$|\band\b)|\b(which|what) (muscle|bone|tendon|nerve|part|joint|ligament) (even |exactly )?is\b"),
    # "what even is a plica", "wtf is the SI joint", "what does ETAP stand for", "where even is the navicular"
    ("what", r"\b(what|wtf) (even |actually |exactly )?(is|are) (a |an |the )?\w+|\bwhats (a |an )?(?!\w+ing\b|it\b|the\b|up\b|going\b|wrong\b|next\b|better\b|best\b|good\b|normal\b|safe\b)\w+|\bwhat does \w+ (even )?(stand for|mean)\b|"
             r"\bwhat do (the |my )?(?!(i|you|we|they|u|ppl|people|pts?|doctors?)\b)\w+( \w+)? (even |actually )?do\b|\bwhere (even )?is (the |my )?\w+|\bwhat counts as\b"),
    # "do i get calf cramps bc im dehydrated", "could the weight loss be the reason"
    ("why", r"\b(be|is) the (reason|cause)\b|\b(bc|because|cuz|coz) (i'?m|im|i|of|my)\b|"
            # whether something they did or have led to it: "does having a baby have anything to do
            # with it", "is there a link", "is my stride actually the reason", "is the old sprain
            # behind this", "could the lifting be it", "can socks really do that" (spent sets)
            r"\b(anything|something|much) to do with\b|\bwhat does (\w+ ){1,4}have to do with\b|"
            r"\b(is there|any) (really |actually )?an? (real |actual )?(link|connection)\b|"
            r"\b(is|was|be) (\w+ ){1,4}?(actually |really )?the (real |main )?reason\b|\bbe behind (it|this|that)\b|"
            r"\b(is|was|be) (the |my |that |this |an? )(\w+ ){0,3}behind (it|this|that)\b|"
            r"\bcould (the|my|all|that|this) (\w+ ){0,3}be it\b|"
            r"\b(can|could) (?!(i|you|u|we|they)\b)(\w+ ){1,3}?(really |actually |alone )?do (that|this|it)\b|"
            r"\bhow (does|do|did|would|could|can) (\w+ ){1,5}?(mess up|wreck|damage)\b"),
    ("help", r"\b(heat or ice|ice or heat)\b"),  # not "X or Y?" naming two conditions
    # "is it an actual disease?? is it contagious", "that word freaks me out. is it a tumor": asks
    # what the condition is, though "is it X" reads like "tell" (round 12 and round 7, spent)
    ("what", r"\bis (it|that|this|a \w+) (\w+ )?(an? )?(actual |real |true )?(disease|tumou?r|cancer\w*|contagious|catching|infectious|infection)\b"),
    # "which one is it?? are they the same thing", "or just the same thing with a new name"
    ("what", r"\b(are they|is (it|that|this)|or just|just) (really |basically |actually )?the same thing\b|\bsame thing or\b|\bbasically the same\b"),
    # "is this a 2 month thing or longer", "should it be gone by now", "how many visits" (round 15)
    ("how_long", r"\b\d+ (day|week|month)s? thing\b|\bgone by now\b|\bfinish(ed)? healing\b|\bhow many (visits|sessions|appointments)\b"),
    # Running on, weighed against making it worse: "is it ok to let him keep running or are we making
    # it worse"; and whether a habit did it: "could that be making it worse", "did the shoes do that"
    ("keep_running", r"\b(ok|okay|safe|fine|alright) to (let (him|her|them) )?(keep|continue|carry on) (running|training|racing)\b|"
                     r"\b(to|i|we|he|she) (keep|continue|carry on) running (on|with|through)\b"),
    ("why", r"\bcould (that|this|it|the \w+|my \w+) be (making|doing|causing)\b|\bdid (the|my|those|these|that) \w+ do (that|this|it)\b"),
    # Weighing something they do or were told to do ("been doing toe touches, good idea or making
    # it worse", "will those fix it or are store bought inserts fine"): what helps, though "or" reads like "tell"
    ("help", r"\b(good|bad) idea\b|\b(are there|any) (\w+ )?(stretches|exercises|drills)\b|\bworth (it|doing|trying|the money)\b|\bwaste of (time|money)\b|\bmak(e|es|ing) it worse\b|"
             r"\b(will|would|do|does|can|could) (those|these|that|this|they|a \w+( \w+)?) (actually |really )?(fix|help|work|irritate)\b|"
             r"\bis (that|this) (the )?right (thing|way|exercise|stretch|one|for)\b|\bdoes (that|it|this|posture|form) (even |really )?matter\b|"
             r"\bcan (they|you|a doctor|the doctor|someone) just\b|\bshould i (just )?(do|rest)\b|\bwhat shoes?\b|"
             # "is it all placebo", "proven or just a gym fad", "which is better for my knee", "is
             # that enough or am i kidding myself", "am i doing them wrong" (round 15)
             r"\bplacebo\b|\bproven\b|\bbro science\b|\bwhich (one )?(is|are) better\b|\bis (that|this|it) enough\b|"
             r"\b(am i|are we) doing (them|it|this|these|those) (wrong|right)\b|\banything (\w+ )?i (should|can|could) do\b|"
             r"\b(do|does|will|would) (i|it|my \w+|a \w+( \w+)?|\w+ \w+) need (surgery|an operation|a scope|to be scoped)\b|\ballowed to\b"),
    # "im at 40 mpw, do i have to cut that way down": asks about running on, though "do i have" reads like "tell"
    ("keep_running", r"\b(do|will|would|should|must) i (have|need) to (cut|stop|drop|reduce|lower|back off|take (time|a break)|quit|rest)\b|"
                     # weighing running on against holding back: "keep going or back off", "push on
                     # with the plan or go back a step", "ok to go back to it or not yet" (round 15)
                     r"\b(keep going|push on|keep moving up|hold off|go back a step)\b|\b(ok|okay|safe|fine) to (go|start|try|do)\b|"
                     r"\b(do|should) i (cut|drop|reduce|lower) (my |the )?(mileage|miles|running|training)\b|\bcan i (still )?(go for a )?(slow |easy |short )?jog\b"),
    ("keep_running", r"\b(quit|give up|stop) running\b|\bshut (running |it |everything )?(down|off)\b|\bkeep some (of it|running)\b|\b(done|finished) (with )?running\b|\bgive up running\b|"
                     r"\bdoing too much\b|\boverdoing\b|\b(i.?m|i am|im) (actually |really )?ready\b|\bhow much (pain|hurt\w*|discomfort) is (ok|okay|normal|fine|acceptable)\b"),
]

_NOT_A_NAME = (r"(bad|normal|really|actually|what|why|how|gonna|going|ok|okay|fine|safe|dumb|enough|worth|true|right|"
               r"wrong|possible|common|serious|dangerous|overblown|overrated|legit|necessary|needed|helpful|smart|"
               r"stupid|silly|weird|crazy|the)\b")
# Things that treat ("shoes", "ice", "a brace") make a question about what helps, but a story
# mentions them in passing ("better when i take my shoe off and rub it"): asked questions only.
_THINGS = "help_things"
_QUESTION = [
    ("how_long", r"\bhow long\b|\bhow many (weeks|days|months)\b|\bwhen (can|will|could|should|do) i "
                 r"(be able to |try |start )?(run|running|start|get back|go back|return|race|train)\b|\brecovery time\b|"
                 r"\bwhen (am|will) i (be )?(running|racing|training|back)\b|"  # round 19: "realistically when am i running again"
                 r"\bheal(ing)? time\b|\btakes? to (heal|recover|go away|get better|settle)\b|\bback to running\b|"
                 r"(?<!won.t )(?<!wont )(?<!doesn.t )(?<!doesnt )(?<!didn.t )(?<!didnt )(?<!not )(?<!never )\b(go|goes|going) away\b(?!\s+(a (little |short )?while|(right )?after|when|once|as soon|within))|\bheal (on its own|by itself)\b|"
                 # "will it ever actually heal", "ever go back to normal or is this forever"
                 r"\bever (actually |fully |really )?(heal|get better|go away|go back|recover|be normal)\b|"
                 r"\bback to normal\b|\bforever\b"),
    ("keep_running", r"\b(keep|continue|still|carry on) (running|to run|training|racing)\b|\b(run|running|train)"
                     r" (through|on|with) (it|this|that|the pain)\b|\bpush through\b|\bshould i (stop|rest|take|run|skip"
                     r"|keep|quit|cut back)\b|\bcan (i|you|u) (still )?(run|race|train|do my|do (the )?(trails?|hills?|"
                     r"speed ?work|intervals|track|long runs?))\b|\b(ok|okay|safe|fine|bad) to "
                     r"(run|race|keep|train)\b|\btime off\b|\bstop running\b"),
    ("see_someone", r"\b(see|go to|visit|need|get) (a |an |the |my )?(doctor|dr|gp|pt|physio|physical therapist|"
                    r"podiatrist|specialist|someone|professional|x-?ray|mri|scan)\b|\bget (it|this) (checked|looked at)\b"),
    # "Is it X", "X or Y" name a condition; "is that bad", "or is that dumb", "or just annoying", "or
    # what" weigh a choice or a worry (sessions after round 19: those went to the symptoms).
    ("tell", r"\bhow (can|do|would|will) i (tell|know|check|test)\b(?! when to\b)|\b(is|could|might|can) (it|this|that) be\b|"
             r"\b(is|was) (it|this|that|mine) (a |an |just )?(?!" + _NOT_A_NAME + r")\w+|\bsymptoms?\b|\bsigns?\b|\bfeels? like\b|"
             r"\bdifference\b|\w\W+(or|vs\.?|versus)\b(?! (is|am|are|was|were|should|can|could|do|does|will|would|what|not|"
             r"call|just|has|have|maybe)\b).+|\bdo i have\b|\bsounds? like\b|"
             # a story closed by a bare name: "..., plica?", "still shin splints?", "just metatarsalgia?"
             r"[,.;]\s*(?!\s*(would|should|could|can|will|where|when|how|what|why|which)\b)(just |still |probably |maybe )?(a |an |my )?(?!(what|why|how|when|where|who|which|is|are|do|does|did|can|could|should|would|will|any|anything|normal|ok|okay|right|weird)\b)[a-z' ]{3,30}\?+\s*$"),
    # ...and a follow-up's short forms: "is squatting ok", "how should i sleep then"
    ("help", r"\b(what|how) (actually |really |else |even ){0,2}(helps?|can i do|should i (be )?do(ing)?|do i do|to do)\b|\b(anything|something) (else )?i can (do|change|try)\b|\bwhat am i (actually )?supposed to (be )?do(ing)?\b|"
             r"\bwhat (can|should|do) i (change|try)\b|\bwhat (do|does|would|will) (you|they|pts?|doctors?|the clinic) (\w+ ){0,2}do (for|about|with)\b|"
             r"\bcan i (still )?(bike|cycle|swim|ride|cross[- ]?train|do (yoga|pilates|weights|the gym|the bike))\b|"
             r"\bhow (do|can|should) i (actually )?(increase|bump up|raise|change|improve|lower|shorten)\b|"
             r"\bwhat (should|does|do|would) (my|the|that|it|this|those) (\w+ ){0,3}(actually )?look like\b|\bshould i (just )?(pop|drain|rip|burn|ice|heat|stretch|"
             r"tape|wear|stay in bed|lie|be doing)\b|\bis \w+ing (ok|okay|safe|bad|fine)\b|"
             r"\bhow should i (sleep|sit|stand|lie)\b|\bhow (do|can|should|to) (i )?(fix|treat|"
             r"heal|get rid|stop|prevent|manage|ease|help|deal)\b|\bhelp\b|\b(tips?|tricks?|advice|suggestions?)\b"),
    # Not the condition "shin splints" nor the weather's "black ice".
    (_THINGS, r"\b(treat\w*|fix|cure|remed\w+|exercises?|stretch\w*|strength\w*|rehab|(?<!black )ic(e|ing)|heat|"
              r"tap(e|ing)|insoles?|orthotics?|shoes?|massage|foam roll\w*|pads?|(?<!shin )splints?|brace|"
              r"heel lifts?|lacing|nerve glides?|surgery|injections?|straps?|sleeves?|pillows?)\b"),
    ("why", r"\bwhy\b|\bcause[sd]?\b|\bbe (doing|causing) (it|this|that)\b|\bhow (did|do|does) (i|you|people|runners|it) (get|happen|start)\b|\btrigger"),
    ("what", r"\bwhat('s| is| are)\b|\bmean(s|ing)?\b|\bexplain\b"),
]
_HEADING = [
    # A look-alike section ("Could it be something else?", "What else could it be?") shows how
    # the condition differs from others: it serves "how can I tell" after the symptoms, not
    # "when to see someone".
    (LOOK_ALIKES, r"\bwhat else\b(?! (\w+ )?(helps?|works|can i do|should i|do i do))|\bcould it be\b|\bsomething else\b|\blook-?alikes?\b|\bmistaken\b|"
                  r"\bdiffers? from\b|\bother \w+ (problems|conditions|injuries|causes)\b"),
    ("how_long", r"\bhow long\b|\bheal\w*\b|\brecover\w*\b|\btimeline\b|\boutlook\b|\bwhen can\b|\breturn\b|"
                 r"\bgo(es)? away\b"),
    ("keep_running", r"\bkeep (running|training)\b|\brun(ning)? (with|through)\b|\b(can|should) i (still )?(run|race)\b|"
                     r"\bstop running\b|\brest\b|\btraining (with|around)\b"),
    ("see_someone", r"\bwhen (to|should (i|you)) (see|get|call|book)\b|\bred flags?\b|\bdoctor\b|\bwarning signs?\b|"
                    r"\bsee (someone|a |an )|\bget (it )?checked\b|\bsomething (else|more serious)\b"),
    ("tell", r"\bsymptoms?\b|\bsigns?\b|\bfeel\b|\btell\b|\bknow\b|\bdifference\b|\bvs\.?\b|\bor\b|\blook-?alikes?\b|"
             r"\bmistaken\b|\bdiagnos\w*\b|(?<!what )\bis it\b"),
    ("help", r"\bhelp\w*\b|\btreat\w*\b|\bhome\b|\bexercis\w*\b|\brehab\w*\b|\bfix\w*\b|\bmanag\w*\b|\brelie\w*\b|"
             r"\bget rid\b|\bstop (a|it|them|the)\b|\bease\b|\bwhat to do\b|"
             r"\bwhat (you|i) can do\b|\bstrength\w*\b|\bstretch\w*\b|\bprevent\w*\b|\bshoes?\b|\btips?\b|\btricks?\b|"
             r"\bwhat should (i|you) do\b"),
    ("why", r"\bwhy\b|\bcause\w*\b|\brisk\w*\b|\bwho gets\b|\btrigger\w*\b|\bhow it happens\b"),
    ("what", r"\bwhat (is|are)\b|\banatomy\b|\bexplained\b|\bunderstanding\b|\bbasics\b"),
]
_QUESTION_RE = [(a, re.compile(p, re.I)) for a, p in _QUESTION]
# At the message's start, or a sentence's ("so im 52 ... why would that be").
_OPENING_RE = [(a, re.compile(r"(?:^|[.?!,]\s+)(?:so |and |but |ok |okay )?" + p, re.I)) for a, p in _OPENING]
_FIRST_RE = [(a, re.compile(p, re.I)) for a, p in _FIRST]
STORY_WORDS = 6
_GENERIC_WHAT = re.compile(r"[\s,.]*\b(what('?s| is) (this|that|it|going on|wrong)|what (could|might) (this|that|it) be)\W*$", re.I)
_FELT = re.compile(r"\bfe(el|els|lt|eling)\b", re.I)
# ("no fall or anything, just ..." asks nothing: "any" opens a question only after a stop)
_ASKS = re.compile(r"(?:^|[.,;:!]\s*|\b(?:and|so|but|or)\s+)(?:what|whats|why|how|should|can|could|is|are|am|"
                   r"does|do|did|will|would|when|where|which)\b|(?:^|[.,;:!]\s*)(?:any|anything)\b", re.I)
_HEADING_RE = [(a, re.compile(p, re.I)) for a, p in _HEADING]
# "Could it be X?", "is that arthritis??", "X or Y?": the runner wants a name for it. The
# articles say how each condition shows up and how it differs from its look-alikes, so the
# answer quotes them and adds that only an examination can tell.
_COULD_BE = re.compile(
    r"\b(is|could|might|can|would) (it|this|that|mine) (just )?(be )?(a |an |my )?\w+.*\?|"
    r"\bdo i (\w+ )?have (?!to\b|time\b|enough\b|any\b|questions?\b)\w+|"
    r"\b(sounds?|feels?) like (?!(i|i'?m|im|i'?ve|my|we|you|it'?s|its|someone|something|somebody)\b)(a |an )?\w+[^.!?]*\?|\b\w+ or (a |an )?\w+\s*\?+\s*$|\bor (is it )?something (else|worse)\b",
    re.I)


def question_aspect(question: str) -> str | None:
    """The first aspect whose pattern matches; a bare name ("side stitch??", "runners toe") asks
    what it is; a story of a complaint that asks nothing ("ball of my foot feels bruised after
    the treadmill all winter") asks what it could be: the symptoms are where posts match stories.
    Such a story closed by a bare "what is this?" / "whats going on" asks to identify it: the
    post's "What is it?" and its "How can I tell?" answer alike."""
    story = _is_story(question)
    if _GENERIC_WHAT.search(question) and _is_story(_GENERIC_WHAT.sub("", question)):
        return "identify"
    found = None
    asking = _asking_clause(question)
    if asking and asking != question:
        found = next((aspect for aspect, pattern in _OPENING_RE + _FIRST_RE + _QUESTION_RE
                      if pattern.search(asking)), None)
    if found is None:
        found = next((aspect for aspect, pattern in _OPENING_RE + _FIRST_RE + _QUESTION_RE
                      if not (aspect == _THINGS and story) and pattern.search(question)), None)
    if found:
        return "help" if found == _THINGS else found
    if len(re.findall(r"\w+", question)) <= 4:
        return "what"
    return "tell" if story else None


_CLAUSE_BREAK = re.compile(r"(?<=[.?!])\s+|\s*[;:]\s+|\.\.+\s*")


def _asking_clause(message: str) -> str | None:
    """The message's last clause that asks something (ends in "?" or opens on a question word):
    a story told first ("mornings are the worst, feels like a knife under the heel") says
    what the runner has, the clause after it ("is there a stretch to do in bed") what they ask."""
    clauses = [c for c in _CLAUSE_BREAK.split(message) if c and c.strip()]
    asking = [c for c in clauses if c.rstrip().endswith("?") or _ASKS.search(c)]
    if not asking:
        return None
    opens = _ASKS.search(asking[-1])  # "so sore after parkrun, is it ok to..." from "is"
    return asking[-1][opens.start():].strip(" ,.;:") if opens else asking[-1].strip()


def _is_story(message: str) -> bool:
    """Tells of a complaint (what is felt, in a few words or more) and asks nothing: no question
    mark, no clause opening on a question word ("..., is it my IT band"). "metatarsalgia
    treatment" is a search, not a story."""
    from assistant.answer.coverage import SYMPTOMS

    return ("?" not in message and not _ASKS.search(message) and len(message.split()) >= STORY_WORDS
            and bool(SYMPTOMS.search(message) or _FELT.search(message)))


def heading_aspect(heading: str | None) -> str | None:
    if not heading:
        return None
    return next((aspect for aspect, pattern in _HEADING_RE if pattern.search(heading)), None)


def served_by(aspect: str | None) -> tuple[str, ...]:
    """The section aspects that answer `aspect`, best first."""
    return SERVED_BY.get(aspect, (aspect,)) if aspect else ()


# Asked without a question mark, as runners type ("is it just a pulled groin", "is that bursitis
# or just arthritis"): enough to quote the look-alikes, not to add the examination line.
_NAMES_ONE = re.compile(r"\b(is|could|might) (it|this|that|mine) (just )?(be )?(a |an |my )?\w+|"
                        r"\b(is|could|might) (it|this|that) be\b|\bor (just )?(a |an )?\w+\W*$", re.I)


def wants_look_alikes(question: str) -> bool:
    """"Is it X?" in any spelling: its answer includes how X differs from its look-alikes."""
    return asks_what_it_is(question) or bool(_NAMES_ONE.search(question))


def asks_what_it_is(question: str) -> bool:
    """"Is that shin splints or something else??": asking for a name, which needs an exam."""
    return bool(_COULD_BE.search(question))
