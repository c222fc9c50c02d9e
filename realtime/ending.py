"""Live events of the course's ending: a member's own staying-well plan (``wellplan:save``).

A member reads and writes only their own plan; a saved plan goes to the member's own
connections (``wellplan:mine``) and to their group's facilitators (``wellplan:updated``),
never to another participant (docs/protocol.md, "A real ending").
"""

from facilitator.services import access, ending

from . import publish
from . import schemas as s
from .dispatch import event


class SavePlan(s.Payload):
    """``wellplan:save``: the three parts of the plan, each at most 1,000 characters."""

    warning_signs: s.OptionalText(ending.PLAN_LENGTH) = ""
    what_helps: s.OptionalText(ending.PLAN_LENGTH) = ""
    who_to_contact: s.OptionalText(ending.PLAN_LENGTH) = ""


@event("wellplan:save", SavePlan)
def wellplan_save(user, data):
    """Keep the participant's own staying-well plan and tell their facilitators."""
    access.require_participant(user)
    access.check_group(user, user.group_id)
    plan = ending.save_plan(user.participant, data.model_dump())
    publish.wellplan_updated(plan)
    return {"plan": ending.plan_view(plan)}
