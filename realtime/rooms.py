"""Room names. Every connection joins its own person's room and those of its session."""


def person(login_id: str) -> str:
    """Room of every connection of one signed-in identity (for disconnecting them)."""
    return f"u:{login_id}"


def session_all(session_id: int) -> str:
    """Everyone in a session."""
    return f"s{session_id}"


def session_facilitators(session_id: int) -> str:
    """The facilitators in a session."""
    return f"s{session_id}:f"


def session_group_view(session_id: int) -> str:
    """Everyone in a session who sees what the group sees: its participants, and consoles in
    presenter mode (never a facilitator's own console: agenda scripts go to facilitators)."""
    return f"s{session_id}:g"


def session_participant(session_id: int, participant_id: int) -> str:
    """One participant's connections to a session (personalised prompts)."""
    return f"s{session_id}:p{participant_id}"


def group_all(group_id: int) -> str:
    """Everyone connected to any session of a group (the board)."""
    return f"g{group_id}"


def group_facilitators(group_id: int) -> str:
    """The group's facilitators, in whichever of its sessions (alerts, moderation)."""
    return f"g{group_id}:f"


def group_participants(group_id: int) -> str:
    """The group's participants, in whichever of its sessions (homework for all)."""
    return f"g{group_id}:p"


def group_participant(group_id: int, participant_id: int) -> str:
    """One participant of a group (personal homework, their own rejected card)."""
    return f"g{group_id}:p{participant_id}"


def session_presenters(session_id: int) -> str:
    """Facilitators' consoles of a session in presenter mode (the prompt, as the group sees it)."""
    return f"s{session_id}:v"


def group_presenters(group_id: int) -> str:
    """Facilitators' consoles in presenter mode, in any session of the group (alert notices)."""
    return f"g{group_id}:v"


def for_presenter(session) -> list[str]:
    """Rooms of a console in presenter mode: what the group sees, and content-free notices.

    Never a facilitators' room: check-ins, alerts, pending cards, reflections and the
    authors of anonymous cards are sent only there.
    """
    sid, gid = session.id, session.group_id
    return [session_all(sid), session_group_view(sid), group_all(gid),
            group_participants(gid), session_presenters(sid), group_presenters(gid)]


def for_member(user, session, presenting: bool = False) -> list[str]:
    """Rooms a connection joins when ``user`` joins ``session`` (``presenting``: see above)."""
    if presenting:
        return for_presenter(session)
    sid, gid = session.id, session.group_id
    rooms = [session_all(sid), group_all(gid)]
    if user.kind == "facilitator":
        return rooms + [session_facilitators(sid), group_facilitators(gid)]
    return rooms + [session_group_view(sid), session_participant(sid, user.id),
                    group_participants(gid), group_participant(gid, user.id)]
