"""The admin site: 管理员 sets up units, users, roles and review assignments here.

At a province's size (200,000 projects, as many revisions and events, 2,000 units and
users) no list here reads a whole table: the long lists are newest first by id (the
primary key's index), count at most :data:`COUNT_CAP` rows (and no count per filter
choice), are not sorted by other columns, and filter by year from the kept counts; units
and users are chosen by typing (autocomplete), not from a list of thousands; related rows
come in the same query.
"""

from __future__ import annotations

import contextlib
import ipaddress
from typing import Any

from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.deletion import get_candidate_relations_to_delete
from django.http import HttpRequest
from django.utils.functional import cached_property

from jixiao.web import search, tallies
from jixiao.web.models import (
    Comment,
    Event,
    Membership,
    MonitoringReport,
    Project,
    ReviewAssignment,
    Revision,
    Unit,
)
from jixiao.web.templatetags.jixiao import action_label

admin.site.site_header = "jixiao 管理"
admin.site.site_title = "jixiao 管理"

# Rows a list counts at most: beyond, it says "more than" (admin/jixiao/pagination.html) and
# pages through the first ones — filter or search to find the others.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_CAP + 1`` rows: counting every row of a province's table reads
    it all (~30 ms at 200,000 projects, and growing with them)."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return rows[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count says "more than", the pages end at the cap."""
        return self.count > self.cap


class NewestFirst(ChangeList):
    """A long list's order is its admin's (newest first, by the primary key's index), whatever
    the address asks: ``?o=2`` would sort every row by another column (Django leaves the
    address's order in force even where the headers offer none)."""

    def get_ordering(self, request: HttpRequest, queryset: QuerySet[Any]) -> list[Any]:
        return list(self.model_admin.get_ordering(request))


class ShortPagesAdmin(admin.ModelAdmin):
    list_per_page = 50  # Django's rows cost ~1 ms each


class LongListAdmin(ShortPagesAdmin):
    """A list that grows with the province: newest first, capped count, no other sort."""

    paginator = CappedPaginator
    show_full_result_count = False  # the total beside a search's count: a second count
    show_facets = admin.ShowFacets.NEVER  # a count per filter choice, over every row
    ordering = ("-id",)
    sortable_by = ()

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return NewestFirst


class ReadOnlyAdmin(LongListAdmin):
    """History is never edited by hand."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class YearFilter(admin.SimpleListFilter):
    """预算年度, the years from the kept counts (not a DISTINCT over every project)."""

    title = "预算年度"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(year), f"{year} 年") for year in tallies.years()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(year=int(value))
        return queryset


def protecting(model: type[models.Model], objs: Any) -> list[str]:
    """What forbids deleting ``objs`` (one row in a list, or a query set), one line per kind
    of row with a capped count: "修订：超过 10000 个".

    Django's own page collects every protecting row as an object: a user who wrote
    200,000 revisions took 193 s.  Only the rows pointing here directly are looked at
    (one capped count each, by the foreign key's index); where there are none, deleting is
    possible and Django collects what it would delete as usual."""
    lines = []
    for relation in get_candidate_relations_to_delete(model._meta):
        related: Any = relation  # a ForeignObjectRel: its on_delete, field and related_model
        if related.on_delete is not models.PROTECT:
            continue
        rows = related.related_model._base_manager.filter(**{f"{related.field.name}__in": objs})
        count = rows.order_by()[: COUNT_CAP + 1].count()
        if count:
            many = f"超过 {COUNT_CAP} 个" if count > COUNT_CAP else f"{count} 个"
            lines.append(f"{related.related_model._meta.verbose_name_plural}：{many}")
    return lines


class ProtectedFirst(admin.ModelAdmin):
    """Deleting asks first, cheaply, what forbids it (see :func:`protecting`)."""

    protected_hint = ""  # what to do instead, said after the list

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        protected = protecting(self.model, objs)
        if protected:
            return (
                [],
                {},
                set(),
                [*protected, self.protected_hint] if self.protected_hint else protected,
            )
        return super().get_deleted_objects(objs, request)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(ProtectedFirst, ShortPagesAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name",)
    autocomplete_fields = ("parent",)
    inlines = [MembershipInline]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(ProtectedFirst, UserAdmin):
    """Django's user admin; deleting a user who wrote history says so at once."""

    protected_hint = "这些记录要保留：不再使用的账号请在修改页取消勾选“有效”（停用），不要删除。"


class LoginRecordsAdmin(LongListAdmin):
    """django-axes' records of logins and failed logins: one row per login, so a province's
    2,000 users write hundreds of thousands a year.  Its own lists sort them by an unindexed
    time, count them, list every path as a filter and group them by date over the whole
    table; here they are a long list like the others, and the search finds a whole user name
    or address (by their indexes; a part of a name would read every row)."""

    date_hierarchy = None
    list_filter = ()
    search_help_text = "输入完整的用户名或 IP 地址"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        found = Q(username=term)
        with contextlib.suppress(ValueError):  # not an address: the user name only
            found |= Q(ip_address=str(ipaddress.ip_address(term)))
        return queryset.filter(found), False


for _model, _axes_admin in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
    admin.site.unregister(_model)
    admin.site.register(_model, type(_axes_admin.__name__, (LoginRecordsAdmin, _axes_admin), {}))


@admin.register(Membership)
class MembershipAdmin(ShortPagesAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role",)
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "unit__name")
    autocomplete_fields = ("user", "unit")


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ShortPagesAdmin):
    list_display = ("reviewer", "unit")
    list_select_related = ("reviewer", "unit")
    search_fields = ("reviewer__username", "unit__name")
    autocomplete_fields = ("reviewer", "unit")


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("project", "number", "author", "created_at", "note")
    list_select_related = ("project", "author")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Revision]:
        # the list shows no table: its JSON is read on the revision's own page
        return super().get_queryset(request).defer("data", "findings")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("project", "indicator", "author", "created_at")
    list_select_related = ("project", "author")


# An event's states: a project's, a self-evaluation's (the same four) or a monitoring report's.
_STATES = {**dict(MonitoringReport.STATUSES), **dict(Project.STATUSES)}


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("project", "step", "before", "after", "actor", "created_at")
    list_select_related = ("project", "actor")

    @admin.display(description="操作")
    def step(self, event: Event) -> str:
        return action_label(event.action)

    @admin.display(description="原状态")
    def before(self, event: Event) -> str:
        return _STATES.get(event.from_status, event.from_status)

    @admin.display(description="新状态")
    def after(self, event: Event) -> str:
        return _STATES.get(event.to_status, event.to_status)


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    """Read-only here: projects change through import, the editor and the workflow, with
    history.  A unit's projects: ``?unit__id__exact=<id>`` (2,000 units are no filter list)."""

    list_display = ("name", "unit", "year", "status", "annual_total", "errors", "deleted_at")
    list_filter = ("status", YearFilter)
    list_select_related = ("unit",)
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return super().get_queryset(request).defer("stats")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Project], search_term: str
    ) -> tuple[QuerySet[Project], bool]:
        """By name through the search's indexes (``icontains`` alone reads every project for
        a word of two characters, such as 培训)."""
        text = search.query_text(search_term)
        return (search.with_name(queryset, text) if text else queryset), False
