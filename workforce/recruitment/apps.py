from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "workforce.recruitment"
    label = "recruitment"
    verbose_name = "Recruitment"
    navigation: list = []
