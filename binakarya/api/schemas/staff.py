"""Request and response shapes of the staff accounts endpoints (api/staff.py), for facility admins."""

import datetime

from ninja import Field, Schema


class StaffOut(Schema):
    id: int = Field(..., description="Id of the membership (the person's role in one organization).")
    user: int = Field(..., description="User id.")
    username: str
    name: str
    email: str
    organization: str = Field(..., description="Organization slug.")
    role: str = Field(..., description="FACILITY_ADMIN, PRODUCTION_OFFICER, FINANCE_OFFICER, INSTRUCTOR or AUDITOR.")
    is_active: bool = Field(..., description="False once deactivated: the role (or the whole account) is off.")
    last_login: datetime.datetime | None
    password_change_required: bool = Field(..., description="True while a temporary password is not yet replaced.")


class StaffListOut(Schema):
    count: int
    items: list[StaffOut]


class StaffIn(Schema):
    organization: str = Field(..., max_length=120, description="Slug of an organization you are facility admin of.")
    username: str = Field(..., max_length=150)
    name: str = Field(..., max_length=300, description="Full name.")
    email: str = Field("", max_length=254)
    role: str = Field(..., max_length=24)
    password: str = Field(
        ..., max_length=128, description="Temporary password; the person must choose their own at first sign-in."
    )


class RoleIn(Schema):
    role: str = Field(..., max_length=24)


class PasswordIn(Schema):
    password: str = Field(..., max_length=128, description="Temporary password, changed by the person at sign-in.")
