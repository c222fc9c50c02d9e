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
    "words": "Words you may use",
    "purpose": "This session",
}


# --- Course plans (facilitator.courseplans, docs/ipt.md "Course plans") ---------------------

# The measures an agenda item of a plan may ask for: key -> words.
MEASURES = {
    "mood": "Mood (0 to 10)",
    "phq9": "PHQ-9 questionnaire",
}

# The fidelity items a plan's agenda items serve, defined once: key -> what a facilitator
# did. The fidelity record (a later issue) ticks these keys.
FIDELITY_ITEMS = {
    "rules_agreed": "The group rules were agreed together",
    "depression_explained": "Depression was explained as a common, treatable illness",
    "sick_role_given": "Members were allowed to do a little less while they recover",
    "measures_everyone": "Everyone was offered the check-in (mood, and the PHQ-9 when due)",
    "alerts_handled": "Every alert was seen to before anything else",
    "sessions_left_announced": "How many sessions are left was said aloud",
    "relationships_mapped": "Members named the people who matter in their lives",
    "areas_and_goals_shared": "Each member shared a problem area and a goal, as far as they chose",
    "goals_referred": "The work was tied back to members' own goals",
    "mood_event_link": "Members linked their mood to the week's events with people",
    "homework_reviewed": "Last week's tasks were talked over, every effort praised",
    "communication_analysis": "A real conversation was looked at closely",
    "area_technique": "The work fitted the member's problem area",
    "options_from_group": "The group suggested options and the member chose",
    "roleplay_debriefed": "A rehearsal was talked over afterwards (what worked, what next)",
    "task_per_member": "Each member left with a small task tied to a goal",
    "goals_reviewed": "Each member's goals were reviewed at mid-course",
    "ending_announced": "The ending of the group was named and its date given",
    "change_reviewed": "Members looked back at what changed",
    "own_effort_credited": "Members were helped to credit their own effort for the change",
    "ending_feelings": "Feelings about the ending were invited and accepted",
    "staying_well_plan": "Each member made a plan for staying well",
    "referral_considered": "More help was planned for anyone still struggling",
    "everyone_turn": "Every member present had a turn in the round",
    "started_on_time": "The session started on time",
    "worsening_flagged": "Anyone getting worse was noticed and flagged",
    "present_relationships": "The talk stayed on members' relationships now",
    "members_helped": "Members helped each other",
}
# The fidelity record (services.fidelity): how a pre-filled score is marked.
FIDELITY_WORDS = {
    "from_record": "From the session's record",
    "of_members": "{done} of {total} members",
    "of_alerts": "{done} of {total} alerts with a risk record",
    "of_steps": "{done} of {total} script steps ticked",
    "of_worsening": "{done} of {total} members getting worse flagged",
    "nobody_worsening": "Nobody got worse since last week",
    "scores": {"2": "Done", "1": "Partly", "0": "Not done", "na": "Not applicable"},
    "groups": {
        "structure": "Structure",
        "core": "Core IPT work",
        "safety": "Safety",
        "process": "Group process",
        "phase": "This phase's own items",
    },
    "missing": "Session {number} has no fidelity record yet.",
    "self": "Facilitators",
    "review": "Supervisor",
    "gap": "Gap",
}
# The programme's quality page and the queue's "fidelity falling" row (services/quality.py).
QUALITY_WORDS = {
    "self": "Own record",
    "review": "Supervisor's review",
    "percent_note": "Fidelity: a record's score is the sum of its items (done 2, partly 1, "
                    "not done 0) over the most it could be; items not applicable are left "
                    "out. Each figure is the mean over the sessions with that record.",
    "falling": "Fidelity falling",
    "falling_note": "Facilitators whose mean fidelity over their last {sessions} sessions with "
                    "a record is at least {points} points below the mean of the {sessions} "
                    "before (the supervisor's review where there is one, else their own "
                    "record).",
    "falling_none": "Nobody's fidelity is falling.",
    "falling_line": "from {earlier} to {recent}",
}
# Which fidelity keys each group of the record holds (the phase's own items by phase).
FIDELITY_GROUPS = {
    "structure": ("started_on_time", "measures_everyone", "sessions_left_announced"),
    "core": ("mood_event_link", "goals_referred", "homework_reviewed", "area_technique",
             "options_from_group", "roleplay_debriefed", "task_per_member"),
    "safety": ("alerts_handled", "worsening_flagged"),
    "process": ("everyone_turn", "present_relationships", "members_helped"),
}
FIDELITY_PHASE_ITEMS = {
    "initial": ("rules_agreed", "depression_explained", "sick_role_given",
                "relationships_mapped", "areas_and_goals_shared"),
    "middle": ("goals_reviewed",),
    "termination": ("ending_announced", "change_reviewed", "own_effort_credited",
                    "ending_feelings", "staying_well_plan", "referral_considered"),
}
# How a supervisor saw the session, and the facilitator's common-factor skills (1-4).
REVIEW_MODES = {
    "live": "Observed live",
    "recording": "From a recording",
    "notes": "From the notes and summary",
}
COMPETENCE_ITEMS = {
    "warmth": "Warmth: members were met kindly and without judgement",
    "empathy": "Empathy: feelings were heard and put into words",
    "collaboration": "Working together: choices were made with members, not for them",
    "hope": "Hope: change was shown to be possible, without false promises",
    "safety": "Safety: risk was asked about calmly and acted on",
}
COMPETENCE_SCALE = {1: "Needs work", 2: "Some", 3: "Good", 4: "Very good"}


# The mid-course review (services.review): who is flagged for supervision, and why.
REVIEW_WORDS = {
    "heading": "Mid-course review (session {number})",
    "waiting": "The mid-course review of goals is at session {number}. From then on, members "
               "who are not improving are marked here for supervision.",
    "flag": "Review in supervision",
    "none_flagged": "Nobody is marked for supervision at the moment.",
    "responding": "PHQ-9 {baseline} at the baseline, {latest} now: down {percent}%.",
    "not_responding": "PHQ-9 {baseline} at the baseline, {latest} now: not down by 20% "
                      "or more.",
    "mood_risen": "No PHQ-9 since the baseline; mood has risen ({first} to {latest}).",
    "mood_not_risen": "No PHQ-9 since the baseline; mood has not risen ({first} to "
                      "{latest}).",
    "no_baseline": "No baseline PHQ-9 from the pre-group meeting: compare by hand.",
    "no_baseline_mood": "No baseline PHQ-9; mood has not risen ({first} to {latest}).",
    "no_measure": "No PHQ-9 or change in mood since the baseline yet.",
}


# The console's script ticks and the guidance for the problem areas present in the group
# (services.round); our own plain words, sources in docs/ipt.md ("The weekly round").
SCRIPT_WORDS |= {
    "tick": "Done",
    "guidance": "For the problem areas in this group",
    "safety": "Safety check",
}
AREA_GUIDANCE = {
    "grief": {
        "points": [
            "Talk about the person who died and the relationship: what it was like, day to day.",
            "Make room for good memories and hard ones; both are allowed.",
            "Let feelings come (sadness, anger, guilt) and name them without hurrying on.",
            "Look for activities and ties to renew: someone to see, something to take up again.",
        ],
    },
    "role_dispute": {
        "points": [
            "What does each side expect of the other? Where do those hopes differ?",
            "Are the talks still going, stuck, or coming to an end?",
            "Look at one real recent conversation: what was said, what was meant, what was felt.",
        ],
        "safety": "Before anyone rehearses saying something to the other person, ask: "
                  "is it safe to say this to this person? If the answer is no or unsure, do "
                  "not rehearse the confrontation; talk with your supervisor.",
    },
    "role_transition": {
        "points": [
            "What did the old role give, and what did it cost?",
            "What does the new role ask of the member, and what might it offer?",
            "Who can help with the new role; what skills does it need?",
        ],
    },
    "interpersonal_deficits": {
        "points": [
            "Past relationships that worked: what made them work?",
            "Small steps towards contact this week: one call, one hello, one visit.",
            "Practise here in the group: the group is a safe place to try.",
        ],
    },
}

# The weekly round (services.round): the techniques a facilitator marks with one tap.
ROUND_TECHNIQUE_WORDS = {
    "mood_event": "Mood linked to the week's events",
    "communication": "Looked at a real conversation",
    "options": "Options and a decision",
    "role_play": "Role-play",
    "feelings": "Encouraged feelings",
    "contacts": "Building contacts",
}
ROUND_TECHNIQUES = tuple(ROUND_TECHNIQUE_WORDS)
ROUND_WORDS = {
    "not_reached": "Not reached yet: {names}",
    "everyone_reached": "Everyone has had their turn.",
    "prompts": [
        "How has your mood been since we last met?",
        "What happened with the people in your life this week?",
        "When did you feel a little better, or worse? Who was there?",
    ],
    "item9": "Item 9 above 0: check on safety today",
    "change": "since last week",
    "no_checkin": "No check-in this week yet.",
    "no_task": "No task from last week.",
    "no_reflection": "No reflection yet.",
    "goal": "Goal",
    "worsening": "Getting worse since last week",
    "flag": "Flag for supervision",
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
        "area_guidance": AREA_GUIDANCE,
        "round_techniques": ROUND_TECHNIQUE_WORDS,
        "round": ROUND_WORDS,
        "roleplay": {"words": ROLEPLAY_WORDS, "starters": ROLEPLAY_STARTERS},
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


# --- Role-play of a member's own conversation (services.roleplay, docs/ipt.md) -----------

# What the console, the phones and the profile say about a role-play.
ROLEPLAY_WORDS = {
    "yourself": "Yourself",
    "safety_question": "Is it safe for them to say this to this person?",
    "safety_hint": "Ask the member before the rehearsal. If saying it could put them in "
                   "danger, do not rehearse it: talk with your supervisor instead.",
    "safety_confirm": "I asked, and it is safe to say this",
    "safety_needed": "Before this rehearsal, ask the member: is it safe to say this to this "
                     "person? Tick the box once you have checked with them.",
    "member_plays": {"self": "plays themselves", "other": "plays the other person"},
    "wants_to_say": "What the member wants to say",
    "other_person": "The other person, as the group will hear it",
    # On the phones: whose conversation the scene is ({name}, {other} are filled in).
    "scene_mine": "Your own conversation, with {other}",
    "scene_of": "{name}'s own conversation, with {other}",
    "scene_wants": "What they want to say:",
    "scene_wants_mine": "What you want to say:",
}

# Starters a facilitator adapts to a member's own conversation, by problem area. The blanks
# (____) are filled with the member; nothing here assumes who someone is or who died.
# ``ask`` is the question that helps the member find what they want to say.
ROLEPLAY_STARTERS = {
    "grief": [
        {"title": "Talking about the person who died",
         "text": "Someone you trust asks how you have been since ____ died. Tell them how "
                 "it has really been, and one thing you miss.",
         "other": "someone you trust",
         "ask": "What would you like them to understand about this time?"},
        {"title": "Asking for company on a hard day",
         "text": "A hard day is coming (____). Ask someone you feel close to if they would "
                 "spend part of it with you.",
         "other": "someone you feel close to",
         "ask": "What would help most on that day?"},
        {"title": "Saying yes again",
         "text": "Someone you used to see often invites you to ____. Tell them you would "
                 "like to come, and what would make it easier.",
         "other": "someone you used to see often",
         "ask": "What would you like to say yes to?"},
    ],
    "role_dispute": [
        {"title": "Saying what you hoped for",
         "text": "Choose a calm moment. Tell someone you disagree with about ____ what you "
                 "had hoped for, and ask what they hope for.",
         "other": "someone you disagree with",
         "ask": "What do you want them to know, in one or two sentences?"},
        {"title": "Hearing their side first",
         "text": "Ask the person how they see ____. Listen, say back what you heard, then "
                 "say how you see it.",
         "other": "the person you disagree with",
         "ask": "What do you most want them to hear from you?"},
        {"title": "Asking for one small change",
         "text": "Tell the person how ____ has been for you, and ask for one small change "
                 "you could both try this week.",
         "other": "the person you disagree with",
         "ask": "Which one change would you ask for?"},
    ],
    "role_transition": [
        {"title": "Telling someone about the change",
         "text": "Tell someone you ____ what has changed for you since ____: what you miss, "
                 "and what you hope for now.",
         "other": "someone you know",
         "ask": "What do you want them to understand about the change?"},
        {"title": "Asking for help with something new",
         "text": "Since ____, something new is asked of you. Ask someone who could help "
                 "for one specific thing.",
         "other": "someone who could help",
         "ask": "What exactly would you ask for?"},
        {"title": "Meeting people in the new situation",
         "text": "Introduce yourself to someone you ____ in your new situation, and ask "
                 "them one question about it.",
         "other": "someone new",
         "ask": "What would you like to ask them?"},
    ],
    "interpersonal_deficits": [
        {"title": "Starting a short conversation",
         "text": "Start a short conversation with someone you ____ but rarely talk to.",
         "other": "someone you see often",
         "ask": "What could you say first?"},
        {"title": "Getting back in touch",
         "text": "Get in touch with someone you used to be close to. Say you have thought "
                 "of them, and suggest a time to meet.",
         "other": "someone you used to be close to",
         "ask": "What would you like them to know?"},
        {"title": "Asking to join in",
         "text": "Ask someone at ____ if you could join the next time they meet.",
         "other": "someone who organises it",
         "ask": "What would you say to ask?"},
    ],
}
