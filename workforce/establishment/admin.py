"""Django admin for the establishment: for system administrators to inspect and correct records.

Posts, engagements and leavings change through the pages (and so through the services, which keep
history); here their interval fields are read-only so the admin cannot rewrite the past by
accident.
"""

from django.contrib import admin

from workforce.establishment.models import (
    Absence,
    Engagement,
    Leaving,
    Post,
    PostFunding,
    Role,
    Team,
    Worker,
)


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


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("staff_number", "last_name", "first_name", "authority")
    list_filter = ("authority",)
    search_fields = ("staff_number", "first_name", "last_name", "swe_number")


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("worker", "post", "kind", "fte", "start", "end", "end_reason")
    list_filter = ("authority", "kind", "end_reason")
    search_fields = ("worker__last_name", "worker__staff_number", "post__reference")
    raw_id_fields = ("worker", "post", "covering_for")
    readonly_fields = ("start", "end", "fte", "kind")


@admin.register(Leaving)
class LeavingAdmin(admin.ModelAdmin):
    list_display = ("worker", "last_day", "reason", "destination", "fte", "team")
    list_filter = ("authority", "reason")
    search_fields = ("worker__last_name", "worker__staff_number")
    raw_id_fields = ("worker", "team")


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ("worker", "start", "end", "reason", "working_days_lost")
    list_filter = ("authority", "reason")
    search_fields = ("worker__last_name", "worker__staff_number")
    raw_id_fields = ("worker",)
