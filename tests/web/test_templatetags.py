"""The list rows' fast helpers write exactly what Django's own ``date`` filter and
``{% url %}`` tag write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

UTC = dt.UTC
times = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2999, 12, 31), timezones=st.just(UTC)
)


def render(source: str, **context: object) -> str:
    return Template("{% load jixiao %}" + source).render(Context(context))


@given(times, st.sampled_from(["Y-m-d H:i", "Y-m-d", "Y-m-d H:i:s", "m-d H:i"]))
def test_stamp_writes_what_the_date_filter_writes(moment: dt.datetime, pattern: str) -> None:
    # in the local time zone (Asia/Shanghai), as the date filter does
    expected = Template('{{ t|date:"' + pattern + '" }}').render(Context({"t": moment}))
    assert render('{{ t|stamp:"' + pattern + '" }}', t=moment) == expected


def test_stamp_of_a_day_and_of_nothing() -> None:
    assert render('{{ d|stamp:"Y-m-d" }}', d=dt.date(2025, 7, 31)) == "2025-07-31"
    assert render("{{ t|stamp }}", t=None) == ""
    assert (
        render("{{ t|stamp }}", t=dt.datetime(2025, 1, 1, 0, 30, tzinfo=UTC)) == "2025-01-01 08:30"
    )


def test_stamp_refuses_letters_it_does_not_know() -> None:
    # a month's name, say, would need the translations strftime does not have
    with pytest.raises(TemplateSyntaxError, match="只支持"):
        render('{{ t|stamp:"Y年n月" }}', t=dt.datetime(2025, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("project", (1,)),
        ("evaluation", (987654321,)),
        ("adjustment", (12, 3)),
        ("monitoring_report", (5, 200000)),
    ],
)
def test_link_writes_what_the_url_tag_writes(name: str, ids: tuple[int, ...]) -> None:
    arguments = " ".join(str(i) for i in ids)
    expected = Template("{% url '" + name + "' " + arguments + " %}").render(Context())
    assert render("{% link '" + name + "' " + arguments + " %}") == expected


def test_link_under_a_script_prefix_and_with_a_word() -> None:
    try:
        set_script_prefix("/jixiao/")
        assert render("{% link 'project' 7 %}") == "/jixiao/projects/7/"
    finally:
        set_script_prefix("/")
    assert render("{% link 'project' 7 %}") == "/projects/7/"
    # an argument that is not an id goes through reverse() itself
    assert render("{% link 'summary' 'xlsx' %}") == Template("{% url 'summary' 'xlsx' %}").render(
        Context()
    )


# --- the rows of the longest lists, against the template loops they replaced ---------------

QUEUE_PROJECTS = """{% for p in projects %}<tr><td><a href="{% url 'project' p.id %}">{{ p.name }}</a></td><td>{{ p.unit.name }}</td><td>{{ p.year }}</td><td class="num">{{ p.annual_total|money }}</td><td class="num">{{ p.errors }}</td><td class="num">{{ p.warnings }}</td><td>{{ p.updated_at|date:"Y-m-d H:i" }}</td></tr>{% endfor %}"""
QUEUE_EVALUATIONS = """{% for e in evaluations %}<tr><td><a href="{% url 'evaluation' e.project_id %}">{{ e.project.name }}</a></td><td>{{ e.project.unit.name }}</td><td>{{ e.project.year }}</td><td class="num">{{ e.total|money }}</td><td class="num">{{ e.total_reported|money }}</td><td>{{ e.grade }}</td><td class="num">{{ e.rate|percent }}</td><td class="num">{{ e.errors }}</td><td class="num">{{ e.warnings }}</td><td>{{ e.updated_at|date:"Y-m-d H:i" }}</td></tr>{% endfor %}"""
BOARD = """{% for row in rows %}{% with r=row.report %}<tr><td><a href="{% url 'monitoring_report' round_id row.project.id %}">{{ row.project.name }}</a></td><td>{{ row.project.unit.name }}</td><td>{% if r and r.latest_id %}<span class="light {{ r.light }}">{{ r.light|light_label }}</span>{% else %}<span class="light missing">未填报</span>{% endif %}</td><td class="num">{% if r %}{{ r.rate|percent }}{% endif %}</td><td class="num">{{ r.red|default:"" }}</td><td class="num">{{ r.yellow|default:"" }}</td><td class="num">{{ r.green|default:"" }}</td><td class="num">{{ r.blue|default:"" }}</td><td>{% if r %}{{ r.get_status_display }}{% endif %}</td><td>{% if r %}{{ r.get_rectification_display }}{% endif %}</td></tr>{% endwith %}{% endfor %}"""

TRICKY = "<>&\"'=+-@|\\/%{}[]$#\u202e\u200b\u3000𠀀"
names = st.text(
    st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from(TRICKY)),
    min_size=1,
    max_size=30,
)
ids = st.integers(min_value=1, max_value=10**9)
counts = st.integers(min_value=0, max_value=10**6)
amounts = st.one_of(
    st.none(),
    st.decimals(
        min_value=-(10**9), max_value=10**12, places=6, allow_nan=False, allow_infinity=False
    ),
)


@st.composite
def projects(draw: st.DrawFn) -> Any:
    from jixiao.web.models import Project, Unit

    return Project(
        id=draw(ids),
        name=draw(names),
        unit=Unit(id=draw(ids), name=draw(names)),
        year=draw(st.integers(min_value=2000, max_value=2100)),
        annual_total=draw(amounts),
        errors=draw(counts),
        warnings=draw(counts),
        updated_at=draw(times),
    )


@st.composite
def evaluations(draw: st.DrawFn) -> Any:
    from jixiao.web.models import Evaluation

    project = draw(projects())
    return Evaluation(
        project=project,
        total=draw(amounts),
        total_reported=draw(amounts),
        grade=draw(st.sampled_from(["", "优", "良", "中", "差", "<&"])),
        rate=draw(amounts),
        errors=draw(counts),
        warnings=draw(counts),
        updated_at=draw(times),
    )


@st.composite
def board_rows(draw: st.DrawFn) -> Any:
    from jixiao.web.models import MonitoringReport
    from jixiao.web.monitoring import BoardRow

    project = draw(projects())
    if not draw(st.booleans()):
        return BoardRow(project, None)
    report = MonitoringReport(
        project=project,
        latest_id=draw(st.one_of(st.none(), ids)),
        light=draw(st.sampled_from(["", "red", "yellow", "green", "blue", "none", "<x>"])),
        rate=draw(amounts),
        status=draw(st.sampled_from([s for s, _ in MonitoringReport.STATUSES])),
        rectification=draw(st.sampled_from([s for s, _ in MonitoringReport.RECTIFICATION])),
        **{c: draw(counts) for c in ("red", "yellow", "green", "blue")},
    )
    return BoardRow(project, report)


@given(st.lists(projects(), max_size=4))
def test_queue_project_rows_as_the_loop_wrote_them(rows: list[Any]) -> None:
    expected = Template("{% load jixiao %}" + QUEUE_PROJECTS).render(Context({"projects": rows}))
    assert render("{% queue_project_rows projects %}", projects=rows) == expected


@given(st.lists(evaluations(), max_size=4))
def test_queue_evaluation_rows_as_the_loop_wrote_them(rows: list[Any]) -> None:
    expected = Template("{% load jixiao %}" + QUEUE_EVALUATIONS).render(
        Context({"evaluations": rows})
    )
    assert render("{% queue_evaluation_rows evaluations %}", evaluations=rows) == expected


@given(st.lists(board_rows(), max_size=4), ids)
def test_board_rows_as_the_loop_wrote_them(rows: list[Any], round_id: int) -> None:
    expected = Template("{% load jixiao %}" + BOARD).render(
        Context({"rows": rows, "round_id": round_id})
    )
    assert render("{% board_rows rows round_id %}", rows=rows, round_id=round_id) == expected


# --- the official form of the project page, against the template loops it replaced --------

OFFICIAL = """{% for row in table.header_rows %}<tr>{% for item in row %}<td class="{{ item.cell.kind }}{% if item.findings %} flagged {{ item.findings|worst }}{% endif %}" {% if item.cell.rowspan > 1 %}rowspan="{{ item.cell.rowspan }}"{% endif %} {% if item.cell.colspan > 1 %}colspan="{{ item.cell.colspan }}"{% endif %}>{{ item.cell.text }}{% for f in item.findings %}<a class="mark {{ f.severity.value }}" href="#f-{{ f.rule }}" title="{{ f.message }}">{{ f.severity.label }}</a>{% endfor %}</td>{% endfor %}</tr>
    {% endfor %}
    {% for row in table.grid_rows %}<tr>{% for item in row %}{% if forloop.parentloop.first %}<th {% if item.cell.colspan > 1 %}colspan="{{ item.cell.colspan }}"{% endif %}>{{ item.cell.text }}</th>{% else %}<td class="{{ item.cell.kind }}{% if item.findings %} flagged {{ item.findings|worst }}{% endif %}" {% if item.cell.rowspan > 1 %}rowspan="{{ item.cell.rowspan }}"{% endif %} {% if item.cell.colspan > 1 %}colspan="{{ item.cell.colspan }}"{% endif %}>{{ item.cell.text }}{% for f in item.findings %}<span class="finding {{ f.severity.value }}"><b>{{ f.severity.label }} [{{ f.rule }}]</b> {{ f.message }}<br><i>建议：{{ f.fix }}</i></span>{% endfor %}{% for c in item.comments %}<span class="comment-mark"><b>审核意见</b>（{{ c.author }} {{ c.created_at|stamp:"m-d H:i" }}）{{ c.text }}</span>{% endfor %}</td>{% endif %}{% endfor %}</tr>
    {% endfor %}"""


@st.composite
def form_cells(draw: st.DrawFn) -> Any:
    from jixiao.formats.form import Cell

    return Cell(
        row=0,
        col=0,
        text=draw(st.one_of(st.just(""), names)),
        kind=draw(st.sampled_from(["label", "value", "money", "indicator", "target", "<k>"])),
        rowspan=draw(st.integers(min_value=1, max_value=4)),
        colspan=draw(st.integers(min_value=1, max_value=4)),
    )


@st.composite
def form_findings(draw: st.DrawFn) -> Any:
    from jixiao.core.findings import Finding, Severity
    from jixiao.core.source import Source

    return Finding(
        rule=draw(st.sampled_from(["VAL-MISSING", "IND-VAGUE", "<r&>"])),
        severity=draw(st.sampled_from(list(Severity))),
        message=draw(names),
        fix=draw(names),
        source=Source("x.txt", 1),
    )


@st.composite
def form_comments(draw: st.DrawFn) -> Any:
    from django.contrib.auth.models import User

    from jixiao.web.models import Comment

    return Comment(
        author=User(username=draw(names)), text=draw(names), created_at=draw(st.none() | times)
    )


def form_items(comments: bool) -> Any:
    return st.fixed_dictionaries(
        {
            "cell": form_cells(),
            "findings": st.lists(form_findings(), max_size=2),
            **({"comments": st.lists(form_comments(), max_size=2)} if comments else {}),
        }
    )


@given(
    st.lists(st.lists(form_items(False), max_size=3), max_size=3),
    st.lists(st.lists(form_items(True), max_size=3), max_size=4),
)
def test_official_rows_as_the_loops_wrote_them(header: list[Any], grid: list[Any]) -> None:
    table = {"header_rows": header, "grid_rows": grid}
    expected = Template("{% load jixiao %}" + OFFICIAL).render(Context({"table": table}))
    assert render("{% official_rows table %}", table=table) == expected


@pytest.mark.django_db
def test_the_project_page_form_as_the_loops_wrote_it(demo: Any) -> None:
    """Every demo project's form, with its findings and a review comment on an indicator."""
    from django.contrib.auth import get_user_model

    from jixiao.web import views
    from jixiao.web.mapping import finding_from_data, to_core
    from jixiao.web.models import Comment, Project

    reviewer = get_user_model().objects.get(username="demo-reviewer")
    for project in Project.objects.all():
        revision = project.current
        core = to_core(revision.data)
        Comment.objects.create(
            project=project,
            revision=revision,
            indicator=core.indicators[0].name,
            text="请细化<指标>",
            author=reviewer,
        )
        comments = views._comments_by_indicator(list(project.comments.select_related("author")))
        findings = [finding_from_data(f) for f in revision.findings]
        table = views._table_view(core, findings, comments)
        expected = Template("{% load jixiao %}" + OFFICIAL).render(Context({"table": table}))
        assert render("{% official_rows table %}", table=table) == expected
        placed = any(
            i["findings"] for row in table["header_rows"] + table["grid_rows"] for i in row
        )
        assert "请细化&lt;指标&gt;" in expected and ("flagged" in expected) == placed
