from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "workforce.careers"
    label = "careers"
    verbose_name = "Early careers and retention"
