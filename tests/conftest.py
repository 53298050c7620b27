"""Shared fixtures: the seed (nine 2023 tables of 高新区应急管理局) and table builders."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from jixiao.formats import text
from jixiao.formats.base import ReadResult

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "src" / "jixiao" / "demo" / "gaoxin_yingji_2023.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_050a22b668eafba9.txt"


def pytest_configure(config: pytest.Config) -> None:
    """The web settings' throwaway data directory (with its static folder) for this session."""
    own = _own_data_dir()
    if own is not None:
        (own / "static").mkdir(parents=True, exist_ok=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Removed at the end: test runs leave nothing in the temporary directory."""
    own = _own_data_dir()
    if own is not None:
        shutil.rmtree(own, ignore_errors=True)


def _own_data_dir() -> Path | None:
    """The data directory tests/web_settings.py chose, if pytest-django loaded it."""
    web_settings = sys.modules.get("tests.web_settings")
    own: Path | None = getattr(web_settings, "OWN_DATA_DIR", None)
    return own


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed() -> ReadResult:
    return text.read(SEED.read_bytes(), str(SEED))


def table(*rows: str, header: str | None = None) -> str:
    """An inline target table in the published text form; `|` separates cells."""
    head = header or "\n".join(
        [
            "本级预算项目绩效目标表",
            "(2023年度)",
            "单位: 万元",
            "项目名称|测试项目||项目实施期|2023年1月至2023年12月",
            "主管部门|高新区应急管理局||实施单位|高新区应急管理局",
            "资金投入(万元)|实施期金额|10|年度金额|10",
            "|其中: 财政拨款|10|其中: 财政拨款|10",
            "|其他资金||其他资金|",
            "绩效目标|实施期目标||年度目标|",
            "|完成全区安全培训和检查工作，提升安全水平。||完成全区安全培训和检查工作，提升安全水平。|",
            "一级指标|二级指标|三级指标||年度指标值",
        ]
    )
    return (head + "\n" + "\n".join(rows)).replace("|", "\t") + "\n"


CLEAN_ROWS = (
    "产出指标|数量指标|开展安全培训次数||≥30次",
    "|质量指标|培训合格率||≥95%",
    "|时效指标|培训完成及时率||100%",
    "成本指标|经济成本指标|单次培训成本||≤0.3万元",
    "效益指标|社会效益指标|安全生产事故起数较上年下降幅度||≥5%",
    "满意度指标|服务对象满意度指标|参训人员满意度||≥95%",
)
