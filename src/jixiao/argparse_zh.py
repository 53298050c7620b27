"""argparse in Chinese: its error messages, the usage line, the group titles, the help option.

argparse looks its texts up through gettext (``argparse._`` and ``argparse.ngettext``) when a
parser is built, when help is formatted and when an error is reported.
:class:`ChineseArgumentParser` answers those look-ups from the table below while it does any
of that, and leaves argparse as it was afterwards (other parsers in the process are untouched).
A text missing from the table stays English; tests/integration/test_cli.py runs the real
command and fails on any English argparse word.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

MESSAGES = {
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # Python < 3.10
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "subcommands": "子命令",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "没有子命令 %(parser_name)r（可用：%(choices)s）"
    ),
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "选项不接受值：%r",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多接受一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 不明确，可能是：%(matches)s"
    ),
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
}
PLURALS = {"expected %s argument": "需要 %s 个值"}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if singular in PLURALS:
        return PLURALS[singular]
    return singular if n == 1 else plural


@contextmanager
def chinese() -> Iterator[None]:
    """argparse's gettext look-ups answered in Chinese, for the duration (re-entrant)."""
    saved = getattr(argparse, "_"), getattr(argparse, "ngettext")  # noqa: B009
    setattr(argparse, "_", gettext)  # noqa: B010
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


class ChineseHelpFormatter(argparse.HelpFormatter):
    """``用法：`` for ``usage:``.  Put in after formatting, with the same display width (7
    columns), so that argparse, which counts characters, still aligns the wrapped usage."""

    def format_help(self) -> str:
        text = super().format_help()
        if text.startswith(_USAGE):
            text = "用法： " + text[len(_USAGE) :]
        return text


_USAGE = "usage: "


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese; a usage error exits with ``exit_code`` (2)."""

    exit_code = 2

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with chinese():  # the group titles and the help option's text are looked up here
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with chinese():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with chinese():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        command = self.prog.split()[0] if self.prog else "jixiao"
        self.exit(self.exit_code, f"{command}：参数错误：{message}\n")
