"""Database tables.  A project's target table is stored as its canonical JSON (jixiao/1) in
each revision; ``jixiao.web.mapping`` is the one place that maps it to and from core types."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Unit(models.Model):
    """财政局 → 主管部门 → 实施单位."""

    FINANCE, DEPARTMENT, IMPLEMENTING = "finance", "department", "implementing"
    KINDS = [(FINANCE, "财政局"), (DEPARTMENT, "主管部门"), (IMPLEMENTING, "实施单位")]

    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("类型", max_length=20, choices=KINDS)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级单位",
    )

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    FILLER, REVIEWER, ADMIN = "filler", "reviewer", "admin"
    ROLES = [(FILLER, "填报人"), (REVIEWER, "审核人"), (ADMIN, "管理员")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="用户",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="单位"
    )
    role = models.CharField("角色", max_length=20, choices=ROLES)

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="one_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class ReviewAssignment(models.Model):
    """Which units a reviewer reviews (their projects, and those of the units below them)."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name="审核人",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="assignments", verbose_name="单位"
    )

    class Meta:
        verbose_name = verbose_name_plural = "审核分工"
        constraints = [models.UniqueConstraint(fields=["reviewer", "unit"], name="one_assignment")]


class Tallied(models.Model):
    """A row whose writes change its unit's counts (:mod:`jixiao.web.tallies`): each save
    and delete adds the difference it makes, in the same transaction."""

    class Meta:
        abstract = True

    def tallied_project(self) -> int | None:
        raise NotImplementedError

    def save(self, *args: Any, **kwargs: Any) -> None:
        from jixiao.web import tallies

        with tallies.tracking(self.tallied_project):
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from jixiao.web import tallies

        with tallies.tracking(self.tallied_project):
            return super().delete(*args, **kwargs)


class Project(Tallied):
    DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
    STATUSES = [(DRAFT, "草稿"), (SUBMITTED, "已提交"), (RETURNED, "退回"), (APPROVED, "审核通过")]

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="projects", verbose_name="单位"
    )
    year = models.PositiveIntegerField("预算年度")
    key = models.CharField(
        max_length=300, help_text="normalised name: one project per unit, year and name"
    )
    name = models.CharField("项目名称", max_length=300)
    status = models.CharField("状态", max_length=20, choices=STATUSES, default=DRAFT)
    annual_total = models.DecimalField(
        "年度金额（万元）", max_digits=20, decimal_places=6, null=True
    )
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    infos = models.PositiveIntegerField("提示", default=0)
    version = models.PositiveIntegerField(
        default=0, help_text="bumped by every save: optimistic locking"
    )
    stats = models.JSONField(
        default=dict,
        help_text="indicators per 一级 and findings per rule of the newest revision, for the dashboard",
    )
    latest = models.ForeignKey(
        "Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the newest revision, kept here so that lists need no query per project",
    )
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="who deleted it: a project an administrator deleted only an administrator restores",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["unit__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "key"], name="one_project_per_name")
        ]
        indexes = [
            # the lists: a year's projects, of a unit, in the order of id (keyset pages)
            models.Index(fields=["year", "unit", "id"], name="project_year_unit_id"),
            models.Index(fields=["year", "status", "id"], name="project_year_status_id"),
            # the admin site's list by state over all years, newest first (and its count)
            models.Index(fields=["status", "id"], name="project_status_id"),
            models.Index(fields=["year", "id"], name="project_year_id"),  # a year, by id
            # the dashboard's largest projects of a year
            models.Index(fields=["year", "-annual_total", "id"], name="project_year_money"),
            # the project list's pages: by unit, then name
            models.Index(fields=["year", "unit", "name", "id"], name="project_year_unit_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def tallied_project(self) -> int | None:
        return self.pk

    @property
    def current(self) -> Revision:
        if self.latest_id is not None:
            return self.latest  # type: ignore[return-value]
        return self.revisions.order_by("-number").first()  # type: ignore[return-value]


class FormerName(models.Model):
    """A name the project had before it was renamed: a file imported again under its old
    name replaces it instead of creating a second project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="former_names")
    key = models.CharField(max_length=300, help_text="the normalised former name")

    class Meta:
        verbose_name = verbose_name_plural = "曾用名"
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_former_name")]
        indexes = [models.Index(fields=["key"])]


class Revision(models.Model):
    """Every change to a table is a new revision: who, when, what (the whole table), and why."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="revisions", verbose_name="项目"
    )
    number = models.PositiveIntegerField("修订号")
    data = models.JSONField(help_text="the project in the canonical JSON (jixiao/1)")
    findings = models.JSONField(default=list)
    ruleset = models.CharField(max_length=50)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="作者"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "修订"
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_number_per_revision")
        ]


class Comment(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="comments", verbose_name="项目"
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="comments", verbose_name="修订"
    )
    indicator = models.CharField("针对的指标", max_length=300, blank=True)
    text = models.TextField("意见")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="审核人"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        ordering = ["created_at"]


class Event(models.Model):
    """A workflow step or a change: who, when, from which status to which, and the comment."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="events", verbose_name="项目"
    )
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "流转记录"
        ordering = ["created_at", "id"]


class Upload(models.Model):
    """A file between its preview and its confirmation.  Kept in the database, not on one
    server's disk, so that the confirmation may reach any of several app servers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    filename = models.CharField(max_length=300)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "待确认的导入"


class Evaluation(Tallied):
    """The year-end self-evaluation (绩效自评) of an approved project: its own workflow
    (草稿 → 已提交 → 退回 / 审核通过) and revisions, beside the targets'.  The score, grade
    and execution rate of the newest revision are kept here for the lists and the dashboard."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="evaluation")
    # The project's unit, kept here (a project never changes unit) so that a reviewer's
    # waiting self-evaluations are one index range per unit, not a probe of every project.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    status = models.CharField(
        "状态", max_length=20, choices=Project.STATUSES, default=Project.DRAFT
    )
    version = models.PositiveIntegerField(default=0, help_text="optimistic locking")
    latest = models.ForeignKey(
        "EvaluationRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.DecimalField("总分（计算）", max_digits=12, decimal_places=2, null=True)
    total_reported = models.DecimalField("总分（填报）", max_digits=20, decimal_places=6, null=True)
    gap = models.DecimalField(
        "填报与计算之差", max_digits=20, decimal_places=6, null=True, db_index=True
    )
    grade = models.CharField("等级（计算）", max_length=2, blank=True)
    rate = models.DecimalField("预算执行率", max_digits=24, decimal_places=4, null=True)
    differences = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "绩效自评"
        indexes = [
            models.Index(fields=["unit", "status", "updated_at"], name="evaluation_unit_status_at")
        ]

    def tallied_project(self) -> int | None:
        return self.project_id


class EvaluationRevision(models.Model):
    """Every saved self-evaluation: ``entry`` is what was typed (or read from a file),
    ``data`` the whole 自评表 it makes in jixiao/1 (approved targets, actuals, scores)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    entry = models.JSONField()
    data = models.JSONField()
    findings = models.JSONField(default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "自评修订"
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"], name="one_number_per_evaluation"
            )
        ]


class MonitoringRound(models.Model):
    """A monitoring round (运行监控, 1–N月) the finance bureau opens for a budget year."""

    year = models.PositiveIntegerField("预算年度")
    month = models.PositiveSmallIntegerField("截至月份")
    deadline = models.DateField("报送截止日期", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed = models.BooleanField("已结束", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "监控轮次"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_round_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.year} 年 1–{self.month}月"


class MonitoringReport(Tallied):
    """One project's report in a round: its own workflow (草稿 → 已提交 → 退回 / 已接受),
    rectification (整改) and revisions; the lights of the newest revision kept here."""

    DRAFT, SUBMITTED, RETURNED, ACCEPTED = "draft", "submitted", "returned", "accepted"
    STATUSES = [(DRAFT, "草稿"), (SUBMITTED, "已提交"), (RETURNED, "退回"), (ACCEPTED, "已接受")]
    NONE, REQUIRED, REPORTED, CLOSED = "", "required", "reported", "closed"
    RECTIFICATION = [
        (NONE, "—"),
        (REQUIRED, "要求整改"),
        (REPORTED, "已报整改情况"),
        (CLOSED, "整改完成"),
    ]

    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="reports")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="monitoring")
    status = models.CharField("状态", max_length=20, choices=STATUSES, default=DRAFT)
    rectification = models.CharField(
        "整改", max_length=20, choices=RECTIFICATION, default=NONE, blank=True
    )
    version = models.PositiveIntegerField(default=0)
    latest = models.ForeignKey(
        "MonitoringRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    light = models.CharField("灯", max_length=10, blank=True, db_index=True)
    execution_light = models.CharField(max_length=10, blank=True)
    rate = models.DecimalField("预算执行率", max_digits=24, decimal_places=4, null=True)
    planned = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    executed = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    red = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    green = models.PositiveIntegerField(default=0)
    blue = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "监控报告"
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="one_report_per_round")
        ]

    def tallied_project(self) -> int | None:
        return self.project_id


class MonitoringRevision(models.Model):
    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    entry = models.JSONField()
    data = models.JSONField()
    findings = models.JSONField(default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "监控修订"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_number_per_report")
        ]


class AdjustmentRequest(models.Model):
    """目标调整: a request to change an approved project's targets or funds, reviewed like a
    submission.  ``data`` is the adjusted project (jixiao/1) with its 年初 values kept."""

    SUBMITTED, RETURNED, APPROVED = "submitted", "returned", "approved"
    STATUSES = [(SUBMITTED, "待审核"), (RETURNED, "退回"), (APPROVED, "已批准")]

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="adjustments")
    status = models.CharField("状态", max_length=20, choices=STATUSES, default=SUBMITTED)
    reason = models.TextField("调整原因")
    data = models.JSONField()
    base = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="+", help_text="the revision it adjusts"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "目标调整"
        ordering = ["-created_at", "-id"]


class IndicatorEntry(models.Model):
    """Each indicator of each project's current revision, one row each, rewritten at every
    save: what the search finds (indicators written by other units) without opening JSON."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicator_rows")
    position = models.PositiveIntegerField()
    level1 = models.CharField(max_length=300, blank=True)
    level2 = models.CharField(max_length=300, blank=True)
    name = models.CharField(max_length=300)
    target = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标（检索用）"
        indexes = [models.Index(fields=["project", "position"], name="indicator_entry_project")]


class _Count(models.Model):
    """One named count of a year (``round`` 0) or of one monitoring round."""

    year = models.PositiveIntegerField()
    round = models.PositiveIntegerField(help_text="the monitoring round's id, 0 for the year")
    name = models.CharField(max_length=200)
    value = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class Tally(_Count):
    """One count of one unit in one year (``round`` 0) or one monitoring round, kept up to
    date at every write (see :mod:`jixiao.web.tallies`): the dashboards add these rows
    instead of reading every project."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "统计（按单位、年度）"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "round", "name"], name="one_tally")
        ]
        indexes = [
            models.Index(fields=["year", "round", "unit"], name="tally_year_round_unit"),
            models.Index(fields=["name", "round", "year"], name="tally_name_round_year"),
        ]


class YearTally(_Count):
    """Every unit's :class:`Tally` of a year (or round) added up, kept at the same writes:
    what the administrator's pages read for the whole province (one row per count instead
    of one per unit and count)."""

    class Meta:
        verbose_name = verbose_name_plural = "统计（全部单位，按年度）"
        constraints = [
            models.UniqueConstraint(fields=["year", "round", "name"], name="one_year_tally")
        ]
