"""Django admin for the establishment: for system administrators to inspect and correct the
structure (teams, roles, posts).

People, their engagements, leavings and absences are personal data: they are not in the admin at
all, only in the pages, where each read is limited by role and team and recorded in "Who read
personal records" (a test checks that no model holding people's details is registered here).
Posts change through the pages (and so through the services, which keep history); here their
interval fields are read-only so the admin cannot rewrite the past by accident.
"""

from django.contrib import admin

from workforce.establishment.models import Post, PostFunding, Role, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "service_area", "locality", "authority", "is_active")
    list_filter = ("authority", "service_area", "is_active")
    search_fields = ("name", "locality")
    filter_horizontal = ("managers",)
    raw_id_fields = ("manager",)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("title", "grade", "org_role", "case_holding", "capacity_points", "authority")
    list_filter = ("authority", "org_role", "case_holding")
    search_fields = ("title",)


class PostFundingInline(admin.TabularInline):
    model = PostFunding
    fields = ("start", "end", "fte")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("reference", "team", "role", "start", "end", "authority")
    list_filter = ("authority", "team__service_area")
    search_fields = ("reference", "team__name", "role__title")
    readonly_fields = ("start", "end")
    inlines = [PostFundingInline]
