"""Census code labels in sentence case ("Sick leave", not "Sick Leave"), as GOV.UK writes them.

Only labels still as first loaded are changed; the codes themselves are untouched.
"""

from django.db import migrations

# (list, code, label as loaded before, label now)
LABELS = [
    ("reason_absence", "UNA", "Unauthorised Absence", "Unauthorised absence"),
    ("reason_absence", "UNP", "Unpaid Authorised Absence", "Unpaid authorised absence"),
    ("cfkss_status", "2", "Frontline Practitioner", "Frontline practitioner"),
    ("cfkss_status", "3", "Practice Supervisor", "Practice supervisor"),
    ("cfkss_status", "4", "Practice Leader", "Practice leader"),
    ("reason_absence", "MAT", "Maternity/Paternity leave", "Maternity/paternity leave"),
    (
        "cfkss_status",
        "1",
        "Assessed and Supported Year in Employment (ASYE)",
        "Assessed and supported year in employment (ASYE)",
    ),
    ("gender", "0", "Not Known", "Not known"),
    ("gender", "9", "Not Specified", "Not specified"),
    ("ethnicity", "WOTH", "Any Other White Background", "Any other White background"),
    ("ethnicity", "MOTH", "Any Other Mixed Background", "Any other mixed background"),
    ("ethnicity", "AOTH", "Any Other Asian Background", "Any other Asian background"),
    ("ethnicity", "BOTH", "Any Other Black Background", "Any other Black background"),
    ("ethnicity", "OOTH", "Any Other Ethnic Group", "Any other ethnic group"),
    ("ethnicity", "REFU", "Declared not stated or Refused", "Declared not stated or refused"),
    ("ethnicity", "NOBT", "Information Not Yet Obtained", "Information not yet obtained"),
    ("qual_level", "1", "Under-graduate", "Undergraduate"),
    ("qual_level", "2", "Post-graduate", "Postgraduate"),
    ("org_role", "1", "Senior Manager", "Senior manager"),
    ("org_role", "2", "Middle Manager", "Middle manager"),
    ("org_role", "3", "First Line Manager", "First line manager"),
    ("org_role", "4", "Senior Practitioner", "Senior practitioner"),
    ("org_role", "5", "Case Holder", "Case holder"),
    ("org_role", "6", "Qualified Without Cases", "Qualified without cases"),
    ("start_origin", "1", "Newly Qualified Social Workers", "Newly qualified social workers"),
    (
        "start_origin",
        "2",
        "Social Worker Role in a Different Local Authority in England",
        "Social worker role in a different local authority in England",
    ),
    (
        "start_origin",
        "3",
        "Social Worker Role Outside England",
        "Social worker role outside England",
    ),
    (
        "start_origin",
        "4",
        "Agency or Consultancy in Social Work (in England)",
        "Agency or consultancy in social work (in England)",
    ),
    (
        "start_origin",
        "5",
        "Other Social Work Role Non-local Authority (in England)",
        "Other social work role non-local authority (in England)",
    ),
    (
        "start_origin",
        "6",
        "Other Social Care Role in Local Authority/Non-local Authority (in England)",
        "Other social care role in local authority/non-local authority (in England)",
    ),
    (
        "start_origin",
        "7",
        "Non-social Care Role/Any Role Outside England/No Employment/Career Break",
        "Non-social care role/any role outside England/no employment/career break",
    ),
    ("start_origin", "9", "Not Known", "Not known"),
    ("start_origin", "10", "Not Yet Collected", "Not yet collected"),
    (
        "leaver_destination",
        "1",
        "Social Worker Role in a Different Local Authority in England",
        "Social worker role in a different local authority in England",
    ),
    (
        "leaver_destination",
        "2",
        "Social Worker Role Outside England",
        "Social worker role outside England",
    ),
    (
        "leaver_destination",
        "3",
        "Agency or Consultancy in Social Work (in England)",
        "Agency or consultancy in social work (in England)",
    ),
    (
        "leaver_destination",
        "4",
        "Other Social Work Role Non-local Authority (in England)",
        "Other social work role non-local authority (in England)",
    ),
    (
        "leaver_destination",
        "5",
        "Other Social Care Role in Local Authority/Non-local Authority (in England)",
        "Other social care role in local authority/non-local authority (in England)",
    ),
    (
        "leaver_destination",
        "6",
        "Non-social Care Role/Any Role Outside England/No Employment/Career Break",
        "Non-social care role/any role outside England/no employment/career break",
    ),
    ("leaver_destination", "8", "Not Known", "Not known"),
    ("leaver_destination", "9", "Not Yet Collected", "Not yet collected"),
    ("reason_leave", "2", "Voluntary Redundancy", "Voluntary redundancy"),
    ("reason_leave", "3", "Compulsory Redundancy", "Compulsory redundancy"),
    (
        "reason_leave",
        "7",
        "Moved to a Non-child and Family Social Work Role Within LA",
        "Moved to a non-child and family social work role within LA",
    ),
    ("reason_leave", "9", "Not Known", "Not known"),
    ("reason_leave", "10", "Not Yet Collected", "Not yet collected"),
    (
        "reason_absence",
        "OTH",
        "Other Paid Authorised Absence, Such As: Compassionate Leave, Annual Leave Requiring Reallocation Of Cases",  # noqa: E501
        "Other paid authorised absence, such as: compassionate leave, annual leave requiring reallocation of cases",  # noqa: E501
    ),
    (
        "reason_absence",
        "PUB",
        "Paid Absence For Public Duties, Such As: Jury Duty",
        "Paid absence for public duties, such as: jury duty",
    ),
    ("reason_absence", "SIC", "Sick Leave", "Sick leave"),
]


def forwards(apps, schema_editor):
    CensusCode = apps.get_model("core", "CensusCode")
    for list_name, code, before, after in LABELS:
        CensusCode.objects.filter(list=list_name, code=code, label=before).update(label=after)


def backwards(apps, schema_editor):
    CensusCode = apps.get_model("core", "CensusCode")
    for list_name, code, before, after in LABELS:
        CensusCode.objects.filter(list=list_name, code=code, label=after).update(label=before)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_personal_data_access")]

    operations = [migrations.RunPython(forwards, backwards)]
