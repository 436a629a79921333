"""Writes for core: reference data, users, and the record of who read personal data."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction

from workforce.core.access import Scope
from workforce.core.hooks import authorities_added_together
from workforce.core.models import (
    AccessAction,
    Authority,
    CensusCode,
    PersonalDataAccess,
    User,
    UserRole,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


# Other apps' reference data, loaded after core's: each loader takes `published_statistics`
# (load the large published statistics files too) and returns what it loaded, by name.
ReferenceLoader = Callable[..., dict[str, int]]
_REFERENCE_LOADERS: dict[str, ReferenceLoader] = {}


def register_reference_loader(name: str, loader: ReferenceLoader) -> None:
    """Have `load_reference_data` call `loader(published_statistics=...)` after core's own
    (registered in an app's `ready()`, so core imports no other app)."""
    _REFERENCE_LOADERS[name] = loader


@transaction.atomic
def load_reference_data(*, published_statistics: bool = False) -> dict[str, int]:
    """Upsert the census code lists and the authorities list from the fixtures (idempotent),
    then every other app's reference data. `published_statistics` loads the large published
    statistics files as well (tens of thousands of rows): the command and the demo do; tests
    that do not need them leave it off."""
    counts = _load_core_reference_data()
    for loader in _REFERENCE_LOADERS.values():
        counts.update(loader(published_statistics=published_statistics))
    return counts


def _load_core_reference_data() -> dict[str, int]:
    """Each row compared with what is stored: new ones added, changed ones written, in a few
    statements rather than one per row."""
    codes = json.loads((FIXTURES / "census_codes.json").read_text())
    stored = {(c.list, c.code): c for c in CensusCode.objects.all()}
    new_codes, changed_codes = [], []
    for list_name, values in codes.items():
        for order, (code, label) in enumerate(values):
            row = stored.get((list_name, code))
            if row is None:
                new_codes.append(CensusCode(list=list_name, code=code, label=label, order=order))
            elif (row.label, row.order) != (label, order):
                row.label, row.order = label, order
                changed_codes.append(row)
    CensusCode.objects.bulk_create(new_codes)
    CensusCode.objects.bulk_update(changed_codes, ["label", "order"])
    authorities = json.loads((FIXTURES / "authorities.json").read_text())
    # DfE also publishes rows for children's trusts serving two councils ("314 / 318"); those are
    # not authorities of their own and do not fit the three-digit code.
    authorities = [row for row in authorities if len(row["code"]) == 3 and row["code"].isdigit()]
    fields = ("name", "region", "ons_code")
    known = {a.code: a for a in Authority.objects.all()}
    with authorities_added_together():
        for row in authorities:
            authority = known.get(row["code"])
            if authority is None:
                # One by one, so that each is audited; the apps then give the new ones their
                # starting records together. A renamed authority is saved (and audited) too.
                Authority.objects.create(code=row["code"], **{f: row[f] for f in fields})
            elif any(getattr(authority, f) != row[f] for f in fields):
                for f in fields:
                    setattr(authority, f, row[f])
                authority.save(update_fields=fields)  # audited
    return {"codes": sum(len(values) for values in codes.values()), "authorities": len(authorities)}


def _authority_fields(
    *, code: str, name: str, region: str, ons_code: str, exclude: int | None
) -> dict[str, str]:
    code, name = (code or "").strip(), (name or "").strip()
    region, ons_code = (region or "").strip(), (ons_code or "").strip().upper()
    if not (code.isdigit() and len(code) == 3):
        raise ValidationError({"code": "The DfE LA code is three digits, for example 333."})
    same = Authority.objects.filter(code=code)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError({"code": f"Another authority already has the LA code {code}."})
    if not name:
        raise ValidationError({"name": "Enter the authority's name."})
    if not region:
        raise ValidationError({"region": "Enter the region, for example West Midlands."})
    if ons_code and not (len(ons_code) == 9 and ons_code[0].isalpha() and ons_code[1:].isdigit()):
        raise ValidationError(
            {"ons_code": "The ONS code is a letter and eight digits, for example E08000025."}
        )
    return {"code": code, "name": name, "region": region, "ons_code": ons_code}


@transaction.atomic
def create_authority(
    *, code: str, name: str, region: str, ons_code: str = "", created_by: User | None = None
) -> Authority:
    """A new authority (one not in the reference list). The administrator who creates it may
    then work with it, as with any further authority granted to them."""
    fields = _authority_fields(code=code, name=name, region=region, ons_code=ons_code, exclude=None)
    authority = Authority.objects.create(**fields)
    if created_by is not None:
        created_by.extra_authorities.add(authority)
    return authority


@transaction.atomic
def update_authority(
    *, authority: Authority, code: str, name: str, region: str, ons_code: str = ""
) -> Authority:
    """Correct an authority's LA code, name, region or ONS code."""
    fields = _authority_fields(
        code=code, name=name, region=region, ons_code=ons_code, exclude=authority.pk
    )
    for key, value in fields.items():
        setattr(authority, key, value)
    authority.save(update_fields=list(fields))
    return authority


def _check_teams(authority: Authority, teams: Iterable[Any]) -> list[Any]:
    teams = list(teams)
    if any(team.authority_id != authority.pk for team in teams):
        raise ValidationError({"teams": "Choose teams of this authority only."})
    return teams


@transaction.atomic
def create_user(
    *,
    authority: Authority,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    password: str,
    teams: Iterable[Any] = (),
) -> User:
    """Create a user of one authority with a role; team managers need at least one team."""
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": "Enter a username."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username} is already taken."})
    if role not in UserRole.values:
        raise ValidationError({"role": "Choose a role."})
    teams = _check_teams(authority, teams)
    if role == UserRole.TEAM_MANAGER and not teams:
        raise ValidationError({"teams": "A team manager needs at least one team."})
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        role=role,
        authority=authority,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.save()
    for team in teams:
        team.managers.add(user)
    return user


@transaction.atomic
def change_user_access(
    *, user: User, role: str, teams: Iterable[Any], is_active: bool, by: Any = None
) -> User:
    """Change what a user may do and see. Their managed teams are replaced by `teams`.

    `by` is who makes the change: nobody may change their own role or lock themselves out.
    """
    if role not in UserRole.values:
        raise ValidationError({"role": "Choose a role."})
    if by is not None and by.pk == user.pk and (role != user.role or not is_active):
        raise ValidationError({"role": "You cannot change your own role or lock yourself out."})
    assert user.authority is not None
    teams = _check_teams(user.authority, teams)
    if role == UserRole.TEAM_MANAGER and not teams:
        raise ValidationError({"teams": "A team manager needs at least one team."})
    user.role = role
    user.is_active = is_active
    user.save(update_fields=["role", "is_active"])
    user.managed_teams.set(teams)
    return user


def record_access(
    *,
    scope: Scope,
    path: str,
    record: models.Model | None = None,
    description: str = "",
    action: str = AccessAction.VIEWED,
) -> PersonalDataAccess:
    """Note that the scope's user read a person's record (or a list of people, described)."""
    if record is not None:
        meta = record._meta
        record_type, record_id = meta.label_lower, record.pk
        description = description or f"{str(meta.verbose_name).capitalize()}: {record}"
    else:
        record_type, record_id = "", None
    return PersonalDataAccess.objects.create(
        authority=scope.authority,
        user=scope.user,
        action=action,
        record_type=record_type,
        record_id=record_id,
        description=description[:200],
        path=path[:400],
    )
