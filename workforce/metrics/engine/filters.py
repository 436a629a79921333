"""Which part of the workforce a measure covers (`MetricsFilter`), as SQL conditions on posts."""

from __future__ import annotations

from dataclasses import dataclass

from workforce.metrics.engine.sql import ROLE, TEAM, Named, Params, in_list, positional

MANY = 12  # authorities: beyond this, scan rather than use the authority index


@dataclass(frozen=True)
class MetricsFilter:
    """Which part of the workforce a measure covers. Census-counted roles only by default."""

    authority_ids: tuple[int, ...]
    team_ids: tuple[int, ...] | None = None
    service_area: str = ""
    role_ids: tuple[int, ...] | None = None
    org_roles: tuple[str, ...] | None = None
    census_only: bool = True
    every_authority: bool = False  # set by `components` when the ids cover every authority

    def auth_in(self, alias: str, *, indexed: bool = True) -> str:
        """The condition that a table's rows belong to the authorities (see `auth_params`):
        none at all when they are every authority, so no row is looked up in a long list."""
        if self.every_authority:
            return "1 = 1"
        column = self.indexed(alias) if indexed else f"{alias}.authority_id"
        return f"{column} IN {in_list('auth', self.authority_ids)[0]}"

    def auth_params(self) -> Named:
        return {} if self.every_authority else in_list("auth", self.authority_ids)[1]

    def indexed(self, alias: str) -> str:
        """The authority column of a table, for a condition that only narrows the rows read.

        For a few authorities the index on it is the fast way in; for many (all of England) a
        plain scan is, so `+ 0` keeps SQLite from walking the index once per authority.
        """
        return f"{alias}.authority_id" + (" + 0" if len(self.authority_ids) > MANY else "")

    def posts_where(self, p: str = "p", t: str = "t") -> tuple[str, Named]:
        """Conditions on a post (alias `p`) and its team (`t`, see `joins`), named parameters."""
        clauses: list[str] = [self.auth_in(p, indexed=False)]
        params = self.auth_params()
        if self.team_ids is not None:
            sql, ps = in_list("team", self.team_ids)
            clauses.append(f"{p}.team_id IN {sql}")
            params |= ps
        if self.service_area:
            clauses.append(f"{t}.service_area = %(service_area)s")
            params["service_area"] = self.service_area
        if self.role_ids is not None:
            sql, ps = in_list("role", self.role_ids)
            clauses.append(f"{p}.role_id IN {sql}")
            params |= ps
        # Roles by their OrgRole through a small subquery (read once) rather than a join per row.
        on_roles = []
        if self.org_roles is not None:
            sql, ps = in_list("org_role", self.org_roles)
            on_roles.append(f"org_role IN {sql}")
            params |= ps
        if self.census_only:
            on_roles.append("org_role <> ''")
        if on_roles:
            clauses.append(f"{p}.role_id IN (SELECT id FROM {ROLE} WHERE {' AND '.join(on_roles)})")
        return " AND ".join(clauses), params

    def posts_sql(self, p: str = "p", t: str = "t", r: str = "r") -> tuple[str, Params]:
        """`posts_where` with positional parameters (`%s`), for SQL built by other apps."""
        return positional(*self.posts_where(p, t))

    def joins(self, p: str = "p", t: str = "t") -> str:
        """The join from a post to its team, when a condition needs the team."""
        return f" JOIN {TEAM} {t} ON {t}.id = {p}.team_id" if self.service_area else ""
