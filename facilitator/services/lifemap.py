"""The pre-group meeting's two maps of a member's life: the timeline and the inventory.

The timeline holds a few dated lines of mood and life events; the interpersonal inventory
holds the important people as cards. Both are for the group's facilitators only. Rules
here add and flush; the view commits once, with its audit row.
"""

from sqlalchemy import select

from ..extensions import db
from ..models import InventoryPerson, Participant, TimelineEntry
from . import Refused
from .text import clean_text
from .vocabulary import CLOSENESS_WORDS

MAX_ENTRIES = 20
MAX_PEOPLE = 15
PERIOD_LENGTH = 40
EVENT_LENGTH = 500
LABEL_LENGTH = 60
CARD_TEXT_LENGTH = 1000


def timeline(participant: Participant) -> list[TimelineEntry]:
    """The member's timeline, in the order it was written."""
    return list(db.session.scalars(select(TimelineEntry)
                                   .where(TimelineEntry.participant_id == participant.id)
                                   .order_by(TimelineEntry.id)))


def add_entry(participant: Participant, period: str | None, event: str | None,
              mood) -> TimelineEntry:
    """Add one dated line: when, what happened, and the mood then (1-10, optional)."""
    period = clean_text(period or "", PERIOD_LENGTH, "When")
    event = clean_text(event or "", EVENT_LENGTH, "What happened")
    if not period:
        raise Refused("invalid", "When: say when it was, e.g. \"March\" or \"last summer\".")
    if not event:
        raise Refused("invalid", "What happened: write a few words.")
    if mood is not None and (not isinstance(mood, int) or not 1 <= mood <= 10):
        raise Refused("invalid", "Mood then: a number from 1 to 10, or leave it empty.")
    if len(timeline(participant)) >= MAX_ENTRIES:
        raise Refused("invalid", f"The timeline holds at most {MAX_ENTRIES} lines.")
    entry = TimelineEntry(participant_id=participant.id, period=period, event=event, mood=mood)
    db.session.add(entry)
    db.session.flush()
    return entry


def entry_of(participant: Participant, entry_id: int) -> TimelineEntry:
    """One line of this member's timeline, or refuse."""
    entry = db.session.get(TimelineEntry, entry_id)
    if entry is None or entry.participant_id != participant.id:
        raise Refused("not_found", "There is no such line in the timeline.")
    return entry


def remove_entry(entry: TimelineEntry) -> None:
    """Remove a line of the timeline."""
    db.session.delete(entry)
    db.session.flush()


def people(participant: Participant) -> list[InventoryPerson]:
    """The member's inventory cards, in the order they were written."""
    return list(db.session.scalars(select(InventoryPerson)
                                   .where(InventoryPerson.participant_id == participant.id)
                                   .order_by(InventoryPerson.id)))


def person_of(participant: Participant, person_id: int) -> InventoryPerson:
    """One card of this member's inventory, or refuse."""
    person = db.session.get(InventoryPerson, person_id)
    if person is None or person.participant_id != participant.id:
        raise Refused("not_found", "There is no such person in the inventory.")
    return person


def save_person(participant: Participant, person: InventoryPerson | None, fields: dict
                ) -> InventoryPerson:
    """Add a card (``person`` None) or change one; every field is checked before saving.

    ``fields``: label, relationship, closeness (1-5), good, hard, changed.
    """
    label = clean_text(fields.get("label") or "", LABEL_LENGTH, "Name or label")
    relation = clean_text(fields.get("relationship") or "", LABEL_LENGTH, "Relationship")
    texts = {name: clean_text(fields.get(name) or "", CARD_TEXT_LENGTH, what)
             for name, what in (("good", "What is good"), ("hard", "What is hard"),
                                ("changed", "What changed recently"))}
    if not label:
        raise Refused("invalid", "Name or label: give a private label, e.g. \"my sister\".")
    if not relation:
        raise Refused("invalid", "Relationship: say who they are to the person.")
    if fields.get("closeness") not in CLOSENESS_WORDS:
        raise Refused("invalid", "How close: choose one of the five.")
    if person is None:
        if len(people(participant)) >= MAX_PEOPLE:
            raise Refused("invalid", f"The inventory holds at most {MAX_PEOPLE} people.")
        person = InventoryPerson(participant_id=participant.id)
        db.session.add(person)
    person.label, person.relationship_to = label, relation
    person.closeness = fields["closeness"]
    person.good, person.hard, person.changed = texts["good"], texts["hard"], texts["changed"]
    db.session.flush()
    return person


def remove_person(person: InventoryPerson) -> None:
    """Remove a card from the inventory."""
    db.session.delete(person)
    db.session.flush()
