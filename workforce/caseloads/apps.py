from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "workforce.caseloads"
    label = "caseloads"
    verbose_name = "Caseloads"
    navigation: list = []
