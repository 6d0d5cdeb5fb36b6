"""Response shapes of the staff endpoints over makers and groups (api/makers.py)."""

import datetime

from ninja import Field, Schema


class MakerOut(Schema):
    id: int
    name: str
    kind: str
    organization: str = Field(..., description="Organization slug.")
    group: str | None = Field(..., description="Name of the current group (the most recently joined), or null.")
    groups: list[str] = Field(..., description="Names of every current group.")
    status: str
    registration_number: str
    expected_release_date: datetime.date | None


class MakerListOut(Schema):
    count: int
    items: list[MakerOut]


class GroupOut(Schema):
    slug: str
    name: str
    organization: str = Field(..., description="Organization slug.")
    crafts: list[str] = Field(..., description="Category slugs.")
    member_count: int = Field(..., description="Makers currently in the group.")
    is_active: bool


class GroupListOut(Schema):
    count: int
    items: list[GroupOut]
