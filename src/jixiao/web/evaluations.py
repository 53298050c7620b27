"""Self-evaluation (绩效自评) in the web: the 自评表 of an approved project composed from its
approved targets and what the unit enters, scored by the core (``core.scoring``: the same
code as ``jixiao evaluate``), stored as revisions and moved through its own review.

Views and the API parse input into an ``Entry``, call these, and render.  Refusals are
``services.Refused`` / ``services.Invalid`` with Chinese messages, as for targets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from jixiao.core import bounds
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Evaluation as CoreEvaluation
from jixiao.core.model import Execution, Indicator
from jixiao.core.model import Project as CoreProject
from jixiao.core.scoring import (
    DEFAULT_SCHEME,
    SCHEMES,
    ScoreCard,
    grade_of,
    infer_scheme,
    money,
    score,
    weights,
)
from jixiao.core.targets import format_decimal, parse_target
from jixiao.services.importing import read_bytes
from jixiao.web import permissions, services, tallies
from jixiao.web.mapping import finding_to_data, name_key, to_core, to_data
from jixiao.web.models import Evaluation, EvaluationRevision, Event, Project
from jixiao.web.typed import aligned, stale
from jixiao.web.typed import amount_text as _amount_text
from jixiao.web.typed import number as _number
from jixiao.web.typed import stored_rate as _rate

LINES = (
    ("total", "年度资金总额"),
    ("fiscal", "其中：财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
AMOUNTS = (("planned", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))
# What a filled form reports besides the rows (kept from an imported 自评表; empty: computed).
REPORTED = (
    ("rate", "填报的执行率"),
    ("execution_score", "填报的预算执行得分"),
    ("total", "填报的总分"),
    ("grade", "填报的评价等级"),
)


# --- what the unit enters ------------------------------------------------------------------


@dataclass
class RowEntry:
    """One approved indicator's year-end values, as typed (the target is never typed)."""

    actual: str = ""
    weight: str = ""  # empty: the scheme spreads the category's weight
    score: str = ""  # empty: the computed score is the unit's score
    deviation: str = ""


@dataclass
class Entry:
    scheme: str = DEFAULT_SCHEME
    budget: dict[str, dict[str, str]] = field(default_factory=dict)  # line → amount → text
    goal_actual: str = ""
    rows: list[RowEntry] = field(default_factory=list)
    reported: dict[str, str] = field(default_factory=dict)  # REPORTED key → text
    names: list[str] = field(default_factory=list)  # the indicators the rows were typed for

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "budget": self.budget,
            "goal_actual": self.goal_actual,
            "indicators": [vars(row) for row in self.rows],
            "reported": {key: self.reported.get(key, "") for key, _ in REPORTED},
            "names": list(self.names),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        """An entry from stored JSON, the API or the page's script.  Anything not text where
        text is expected is refused with a message (never a traceback)."""
        if not isinstance(data, dict):
            raise services.Refused("自评内容应为一个对象。")

        def text(value: Any, where: str) -> str:
            if value is None:
                return ""
            if not isinstance(value, str):
                raise services.Refused(f"自评内容的“{where}”应为文字。")
            return value

        budget: dict[str, dict[str, str]] = {}
        lines = data.get("budget") or {}
        if not isinstance(lines, dict):
            raise services.Refused("自评内容的“budget”应为一个对象。")
        known = dict(LINES)
        for line, amounts in lines.items():
            if line not in known:
                raise services.Refused(
                    f"自评内容的资金行“{str(line)[:20]}”不存在：可选 {'、'.join(known)}。"
                )
            if not isinstance(amounts, dict):
                raise services.Refused(f"自评内容的资金行“{line}”应为一个对象。")
            budget[line] = {
                key: text(amounts.get(key), f"{known[line]}·{label}") for key, label in AMOUNTS
            }
        rows = data.get("indicators") or []
        if not isinstance(rows, list):
            raise services.Refused("自评内容的“indicators”应为一个列表。")
        entries = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise services.Refused(f"自评内容的第 {number} 个指标应为一个对象。")
            entries.append(
                RowEntry(
                    **{
                        key: text(row.get(key), f"第 {number} 个指标的 {key}")
                        for key in ("actual", "weight", "score", "deviation")
                    }
                )
            )
        scheme = text(data.get("scheme"), "scheme") or DEFAULT_SCHEME
        given = data.get("reported") or {}
        if not isinstance(given, dict):
            raise services.Refused("自评内容的“reported”应为一个对象。")
        reported = {key: text(given.get(key), label) for key, label in REPORTED}
        names = data.get("names") or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise services.Refused("自评内容的“names”应为文字的列表。")
        goal = text(data.get("goal_actual"), "goal_actual")
        return cls(scheme, budget, goal, entries, reported, list(names))


def default_entry(base: CoreProject) -> Entry:
    """The form before anything is entered: the budget as approved, one row per indicator."""
    annual = base.funds.annual
    budget = {
        line: {"planned": _amount_text(v), "budget": _amount_text(v), "executed": ""}
        for line, v in (("total", annual.total), ("fiscal", annual.fiscal), ("other", annual.other))
    }
    budget["carryover"] = {"planned": "", "budget": "", "executed": ""}
    rows = [
        RowEntry(weight=_amount_text(i.weight) if i.weight is not None else "")
        for i in base.indicators
    ]
    return Entry(DEFAULT_SCHEME, budget, "", rows, names=[i.name for i in base.indicators])


def align(entry: Entry, base: CoreProject) -> Entry:
    """``entry`` for the indicators of ``base``, rows following their indicator by name
    (after a target adjustment; ``typed.aligned``)."""
    names = [i.name for i in base.indicators]
    return replace(entry, rows=aligned(entry.names, entry.rows, names, RowEntry), names=names)


def base_of(project: Project) -> CoreProject:
    """The approved targets: the project's current revision, without any evaluation."""
    return replace(to_core(project.current.data), evaluation=None)


def compose(base: CoreProject, entry: Entry) -> CoreProject:
    """The 自评表 that ``entry`` makes of the approved targets ``base``.  Every number that
    is not one is a problem naming its field; the write boundary checks the rest."""
    if entry.scheme not in SCHEMES:
        raise services.Refused(f"评分方案“{entry.scheme[:40]}”不存在：可选 {'、'.join(SCHEMES)}。")
    if len(entry.rows) != len(base.indicators):
        raise services.Refused(
            f"自评的指标有 {len(entry.rows)} 行，批复的目标表有 {len(base.indicators)} 个指标："
            "请按批复的指标逐行填写（指标和目标值不能在自评中修改）。"
        )
    problems: list[bounds.Problem] = []
    lines = {}
    approved = base.funds.annual  # 年初预算数 is the approved budget, never typed
    planned = {"total": approved.total, "fiscal": approved.fiscal, "other": approved.other}
    for line, line_label in LINES:
        typed = entry.budget.get(line, {})
        values = {
            key: _number(
                typed.get(key, ""), f"evaluation.{line}.{key}", f"{line_label}的{label}", problems
            )
            for key, label in AMOUNTS
        }
        lines[line] = Execution(
            planned=planned.get(line, values["planned"]),
            budget=values["budget"],
            executed=values["executed"],
        )
    indicators = []
    for number, (indicator, row) in enumerate(zip(base.indicators, entry.rows, strict=True)):
        label = f"第 {number + 1} 个指标“{indicator.name[:20]}”"
        where = f"indicators[{number}]"
        weight = _number(row.weight, f"{where}.weight", f"{label}的分值", problems)
        if weight is not None and not 0 <= weight <= 100:
            problems.append(
                bounds.Problem(f"{where}.weight", label, f"{label}的分值应在 0 到 100 之间。")
            )
            weight = None
        indicators.append(
            replace(
                indicator,
                actual=parse_target(row.actual) if row.actual.strip() else None,
                weight=weight,
                score=_number(row.score, f"{where}.score", f"{label}的自评得分", problems),
                deviation=row.deviation.strip(),
            )
        )
    reported = entry.reported
    lines["total"] = replace(
        lines["total"],
        rate_reported=reported.get("rate", "").strip(),
        score=_number(
            reported.get("execution_score", ""),
            "evaluation.total.score",
            "填报的预算执行得分",
            problems,
        ),
    )
    total_reported = _number(
        reported.get("total", ""), "evaluation.total_reported", "填报的总分", problems
    )
    if problems:
        raise services.Invalid(problems)
    evaluation = CoreEvaluation(
        total=lines["total"],
        fiscal=lines["fiscal"],
        carryover=lines["carryover"],
        other=lines["other"],
        goal_expected=base.goals.annual,
        goal_actual=entry.goal_actual.strip(),
        total_reported=total_reported,
        grade_reported=reported.get("grade", "").strip(),
        scheme=entry.scheme,
    )
    return replace(base, indicators=tuple(indicators), evaluation=evaluation)


def complete(core: CoreProject) -> tuple[CoreProject, ScoreCard]:
    """The 自评表 with what the unit left to the system filled in: the weights the scheme
    gives (in cents, ``core.scoring.weights``), the computed score where no score was typed,
    the total and the grade."""
    scheme = infer_scheme(core)
    given, _ = weights(core.indicators, scheme)
    weighted = replace(
        core,
        indicators=tuple(
            replace(indicator, weight=weight) if indicator.weight is None else indicator
            for indicator, weight in zip(core.indicators, given, strict=True)
        ),
    )
    card = score(weighted, scheme)
    assert card is not None and weighted.evaluation is not None and core.evaluation is not None
    indicators = tuple(
        replace(indicator, score=row.computed) if indicator.score is None else indicator
        for indicator, row in zip(weighted.indicators, card.rows, strict=True)
    )
    line = weighted.evaluation.total
    rate = line.rate
    line = replace(
        line,
        weight=line.weight if line.weight is not None else card.scheme.execution,
        score=line.score if line.score is not None else card.execution.computed,
        rate_reported=line.rate_reported or ("" if rate is None else f"{money(rate * 100)}%"),
    )
    typed = sum(
        (
            row.reported - row.computed
            for row in (card.execution, *card.rows)
            if row.reported is not None and row.computed is not None
        ),
        Decimal(0),
    )
    total = weighted.evaluation.total_reported
    if total is None:
        total = card.total + typed
    evaluation = replace(
        weighted.evaluation,
        total=line,
        total_reported=total,
        grade_reported=weighted.evaluation.grade_reported or grade_of(total),
    )
    filled = replace(weighted, indicators=indicators, evaluation=evaluation)
    final = score(filled, infer_scheme(filled))
    assert final is not None
    return filled, final


def findings_of(core: CoreProject) -> list[Finding]:
    """The self-evaluation rules' findings (the targets were reviewed when approved)."""
    return [f for f in services.review(core) if f.rule.startswith("EVAL-")]


@dataclass
class Scored:
    core: CoreProject
    card: ScoreCard
    findings: list[Finding]


def scored(base: CoreProject, entry: Entry) -> Scored:
    """Compose, check against the write boundary, complete and review — storing nothing:
    what the page shows live, and what a save stores."""
    core = compose(base, entry)
    services.check(core)
    filled, card = complete(core)
    services.check(filled)  # what the system filled in is bounded too
    return Scored(filled, card, findings_of(filled))


# --- permissions -----------------------------------------------------------------------------


def evaluation_of(project: Project) -> Evaluation | None:
    return Evaluation.objects.filter(project=project).select_related("latest").first()


def can_enter(user: Any, project: Project) -> bool:
    """The unit's filler enters the self-evaluation of an approved project, while it is a
    draft or returned."""
    if project.deleted_at is not None or project.status != Project.APPROVED:
        return False
    if project.unit_id not in permissions.filler_unit_ids(user):
        return False
    return _status_of(project) in (None, Project.DRAFT, Project.RETURNED)


def can_review(user: Any, project: Project) -> bool:
    return _status_of(project) == Project.SUBMITTED and permissions.can_review(user, project)


def _status_of(project: Project) -> str | None:
    """The self-evaluation's state, None before its first save (only the state: not its
    newest revision's entry, data and findings, which ``evaluation_of`` reads)."""
    return Evaluation.objects.filter(project=project).values_list("status", flat=True).first()


def _require_open(project: Project) -> None:
    if project.deleted_at is not None:
        raise services.Refused("项目已删除。")
    if project.status != Project.APPROVED:
        raise services.Refused("项目的绩效目标审核通过后才能自评（目标修改后须重新审核通过）。")


# --- storing ---------------------------------------------------------------------------------


def _counts(findings: list[Finding]) -> tuple[int, int]:
    return (
        sum(1 for f in findings if f.severity is Severity.ERROR),
        sum(1 for f in findings if f.severity is Severity.WARNING),
    )


def stored_fields(result: Scored) -> dict[str, Any]:
    """What an evaluation keeps of its newest revision, for the lists and the counts."""
    card = result.card
    reported = card.total_reported
    assert result.core.evaluation is not None
    errors, warnings = _counts(result.findings)
    return {
        "total": card.total,
        "total_reported": reported,
        "gap": None if reported is None else abs(reported - card.total),
        "grade": card.grade,
        "rate": _rate(result.core.evaluation.total.rate),
        "differences": len(card.differences),
        "errors": errors,
        "warnings": warnings,
    }


def _record(
    evaluation: Evaluation, result: Scored, entry: Entry, user: Any, note: str
) -> EvaluationRevision:
    number = (
        evaluation.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    revision = EvaluationRevision.objects.create(
        evaluation=evaluation,
        number=number,
        entry=entry.to_json(),
        data=to_data(result.core),
        findings=[finding_to_data(f) for f in result.findings],
        author=user,
        note=note,
    )
    for name, value in stored_fields(result).items():
        setattr(evaluation, name, value)
    evaluation.version += 1
    evaluation.latest = revision
    evaluation.save()
    return revision


@transaction.atomic
def save(
    user: Any, project_id: int, entry: Entry, expected_version: int, note: str = "填写自评"
) -> EvaluationRevision:
    """Store the entry as the self-evaluation's new revision (created at the first save)."""
    project = Project.objects.select_for_update().get(id=project_id)
    _require_open(project)
    if not can_enter(user, project):
        raise services.Forbidden(
            "这个自评现在不能修改（只有本单位填报人可以修改草稿或退回的自评）。"
        )
    evaluation, _ = Evaluation.objects.select_for_update().get_or_create(
        project=project, defaults={"unit_id": project.unit_id}
    )
    if evaluation.version != expected_version:
        raise services.Outdated(
            "保存失败：在您填写期间，其他人已经保存了这个自评。请刷新页面，查看对方的修改后再保存。"
        )
    base = base_of(project)
    entry = replace(entry, names=[i.name for i in base.indicators])
    result = scored(base, entry)
    if abs(result.card.total) >= 10**9:
        raise services.Refused("总分大得不合理：请检查分值和得分。")
    if evaluation.latest is not None and evaluation.latest.entry == entry.to_json():
        return evaluation.latest
    revision = _record(evaluation, result, entry, user, note)
    Event.objects.create(
        project=project,
        action="eval-import" if note.startswith("导入") else "eval-edit",
        from_status=evaluation.status,
        to_status=evaluation.status,
        actor=user,
        comment=note,
    )
    return revision


@transaction.atomic
def transition(user: Any, project_id: int, action: str, comment: str = "") -> Evaluation:
    project = Project.objects.select_for_update().get(id=project_id)
    evaluation = Evaluation.objects.select_for_update().filter(project=project).first()
    if evaluation is None or evaluation.latest_id is None:
        raise services.Refused("还没有填写自评。")
    _require_open(project)
    before = evaluation.status
    if action == "submit":
        if not can_enter(user, project):
            raise services.Forbidden("只有本单位的填报人可以提交草稿或退回的自评。")
        assert evaluation.latest is not None
        if stale(evaluation.latest.data, base_of(project)):
            raise services.Refused(
                "绩效目标已经调整：请打开自评表，按调整后的目标检查并保存后再提交。"
            )
        if evaluation.errors:
            raise services.Refused(f"自评还有 {evaluation.errors} 个错误，修改后才能提交。")
        evaluation.status = Project.SUBMITTED
    elif action in ("return", "approve"):
        if not permissions.can_review(user, project):
            raise services.Forbidden("您不是这个单位的审核人。")
        if evaluation.status != Project.SUBMITTED:
            raise services.Refused("只能审核已提交的自评。")
        submitter = (
            project.events.filter(action="eval-submit")
            .order_by("-created_at", "-id")
            .values_list("actor_id", flat=True)
            .first()
        )
        if settings.SEPARATION_OF_DUTIES and submitter == user.pk:
            raise services.Forbidden(
                "职责分离：提交人不能审核自己提交的自评，请由本单位的另一位审核人审核。"
            )
        if action == "return" and not comment.strip():
            raise services.Refused("退回时必须写明意见。")
        evaluation.status = Project.RETURNED if action == "return" else Project.APPROVED
    else:
        raise services.Refused(f"未知的操作：{action}")
    evaluation.save()
    Event.objects.create(
        project=project,
        action=f"eval-{action}",
        from_status=before,
        to_status=evaluation.status,
        actor=user,
        comment=comment.strip(),
    )
    return evaluation


# --- import of a filled 自评表 ----------------------------------------------------------------


@dataclass
class ImportedRow:
    name: str
    target: str
    before: str  # the actual value stored now
    after: str  # the actual value in the file ("" when the file has no such row)
    score: str  # the score in the file
    found: bool


@dataclass
class EvaluationImport:
    filename: str
    digest: str
    version: int  # the evaluation's version the preview saw
    entry: Entry | None = None
    result: Scored | None = None
    rows: list[ImportedRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # rows of the file the project has not
    notes: list[str] = field(default_factory=list)
    error: str = ""
    problems: list[bounds.Problem] = field(default_factory=list)


def _evaluated(projects: list[CoreProject], project: Project) -> CoreProject | str:
    tables = [p for p in projects if p.evaluation is not None]
    if not tables:
        return "文件中没有读到自评表（项目支出绩效自评表）。请上传填好的自评表。"
    if len(tables) == 1:
        return tables[0]
    key = name_key(project.name)
    for table in tables:
        if name_key(table.name) == key:
            return table
    names = "、".join(f"“{t.name[:30]}”" for t in tables[:5])
    return f"文件中有 {len(tables)} 张自评表（{names}），没有一张的项目名称是“{project.name}”。"


def entry_from_table(base: CoreProject, table: CoreProject) -> tuple[Entry, list[str], list[str]]:
    """The entry a filled 自评表 makes for the approved targets ``base``: its rows matched by
    indicator name; the file's rows the project has not, and notes for the preview."""
    assert table.evaluation is not None
    pool: dict[str, list[Indicator]] = {}
    for indicator in table.indicators:
        pool.setdefault(name_key(indicator.name), []).append(indicator)
    rows, notes = [], []
    for indicator in base.indicators:
        matches = pool.get(name_key(indicator.name)) or []
        if not matches:
            rows.append(RowEntry())
            continue
        found = matches.pop(0)
        if found.target.text.strip() and name_key(found.target.text) != name_key(
            indicator.target.text
        ):
            notes.append(
                f"指标“{indicator.name[:30]}”：表中的目标值“{found.target.text[:30]}”与批复的"
                f"“{indicator.target.text[:30]}”不同，自评以批复的目标值为准。"
            )
        rows.append(
            RowEntry(
                actual=found.actual.text if found.actual is not None else "",
                weight=_amount_text(found.weight),
                score=_amount_text(found.score),
                deviation=found.deviation,
            )
        )
    ignored = [i.name for matches in pool.values() for i in matches]
    evaluation = table.evaluation
    budget = {
        line: {key: _amount_text(getattr(getattr(evaluation, line), key)) for key, _ in AMOUNTS}
        for line, _ in LINES
    }
    scheme = infer_scheme(table).name
    reported = {
        "rate": evaluation.total.rate_reported,
        "execution_score": _amount_text(evaluation.total.score),
        "total": _amount_text(evaluation.total_reported),
        "grade": evaluation.grade_reported,
    }
    entry = Entry(
        scheme, budget, evaluation.goal_actual, rows, reported, [i.name for i in base.indicators]
    )
    return entry, ignored, notes


def plan_import(user: Any, project: Project, data: bytes, filename: str) -> EvaluationImport:
    """Read a filled 自评表 and say what it would change in the project's self-evaluation —
    storing nothing."""
    _require_open(project)
    if not can_enter(user, project):
        raise services.Forbidden("只有本单位的填报人可以导入草稿或退回的自评。")
    evaluation = evaluation_of(project)
    plan = EvaluationImport(
        filename, hashlib.sha256(data).hexdigest(), evaluation.version if evaluation else 0
    )
    read = read_bytes(data, filename)
    if read.fatal:
        plan.error = read.findings[0].message if read.findings else "文件无法读取。"
        return plan
    table = _evaluated(list(read.projects), project)
    if isinstance(table, str):
        plan.error = table
        return plan
    if name_key(table.name) != name_key(project.name):
        plan.notes.append(
            f"表中的项目名称是“{table.name[:40]}”，本项目是“{project.name}”：请确认是同一个项目。"
        )
    base = base_of(project)
    entry, plan.ignored, notes = entry_from_table(base, table)
    plan.notes.extend(notes)
    plan.entry = entry
    before = (
        align(Entry.from_json(evaluation.latest.entry), base)
        if evaluation is not None and evaluation.latest is not None
        else default_entry(base)
    )
    names = {name_key(i.name) for i in table.indicators}
    for indicator, old, new in zip(base.indicators, before.rows, entry.rows, strict=True):
        plan.rows.append(
            ImportedRow(
                indicator.name,
                indicator.target.text,
                old.actual,
                new.actual,
                new.score,
                name_key(indicator.name) in names,
            )
        )
    try:
        plan.result = scored(base, entry)
    except services.Invalid as invalid:
        plan.problems = invalid.problems
    except services.Refused as refusal:
        plan.error = str(refusal)
    return plan


def confirm_import(user: Any, project: Project, plan: EvaluationImport) -> EvaluationRevision:
    if plan.error or plan.entry is None:
        raise services.Refused(plan.error or "文件中没有可导入的自评。")
    if plan.problems:
        raise services.Invalid(plan.problems)
    try:
        return save(user, project.id, plan.entry, plan.version, f"导入 {plan.filename[:200]}")
    except services.Outdated as outdated:
        raise services.Refused(
            "预览之后，这个自评已被修改。为了不覆盖这些修改，本次导入没有保存任何内容；"
            "请重新上传文件，核对预览后再导入。"
        ) from outdated


# --- the dashboard --------------------------------------------------------------------------

GRADES = ("优", "良", "中", "差")
_GRADE_KEYS = tuple((grade, f"eval:grade:{grade}") for grade in GRADES)  # and their counts' names
SCATTER_POINTS = 500  # the execution-vs-score chart shows at most this many projects


def dashboard(
    projects: QuerySet[Project], counts: dict[str, int], year: int | None, units: set[int] | None
) -> dict[str, Any]:
    """The visible projects' self-evaluations: the counts kept per unit and year
    (``counts`` are the year's over the visible units), the chart's first points and the
    ten largest gaps (two indexed queries of bounded size)."""
    summary = {
        "count": counts.get("eval:filled", 0),
        "approved": counts.get(f"eval:status:{Project.APPROVED}", 0),
        "submitted": counts.get(f"eval:status:{Project.SUBMITTED}", 0),
        "differing": counts.get("eval:differing", 0),
        "missing": max(
            counts.get(f"status:{Project.APPROVED}", 0) - counts.get("eval:of-approved", 0), 0
        ),
    }
    per_unit: dict[tuple[str, int], dict[str, int]] = {}  # by unit id: names may repeat
    if year is not None:
        grades = tallies.per_unit(year, units=units, names=[key for _, key in _GRADE_KEYS])
        names = tallies.unit_names(grades.keys())
        for unit_id, found in grades.items():
            per_unit[(names.get(unit_id, ""), unit_id)] = {
                grade: found.get(key, 0) for grade, key in _GRADE_KEYS
            }
    evaluations = Evaluation.objects.filter(project__in=projects, latest__isnull=False)
    if not summary["count"]:  # the counts say there is none: nothing to look for
        evaluations = evaluations.none()
    points = list(
        evaluations.filter(rate__isnull=False, total__isnull=False)
        .values_list("project_id", "project__name", "rate", "total")
        .order_by("project_id")[:SCATTER_POINTS]
    )
    gaps = (
        evaluations.filter(gap__gt=0)
        .select_related("project", "project__unit")
        .order_by("-gap", "project_id")[:10]
    )
    bins = [counts.get(f"eval:bin{n}", 0) for n in range(4)]
    tallest = max(bins, default=0) or 1
    return {
        "counts": summary,
        "bins": [
            {
                "label": label,
                "count": count,
                "x": 20 + n * 100,
                "y": 130 - count * 120 // tallest,
                "height": count * 120 // tallest,
            }
            for n, (label, count) in enumerate(
                zip(("<60 差", "60–80 中", "80–90 良", "≥90 优"), bins, strict=True)
            )
        ],
        # by name; in a province the units with the most 差 then 中 first
        "per_unit": [
            (name, grades)
            for (name, _), grades in tallies.most(
                sorted(per_unit.items()), lambda row: (-row[1]["差"], -row[1]["中"], row[0])
            )
        ],
        "units_total": len(per_unit),
        "grades": GRADES,
        "points": [
            _point(pid, name, rate, total)
            for pid, name, rate, total in points
            if rate is not None and total is not None
        ],
        "points_capped": len(points) == SCATTER_POINTS,
        "gaps": gaps,
    }


def _point(project_id: int, name: str, rate: Decimal, total: Decimal) -> dict[str, Any]:
    """One project in the execution-vs-score chart: execution 0–120 % over x 0–400, score
    0–100 over y 200–0 (display coordinates only)."""
    x = min(max(rate, Decimal(0)), Decimal("1.2")) / Decimal("1.2") * 400
    y = 200 - min(max(total, Decimal(0)), Decimal(100)) * 2
    return {
        "id": project_id,
        "name": name,
        "rate": rate,
        "total": total,
        "x": format_decimal(x.quantize(Decimal("0.1"))),
        "y": format_decimal(y.quantize(Decimal("0.1"))),
    }
