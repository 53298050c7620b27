from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from jixiao.web import adjustment_views, evaluation_views, monitoring_views, views
from jixiao.web.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects", permanent=False)),
    # Browsers ask for /favicon.ico whatever the page links: the app's own icon, never a 404.
    path("favicon.ico", RedirectView.as_view(url=static("jixiao/favicon.svg"), permanent=True)),
    # For a load balancer in front of several app servers: answered without the database.
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="jixiao/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="jixiao/password.html", success_url="/password/done/"
        ),
        name="password",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="jixiao/password_done.html"),
        name="password_done",
    ),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:project_id>/", views.project, name="project"),
    path("projects/<int:project_id>/edit/", views.edit, name="edit"),
    path("projects/<int:project_id>/history/", views.history, name="history"),
    path("projects/<int:project_id>/export/<str:fmt>/", views.export_project, name="export"),
    path("projects/<int:project_id>/evaluation/", evaluation_views.evaluation, name="evaluation"),
    path(
        "projects/<int:project_id>/evaluation/import/",
        evaluation_views.evaluation_import,
        name="evaluation_import",
    ),
    path(
        "projects/<int:project_id>/evaluation/export/<str:fmt>/",
        evaluation_views.evaluation_export,
        name="evaluation_export",
    ),
    path(
        "projects/<int:project_id>/evaluation/<str:action>/",
        evaluation_views.evaluation_act,
        name="evaluation_act",
    ),
    path("projects/<int:project_id>/adjust/", adjustment_views.adjust, name="adjust"),
    path(
        "projects/<int:project_id>/adjustments/<int:request_id>/",
        adjustment_views.adjustment,
        name="adjustment",
    ),
    path(
        "projects/<int:project_id>/adjustments/<int:request_id>/<str:action>/",
        adjustment_views.decide,
        name="adjustment_act",
    ),
    path("projects/<int:project_id>/<str:action>/", views.act, name="act"),
    path("queue/", views.queue, name="queue"),
    path("import/", views.import_file, name="import"),
    path("summary/<str:fmt>/", views.export_summary_view, name="summary"),
    path(
        "evaluations/summary/<str:fmt>/",
        evaluation_views.evaluation_summary,
        name="evaluation_summary",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search_page, name="search"),
    path("monitoring/", monitoring_views.rounds, name="monitoring"),
    path("monitoring/<int:round_id>/", monitoring_views.board, name="monitoring_board"),
    path("monitoring/<int:round_id>/close/", monitoring_views.close_round, name="monitoring_close"),
    path(
        "monitoring/<int:round_id>/summary/<str:fmt>/",
        monitoring_views.round_summary,
        name="monitoring_summary",
    ),
    path(
        "monitoring/<int:round_id>/projects/<int:project_id>/",
        monitoring_views.report_view,
        name="monitoring_report",
    ),
    path(
        "monitoring/<int:round_id>/projects/<int:project_id>/import/",
        monitoring_views.report_import,
        name="monitoring_import",
    ),
    path(
        "monitoring/<int:round_id>/projects/<int:project_id>/export/<str:fmt>/",
        monitoring_views.report_export,
        name="monitoring_export",
    ),
    path(
        "monitoring/<int:round_id>/projects/<int:project_id>/<str:action>/",
        monitoring_views.report_act,
        name="monitoring_act",
    ),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler400 = "jixiao.web.errors.bad_request"
handler403 = "jixiao.web.errors.forbidden"
handler404 = "jixiao.web.errors.not_found"
handler500 = "jixiao.web.errors.server_error"
