"""The admin site in Chinese, also for django-axes' login records (axes ships no Chinese)."""

from __future__ import annotations

import gettext
import re
import subprocess
from pathlib import Path

import axes
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

import jixiao.web

MESSAGES = Path(jixiao.web.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def catalogue(mo: Path) -> dict[object, str]:
    with mo.open("rb") as file:
        found = dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]
    found.pop("", None)  # the header
    return found


def test_the_compiled_catalogue_is_the_one_written(tmp_path):
    """django.mo is msgfmt's output of django.po: an edit of the .po compiled again."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(MESSAGES / "django.po")], check=True)
    assert catalogue(MESSAGES / "django.mo") == catalogue(fresh)


def test_every_text_axes_shows_is_translated():
    """Each text axes marks for translation (its models and admin), read from its own source,
    has a Chinese translation: Django's own catalogue, or jixiao's."""
    source = Path(axes.__file__).parent
    texts = set()
    for name in ("models.py", "admin.py"):
        texts |= set(re.findall(r'_\(\s*"([^"]+)"\s*\)', (source / name).read_text("utf-8")))
    assert len(texts) > 20  # the pattern found them
    with translation.override("zh-hans"):
        untranslated = sorted(
            t for t in texts if translation.gettext(t) == t and t != "HTTP Accept"
        )
    assert untranslated == []


def test_the_login_records_are_listed_in_chinese(db):
    operator = get_user_model().objects.create_superuser("locale-operator", password="x-9-y-8")
    AccessLog.objects.create(
        username="filler", ip_address="10.0.0.7", user_agent="Firefox", path_info="/login/"
    )
    client = Client()
    client.force_login(operator)
    index = client.get("/admin/").content.decode()
    assert "登录安全" in index and "登录记录" in index and ">Axes<" not in index
    page = client.get("/admin/axes/accesslog/").content.decode()
    for header in ("登录时间", "退出时间", "IP 地址", "用户名", "浏览器", "访问路径"):
        assert f">{header}<" in page, header
    for english in ("Attempt Time", "User Agent", "Username", "access log"):
        assert english not in page, english
    with translation.override("zh-hans"):
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            assert not str(model._meta.verbose_name).isascii(), model


def test_old_login_records_are_pruned_by_the_documented_command(db):
    """docs/web.md's nightly job: axes' own commands, through jixiao's login handler, remove
    the records older than the age given and keep the rest."""
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    for model in (AccessLog, AccessFailureLog):
        old = model.objects.create(username="old", user_agent="x", path_info="/login/")
        model.objects.filter(id=old.id).update(attempt_time=timezone.now() - timedelta(days=400))
        model.objects.create(username="new", user_agent="x", path_info="/login/")
    call_command("axes_reset_logs", age=365, stdout=StringIO())
    call_command("axes_reset_failure_logs", age=365, stdout=StringIO())
    for model in (AccessLog, AccessFailureLog):
        assert list(model.objects.values_list("username", flat=True)) == ["new"], model
