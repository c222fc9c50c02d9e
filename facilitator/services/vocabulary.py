"""The words a person reads for the product's clinical terms, defined once.

Every screen, export and page script takes its words from here: templates through the
filters of ``facilitator.words``, the JavaScript through the page's ``#words`` data block.
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
    }
