from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from workforce.core.models import Authority, CensusCode, User


@admin.register(User)
class WorkforceUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Access", {"fields": ("role", "authority", "extra_authorities")}),
    )
    list_display = ("username", "get_full_name", "role", "authority", "is_active")
    list_filter = ("role", "authority", "is_active")


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")
    search_fields = ("code", "name")


@admin.register(CensusCode)
class CensusCodeAdmin(admin.ModelAdmin):
    list_display = ("list", "code", "label")
    list_filter = ("list",)


# The audit trail holds copies of people's details: it is read on the audit page (administrators
# only), not through the admin, whose reads would not be recorded.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
