"""The words a person reads for the product's clinical terms, defined once.

Every screen, export and page script takes its words from here: templates through the
filters of ``facilitator.views.filters``, the JavaScript through the page's ``#words`` data block.
Keys are the protocol's values; the words are ours, plain and calm (see docs/ipt.md).
"""

# IPT's four problem areas, in the order screens list them.
PROBLEM_AREA_WORDS = {
    "grief": "Grief and loss",
    "role_dispute": "Disagreements",
    "role_transition": "Life changes",
    "interpersonal_deficits": "Loneliness and connection",
}
PROBLEM_AREAS = tuple(PROBLEM_AREA_WORDS)

# PHQ-9 severity bands (services.scoring.SEVERITY_BANDS holds their limits).
SEVERITY_WORDS = {
    "minimal": "minimal",
    "mild": "mild",
    "moderate": "moderate",
    "moderately_severe": "moderately severe",
    "severe": "severe",
}

# Why an alert was raised.
ALERT_REASON_WORDS = {
    "phq9_item9": "PHQ-9 item 9 (thoughts of self-harm) answered above 0",
    "needs_support": "asked for support",
}

# The outcome measures of a course: (key, name, what it means).
OUTCOMES = (
    ("response", "Response", "PHQ-9 down by 50% or more from the first measure"),
    ("remission", "Remission", "latest PHQ-9 below 5"),
    ("reliable_improvement", "Reliable improvement", "PHQ-9 down by 6 or more"),
    ("recovery", "Recovery", "from 10 or above to below 10"),
)

# Where a member's outcomes start from (``outcomes.FROM_BASELINE`` / ``FROM_GROUP``).
FIRST_MEASURE_WORDS = {
    "baseline": "meeting baseline",
    "in_group": "first PHQ-9 in group",
}
FIRST_MEASURE_NOTE = ("First measure: the baseline PHQ-9 of the pre-group meeting for {baseline}; "
                      "the first PHQ-9 in the group for {group} without a complete baseline.")
# Where outcomes by problem area count a member who has none yet.
NO_PROBLEM_AREA_YET = "No problem area yet"

# A member's way through the pre-group meeting into the group.
MEMBER_STATUS_WORDS = {
    "invited": "invited",
    "meeting_done": "meeting done",
    "enrolled": "enrolled",
    "referred": "referred elsewhere",
    "declined": "declined",
}
MEMBER_STATUSES = tuple(MEMBER_STATUS_WORDS)

# How the pre-group meeting took place.
MEETING_MODE_WORDS = {"in_person": "face to face", "phone": "by phone", "video": "by video"}

# Reasons to refer a person elsewhere instead of into group IPT: (key, question).
REFER_REASONS = (
    ("suicide_plan", "Does the person have an active plan to end their life?"),
    ("psychosis_or_mania", "Are there signs of psychosis or mania (hearing or seeing things "
                           "others do not, very high energy with little sleep)?"),
    ("substance_use", "Does alcohol or drug use dominate their life right now?"),
    ("cognitive", "Are there severe problems with memory or understanding that would make "
                  "a group hard to follow?"),
)

# What "depression explained" covers: (key, short label, words a facilitator may read out).
PSYCHOEDUCATION_POINTS = (
    ("common", "Depression is common",
     "Many people go through depression. You are not alone in this."),
    ("treatable", "It can be treated",
     "Depression is an illness that gets better with help. Groups like this one help many "
     "people feel better."),
    ("not_your_fault", "It is not your fault",
     "Depression is not a weakness or a failing. It is not something you chose."),
    ("do_less", "It is fine to do less for a while",
     "While you are unwell it is all right to do a little less and to ask others for help, "
     "as you would with any illness. We will work on getting back to things step by step."),
)

# How close a person in the interpersonal inventory feels, 1 (distant) to 5 (very close).
CLOSENESS_WORDS = {1: "distant", 2: "not close", 3: "fairly close", 4: "close", 5: "very close"}

# Where a session stands in the course (the snapshot's ``course``), on the participant's
# phone and the console: ``{number}``, ``{total}`` and ``{left}`` are filled in.
COURSE_WORDS = {
    "left": "Session {number} of {total} · {left} left",
    "last": "Session {number} of {total} · our last session",
    "after": "Session {number} · after the course",
}

# The ending's countdown (services.ending.countdown), from the termination phase on.
ENDING_WORDS = {
    "many": "{left} sessions left: we will start to look back and plan ahead.",
    "one": "1 session left: next time is our last session together.",
    "last": "This is our last session: we look back at what changed and plan how to stay well.",
}

# A member's staying-well plan, on their phone and in the console (services.ending).
WELLPLAN_FIELDS = (
    ("warning_signs", "My warning signs",
     "What tells me my mood is going down again (sleep, pulling away, worrying ...)"),
    ("what_helps", "What helps me",
     "Things I can do, and people and places that help"),
    ("who_to_contact", "Who I can contact",
     "Names and numbers of people or services I can turn to"),
)

# Why a member needs a referral (services.ending.referral_reasons).
REFERRAL_REASON_WORDS = {
    "still_unwell": "latest PHQ-9 is 10 or more",
    "not_responding": "PHQ-9 fell by less than half from the first measure",
    "at_risk": "at risk: a high risk level or an open follow-up",
}

# How a referral went.
REFERRAL_OUTCOME_WORDS = {
    "pending": "Pending",
    "accepted": "Accepted",
    "declined": "Declined",
    "seen": "Seen",
}

# The console's script panel beside the agenda (each item's ``script``, services.scripts).
SCRIPT_WORDS = {
    "now": "Steps now",
    "next": "Steps for the next item",
    "minutes": "about {minutes} min",
    "members_see": "Members' phones say:",
}


def area_words(key: str | None) -> str:
    """A problem area in words, e.g. "Disagreements"; "No problem area" when there is none."""
    return PROBLEM_AREA_WORDS.get(key or "", "No problem area")


def outcome_area_words(key: str | None) -> str:
    """A problem area for outcomes read by area: its words, or "No problem area yet"."""
    return PROBLEM_AREA_WORDS.get(key or "", NO_PROBLEM_AREA_YET)


def first_measure_words(key: str | None) -> str:
    """Where a member's outcomes start from, in words; an em dash before any measure."""
    return FIRST_MEASURE_WORDS.get(key or "", "—")


def page_vocabulary() -> dict:
    """The words above as plain data for the page scripts (JSON keys are strings)."""
    return {
        "problem_areas": PROBLEM_AREA_WORDS,
        "severities": SEVERITY_WORDS,
        "alert_reasons": ALERT_REASON_WORDS,
        "member_statuses": MEMBER_STATUS_WORDS,
        "course": COURSE_WORDS,
        "ending": ENDING_WORDS,
        "wellplan": {key: label for key, label, _ in WELLPLAN_FIELDS},
        "script": SCRIPT_WORDS,
    }


# --- The pre-group meeting (services.meeting, docs/ipt.md) -------------------------------

# The meeting's steps, in order: (key, title).
MEETING_STEPS = (
    ("start", "How we meet, and consent"),
    ("baseline", "How they have been feeling (PHQ-9)"),
    ("fit", "Does the group fit?"),
    ("explained", "Depression explained"),
    ("timeline", "Timeline of mood and events"),
    ("inventory", "Important people"),
    ("plan", "Problem area and summaries"),
    ("goals", "Goals in their own words"),
    ("end", "How the meeting ends"),
)

# How a meeting may end: (key, words on the button's choice).
MEETING_OUTCOMES = (
    ("enrol", "Enrol now: they join the group sessions"),
    ("done", "Meeting done: enrol later"),
    ("referred", "Referred elsewhere"),
    ("declined", "They decided not to join"),
)

# The PHQ-9 (Kroenke et al. 2001): the nine questions and the four answers.
PHQ9_INTRO = "Over the last 2 weeks, how often have you been bothered by…"
PHQ9_QUESTIONS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
PHQ9_ANSWERS = ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"),
                (3, "Nearly every day"))
