"""Audience groups (Youth Assembly, a school council...) and who is in them."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from surveys.models import AudienceGroup, GroupMember, Participant


def add_members(session: Session, group: AudienceGroup, participants: list[Participant]) -> int:
    """Add participants to the group; returns how many were new to it."""
    existing = set(
        session.exec(
            select(GroupMember.participant_id).where(GroupMember.group_id == group.id)
        ).all()
    )
    added = 0
    for p in participants:
        if p.id not in existing:
            session.add(GroupMember(group_id=group.id, participant_id=p.id))
            existing.add(p.id)
            added += 1
    session.flush()
    return added


def members(session: Session, group_id: int) -> list[Participant]:
    return list(
        session.exec(
            select(Participant)
            .join(GroupMember, GroupMember.participant_id == Participant.id)
            .where(GroupMember.group_id == group_id)
            .order_by(Participant.id)
        ).all()
    )


def counts(session: Session) -> dict[int, tuple[int, int]]:
    """group id -> (members, of whom opted out)."""
    rows = session.exec(
        select(
            GroupMember.group_id,
            func.count(),
            func.count(Participant.opted_out_at),
        )
        .join(Participant, GroupMember.participant_id == Participant.id)
        .group_by(GroupMember.group_id)
    ).all()
    return {g: (n, out) for g, n, out in rows}
