"""Live events of role-play as IPT uses it: the debrief of a member's own conversation.

Showing the scene is ``prompt:push`` (``realtime.handlers``, rules in
``services.roleplay``); the debrief is for the group's facilitators only.
"""

from facilitator.services import access, roleplay

from . import publish
from .dispatch import event
from .schemas import Id, OptionalText, SessionRef


class RecordDebrief(SessionRef):
    prompt_id: Id
    worked: OptionalText(1000) = ""
    next_time: OptionalText(1000) = ""


@event("roleplay:debrief", RecordDebrief)
def roleplay_debrief(user, data):
    """Keep what worked and what to try next after a member's role-play."""
    session = access.load_session(user, data.session_id, True)
    debrief = roleplay.record_debrief(user, session, data.prompt_id, data.worked,
                                      data.next_time)
    publish.roleplay_debriefed(debrief)
    return {"debrief_id": debrief.id}
