"""The ``jixiao`` command: thin entry points over the services."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from jixiao.argparse_zh import ChineseArgumentParser, ChineseHelpFormatter
from jixiao.core.findings import Finding, Severity, count_by_severity, sort_findings
from jixiao.core.model import Project, total_annual_funds
from jixiao.core.scoring import DEFAULT_SCHEME, SCHEMES
from jixiao.core.summary import summarise
from jixiao.core.targets import format_decimal
from jixiao.formats import json as json_format
from jixiao.formats.base import ReadResult
from jixiao.formats.form import DEFAULT_LAYOUT, LAYOUT_NAMES, left_out
from jixiao.formats.registry import EXPORT_FORMATS, SUMMARY_FORMATS
from jixiao.rules.catalogue import DEFAULT_RULESET, RULESETS, get_ruleset
from jixiao.services import catalogue, checking, evaluating, monitoring
from jixiao.services.exporting import ExportError, export, export_summary, write_atomically
from jixiao.services.importing import read_path
from jixiao.services.review import review_projects

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


_Parser = ChineseArgumentParser  # usage errors exit 2 (EXIT_UNREADABLE)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"端口必须是 1 到 65535 之间的整数，不是“{text}”")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"必须是正整数，不是“{text}”")
    return int(text)


def _count_or_zero(text: str) -> int:
    if not text.isdigit() or int(text) > 256:
        raise argparse.ArgumentTypeError(f"必须是 0 到 256 的整数，不是“{text}”")
    return int(text)


def build_parser(width: int | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``width`` fixes the help layout (docs are generated from it)."""

    def formatter(prog: str) -> argparse.HelpFormatter:
        return ChineseHelpFormatter(prog, width=width)

    parser = _Parser(
        prog="jixiao", description="预算绩效目标表：读取、审核、导出。", formatter_class=formatter
    )
    commands = parser.add_subparsers(
        dest="command", metavar="命令", required=True, parser_class=_Parser
    )

    check = commands.add_parser(
        "check", formatter_class=formatter, help="审核绩效目标表，列出发现的问题"
    )
    check.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="绩效目标表文件（任何可读取的格式）；文件夹表示其中（含子文件夹）的所有表格文件",
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    check.add_argument(
        "--rules",
        default=DEFAULT_RULESET,
        choices=tuple(RULESETS),
        help=f"规则集（默认 {DEFAULT_RULESET}）",
    )
    check.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="同时列出修改建议和依据，以及每张表是怎样读出的",
    )
    check.add_argument("--no-progress", action="store_true", help="不显示进度条")
    check.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=_count_or_zero,
        default=0,
        help="同时审核的进程数（默认 0：每个 CPU 核一个；文件少时只用一个）",
    )

    parse = commands.add_parser(
        "parse", formatter_class=formatter, help="读取绩效目标表，输出规范 JSON（开放数据格式）"
    )
    parse.add_argument(
        "files", nargs="+", metavar="FILE", help="绩效目标表文件（任何可读取的格式）"
    )
    parse.add_argument("--format", choices=("json",), default="json", help="输出格式")
    parse.add_argument("-o", "--output", help="写入文件（默认输出到屏幕）")
    parse.add_argument(
        "-v", "--verbose", action="store_true", help="在标准错误上说明每张表是怎样读出的"
    )

    export = commands.add_parser(
        "export", formatter_class=formatter, help="按官方表式导出绩效目标表"
    )
    export.add_argument(
        "files", nargs="+", metavar="FILE", help="绩效目标表文件（任何可读取的格式）"
    )
    export.add_argument("--to", required=True, choices=EXPORT_FORMATS, help="导出格式")
    export.add_argument(
        "-o",
        "--output",
        help="输出文件（默认：第一个输入文件名加新扩展名，写在当前目录）",
    )
    export.add_argument(
        "--layout",
        choices=LAYOUT_NAMES,
        help="表式（默认：自评表用 self-evaluation，监控表用 monitoring，目标调整过的目标表用 "
        "adjusted，其他目标表用 standard；目标表也可导出为 self-evaluation、monitoring 或 "
        "monitoring-half-year，待填写的各栏留空）",
    )
    export.add_argument(
        "--rules", default=DEFAULT_RULESET, choices=tuple(RULESETS), help="XLSX 汇总页使用的规则集"
    )

    evaluate = commands.add_parser(
        "evaluate",
        formatter_class=formatter,
        help="为自评表计分：每个指标的计算得分与报告得分并列，并说明理由",
    )
    evaluate.add_argument("files", nargs="+", metavar="FILE", help="自评表文件（任何可读取的格式）")
    evaluate.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    evaluate.add_argument(
        "--to", choices=("xlsx", "html"), help="写出自评汇总表（每个项目一行）而不是逐项说明"
    )
    evaluate.add_argument(
        "-o", "--output", help="汇总表的输出文件（默认：自评汇总表.xlsx / .html）"
    )
    evaluate.add_argument(
        "--scheme",
        choices=tuple(SCHEMES),
        help=f"评分方案（默认：表格看得出用的是“20 分 × 执行率”时用 execution-20，否则 {DEFAULT_SCHEME}）",
    )

    monitor = commands.add_parser(
        "monitor",
        formatter_class=formatter,
        help="运行监控：为监控表的每个指标和预算执行亮灯（红、黄、绿、蓝），并说明理由",
    )
    monitor.add_argument("files", nargs="+", metavar="FILE", help="监控表文件（任何可读取的格式）")
    monitor.add_argument(
        "--month",
        type=int,
        choices=range(1, 13),
        metavar="N",
        help="监控截至几月（1–12；默认：表中写明的“1-N月”）",
    )
    monitor.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    monitor.add_argument(
        "--to", choices=("xlsx", "html"), help="写出监控汇总表（每个项目一行）而不是逐项说明"
    )
    monitor.add_argument("-o", "--output", help="汇总表的输出文件（默认：监控汇总表.xlsx / .html）")

    summary = commands.add_parser(
        "summary", formatter_class=formatter, help="导出单位汇总表（每个项目一行）"
    )
    summary.add_argument(
        "files", nargs="+", metavar="FILE", help="绩效目标表文件（任何可读取的格式）"
    )
    summary.add_argument("--to", required=True, choices=SUMMARY_FORMATS, help="导出格式")
    summary.add_argument("-o", "--output", help="输出文件（默认：汇总表.xlsx / 汇总表.html）")
    summary.add_argument(
        "--rules", default=DEFAULT_RULESET, choices=tuple(RULESETS), help="统计问题所用的规则集"
    )

    demo = commands.add_parser(
        "demo", formatter_class=formatter, help="启动演示网站（SQLite，演示数据和演示账号）"
    )
    demo.add_argument(
        "--data-dir", metavar="DIR", help="数据目录（默认 $JIXIAO_DATA_DIR 或 ./jixiao-data）"
    )
    demo.add_argument(
        "--host", metavar="HOST", default="127.0.0.1", help="监听地址（默认 127.0.0.1）"
    )
    demo.add_argument("--port", metavar="PORT", type=_port, default=8000, help="端口（默认 8000）")

    serve = commands.add_parser(
        "serve", formatter_class=formatter, help="启动网站（生产：DATABASE_URL 指向 PostgreSQL）"
    )
    serve.add_argument(
        "--data-dir", metavar="DIR", help="数据目录（SQLite 时存放数据库；默认 ./jixiao-data）"
    )
    serve.add_argument(
        "--host", metavar="HOST", default="127.0.0.1", help="监听地址（默认 127.0.0.1）"
    )
    serve.add_argument("--port", metavar="PORT", type=_port, default=8000, help="端口（默认 8000）")
    serve.add_argument(
        "--workers",
        metavar="N",
        type=_count,
        default=None,
        help="gunicorn 工作进程数，每个进程一次处理一个请求（默认 CPU 核数×2+1）",
    )

    backup = commands.add_parser(
        "backup",
        formatter_class=formatter,
        help="备份网站的数据库（SQLite 在线备份；PostgreSQL 用 pg_dump），网站可以继续运行",
    )
    backup.add_argument("file", metavar="FILE", help="备份文件（已有的会被替换）")
    backup.add_argument(
        "--data-dir", metavar="DIR", help="数据目录（SQLite 时数据库所在；默认 ./jixiao-data）"
    )

    restore = commands.add_parser(
        "restore",
        formatter_class=formatter,
        help="用备份文件恢复网站的数据库（覆盖全部数据；先停止网站）",
    )
    restore.add_argument("file", metavar="FILE", help="jixiao backup 写出的备份文件")
    restore.add_argument(
        "--data-dir", metavar="DIR", help="数据目录（SQLite 时数据库所在；默认 ./jixiao-data）"
    )
    restore.add_argument("--yes", action="store_true", help="不再询问，直接覆盖")

    rules = commands.add_parser("rules", formatter_class=formatter, help="列出审核规则目录")
    rules.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="输出格式"
    )
    rules.add_argument(
        "--rules",
        default=DEFAULT_RULESET,
        choices=tuple(RULESETS),
        help=f"文本格式时列出的规则集（默认 {DEFAULT_RULESET}）",
    )
    rules.add_argument(
        "--year",
        type=int,
        metavar="YEAR",
        help="列出该预算年度有效的版本（如 --year 2019；默认最新版本）",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    args = build_parser().parse_args(argv)
    handler = {
        "check": cmd_check,
        "parse": cmd_parse,
        "export": cmd_export,
        "summary": cmd_summary,
        "evaluate": cmd_evaluate,
        "monitor": cmd_monitor,
        "rules": cmd_rules,
        "demo": cmd_demo,
        "serve": cmd_serve,
        "backup": cmd_backup,
        "restore": cmd_restore,
    }[args.command]
    code: int = handler(args)
    return code


def _utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")


def _read_all(files: list[str]) -> list[tuple[str, ReadResult]]:
    return [(path, read_path(path)) for path in files]


def cmd_check(args: argparse.Namespace) -> int:
    ruleset = get_ruleset(args.rules)
    assert ruleset is not None  # argparse restricts the choices
    paths = checking.expand(args.files)
    bar: Any = None
    if not args.no_progress and len(paths) > 1 and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(paths), desc="审核", unit="个文件", file=sys.stderr, leave=False)
    try:
        results, review = checking.check_paths(
            paths, args.rules, args.jobs, bar.update if bar is not None else None
        )
    finally:
        if bar is not None:
            bar.close()
    projects: list[Project] = []
    findings: list[Finding] = []
    for _, result in results:
        projects.extend(result.projects)
        findings.extend(result.findings)
    findings = sort_findings([*findings, *review.findings])
    unreadable = any(result.fatal for _, result in results)
    counts = count_by_severity(findings)
    if args.format == "json":
        _print_json(
            _check_json(results, findings, ruleset.name, ruleset.title, review.versions), sys.stdout
        )
    else:
        if args.verbose:
            _print_tables(results, sys.stdout)
        _print_findings(findings, args.verbose, sys.stdout)
        indicators = sum(len(p.indicators) for p in projects)
        used = f"；按预算年度用了 {'、'.join(review.versions)}" if review.versions else ""
        print(
            f"规则集：{ruleset.name}（{ruleset.title}{used}）\n"
            f"检查了 {len(results)} 个文件、{len(projects)} 个项目、{indicators} 个指标，"
            f"年度金额合计 {format_decimal(total_annual_funds(projects))} 万元。\n"
            f"错误 {counts[Severity.ERROR]} 个，警告 {counts[Severity.WARNING]} 个，"
            f"提示 {counts[Severity.INFO]} 个。"
        )
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if counts[Severity.ERROR] else EXIT_OK


def _print_tables(results: list[tuple[str, ReadResult]], out: TextIO) -> None:
    """How each table was read: its kind, layout, rows used and ignored, indicators."""
    for path, result in results:
        for report in result.tables:
            print(f"{path}: {report.describe()}", file=out)


def _print_findings(findings: list[Finding], verbose: bool, out: TextIO) -> None:
    for finding in findings:
        print(finding.render(), file=out)
        if verbose:
            print(f"    修改建议：{finding.fix}", file=out)
            if finding.basis:
                print(f"    依据：{finding.basis}", file=out)


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "file": finding.source.path,
        "line": finding.source.line,
        "severity": finding.severity.value,
        "rule": finding.rule,
        "message": finding.message,
        "fix": finding.fix,
        "basis": finding.basis,
        "project": finding.project,
        "indicator": finding.indicator,
        "source": finding.source.to_json(),
    }


def _check_json(
    results: list[tuple[str, ReadResult]],
    findings: list[Finding],
    ruleset: str,
    title: str,
    versions: tuple[str, ...] = (),
) -> dict[str, Any]:
    counts = count_by_severity(findings)
    return {
        "format": "jixiao-check/1",
        "ruleset": {"name": ruleset, "title": title, "versions": list(versions)},
        "files": [
            {
                "path": path,
                "readable": not result.fatal,
                "encoding": result.meta.get("encoding"),
                "projects": len(result.projects),
                "indicators": sum(len(p.indicators) for p in result.projects),
                "tables": [_table_json(report) for report in result.tables],
            }
            for path, result in results
        ],
        "counts": {severity.value: counts[severity] for severity in Severity},
        "findings": [finding_json(f) for f in findings],
    }


def _table_json(report: Any) -> dict[str, Any]:
    return {
        "number": report.number,
        "kind": report.kind,
        "scope": report.scope,
        "name": report.name,
        "layout": report.layout,
        "rows_used": report.rows_used,
        "rows_unknown": report.rows_unknown,
        "rows_ignored": report.rows_ignored,
        "indicators": report.indicators,
        "columns": list(report.columns),
        "confident": report.confident,
        "source": report.source.to_json(),
    }


def _print_json(data: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _readable(files: list[str], verbose: bool = False) -> list[Project] | None:
    """The projects of every file, or None (after saying why) when one cannot be read."""
    results = _read_all(files)
    if verbose:
        _print_tables(results, sys.stderr)
        for _, result in results:
            _print_findings(list(result.findings), False, sys.stderr)
    failed = [result for _, result in results if result.fatal]
    for result in failed:
        _print_findings(list(result.findings), False, sys.stderr)
    if failed:
        return None
    return [p for _, result in results for p in result.projects]


def _write_output(target: Path | None, data: bytes) -> int:
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_atomically(target, data)
    except ExportError as error:
        print(f"jixiao：{error}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"已写入 {target}", file=sys.stderr)
    return EXIT_OK


def cmd_parse(args: argparse.Namespace) -> int:
    projects = _readable(args.files, verbose=args.verbose)
    if projects is None:
        return EXIT_UNREADABLE
    output = Path(args.output) if args.output else None
    return _write_output(output, json_format.dumps(projects).encode("utf-8"))


def cmd_evaluate(args: argparse.Namespace) -> int:
    projects = _readable(args.files, verbose=False)
    if projects is None:
        return EXIT_UNREADABLE
    scheme = SCHEMES[args.scheme] if args.scheme else None
    cards = evaluating.score_cards(projects, scheme)
    if not cards:
        print(
            "没有找到自评表：这些文件里没有“全年执行数”“实际完成值”“得分”等自评内容。",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    if args.to:
        output = Path(args.output or f"自评汇总表.{args.to}")
        return _write_output(output, evaluating.write_summary(cards, args.to))
    if args.format == "json":
        _print_json(evaluating.cards_json(cards), sys.stdout)
    else:
        sys.stdout.write("\n".join(evaluating.card_text(card) for card in cards))
    return EXIT_OK


def cmd_monitor(args: argparse.Namespace) -> int:
    projects = _readable(args.files, verbose=False)
    if projects is None:
        return EXIT_UNREADABLE
    found, monitored = monitoring.reported(projects, args.month)
    if not found:
        undated = any(p.monitoring is not None for p in projects)
        print(
            "监控表没有写明截至几月：请用 --month N 指定。"
            if undated
            else "没有找到监控表：这些文件里没有“1-N月执行数”“执行情况”“完成目标可能性”等监控内容。",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    if args.to:
        output = Path(args.output or f"监控汇总表.{args.to}")
        return _write_output(output, monitoring.write_summary(found, monitored, args.to))
    if args.format == "json":
        _print_json(monitoring.reports_json(found), sys.stdout)
    else:
        sys.stdout.write("\n".join(monitoring.report_text(item) for item in found))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    projects = _readable(args.files)
    if projects is None:
        return EXIT_UNREADABLE
    ruleset = get_ruleset(args.rules)
    assert ruleset is not None
    if args.layout is None:
        evaluated = projects and all(p.evaluation is not None for p in projects)
        adjusted = projects and all(p.adjustment is not None for p in projects)
        monitored = projects and all(p.monitoring is not None for p in projects)
        if evaluated:
            args.layout = "self-evaluation"
        elif monitored:
            args.layout = "monitoring"
        else:
            args.layout = "adjusted" if adjusted else DEFAULT_LAYOUT
    summary = None
    if args.to == "xlsx":
        findings = review_projects(projects, ruleset).findings
        summary = summarise(projects, findings, ruleset.name)
    missing = left_out(projects, args.layout) if args.to != "json" else []
    if missing:
        notes = any(m.endswith("备注") for m in missing)
        hint = "备注可用 --layout split 写出；" if notes and args.layout == DEFAULT_LAYOUT else ""
        print(
            f"jixiao：注意：表式 {args.layout} 没有位置写 {'、'.join(missing)}，"
            f"这些内容不会写入文件；{hint}完整内容请导出为 JSON（--to json）。",
            file=sys.stderr,
        )
    try:
        data = export(projects, args.to, args.layout, summary)
    except ExportError as error:
        print(f"jixiao：{error}", file=sys.stderr)
        return EXIT_UNREADABLE
    output = Path(args.output) if args.output else Path(Path(args.files[0]).stem + "." + args.to)
    return _write_output(output, data)


def cmd_summary(args: argparse.Namespace) -> int:
    projects = _readable(args.files)
    if projects is None:
        return EXIT_UNREADABLE
    ruleset = get_ruleset(args.rules)
    assert ruleset is not None
    findings = review_projects(projects, ruleset).findings
    data = export_summary(projects, findings, ruleset.name, args.to)
    output = Path(args.output) if args.output else Path(f"汇总表.{args.to}")
    return _write_output(output, data)


def cmd_demo(args: argparse.Namespace) -> int:
    from jixiao.web import server

    return server.demo(args.data_dir, args.host, args.port)


def cmd_serve(args: argparse.Namespace) -> int:
    from jixiao.web import server

    return server.serve(args.data_dir, args.host, args.port, args.workers)


def cmd_backup(args: argparse.Namespace) -> int:
    from jixiao.web import backup

    return backup.backup(args.file, args.data_dir)


def cmd_restore(args: argparse.Namespace) -> int:
    from jixiao.web import backup

    return backup.restore(args.file, args.data_dir, args.yes)


def cmd_rules(args: argparse.Namespace) -> int:
    if args.format == "markdown":
        sys.stdout.write(catalogue.catalogue_markdown())
    elif args.format == "json":
        _print_json(catalogue.catalogue_json(), sys.stdout)
    else:
        ruleset = get_ruleset(args.rules)
        assert ruleset is not None
        sys.stdout.write(catalogue.catalogue_text(ruleset.for_year(args.year), args.year))
    return EXIT_OK


def run() -> None:
    try:
        try:
            code: int | str | None = main()
        except SystemExit as end:  # --help, usage errors
            code = end.code
        finally:
            # Flushed here, not at exit: a reader that stopped early (``jixiao check … | head``)
            # is then a BrokenPipeError below, not a message from the interpreter's shutdown.
            sys.stdout.flush()
    except BrokenPipeError:
        # The output was cut: stop quietly, as other tools do; what is still buffered goes
        # nowhere (the Python documentation's recipe for SIGPIPE).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
    sys.exit(code)


if __name__ == "__main__":
    run()
