"""A file between its preview and its confirmation, for the imports into one project's
self-evaluation or monitoring report: kept in the database (any app server may receive the
confirmation), one per user, and matched to the preview the user saw."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from jixiao.web import services
from jixiao.web.models import Upload
from jixiao.web.views import _file_name


def received(request: HttpRequest, what: str) -> tuple[bytes, str]:
    """The uploaded file's bytes and a safe name; a missing or too large file is refused."""
    upload = request.FILES.get("file")
    if upload is None:
        raise services.Refused(f"请选择要导入的{what}文件。")
    if (upload.size or 0) > settings.MAX_UPLOAD_BYTES:
        raise services.Refused(f"文件过大：上限为 {settings.MAX_UPLOAD_BYTES // 1024 // 1024} MB。")
    return upload.read(), _file_name(upload.name or "", "上传文件")


def hold(request: HttpRequest, key: str, data: bytes, name: str, digest: str, **seen: Any) -> None:
    """Keep the file until it is confirmed, with what the preview showed (``seen``)."""
    user: Any = request.user
    Upload.objects.filter(user=user).delete()  # one pending import per user
    Upload.objects.create(user=user, digest=digest, filename=name, data=data)
    request.session[key] = {"digest": digest, "filename": name, **seen}


def held(request: HttpRequest, key: str, **expected: Any) -> tuple[bytes, dict[str, Any]] | None:
    """The file kept for the preview being confirmed, or None when it expired or the
    confirmation is for another preview (another project, round or file)."""
    user: Any = request.user
    pending = request.session.get(key) or {}
    stored = (
        Upload.objects.filter(user=user, digest=pending.get("digest", "")).order_by("-id").first()
    )
    if stored is None or pending.get("digest") != request.POST.get("digest"):
        return None
    if any(pending.get(name) != value for name, value in expected.items()):
        return None
    return bytes(stored.data), pending


def release(request: HttpRequest, key: str) -> None:
    user: Any = request.user
    request.session.pop(key, None)
    Upload.objects.filter(user=user).delete()
