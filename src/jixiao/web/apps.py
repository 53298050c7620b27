from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jixiao.web"
    label = "jixiao"
    verbose_name = "绩效目标"
    default_auto_field = "django.db.models.BigAutoField"
