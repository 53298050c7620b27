"""The admin site: 管理员 sets up units, users, roles and review assignments here."""

from django.contrib import admin

from jixiao.web.models import Comment, Event, Membership, Project, ReviewAssignment, Revision, Unit

admin.site.site_header = "jixiao 管理"
admin.site.site_title = "jixiao 管理"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role", "unit")


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ("reviewer", "unit")


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is never edited by hand."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(Revision, ReadOnlyAdmin)
admin.site.register(Comment, ReadOnlyAdmin)
admin.site.register(Event, ReadOnlyAdmin)


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    """Read-only here: projects change through import, the editor and the workflow, with history."""

    list_display = ("name", "unit", "year", "status", "annual_total", "errors", "deleted_at")
    list_filter = ("status", "year", "unit")
    search_fields = ("name",)
