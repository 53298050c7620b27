"""Property: whatever the write boundary accepts, every page shows and every format exports."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jixiao.core.bounds import LIMITS, problems
from jixiao.core.model import Evaluation, Execution, FundLine, Funds, Goals, Indicator, Period
from jixiao.core.model import Project as CoreProject
from jixiao.core.targets import parse_target
from jixiao.formats import json as json_format
from jixiao.web import services
from jixiao.web.mapping import name_key
from jixiao.web.models import Project, Unit
from tests.web.conftest import body, login

pytestmark = pytest.mark.django_db

# Any character a page or file may hold, with the troublesome ones made likely: markup,
# formula starts, quotes, right-to-left marks, wide and astral characters.
TRICKY = "<>&\"'=+-@|\\/%{}[]$#\u202e\u200b\u3000\ufeff𠀀😀"
characters = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")),
    st.sampled_from(TRICKY),
)
short = st.text(characters, max_size=40)
lines = st.text(st.one_of(characters, st.just("\n")), max_size=200)
amounts = st.one_of(
    st.none(),
    st.decimals(
        min_value=Decimal(-(10**14)) + Decimal("0.000001"),
        max_value=Decimal(10**14) - Decimal("0.000001"),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    ),
)
targets = st.one_of(short, st.sampled_from(["≥100人", "≤5%", "=1", "100%", "2023年12月前", ""]))


@st.composite
def projects(draw: st.DrawFn) -> CoreProject:
    indicators = tuple(
        Indicator(
            draw(st.sampled_from(["产出指标", "效益指标", "满意度指标", "成本指标"]) | short),
            draw(short),
            draw(short),
            parse_target(draw(targets)),
            note=draw(lines),
            weight=draw(amounts),
            actual=parse_target(draw(targets)) if draw(st.booleans()) else None,
            score=draw(amounts),
            deviation=draw(lines),
        )
        for _ in range(draw(st.integers(0, 12)))
    )
    evaluation = (
        Evaluation(
            total=Execution(planned=draw(amounts), budget=draw(amounts), executed=draw(amounts)),
            goal_expected=draw(lines),
            goal_actual=draw(lines),
            total_reported=draw(amounts),
        )
        if draw(st.booleans())
        else None
    )
    return CoreProject(
        name=draw(short.filter(lambda s: s.strip() != "")),
        department=draw(short),
        implementing_unit=draw(short),
        period=Period.parse(draw(short)),
        funds=Funds(
            period=FundLine(total=draw(amounts), fiscal=draw(amounts)),
            annual=FundLine(
                total=draw(amounts),
                other=draw(amounts),
                sources=tuple((draw(short), draw(amounts)) for _ in range(draw(st.integers(0, 3)))),
            ),
        ),
        goals=Goals(period=draw(lines), annual=draw(lines)),
        indicators=indicators,
        year=draw(st.integers(LIMITS.first_year, LIMITS.last_year)),
        filing_unit=draw(short),
        attributes=tuple((draw(short), draw(lines)) for _ in range(draw(st.integers(0, 3)))),
        evaluation=evaluation,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(project=projects())
def test_what_the_boundary_accepts_every_page_shows_and_every_format_exports(demo, project):
    assume(not problems(project))
    client = login("demo-unit")
    unit = Unit.objects.get(name="高新区应急管理局")
    user = unit.memberships.get(role="filler").user
    data = json.dumps(json.loads(json_format.dumps([project])), ensure_ascii=False).encode()
    plan = services.plan_import(user, unit, data, "property.json", None)
    assert not plan.error, plan.error
    assert [p.action for p in plan.projects] != ["invalid"], [p.problems for p in plan.projects]
    services.confirm_import(user, plan)
    stored = Project.objects.get(
        unit=unit, year=project.year, key=name_key(plan.projects[0].core.name)
    )
    for url in (
        "/projects/",
        f"/projects/?year={project.year}",
        "/dashboard/",
        "/summary/html/",
        "/summary/xlsx/",
        f"/projects/{stored.id}/",
        f"/projects/{stored.id}/history/",
        f"/projects/{stored.id}/edit/",
        "/api/projects",
        f"/api/projects/{stored.id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert body(response), url  # a streamed page is read to its end
    for fmt in ("xlsx", "docx", "pdf", "html", "json"):
        for layout in ("standard", "split"):
            response = client.get(f"/projects/{stored.id}/export/{fmt}/?layout={layout}")
            assert response.status_code == 200, (fmt, layout)
            assert len(response.content) > 100
