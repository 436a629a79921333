import django.db.models.deletion
from django.db import migrations, models

THEMES = (
    "Caseload",
    "Hours",
    "Supervision and support",
    "Management",
    "Office and equipment",
    "Pay",
    "Progression",
    "Travel",
    "Personal",
    "Retirement",
)


def seed_themes(apps, schema_editor):
    """Every authority already recorded starts with the standard exit themes."""
    Authority = apps.get_model("core", "Authority")
    ExitTheme = apps.get_model("careers", "ExitTheme")
    for authority in Authority.objects.all():
        for order, label in enumerate(THEMES, start=1):
            ExitTheme.objects.get_or_create(
                authority=authority, label=label, defaults={"order": order}
            )


class Migration(migrations.Migration):

    dependencies = [
        ('careers', '0002_programmes'),
        ('core', '0004_progress'),
        ('establishment', '0002_engagement_end_reasons'),
    ]

    operations = [
        migrations.CreateModel(
            name='ExitTheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('label', models.CharField(max_length=60)),
                ('order', models.PositiveSmallIntegerField(default=0, help_text='Position in lists.')),
                ('is_active', models.BooleanField(default=True, help_text='Offered for new interviews.')),
                ('authority', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.authority')),
            ],
            options={
                'ordering': ('order', 'label'),
            },
        ),
        migrations.CreateModel(
            name='ExitInterview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('held_on', models.DateField(verbose_name='date of the interview')),
                ('notice_given_on', models.DateField(blank=True, null=True, verbose_name='notice given on')),
                ('outcome', models.CharField(choices=[('left', 'Left'), ('retained', 'Retained')], max_length=10)),
                ('notes', models.TextField(blank=True)),
                ('authority', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.authority')),
                ('leaving', models.OneToOneField(blank=True, help_text="The leaving an interview with the outcome 'left' is about.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='exit_interview', to='establishment.leaving')),
                ('worker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exit_interviews', to='establishment.worker')),
                ('themes', models.ManyToManyField(blank=True, related_name='interviews', to='careers.exittheme')),
            ],
            options={
                'ordering': ('-held_on', '-pk'),
            },
        ),
        migrations.AddConstraint(
            model_name='exittheme',
            constraint=models.UniqueConstraint(fields=('authority', 'label'), name='exit_theme_label_unique'),
        ),
        migrations.AddConstraint(
            model_name='exitinterview',
            constraint=models.CheckConstraint(condition=models.Q(('notice_given_on__isnull', True), ('notice_given_on__lte', models.F('held_on')), _connector='OR'), name='exit_interview_after_notice'),
        ),
        migrations.AddConstraint(
            model_name='exitinterview',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('leaving__isnull', False), ('outcome', 'left')), models.Q(('leaving__isnull', True), ('notice_given_on__isnull', False), ('outcome', 'retained')), _connector='OR'), name='exit_interview_outcome_matches_leaving'),
        ),
        migrations.RunPython(seed_themes, migrations.RunPython.noop),
    ]
