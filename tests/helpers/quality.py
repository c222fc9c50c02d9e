"""A hand-made programme for the quality figures: two groups, their ended sessions in two
months, fidelity records and reviews (some items not applicable), a co-facilitator, a
supervisor who must not count, and two alerts.

Counted by hand (percent = sum of scores / (2 x items scored)):

Tuesday group (Sam Lead, Cleo Co; Ana Supervisor reviews):
  session 1, 2025-01-10: own {2, 2, n/a} = 100%, review {2, 1, n/a} = 75%
  session 2, 2025-01-20: own {1, 1, 2, n/a} = 66.7%, no review
  session 3, 2025-02-03: no record
  -> 3 ended, 2 with a record, 1 reviewed (33%), own 83.3%, review 75.0%
  an alert nobody acknowledged (Person 1): 1 referral pending, 1 not acknowledged
Thursday group (Bo Lead):
  session 1, 2025-02-05: own {0, 2} = 50%, review {1, 1} = 50%
  session 2, 2025-02-12: own {n/a, n/a}: a record with no percent
  -> 2 ended, 2 with a record, 1 reviewed (50%), own 50.0%, review 50.0%
  an alert acknowledged after 30 min, no risk record since: 1 overdue follow-up,
  1 referral pending (Person 1, at risk), median 30 min to acknowledge
Programme: 5 ended, 4 with a record, 2 reviewed (40%), own 72.2%, review 62.5%;
  2025-01: 2 ended, 2 with a record, 1 reviewed, own 83.3%, review 75.0%;
  2025-02: 3 ended, 2 with a record, 1 reviewed, own 50.0%, review 50.0%.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from facilitator.extensions import db
from facilitator.models import Alert, Facilitator, FidelityRating, Group, GroupSession
from facilitator.services import groups as rules
from facilitator.services import programme, supervision

from . import PASSWORD, make_group

SELF_SCORES = {
    ("tue", 1): {"a": 2, "b": 2, "c": None},
    ("tue", 2): {"a": 1, "b": 1, "c": 2, "d": None},
    ("thu", 1): {"a": 0, "b": 2},
    ("thu", 2): {"a": None, "b": None},
}
REVIEW_SCORES = {("tue", 1): {"a": 2, "b": 1, "c": None}, ("thu", 1): {"a": 1, "b": 1}}
ENDED = {("tue", 1): datetime(2025, 1, 10, 18), ("tue", 2): datetime(2025, 1, 20, 18),
         ("tue", 3): datetime(2025, 2, 3, 18), ("thu", 1): datetime(2025, 2, 5, 18),
         ("thu", 2): datetime(2025, 2, 12, 18)}


@dataclass
class QualityWorld:
    """The ids of the hand-made programme."""

    groups: dict  # "tue" / "thu" -> group id
    people: dict  # "sam", "cleo", "bo", "ana" -> facilitator id
    sessions: dict  # (group key, number) -> session id


def end_and_rate(key, session: GroupSession, sup_id: int, lead_id: int) -> None:
    """End one session at its hand-made time and add its own record and review, if any."""
    session.status, session.ended_at = "ended", ENDED[key]
    session.started_at = ENDED[key] - timedelta(hours=2)
    for kind, table, author in (("self", SELF_SCORES, lead_id), ("review", REVIEW_SCORES, sup_id)):
        if key in table:
            db.session.add(FidelityRating(session_id=session.id, group_id=session.group_id,
                                          kind=kind, author_id=author, scores=table[key],
                                          mode="notes" if kind == "review" else None))


def add_alerts(tue: Group, thu: Group) -> None:
    """Tuesday: an alert nobody acknowledged; Thursday: one acknowledged after 30 minutes."""
    start = datetime(2025, 2, 5, 17)
    db.session.add_all([
        Alert(group_id=tue.id, session_id=tue.sessions[0].id,
              participant_id=tue.participants[0].id, reason="phq9_item9", created_at=start),
        Alert(group_id=thu.id, session_id=thu.sessions[0].id,
              participant_id=thu.participants[0].id, reason="phq9_item9", created_at=start,
              acknowledged_at=start + timedelta(minutes=30))])


def make_quality_world(app) -> QualityWorld:
    """Create the hand-made programme of this module's docstring."""
    tue = make_group(app, name="Tuesday group", email="sam@example.org")
    thu = make_group(app, name="Thursday group", email="bo@example.org")
    with app.app_context():
        groups = {"tue": db.session.get(Group, tue.group_id),
                  "thu": db.session.get(Group, thu.group_id)}
        db.session.get(Facilitator, thu.facilitator_id).name = "Bo Lead"
        cleo = rules.create_facilitator("cleo@example.org", "Cleo Co", PASSWORD)
        programme.assign(groups["tue"], cleo, "co")
        ana = rules.create_facilitator("ana@example.org", "Ana Supervisor", PASSWORD)
        for group in groups.values():
            supervision.add_supervisor(group, ana.email)
        sessions = {}
        for key in ENDED:
            session = groups[key[0]].sessions[key[1] - 1]
            lead = tue.facilitator_id if key[0] == "tue" else thu.facilitator_id
            end_and_rate(key, session, ana.id, lead)
            sessions[key] = session.id
        add_alerts(groups["tue"], groups["thu"])
        db.session.commit()
        people = {"sam": tue.facilitator_id, "cleo": cleo.id, "bo": thu.facilitator_id,
                  "ana": ana.id}
        return QualityWorld({k: g.id for k, g in groups.items()}, people, sessions)


def make_admin(app, email: str = "admin@example.org", name: str = "Ada Admin") -> int:
    """A programme administrator's account; their id."""
    with app.app_context():
        person = rules.create_facilitator(email, name, PASSWORD)
        programme.set_admin(person)
        return person.id
