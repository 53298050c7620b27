"""In-year monitoring (运行监控) in the web: rounds the bureau opens, each approved project's
report composed from its approved targets and what the unit enters, its lights computed by
the core (``core.monitoring``: the same code as ``jixiao monitor``), revisions, review with
rectification (整改), and the board of a round.

Views and the API parse input into an ``Entry``, call these, and render.  Refusals are
``services.Refused`` / ``services.Invalid`` with Chinese messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from jixiao.core import bounds
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Monitoring, Progress, Spending
from jixiao.core.model import Project as CoreProject
from jixiao.core.monitoring import (
    LIKELIHOODS,
    REASON_KINDS,
    Light,
    Report,
    report,
    time_progress,
)
from jixiao.core.targets import parse_target
from jixiao.web import permissions, services, tallies
from jixiao.web.mapping import finding_to_data, to_core, to_data
from jixiao.web.models import (
    Event,
    MonitoringReport,
    MonitoringRevision,
    MonitoringRound,
    Project,
)
from jixiao.web.typed import aligned, stale
from jixiao.web.typed import amount_text as _amount_text
from jixiao.web.typed import number as _number
from jixiao.web.typed import stored_rate as _rate

LINES = (("total", "年度资金总额"), ("fiscal", "其中：财政拨款"), ("other", "其他资金"))
AMOUNTS = (("planned", "年初预算数"), ("executed", "1–N月执行数"), ("predicted", "全年预计执行数"))
ROW_TEXTS = ("achieved", "predicted", "likelihood", "reason", "measures")


# --- rounds -------------------------------------------------------------------------------


def open_round(user: Any, year: int, month: int, deadline: Any = None) -> MonitoringRound:
    if not permissions.is_admin(user):
        raise services.Forbidden("只有管理员可以开启监控轮次。")
    if not 1 <= month <= 12:
        raise services.Refused("截至月份应在 1 到 12 之间。")
    if not bounds.LIMITS.first_year <= year <= bounds.LIMITS.last_year:
        raise services.Refused(
            f"预算年度应在 {bounds.LIMITS.first_year}–{bounds.LIMITS.last_year} 之间。"
        )
    try:
        with transaction.atomic():
            return MonitoringRound.objects.create(
                year=year, month=month, deadline=deadline, opened_by=user
            )
    except IntegrityError as error:
        raise services.Refused(f"{year} 年 1–{month}月的监控轮次已经开启。") from error


def projects_of(user: Any, monitoring_round: MonitoringRound) -> QuerySet[Project]:
    """The approved projects of the round's year the user may see: what the round covers."""
    return permissions.visible_projects(user).filter(
        year=monitoring_round.year, status=Project.APPROVED
    )


# --- what the unit enters --------------------------------------------------------------------


@dataclass
class RowEntry:
    achieved: str = ""
    predicted: str = ""
    likelihood: str = ""
    reasons: list[str] = field(default_factory=list)
    reason: str = ""
    measures: str = ""


@dataclass
class Entry:
    budget: dict[str, dict[str, str]] = field(default_factory=dict)  # line → amount → text
    goal_progress: str = ""
    reason: str = ""
    measures: str = ""
    rows: list[RowEntry] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the indicators the rows were typed for

    def to_json(self) -> dict[str, Any]:
        return {
            "budget": self.budget,
            "goal_progress": self.goal_progress,
            "reason": self.reason,
            "measures": self.measures,
            "indicators": [vars(row) for row in self.rows],
            "names": list(self.names),
        }

    @classmethod
    def from_json(cls, data: Any) -> Entry:
        """From stored JSON, the API or the page's script; anything else than text where
        text is expected is refused with a message."""
        if not isinstance(data, dict):
            raise services.Refused("监控内容应为一个对象。")

        def text(value: Any, where: str) -> str:
            if value is None:
                return ""
            if not isinstance(value, str):
                raise services.Refused(f"监控内容的“{where}”应为文字。")
            return value

        known = dict(LINES)
        budget: dict[str, dict[str, str]] = {}
        lines = data.get("budget") or {}
        if not isinstance(lines, dict):
            raise services.Refused("监控内容的“budget”应为一个对象。")
        for line, amounts in lines.items():
            if line not in known or not isinstance(amounts, dict):
                raise services.Refused(
                    f"监控内容的资金行“{str(line)[:20]}”不对：可选 {'、'.join(known)}，每行是一个对象。"
                )
            budget[line] = {
                key: text(amounts.get(key), f"{known[line]}·{label}")
                for key, label in (*AMOUNTS, ("reason", "偏差原因"))
            }
        rows = data.get("indicators") or []
        if not isinstance(rows, list):
            raise services.Refused("监控内容的“indicators”应为一个列表。")
        entries = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise services.Refused(f"监控内容的第 {number} 个指标应为一个对象。")
            reasons = row.get("reasons") or []
            if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
                raise services.Refused(f"第 {number} 个指标的偏差原因类别应为文字的列表。")
            values = {key: text(row.get(key), f"第 {number} 个指标的 {key}") for key in ROW_TEXTS}
            entries.append(RowEntry(reasons=list(reasons), **values))
        names = data.get("names") or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise services.Refused("监控内容的“names”应为文字的列表。")
        return cls(
            budget,
            text(data.get("goal_progress"), "goal_progress"),
            text(data.get("reason"), "reason"),
            text(data.get("measures"), "measures"),
            entries,
            list(names),
        )


def entry_of(core: CoreProject) -> Entry:
    """The entry a monitoring report read from a file (or built) makes: its figures as text."""
    monitoring = core.monitoring or Monitoring()
    budget = {
        line: {
            "planned": _amount_text(spending.planned),
            "executed": _amount_text(spending.executed),
            "predicted": _amount_text(spending.predicted),
            "reason": spending.reason,
        }
        for line, spending in (
            ("total", monitoring.total),
            ("fiscal", monitoring.fiscal),
            ("other", monitoring.other),
        )
    }
    rows = []
    for indicator in core.indicators:
        progress = indicator.progress or Progress()
        rows.append(
            RowEntry(
                achieved=progress.achieved.text if progress.achieved else "",
                predicted=progress.predicted.text if progress.predicted else "",
                likelihood=progress.likelihood,
                reasons=list(progress.reasons),
                reason=progress.reason,
                measures=progress.measures,
            )
        )
    return Entry(
        budget,
        monitoring.goal_progress,
        monitoring.reason,
        monitoring.measures,
        rows,
        [i.name for i in core.indicators],
    )


def base_of(project: Project) -> CoreProject:
    """The approved targets, without any report."""
    return replace(to_core(project.current.data), monitoring=None, evaluation=None)


def default_entry(project: Project, monitoring_round: MonitoringRound) -> Entry:
    """The form before anything is entered: the approved budget, and what the project
    reported in the round before this one (the values carry on from there)."""
    previous = (
        MonitoringReport.objects.filter(
            project=project,
            round__year=monitoring_round.year,
            round__month__lt=monitoring_round.month,
            latest__isnull=False,
        )
        .select_related("latest")
        .order_by("-round__month")
        .first()
    )
    base = base_of(project)
    if previous is not None and previous.latest is not None:
        return align(Entry.from_json(previous.latest.entry), base)
    annual = base.funds.annual
    budget = {
        line: {"planned": _amount_text(value), "executed": "", "predicted": "", "reason": ""}
        for line, value in (
            ("total", annual.total),
            ("fiscal", annual.fiscal),
            ("other", annual.other),
        )
    }
    return Entry(
        budget, "", "", "", [RowEntry() for _ in base.indicators], [i.name for i in base.indicators]
    )


def align(entry: Entry, base: CoreProject) -> Entry:
    """``entry`` for the indicators of ``base``, rows following their indicator by name
    (after a target adjustment; ``typed.aligned``)."""
    names = [i.name for i in base.indicators]
    return replace(entry, rows=aligned(entry.names, entry.rows, names, RowEntry), names=names)


def compose(base: CoreProject, entry: Entry, month: int) -> CoreProject:
    """The monitoring report ``entry`` makes of the approved targets ``base``."""
    if len(entry.rows) != len(base.indicators):
        raise services.Refused(
            f"监控的指标有 {len(entry.rows)} 行，批复的目标表有 {len(base.indicators)} 个指标："
            "请按批复的指标逐行填写（指标和指标值不能在监控中修改，需要时申请目标调整）。"
        )
    problems: list[bounds.Problem] = []
    lines = {}
    approved = base.funds.annual  # 年初预算数 is the approved budget, never typed
    planned = {"total": approved.total, "fiscal": approved.fiscal, "other": approved.other}
    for line, line_label in LINES:
        typed = entry.budget.get(line, {})
        amounts = {
            key: _number(
                typed.get(key, ""), f"monitoring.{line}.{key}", f"{line_label}的{label}", problems
            )
            for key, label in AMOUNTS
        }
        lines[line] = Spending(
            planned=planned[line],
            executed=amounts["executed"],
            predicted=amounts["predicted"],
            reason=typed.get("reason", "").strip(),
        )
    indicators = []
    for number, (indicator, row) in enumerate(zip(base.indicators, entry.rows, strict=True)):
        label = f"第 {number + 1} 个指标“{indicator.name[:20]}”"
        if row.likelihood and row.likelihood not in LIKELIHOODS:
            problems.append(
                bounds.Problem(
                    f"indicators[{number}].likelihood",
                    label,
                    f"{label}的完成目标可能性只能是 {'、'.join(LIKELIHOODS)}。",
                )
            )
        unknown = [r for r in row.reasons if r not in REASON_KINDS]
        if unknown:
            problems.append(
                bounds.Problem(
                    f"indicators[{number}].reasons",
                    label,
                    f"{label}的偏差原因类别“{unknown[0][:20]}”不存在：可选 {'、'.join(REASON_KINDS)}。",
                )
            )
        indicators.append(
            replace(
                indicator,
                progress=Progress(
                    achieved=parse_target(row.achieved) if row.achieved.strip() else None,
                    predicted=parse_target(row.predicted) if row.predicted.strip() else None,
                    likelihood=row.likelihood if row.likelihood in LIKELIHOODS else "",
                    reasons=tuple(r for r in REASON_KINDS if r in row.reasons),
                    reason=row.reason.strip(),
                    measures=row.measures.strip(),
                ),
            )
        )
    if problems:
        raise services.Invalid(problems)
    monitoring = Monitoring(
        month=month,
        total=lines["total"],
        fiscal=lines["fiscal"],
        other=lines["other"],
        goal_progress=entry.goal_progress.strip(),
        reason=entry.reason.strip(),
        measures=entry.measures.strip(),
    )
    return replace(base, indicators=tuple(indicators), monitoring=monitoring)


@dataclass
class Lighted:
    core: CoreProject
    report: Report
    findings: list[Finding]


def lighted(base: CoreProject, entry: Entry, month: int) -> Lighted:
    """Compose, check against the write boundary, light and review — storing nothing."""
    core = compose(base, entry, month)
    services.check(core)
    found = report(core)
    assert found is not None
    findings = [f for f in services.review(core) if f.rule.startswith("MON-")]
    return Lighted(core, found, findings)


# --- permissions ---------------------------------------------------------------------------


def report_of(monitoring_round: MonitoringRound, project: Project) -> MonitoringReport | None:
    return (
        MonitoringReport.objects.filter(round=monitoring_round, project=project)
        .select_related("latest")
        .first()
    )


def can_enter(user: Any, monitoring_round: MonitoringRound, project: Project) -> bool:
    if monitoring_round.closed or project.deleted_at is not None:
        return False
    if project.status != Project.APPROVED or project.year != monitoring_round.year:
        return False
    if project.unit_id not in permissions.filler_unit_ids(user):
        return False
    found = report_of(monitoring_round, project)
    return found is None or found.status in (MonitoringReport.DRAFT, MonitoringReport.RETURNED)


def can_review(user: Any, monitoring_round: MonitoringRound, project: Project) -> bool:
    found = report_of(monitoring_round, project)
    return (
        found is not None
        and found.status == MonitoringReport.SUBMITTED
        and permissions.can_review(user, project)
    )


# --- storing -----------------------------------------------------------------------------------


def stored_fields(result: Lighted) -> dict[str, Any]:
    """What a report keeps of its newest revision: its lights, money and counts."""
    lights = result.report
    assert result.core.monitoring is not None
    total = result.core.monitoring.total
    return {
        "light": lights.light.value,
        "execution_light": lights.execution.light.value,
        "rate": _rate(total.rate),
        "planned": total.planned,
        "executed": total.executed,
        "red": lights.count(Light.RED),
        "yellow": lights.count(Light.YELLOW),
        "green": lights.count(Light.GREEN),
        "blue": lights.count(Light.BLUE),
        "unknown": lights.count(Light.NONE),
        "errors": sum(1 for f in result.findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in result.findings if f.severity is Severity.WARNING),
    }


def _record(
    stored: MonitoringReport, result: Lighted, entry: Entry, user: Any, note: str
) -> MonitoringRevision:
    number = (
        stored.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    revision = MonitoringRevision.objects.create(
        report=stored,
        number=number,
        entry=entry.to_json(),
        data=to_data(result.core),
        findings=[finding_to_data(f) for f in result.findings],
        author=user,
        note=note,
    )
    for name, value in stored_fields(result).items():
        setattr(stored, name, value)
    stored.version += 1
    stored.latest = revision
    stored.save()
    return revision


def _label(monitoring_round: MonitoringRound) -> str:
    return f"【{monitoring_round}】"


@transaction.atomic
def save(
    user: Any,
    round_id: int,
    project_id: int,
    entry: Entry,
    expected_version: int,
    note: str = "填写监控",
) -> MonitoringRevision:
    monitoring_round = MonitoringRound.objects.get(id=round_id)
    project = Project.objects.select_for_update().get(id=project_id)
    if project.year != monitoring_round.year or project.status != Project.APPROVED:
        raise services.Refused("只有本年度绩效目标已批复的项目参加这一轮监控。")
    if monitoring_round.closed:
        raise services.Refused("这一轮监控已经结束，不能再修改。")
    if not can_enter(user, monitoring_round, project):
        raise services.Forbidden(
            "这个监控报告现在不能修改（只有本单位的填报人可以填写草稿或退回的报告）。"
        )
    stored, _ = MonitoringReport.objects.select_for_update().get_or_create(
        round=monitoring_round, project=project
    )
    if stored.version != expected_version:
        raise services.Outdated(
            "保存失败：在您填写期间，其他人已经保存了这个监控报告。请刷新页面，查看对方的修改后再保存。"
        )
    base = base_of(project)
    entry = replace(entry, names=[i.name for i in base.indicators])
    result = lighted(base, entry, monitoring_round.month)
    if stored.latest is not None and stored.latest.entry == entry.to_json():
        return stored.latest
    revision = _record(stored, result, entry, user, note)
    Event.objects.create(
        project=project,
        action="mon-edit",
        from_status=stored.status,
        to_status=stored.status,
        actor=user,
        comment=_label(monitoring_round) + note,
    )
    return revision


ACTIONS = ("submit", "return", "rectify", "accept")


@transaction.atomic
def transition(
    user: Any, round_id: int, project_id: int, action: str, comment: str = ""
) -> MonitoringReport:
    """submit (the unit; a required rectification is then reported), return (with a comment),
    rectify (return with rectification required, with a comment), accept (a reported
    rectification is then closed)."""
    monitoring_round = MonitoringRound.objects.get(id=round_id)
    project = Project.objects.select_for_update().get(id=project_id)
    stored = (
        MonitoringReport.objects.select_for_update()
        .filter(round=monitoring_round, project=project)
        .first()
    )
    if stored is None or stored.latest is None:
        raise services.Refused("还没有填写监控报告。")
    if monitoring_round.closed:
        raise services.Refused("这一轮监控已经结束。")
    before = stored.status
    if action == "submit":
        if not can_enter(user, monitoring_round, project):
            raise services.Forbidden("只有本单位的填报人可以提交草稿或退回的监控报告。")
        if stored.errors:
            raise services.Refused(f"监控报告还有 {stored.errors} 个错误，修改后才能提交。")
        if stale(stored.latest.data, base_of(project)):
            raise services.Refused(
                "绩效目标已经调整：请打开监控报告，按调整后的目标检查并保存后再提交。"
            )
        stored.status = MonitoringReport.SUBMITTED
        if stored.rectification == MonitoringReport.REQUIRED:
            stored.rectification = MonitoringReport.REPORTED
    elif action in ("return", "rectify", "accept"):
        if not permissions.can_review(user, project):
            raise services.Forbidden("您不是这个单位的审核人。")
        if stored.status != MonitoringReport.SUBMITTED:
            raise services.Refused("只能审核已提交的监控报告。")
        submitter = (  # who submitted this round's report
            project.events.filter(action="mon-submit", comment__startswith=_label(monitoring_round))
            .order_by("-created_at", "-id")
            .values_list("actor_id", flat=True)
            .first()
        )
        if settings.SEPARATION_OF_DUTIES and submitter == user.pk:
            raise services.Forbidden("职责分离：提交人不能审核自己提交的监控报告。")
        if action in ("return", "rectify") and not comment.strip():
            raise services.Refused(
                "退回时必须写明意见。" if action == "return" else "要求整改时必须写明整改要求。"
            )
        if action == "accept":
            stored.status = MonitoringReport.ACCEPTED
            if stored.rectification == MonitoringReport.REPORTED:
                stored.rectification = MonitoringReport.CLOSED
        else:
            stored.status = MonitoringReport.RETURNED
            if action == "rectify":
                stored.rectification = MonitoringReport.REQUIRED
    else:
        raise services.Refused(f"未知的操作：{action}")
    stored.save()
    Event.objects.create(
        project=project,
        action=f"mon-{action}",
        from_status=before,
        to_status=stored.status,
        actor=user,
        comment=_label(monitoring_round) + comment.strip(),
    )
    return stored


# --- the board ----------------------------------------------------------------------------------


@dataclass
class BoardRow:
    project: Project
    report: MonitoringReport | None


BOARD_PAGE = 100  # rows of the board's project list per page


def board(
    user: Any,
    monitoring_round: MonitoringRound,
    unit: int | None = None,
    light: str = "",
    below: Decimal | None = None,
    page: int = 1,
    size: int = BOARD_PAGE,
) -> tuple[list[BoardRow], bool]:
    """The projects the round covers that the user may see, with their reports (or none
    yet), filtered by unit, light (or ``missing``) and execution rate below a value, in the
    order of unit and name, one page at a time; and whether a next page exists."""
    projects = projects_of(user, monitoring_round).select_related("unit")
    if unit is not None:
        projects = projects.filter(unit_id=unit)
    filled = MonitoringReport.objects.filter(round=monitoring_round, latest__isnull=False)
    if light == "missing":
        projects = projects.exclude(id__in=filled.values("project_id"))
    elif light:
        projects = projects.filter(id__in=filled.filter(light=light).values("project_id"))
    if below is not None:
        projects = projects.filter(
            id__in=MonitoringReport.objects.filter(round=monitoring_round, rate__lt=below).values(
                "project_id"
            )
        )
    start = (max(page, 1) - 1) * size
    chosen = list(projects.order_by("unit__name", "name", "id")[start : start + size + 1])
    reports = {
        r.project_id: r
        for r in MonitoringReport.objects.filter(
            round=monitoring_round, project_id__in=[p.id for p in chosen[:size]]
        )
    }
    return [BoardRow(p, reports.get(p.id)) for p in chosen[:size]], len(chosen) > size


# Each light and the name of its count: worked out once, not per unit (2,000 in a province).
_LIGHT_KEYS = tuple((v.value, f"light:{v.value}") for v in Light)


def board_stats(
    user: Any,
    monitoring_round: MonitoringRound,
    unit: int | None = None,
    year_counts: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The round's counts over the units the user sees (or one unit), and per unit: read
    from the counts kept per unit and round (:mod:`jixiao.web.tallies`)."""
    scope = permissions.unit_scope(user, unit)
    year, round_id = monitoring_round.year, monitoring_round.id
    counts = tallies.totals(year, round_id, scope)
    units = tallies.per_unit(year, round_id, scope)
    names = tallies.unit_names(units.keys())
    per_unit = []
    for unit_id, found in units.items():
        if not found.get("reported"):
            continue
        planned = tallies.amount(found.get("money:planned", 0))
        executed = tallies.amount(found.get("money:executed", 0))
        per_unit.append(
            {
                "project__unit_id": unit_id,
                "project__unit__name": names.get(unit_id, ""),
                "reports": found.get("reported", 0),
                **{light: found.get(key, 0) for light, key in _LIGHT_KEYS},
                "submitted": found.get(f"status:{MonitoringReport.SUBMITTED}", 0),
                "rectifying": found.get("rectifying", 0),
                "rate": executed / planned if planned else None,
            }
        )
    per_unit.sort(key=lambda item: (item["project__unit__name"], item["project__unit_id"]))
    units_total = len(per_unit)
    # in a province: the units with the most red lights, then the slowest spending, first
    per_unit = tallies.most(
        per_unit,
        lambda item: (
            -item[Light.RED.value],
            item["rate"] if item["rate"] is not None else Decimal(0),
            item["project__unit__name"],
        ),
    )
    if year_counts is None:  # the dashboard passes the year's counts it has already
        year_counts = tallies.totals(year, units=scope)
    approved = year_counts.get(f"status:{Project.APPROVED}", 0)
    totals = {
        "projects": approved,
        "reported": counts.get("reported", 0),
        "time_progress": time_progress(monitoring_round.month),
        **{light: counts.get(key, 0) for light, key in _LIGHT_KEYS},
        "rectifying": counts.get("rectifying", 0),
    }
    return {"per_unit": per_unit, "units_total": units_total, "totals": totals}


def close_round(user: Any, round_id: int) -> MonitoringRound:
    """The round ends: nothing of it changes any more (reports stay as they are)."""
    if not permissions.is_admin(user):
        raise services.Forbidden("只有管理员可以结束监控轮次。")
    item = MonitoringRound.objects.get(id=round_id)
    item.closed = True
    item.save(update_fields=["closed"])
    return item


# --- import of a filled 监控表 -----------------------------------------------------------------


@dataclass
class MonitoringImport:
    filename: str
    digest: str
    version: int  # the report's version the preview saw
    entry: Entry | None = None
    result: Lighted | None = None
    rows: list[dict[str, str]] = field(default_factory=list)  # per indicator: before, after…
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    problems: list[bounds.Problem] = field(default_factory=list)


def plan_import(
    user: Any, monitoring_round: MonitoringRound, project: Project, data: bytes, filename: str
) -> MonitoringImport:
    """Read a filled 监控表 and say what it would change in the project's report — storing
    nothing.  Rows are matched to the approved indicators by name; the month is the round's."""
    import hashlib

    from jixiao.services.importing import read_bytes
    from jixiao.web.mapping import name_key

    if not can_enter(user, monitoring_round, project):
        raise services.Forbidden(
            "只有本单位的填报人可以为本年度已批复的项目导入监控表（草稿或退回时）。"
        )
    stored = report_of(monitoring_round, project)
    plan = MonitoringImport(
        filename, hashlib.sha256(data).hexdigest(), stored.version if stored else 0
    )
    read = read_bytes(data, filename)
    if read.fatal:
        plan.error = read.findings[0].message if read.findings else "文件无法读取。"
        return plan
    tables = [p for p in read.projects if p.monitoring is not None]
    if not tables:
        plan.error = "文件中没有读到监控表（项目支出绩效目标执行监控表）。请上传填好的监控表。"
        return plan
    key = name_key(project.name)
    table = next(
        (t for t in tables if name_key(t.name) == key), tables[0] if len(tables) == 1 else None
    )
    if table is None:
        names = "、".join(f"“{t.name[:30]}”" for t in tables[:5])
        plan.error = (
            f"文件中有 {len(tables)} 张监控表（{names}），没有一张的项目名称是“{project.name}”。"
        )
        return plan
    if name_key(table.name) != key:
        plan.notes.append(
            f"表中的项目名称是“{table.name[:40]}”，本项目是“{project.name}”：请确认是同一个项目。"
        )
    month = table.monitoring.month if table.monitoring else None
    if month is not None and month != monitoring_round.month:
        plan.notes.append(
            f"表中写的是 1–{month}月，本轮是 1–{monitoring_round.month}月：按本轮计算。"
        )
    base = base_of(project)
    entry = align(entry_of(table), base)
    known = {name_key(i.name) for i in base.indicators}
    plan.ignored = [i.name for i in table.indicators if name_key(i.name) not in known]
    before = (
        align(Entry.from_json(stored.latest.entry), base)
        if stored is not None and stored.latest is not None
        else default_entry(project, monitoring_round)
    )
    plan.entry = entry
    try:
        plan.result = lighted(base, entry, monitoring_round.month)
    except services.Invalid as invalid:
        plan.problems = invalid.problems
    except services.Refused as refusal:
        plan.error = str(refusal)
    signals = plan.result.report.indicators if plan.result is not None else ()
    for n, (indicator, old, new) in enumerate(
        zip(base.indicators, before.rows, entry.rows, strict=True)
    ):
        signal = signals[n] if n < len(signals) else None
        plan.rows.append(
            {
                "name": indicator.name,
                "target": indicator.target.text,
                "before": old.achieved,
                "after": new.achieved,
                "light": signal.light.value if signal else "",
                "label": signal.light.label if signal else "",
                "reason": signal.reason if signal else "",
            }
        )
    return plan


def confirm_import(
    user: Any, monitoring_round: MonitoringRound, project: Project, plan: MonitoringImport
) -> MonitoringRevision:
    if plan.error or plan.entry is None:
        raise services.Refused(plan.error or "文件中没有可导入的监控内容。")
    if plan.problems:
        raise services.Invalid(plan.problems)
    try:
        return save(
            user,
            monitoring_round.id,
            project.id,
            plan.entry,
            plan.version,
            f"导入 {plan.filename[:200]}",
        )
    except services.Outdated as outdated:
        raise services.Refused(
            "预览之后，这个监控报告已被修改。为了不覆盖这些修改，本次导入没有保存任何内容；"
            "请重新上传文件，核对预览后再导入。"
        ) from outdated
