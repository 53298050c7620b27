"""The `jixiao` command, run as a user runs it: a real process, real files."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import jsonschema
import pytest

from jixiao.cli import build_parser
from jixiao.formats import json as json_format
from jixiao.services.importing import read_path
from tests.conftest import CLEAN_ROWS, ROOT, SEED, table


def clean_environment() -> dict[str, str]:
    """The environment of a user's shell: not the test session's Django settings, data
    directory, secret or database (a command started by a test must not inherit them)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("JIXIAO_") and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }


def jixiao(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("env", clean_environment())
    kwargs.setdefault("timeout", 300)
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        check=False,
        **kwargs,
    )


def test_check_prints_file_line_severity_rule_and_message_then_counts():
    run = jixiao("check", str(SEED))
    assert run.returncode == 1, "the seed has one error: exit code 1"
    lines = run.stdout.splitlines()
    assert f"{SEED}:79: 错误 [VAL-MISSING] 指标“装备利用率”没有填写指标值" in lines
    assert any(line.startswith(f"{SEED}:131: 警告 [IND-LIFESPAN-PLACE]") for line in lines)
    assert (
        "规则集：local（地方通用（按预算年度选用 local-2015 或 local-2022）；"
        "按预算年度用了 local-2022）" in lines
    )
    assert "错误 1 个，警告 23 个，提示 0 个。" in lines
    assert "检查了 1 个文件、9 个项目、66 个指标，年度金额合计 282.80 万元。" in lines
    assert run.stderr == ""


def test_check_verbose_shows_the_fix_and_the_basis():
    run = jixiao("check", "--verbose", str(SEED))
    assert "    修改建议：" in run.stdout and "    依据：财预〔2015〕88号" in run.stdout


SEED_PROJECTS = read_path(SEED).projects


def test_check_json_records_the_rule_set_and_counts():
    run = jixiao("check", "--format", "json", "--rules", "central", str(SEED))
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["ruleset"]["name"] == "central"
    assert report["counts"] == {"error": 10, "warning": 14, "info": 0}
    assert report["ruleset"]["versions"] == ["central-2022"]
    (file,) = report["files"]
    tables = file.pop("tables")
    assert file == {
        "path": str(SEED),
        "readable": True,
        "encoding": "utf-8",
        "projects": 9,
        "indicators": 66,
    }
    assert [t["indicators"] for t in tables] == [len(p.indicators) for p in SEED_PROJECTS]
    assert {t["layout"] for t in tables} == {"tab"} and all(t["confident"] for t in tables)
    missing = next(f for f in report["findings"] if f["rule"] == "VAL-MISSING")
    assert (
        missing["line"] == 79
        and missing["indicator"] == "装备利用率"
        and missing["project"] == "森林防火物资采购"
    )


def test_a_clean_table_exits_zero(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text(table(*CLEAN_ROWS), encoding="gb18030")
    run = jixiao("check", "--rules", "central", str(clean))
    assert run.returncode == 0, run.stdout
    assert "错误 0 个，警告 0 个，提示 0 个。" in run.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"\x00\x01\x02\x03" * 100, "二进制文件"),
        ("随便写的一段话。\n".encode(), "没有找到绩效目标表"),
    ],
)
def test_an_unreadable_file_exits_2_with_a_chinese_message_and_no_traceback(
    tmp_path, content, message
):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    run = jixiao("check", str(bad), str(SEED))
    assert run.returncode == 2
    assert f"{bad}: 错误 [READ-UNREADABLE]" in run.stdout and message in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert "9 个项目" in run.stdout, "the readable file is still checked"


def test_a_missing_file_and_a_folder_exit_2(tmp_path):
    run = jixiao("check", str(tmp_path / "nope.txt"), str(tmp_path))
    assert run.returncode == 2
    assert "文件不存在" in run.stdout and "这是一个文件夹" in run.stdout


def test_a_wrong_option_exits_2_in_chinese():
    run = jixiao("check", "--rules", "mars", str(SEED))
    assert run.returncode == 2 and "参数错误" in run.stderr


# What argparse says in English when it is not translated.
ARGPARSE_ENGLISH = re.compile(
    r"usage|positional arguments|options:|optional arguments|show this help|error:|invalid"
    r"|required|unrecognized|argument|expected|choose from|ambiguous|not allowed|subcommands",
    re.IGNORECASE,
)
SUBCOMMANDS = sorted(
    next(
        action.choices
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
)


@pytest.mark.parametrize("args", [["--help"], *[[name, "--help"] for name in SUBCOMMANDS]])
def test_help_is_in_chinese(args):
    run = jixiao(*args, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("用法： jixiao")
    assert "选项:" in run.stdout and "显示本帮助并退出" in run.stdout
    assert not ARGPARSE_ENGLISH.findall(run.stdout), run.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "缺少必需的参数：命令"),
        (["bogus"], "参数 命令：无效的选择：'bogus'（可选：'check', 'parse'"),
        (["check"], "缺少必需的参数：FILE"),
        (["check", "--format", "xml", "a.txt"], "参数 --format：无效的选择：'xml'"),
        (["export", "a.txt"], "缺少必需的参数：--to"),
        (["parse", "a.txt", "-o"], "参数 -o/--output：需要一个值"),
        (["rules", "extra"], "无法识别的参数：extra"),
        (["check", "--verbose=yes", "a.txt"], "选项不接受值"),
        (["demo", "--port", "http"], "参数 --port：端口必须是 1 到 65535 之间的整数，不是“http”"),
        (["demo", "--port", "70000"], "端口必须是 1 到 65535 之间的整数"),
        (["serve", "--workers", "0"], "参数 --workers：必须是正整数，不是“0”"),
    ],
)
def test_usage_errors_are_in_chinese_with_exit_code_2(args, message):
    run = jixiao(*args, timeout=60)  # a mistake here must not leave a server running
    assert run.returncode == 2 and run.stdout == ""
    usage, error = run.stderr.splitlines()[0], run.stderr.splitlines()[-1]
    assert usage.startswith("用法： jixiao") and error.startswith("jixiao：参数错误：")
    assert message in error
    assert not ARGPARSE_ENGLISH.findall(run.stderr), run.stderr
    assert "Traceback" not in run.stderr


def test_parse_prints_schema_valid_canonical_json():
    run = jixiao("parse", str(SEED), "--format", "json")
    assert run.returncode == 0
    document = json.loads(run.stdout)
    jsonschema.validate(document, json_format.schema())
    assert len(document["projects"]) == 9


def test_parse_output_file_round_trips_through_check(tmp_path):
    out = tmp_path / "seed.json"
    assert jixiao("parse", str(SEED), "-o", str(out)).returncode == 0
    run = jixiao("check", "--format", "json", str(out))
    report = json.loads(run.stdout)
    assert report["counts"] == {"error": 1, "warning": 23, "info": 0}
    assert {f["line"] for f in report["findings"]} >= {13, 79, 131}


def test_parse_of_an_unreadable_file_writes_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("不是表格\n", encoding="utf-8")
    out = tmp_path / "out.json"
    run = jixiao("parse", str(bad), "-o", str(out))
    assert run.returncode == 2 and "没有找到绩效目标表" in run.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_rules_lists_the_catalogue_of_the_chosen_set_and_year():
    local = jixiao("rules").stdout
    central = jixiao("rules", "--rules", "central").stdout
    old = jixiao("rules", "--year", "2019").stdout
    assert old.startswith("2019 年度有效的规则集：local-2015")
    assert "STRUCT-COST-MISSING" not in old
    cost = [line for line in local.splitlines() if line.startswith("STRUCT-COST-MISSING")]
    assert cost and "警告" in cost[0]
    assert "STRUCT-COST-MISSING        错误" in central
    assert "VAL-VAGUE" in local
    catalogue = json.loads(jixiao("rules", "--format", "json").stdout)
    assert len(catalogue["rules"]) >= 20 and catalogue["default_ruleset"] == "local"


def test_a_progress_bar_is_shown_when_many_files_are_checked_on_a_terminal(tmp_path):
    files = []
    for n in range(3):
        path = tmp_path / f"t{n}.txt"
        path.write_text(table(*CLEAN_ROWS), encoding="utf-8")
        files.append(str(path))
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        run = subprocess.run(
            [sys.executable, "-m", "jixiao", "check", *files],
            stdout=subprocess.PIPE,
            stderr=follower,
            check=False,
            env={**clean_environment(), "COLUMNS": "80"},
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert run.returncode == 0
    assert "审核".encode() in shown and b"/3" in shown
    piped = jixiao("check", *files)
    assert piped.stderr == "", "no progress bar when stderr is not a terminal"


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "html", "json"])
def test_export_writes_a_file_that_check_reads_back(tmp_path, fmt):
    out = tmp_path / f"seed.{fmt}"
    run = jixiao("export", str(SEED), "--to", fmt, "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 1000
    report = json.loads(jixiao("check", "--format", "json", str(out)).stdout)
    assert report["files"][0]["projects"] == 9 and report["files"][0]["indicators"] == 66
    assert report["counts"] == {"error": 1, "warning": 23, "info": 0}


def test_export_names_the_output_after_the_input_by_default(tmp_path):
    run = jixiao("export", str(SEED), "--to", "docx", "--layout", "split", cwd=tmp_path)
    assert run.returncode == 0
    assert (tmp_path / f"{SEED.stem}.docx").exists()


def test_export_says_what_a_layout_cannot_hold_and_json_keeps_it(tmp_path):
    evaluation = next(Path(__file__).parents[1].joinpath("corpus").glob("019_*.txt"))
    out = str(tmp_path / "e.xlsx")
    run = jixiao("export", str(evaluation), "--to", "xlsx", "--layout", "standard", "-o", out)
    assert run.returncode == 0, run.stderr
    assert "没有位置写" in run.stderr and "个指标的分值" in run.stderr
    assert "实际完成值" in run.stderr and "--to json" in run.stderr
    run = jixiao("export", str(evaluation), "--to", "json", "-o", str(tmp_path / "e.json"))
    assert run.returncode == 0 and "没有位置写" not in run.stderr
    indicators = json.loads((tmp_path / "e.json").read_text("utf-8"))["projects"][0]["indicators"]
    assert any("weight" in i and "actual" in i for i in indicators)


def test_export_of_a_plain_target_table_warns_of_nothing(tmp_path):
    run = jixiao("export", str(SEED), "--to", "xlsx", "-o", str(tmp_path / "s.xlsx"))
    assert run.returncode == 0 and "没有位置写" not in run.stderr


def test_export_of_an_unreadable_file_leaves_no_output_behind(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    out = tmp_path / "out.pdf"
    run = jixiao("export", str(bad), "--to", "pdf", "-o", str(out))
    assert run.returncode == 2 and "损坏" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_summary_writes_one_row_per_project(tmp_path):
    out = tmp_path / "summary.html"
    assert jixiao("summary", str(SEED), "--to", "html", "-o", str(out)).returncode == 0
    page = out.read_text("utf-8")
    assert "项目绩效目标汇总表" in page and page.count("<tr") == 11


def test_an_export_into_a_missing_folder_fails_cleanly(tmp_path):
    out = tmp_path / "no" / "such" / "dir" / "x.xlsx"
    run = jixiao("export", str(SEED), "--to", "xlsx", "-o", str(out))
    assert run.returncode == 2 and "无法写入" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "args",
    [
        ["check", str(SEED)],
        ["check", "--format", "json", str(SEED)],
        ["parse", str(SEED)],
        ["rules"],
        ["rules", "--format", "markdown"],
        ["--help"],
    ],
    ids=lambda args: " ".join("SEED" if arg == str(SEED) else arg for arg in args),
)
def test_output_cut_short_by_the_reader_ends_quietly(args, buffered):
    """``jixiao check … | head -1``: the reader is gone before anything is written (its end of
    the pipe is closed first), so every write fails; no traceback, no interpreter message."""
    env = {k: v for k, v in clean_environment().items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "jixiao", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert run.stderr == ""
    assert run.returncode == 0


def test_evaluate_prints_computed_scores_beside_the_reported_ones(tmp_path):
    from tests.unit.test_rules import SELF_EVALUATION

    path = tmp_path / "自评表.txt"
    path.write_text(SELF_EVALUATION.replace("3200平方米\t30\t30", "2400平方米\t30\t30"), "utf-8")
    run = jixiao("evaluate", str(path))
    assert run.returncode == 0, run.stderr
    assert "实际 2400平方米 < 目标 ≥3000平方米，得 2400÷3000×30 = 24 分" in run.stdout
    assert "≠ 改造面积" in run.stdout and "报告得分与计算得分不同的有 1 处" in run.stdout
    report = json.loads(jixiao("evaluate", "--format", "json", str(path)).stdout)
    (card,) = report["projects"]
    assert card["scheme"]["name"] == "caiyu-2020-10" and card["differences"] == 1
    assert card["indicators"][0]["computed"] == "24" and card["indicators"][0]["reported"] == "30"
    assert card["total"] == {"reported": "98.5", "computed": "92.5"}
    plain = jixiao("evaluate", str(SEED))
    assert plain.returncode == 2 and "没有找到自评表" in plain.stderr


@pytest.mark.parametrize("to", ["xlsx", "html"])
def test_evaluate_writes_the_units_self_evaluation_summary(tmp_path, to):
    from tests.unit.test_rules import SELF_EVALUATION

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(SELF_EVALUATION, "utf-8")
    second.write_text(SELF_EVALUATION.replace("暖通改造经费", '=HYPERLINK("x")'), "utf-8")
    out = tmp_path / f"汇总.{to}"
    run = jixiao("evaluate", str(first), str(second), "--to", to, "-o", str(out))
    assert run.returncode == 0, run.stderr
    if to == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(out).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[2][:3] == ("序号", "项目名称", "评分方案")
        assert [r[1] for r in rows[3:]] == ["暖通改造经费", '=HYPERLINK("x")']
        assert sheet.cell(row=5, column=2).data_type == "s"  # text, never a formula
        assert rows[3][6] == 98.5 and rows[3][8] == "优"
    else:
        page = out.read_text("utf-8")
        assert "项目支出绩效自评汇总表" in page and '<td class="text">暖通改造经费</td>' in page
        assert "=HYPERLINK(&#34;x&#34;)" in page


def test_export_writes_a_self_evaluation_in_its_own_layout(tmp_path):
    from tests.unit.test_rules import SELF_EVALUATION

    path = tmp_path / "自评表.txt"
    path.write_text(SELF_EVALUATION, "utf-8")
    out = tmp_path / "自评表.xlsx"
    run = jixiao("export", str(path), "--to", "xlsx", "-o", str(out))
    assert run.returncode == 0 and "注意" not in run.stderr, run.stderr
    (project,) = read_path(out).projects
    assert project.evaluation is not None and project.evaluation.total_reported == 98.5


MONITORING_TABLE = ROOT / "tests" / "monitoring" / "central-1-7.txt"


def test_monitor_prints_each_light_with_its_reason(tmp_path):
    run = jixiao("monitor", str(MONITORING_TABLE))
    assert run.returncode == 0, run.stderr
    assert "1–7月，时间进度 58.33%" in run.stdout
    assert (
        "●红  采购防火服：1–7月完成 80套，按时间进度应完成 300套 × 7/12 = 175套，完成进度 45.71%，"
        "低于 60%" in run.stdout
    )
    assert "合计：红灯 3，黄灯 1，绿灯 3" in run.stdout
    data = json.loads(jixiao("monitor", "--format", "json", str(MONITORING_TABLE)).stdout)
    (report,) = data["projects"]
    assert report["light"] == "red" and report["execution"]["light"] == "red"
    assert report["counts"] == {"red": 3, "yellow": 1, "green": 3, "blue": 0, "none": 0}
    # The same values in October are later still: the month can be given.
    later = json.loads(
        jixiao("monitor", "--month", "10", "--format", "json", str(MONITORING_TABLE)).stdout
    )
    assert later["projects"][0]["counts"]["red"] == 4
    assert "没有找到监控表" in jixiao("monitor", str(SEED)).stderr
    assert jixiao("monitor", "--month", "13", str(MONITORING_TABLE)).returncode == 2
    out = tmp_path / "监控汇总.xlsx"
    written = jixiao("monitor", str(MONITORING_TABLE), "--to", "xlsx", "-o", str(out))
    assert written.returncode == 0, written.stderr
    import openpyxl

    cells = [c for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True) for c in r]
    assert "森林防火物资采购" in cells and "红灯" in cells


def test_check_applies_the_monitoring_rules_to_a_monitoring_table():
    run = jixiao("check", str(MONITORING_TABLE))
    assert "[MON-IMPOSSIBLE-NO-REASON]" in run.stdout and "[MON-EXECUTION-BEHIND]" in run.stdout
    assert run.returncode == 1  # an error: 完全不可能 without a reason
    assert "[MON-" not in jixiao("check", str(SEED)).stdout


def test_check_on_a_folder_reads_every_table_in_it_on_every_core(tmp_path):
    """A folder stands for its tables (subfolders too; hidden files and other files left
    alone); several processes give exactly what one gives."""
    corpus = sorted((ROOT / "tests" / "corpus").glob("*.txt"))[:12]
    for n, path in enumerate(corpus):
        target = tmp_path / ("sub" if n % 3 == 0 else "") / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
    (tmp_path / ".hidden.txt").write_text("项目名称\t不应读取\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("说明\n", encoding="utf-8")
    parallel = jixiao("check", "--format", "json", "--jobs", "2", str(tmp_path))
    serial = jixiao("check", "--format", "json", "--jobs", "1", str(tmp_path))
    assert parallel.returncode == serial.returncode and parallel.stdout == serial.stdout
    report = json.loads(parallel.stdout)
    assert {Path(f["path"]).name for f in report["files"]} == {path.name for path in corpus}
    assert sum(f["projects"] for f in report["files"]) >= 12 and report["findings"]
