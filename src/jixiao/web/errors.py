"""Error pages in Chinese, and the API's one error shape."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refuses before any view (too many form fields, a malformed body…)."""
    if _is_api(request):
        return JsonResponse(error_body("bad_request", "请求无效。"), status=400)
    return render(
        request,
        "jixiao/error.html",
        {
            "title": "请求无效",
            "text": "请求的内容无法处理（例如表单的字段过多或格式不对）。请返回上一页重试；"
            "如果一直出现，请联系管理员。",
        },
        status=400,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body("forbidden", "没有权限。"), status=403)
    return render(
        request,
        "jixiao/error.html",
        {"title": "没有权限", "text": "您没有访问这个页面的权限。"},
        status=403,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body("not_found", "找不到，或者您没有权限查看。"), status=404)
    return render(
        request,
        "jixiao/error.html",
        {"title": "找不到页面", "text": "页面不存在，或者您没有权限查看。"},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", "服务器内部错误，请稍后再试或联系管理员。"), status=500
        )
    return render(
        request,
        "jixiao/error.html",
        {"title": "服务器出错", "text": "服务器内部错误，请稍后再试或联系管理员。"},
        status=500,
    )


class ApiErrorShape:
    """Any failure under /api/ that is not JSON yet (405, 413, a CSRF 403 …) gets the one error shape."""

    _MESSAGES = {
        400: ("bad_request", "请求无效。"),
        403: ("forbidden", "没有权限（或缺少 CSRF 令牌）。"),
        405: ("method_not_allowed", "这个地址不支持该请求方法。"),
        413: ("too_large", "请求内容过大。"),
    }

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if (
            _is_api(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = self._MESSAGES.get(response.status_code, ("error", "请求失败。"))
            shaped = JsonResponse(error_body(code, message), status=response.status_code)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response


class ApiTrailingSlash:
    """``/api/projects/`` is ``/api/projects``: a trailing slash never makes an API call a 404."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/api/") and len(path) > len("/api/") and path.endswith("/"):
            request.path_info = path.rstrip("/")
        response: HttpResponse = self.get_response(request)
        return response


class NoNulInQuery:
    """NUL characters are removed from the query string's parameters: no stored text can hold
    one, PostgreSQL refuses to compare text with them (every filter would answer 500), and a
    NUL ends an SQLite full-text query."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cast(Any, cleaned)
        response: HttpResponse = self.get_response(request)
        return response
