"""Help in reach and who sees what: the words a participant reads about safety, defined once.

A group has two help texts, both edited by its facilitators: *urgent help* (the existing
``groups.crisis_resources``: crisis lines and the emergency number) and *our reply to a
support request* (``groups.support_reply``). The defaults below are safe to show as they
stand: they name no telephone number (it could be wrong for the country) and promise nothing
a programme might not do. Each carries one line for the facilitators, in square brackets and
starting ``[For facilitators:``; participants never see such a line (``for_participants``).
"""


from ..models import Group, Participant, utcnow

FACILITATOR_LINE = "[For facilitators:"

DEFAULT_URGENT_HELP = (
    "If you might act on thoughts of harming yourself, or you are in danger now, please call "
    "your local emergency number or go to the nearest emergency department. "
    "You do not have to wait for the group.\n"
    "[For facilitators: replace this line with your country's emergency number and the "
    "crisis lines people can call or text, with their hours. Participants do not see "
    "lines in square brackets that start like this one.]"
)

DEFAULT_SUPPORT_REPLY = (
    "Thank you for telling us. Your facilitators can see your request. "
    "If you need help urgently, please use the urgent help contacts above.\n"
    "[For facilitators: replace this line with what your programme really does after a "
    "support request, in your own words: who reads it, and how and when they get in touch. "
    "Promise only what you will do.]"
)

# What a participant is told the first time a join link is opened, and can re-read any time.
WHO_SEES_WHAT = (
    "Your check-ins and notes are seen by your group's facilitators only. "
    "Other members of the group never see them.",
    "If your answer to question 9 of the questionnaire (thoughts of being better off dead or "
    "of hurting yourself) is worrying, your facilitators are alerted at once, so that they "
    "can reach out to you.",
    "Cards you post on the group's board can be anonymous to the other members if you "
    "choose. Your facilitators always know who wrote a card.",
    "Reflections you write between sessions are read at the next session, not straight "
    "away. If you need help before then, use \u201cGet help now\u201d at the top of the page.",
)

SHOW_OWN_SCORE_WHY = (
    "Off by default: a number, or a word like \u201csevere\u201d, seen alone on a phone "
    "without a person to explain it can deepen hopelessness. Facilitators always see the "
    "scores."
)

MAX_HELP_TEXT = 2000

def tidy(text: str) -> str:
    """``text`` with its line breaks made ``\\n`` and its ends trimmed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def for_participants(text: str) -> str:
    """``text`` without the lines meant for facilitators only."""
    lines = [line for line in text.splitlines()
             if not line.strip().startswith(FACILITATOR_LINE)]
    return "\n".join(lines).strip()


def urgent_help_of(group: Group) -> str:
    """The group's urgent-help text as a participant reads it (the default when empty)."""
    return for_participants(group.crisis_resources or DEFAULT_URGENT_HELP)


def support_reply_of(group: Group) -> str:
    """The group's reply to a support request as a participant reads it (default when empty)."""
    return for_participants(group.support_reply or DEFAULT_SUPPORT_REPLY)


def unfinished(text: str) -> bool:
    """Tell whether a help text still holds a line for the facilitators to replace."""
    return FACILITATOR_LINE in (text or "")


def update_settings(group: Group, urgent_help: str, support_reply: str,
                    show_own_score: bool) -> list[str]:
    """Change the group's help texts and own-score setting; the names of what changed.

    The caller commits (with the audit row); nothing is committed here.
    """
    wanted = {"crisis_resources": tidy(urgent_help), "support_reply": tidy(support_reply),
              "show_own_score": bool(show_own_score)}
    changed = [name for name, value in wanted.items() if getattr(group, name) != value]
    for name in changed:
        setattr(group, name, wanted[name])
    return changed


def describe_changes(group: Group, changed: list[str]) -> str:
    """The audit subject of a settings change: which settings, never the texts themselves."""
    words = {"crisis_resources": "urgent help", "support_reply": "support reply",
             "show_own_score": f"own score {'shown' if group.show_own_score else 'hidden'}"}
    return ", ".join(words[name] for name in changed)


def accept_notice(participant: Participant) -> bool:
    """Record that the participant read who sees what; False if it was recorded before.

    The caller commits.
    """
    if participant.notice_accepted_at is not None:
        return False
    participant.notice_accepted_at = utcnow()
    return True
