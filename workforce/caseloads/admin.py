"""Settings an administrator changes: the workload scheme and the supervision policy."""

from django.contrib import admin

from workforce.caseloads.models import SupervisionPolicy, WorkloadScheme, WorkloadWeight


class WorkloadWeightInline(admin.TabularInline):
    model = WorkloadWeight
    fields = ("category", "points", "complex_points")
    extra = 0


@admin.register(WorkloadScheme)
class WorkloadSchemeAdmin(admin.ModelAdmin):
    list_display = (
        "authority",
        "asye_capacity_percent",
        "default_capacity_points",
        "unallocated_threshold_days",
    )
    inlines = [WorkloadWeightInline]

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        for weight in formset.save(commit=False):
            weight.authority_id = form.instance.authority_id
            weight.save()
        for removed in formset.deleted_objects:
            removed.delete()


@admin.register(SupervisionPolicy)
class SupervisionPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "authority",
        "asye_weekly_weeks",
        "asye_fortnightly_months",
        "asye_later_days",
        "standard_days",
    )
