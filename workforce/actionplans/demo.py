"""Demo action plans: a 2006 scrutiny inquiry with its formal response, and an inspection with
its improvement notice, written through the services so every record is checked and audited.

Called by the demo generator after it has written an authority's establishment and the demo
logins (`build(authority=..., rng=..., today=..., scale=...)`). Only the demo authority gets
action plans, at every scale: there are a few dozen records, whatever the scale.

- Leeds City Council's inquiry into the recruitment, retention and workload of children's
  social workers (final report April 2006) and the department's formal response (13 July
  2006): the recommendations as the report makes them and the actions, responsibilities and
  timescales as the response gives them. Its dates are those of 2006, before the demo's
  figures begin, so it is tied to no measure; every action of it has ended.
- An inspection and the improvement notice after it, with the workforce recommendations and
  requirements Herefordshire Council reported on in July 2013 (the inspection's
  recommendations 7, 14 and 19, the notice's 8.10 to 8.13) and the actions that report
  describes. Its dates are placed before `today`, so on `today` its actions are of every
  status and colour (not started, on track, at risk, off track, past their due date,
  complete, closed), owned by the lead, the HR officer and the team manager, and tied to the
  measures the demo's figures give (agency, vacancy and turnover rates, average caseload).

The progress updates and their links are made up for the demo. Nothing random: `rng` is not
used. A plan already in the authority (the same kind and title) is left as it is, so building
twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from workforce.actionplans import services
from workforce.actionplans.models import Direction, Source, SourceKind, Status
from workforce.core.models import Authority, User

DEMO_AUTHORITY_CODE = "990"
DOCUMENTS = "https://documents.demo.invalid/action-plans/"

# A day: a date, or a number of days from `today` (negative: before it).
Day = dt.date | int


def _day(day: Day, today: dt.date) -> dt.date:
    if isinstance(day, dt.date):
        return day
    return today + dt.timedelta(days=day)


@dataclass(frozen=True)
class UpdateSpec:
    on: Day
    status: str
    text: str
    links: tuple[tuple[str, str], ...] = ()  # (title, path under DOCUMENTS)
    closed_reason: str = ""
    author: str = "lead"


@dataclass(frozen=True)
class MeasureSpec:
    measure: str
    direction: str
    value: str | None = None
    by: Day | None = None


@dataclass(frozen=True)
class ActionSpec:
    text: str
    responsibility: str
    start: Day
    due: Day | None = None
    timescale: str = ""
    owner: str | None = None
    updates: tuple[UpdateSpec, ...] = ()
    measures: tuple[MeasureSpec, ...] = ()


@dataclass(frozen=True)
class RecommendationSpec:
    number: str
    text: str
    actions: tuple[ActionSpec, ...]


@dataclass(frozen=True)
class SourceSpec:
    kind: str
    title: str
    body: str
    issued_on: Day
    summary: str
    recommendations: tuple[RecommendationSpec, ...]
    response_due: Day | None = None


# Leeds, 2006 ---------------------------------------------------------------------------------

LEEDS_HR = "Head of Human Resources"
LEEDS_TRANSFORMATION = "Tony Griffin – Head of Children's Service Transformation"
LEEDS_SERVICE_DELIVERY = "John Colman – Head of Service Delivery"
LEEDS_FROM_JULY = "For all recommended candidates from 1 July 2006"
LEEDS_BEFORE_APRIL = (
    "Project to run over the next year, though specific proposals about rotations and "
    "secondment will be implemented before April 2007."
)
LEEDS_SIX_MONTHS = (
    "Officers will prepare a report to Members detailing our actions and their impact to be "
    "presented in the next six months."
)
LEEDS_REPORT = dt.date(2006, 4, 26)  # agreed by the Board; published April 2006
LEEDS_RESPONSE = dt.date(2006, 7, 13)
LEEDS_FROM = dt.date(2006, 7, 1)

YOUTH_SERVICE_RESPONSE = (
    "This induction practice introduced by The Youth Service is for part time Youth Worker "
    "posts to work during the evening. Applicants are either already volunteers with the "
    "service and/ or have other employment outside of the service which they may retain. The "
    "induction is attended on a voluntary basis and consists of 6 x 2 hour evening sessions. "
    "Main purpose of this practice is to involve applicants in meeting team members, to keep in "
    "touch with / make applicants feel they are being involved in the service pending the "
    "return of the CRB check and also so that as they have no notice to work they are able to "
    "start immediately they have accepted an offer of employment. It is considered that this "
    "practice could not be applied for the benefit of Children's Social Worker recruitment for "
    "several reasons:\n"
    "1. Applicants are drawn from a wide geographical area.\n"
    "2. The service is provided during normal office hours and applicants are usually in "
    "employment and therefore would not be able to attend sessions during coinciding periods.\n"
    "3. Applicants are usually subject to giving notice following receipt of a formal offer of "
    "employment."
)
PRACTICES_IN_PLACE = (
    "However the department feels that the recent practices that have already been put in "
    "place to keep applicants interested and engaged in the recruitment process should be "
    "further developed.\n"
    "The practices in place are:\n"
    "1. Block interviews are conducted for city wide vacancies therefore shortlisted applicants "
    "are only interviewed once. Recommended candidates are allocated to service area teams "
    "based on a mixture of individual candidate preference and service need.\n"
    "2. All interviewed candidates are seen individually immediately after their interview to "
    "check their CRB application form and for the verification and copying of identity "
    "documents.\n"
    "3. Each recommended candidate is given a named HR Officer and Area Service Delivery "
    "Manager as a contact person.\n"
    "4. Recommended candidate contact details are given to the service area to which allocated "
    "who then make their own arrangements with the candidate as required for a site visit, "
    "meeting team members, preliminary discussions around starting date and any other issues "
    "the candidate or service area manager may want to discuss."
)
FURTHER_DEVELOPMENTS = (
    "Improved communication between HR / service area managers / recommended candidates on the "
    "progress of the various parts of the vetting process.",
    "HR to assess starting salaries in parallel to the other stages in the recruitment process "
    "to minimise potential disputes with recommended candidates following them receiving the "
    "formal offer of employment letter which is the final part in the process. This assessment "
    "will incorporate the already introduced increased flexibility around consideration of a "
    "candidates experience, roles and salary with other organisations.",
    "Within 5 working days of receipt of recommended candidates HR to send each a Training pack "
    "highlighting the training and development programme for the first year.",
    "HR to prepare offer of employment letters in advance. This will ensure that on the day of "
    "completion of all vetting processes and other checks it will be available for despatch on "
    "the same day.",
    "Upon receipt of acceptance of a post and confirmation of start date send Training and "
    "Development information letter explaining training dates and programmes.",
)
ROTATION_RESPONSE = (
    "This is included as an explicit part of the Children's Services Transformation programme. "
    "The part of that programme that relates to workforce reform is the biggest of the four "
    "portfolios within the programme. Because we will be considering changes to the structures "
    "and formulation of teams, it is best that this aspect be incorporated into that work. Ad "
    "hoc requests from employees of the department to participate in secondment opportunities "
    "with other organisations will continue to be considered and wherever possible be approved."
)
CARE_ORDERS_RESPONSE = (
    "This is already being actively pursued through various channels. For example: This is "
    "already a subject regularly considered in our liaison meetings with Cafcass and with Legal "
    "Services, and has featured in papers presented to the Family Justice Council. There is a "
    "protocol with Cafcass that is to be reviewed at our next meeting with them. We will be "
    "using a study event involving all of the Family Court stakeholders (later in the year) to "
    "highlight relevant issues. These actions have already led to improvements. For example, "
    "the number of successful applications to discharge care orders has increased over the "
    "past year."
)

# What was done about each further development, and when: the second took longer.
_FURTHER_DONE: tuple[tuple[UpdateSpec, ...], ...] = (
    (
        UpdateSpec(
            dt.date(2006, 8, 4),
            Status.COMPLETE,
            "The named HR officer now tells the candidate and the service area manager as each "
            "part of the vetting is completed, for every candidate recommended since 1 July "
            "2006.",
        ),
    ),
    (
        UpdateSpec(
            dt.date(2006, 7, 31),
            Status.AT_RISK,
            "Starting salaries are being assessed alongside the checks, but for two of the July "
            "candidates the assessment still came after the offer letter.",
        ),
        UpdateSpec(
            dt.date(2006, 9, 29),
            Status.COMPLETE,
            "Starting salary assessed before the offer for every candidate recommended in August "
            "and September; no disputes after an offer since.",
        ),
    ),
    (
        UpdateSpec(
            dt.date(2006, 7, 21),
            Status.COMPLETE,
            "Training pack for the first year written; sent within 5 working days to every "
            "candidate recommended since 1 July 2006.",
        ),
    ),
    (
        UpdateSpec(
            dt.date(2006, 7, 14),
            Status.COMPLETE,
            "Offer letters are drafted when the candidate is recommended and sent on the day "
            "the last check is back.",
        ),
    ),
    (
        UpdateSpec(
            dt.date(2006, 8, 18),
            Status.COMPLETE,
            "Training and development letter with the first year's training dates sent on "
            "acceptance and confirmation of the start date.",
        ),
    ),
)

LEEDS = SourceSpec(
    kind=SourceKind.SCRUTINY,
    title="Recruitment, retention and workload of children's social workers",
    body="Scrutiny Board (Children and Young People), now Scrutiny Board (Children's Services)",
    issued_on=LEEDS_REPORT,
    response_due=LEEDS_RESPONSE,
    summary=(
        "Leeds City Council's scrutiny inquiry into the recruitment, retention and workload of "
        "children's social workers: final report published in April 2006 (agreed by the Board "
        "on 26 April 2006), formal response considered by the Scrutiny Board (Children's "
        "Services) on 13 July 2006. The Board found the department treating the issue as a "
        "priority, with sensible strategies to address the shortfall in social work staff over "
        "the medium term. The recommendations, actions, responsibilities and timescales are as "
        "published; the progress updates are made up for the demo."
    ),
    recommendations=(
        RecommendationSpec(
            "1",
            "That the Chief Social Services Officer considers adopting similar practices to those "
            "introduced by The Youth Service to carry out induction programmes whilst awaiting "
            "CRB clearance.",
            (
                ActionSpec(
                    YOUTH_SERVICE_RESPONSE,
                    LEEDS_HR,
                    start=LEEDS_REPORT,
                    updates=(
                        UpdateSpec(
                            LEEDS_RESPONSE,
                            Status.CLOSED,
                            "Formal response to the Scrutiny Board: the Youth Service's "
                            "induction practice is not to be adopted for children's social "
                            "workers.",
                            closed_reason=(
                                "Not applicable: the Youth Service's induction is for part time "
                                "evening Youth Worker posts. Children's social work applicants "
                                "are drawn from a wide geographical area, are usually in "
                                "employment during office hours, and usually have to give "
                                "notice after a formal offer."
                            ),
                        ),
                    ),
                ),
                ActionSpec(
                    PRACTICES_IN_PLACE,
                    LEEDS_HR,
                    start=LEEDS_REPORT,
                    updates=(
                        UpdateSpec(
                            LEEDS_RESPONSE,
                            Status.COMPLETE,
                            "The four practices are in place for every recruitment round and "
                            "are developed further by the actions below.",
                        ),
                    ),
                ),
                *(
                    ActionSpec(
                        text,
                        LEEDS_HR,
                        start=LEEDS_FROM,
                        due=LEEDS_FROM,
                        timescale=LEEDS_FROM_JULY,
                        updates=done,
                    )
                    for text, done in zip(FURTHER_DEVELOPMENTS, _FURTHER_DONE, strict=True)
                ),
            ),
        ),
        RecommendationSpec(
            "2",
            "That the Chief Social Services Officer considers the potential for developing job "
            "rotation and secondment opportunities.",
            (
                ActionSpec(
                    ROTATION_RESPONSE,
                    LEEDS_TRANSFORMATION,
                    start=LEEDS_RESPONSE,
                    due=dt.date(2007, 3, 31),
                    timescale=LEEDS_BEFORE_APRIL,
                    updates=(
                        UpdateSpec(
                            dt.date(2006, 10, 31),
                            Status.ON_TRACK,
                            "Rotation and secondment are part of the workforce reform "
                            "portfolio's work on team structures; two secondment requests "
                            "approved.",
                        ),
                        UpdateSpec(
                            dt.date(2007, 1, 31),
                            Status.AT_RISK,
                            "The proposals wait on the new team structures, which are later "
                            "than planned.",
                        ),
                        UpdateSpec(
                            dt.date(2007, 3, 29),
                            Status.COMPLETE,
                            "Proposals for rotation between assessment and longer-term teams, "
                            "and for secondments, agreed and in place before April 2007.",
                        ),
                    ),
                ),
            ),
        ),
        RecommendationSpec(
            "3",
            "That the Director of Children's Services, in conjunction with the Director of "
            "Legal Services, considers how to appropriately challenge the "
            "unnecessary prolonging of care orders.",
            (
                ActionSpec(
                    CARE_ORDERS_RESPONSE,
                    f"{LEEDS_TRANSFORMATION}; {LEEDS_SERVICE_DELIVERY}",
                    start=LEEDS_RESPONSE,
                    due=dt.date(2007, 1, 13),
                    timescale=LEEDS_SIX_MONTHS,
                    updates=(
                        UpdateSpec(
                            dt.date(2006, 11, 30),
                            Status.ON_TRACK,
                            "Protocol with Cafcass reviewed at the liaison meeting; study event "
                            "with the Family Court stakeholders held.",
                        ),
                        UpdateSpec(
                            dt.date(2007, 1, 11),
                            Status.COMPLETE,
                            "Report to Members on the actions taken and their impact presented.",
                        ),
                    ),
                ),
            ),
        ),
    ),
)


# An inspection and its improvement notice ----------------------------------------------------

ADCS = "Assistant Director, Children and Young People Provider Services"
PSW = "Principal Social Worker"
HEAD_HR = "Head of Human Resources"
WORKFORCE_DEVELOPMENT = "Workforce Development Manager"
IMPROVEMENT = "Interim Head of Improvement"
TEAM_MANAGERS = "Team managers, Assessment and Child Protection"

INSPECTION = SourceSpec(
    kind=SourceKind.OFSTED,
    title="Inspection of safeguarding and child protection services",
    body="Ofsted",
    issued_on=-430,
    summary=(
        "The inspection made a number of recommendations which related to workforce issues: "
        "the quality and consistency of management oversight, the skills of first line "
        "managers, and the number of changes of social workers experienced by children and "
        "their families. The recommendations are those Herefordshire Council reported on to "
        "its Health and Social Care Overview and Scrutiny Committee in July 2013; the dates and "
        "progress updates are made up for the demo."
    ),
    recommendations=(
        RecommendationSpec(
            "7",
            "Improve the quality and consistency of management oversight and decision making.",
            (
                ActionSpec(
                    "External coaching and mentoring for frontline managers.",
                    ADCS,
                    owner="lead",
                    start=-410,
                    due=-340,
                    timescale="Over two months",
                    updates=(
                        UpdateSpec(
                            -395,
                            Status.ON_TRACK,
                            "Coach appointed; every frontline manager matched with a mentor and "
                            "the first sessions held.",
                        ),
                        UpdateSpec(
                            -345,
                            Status.COMPLETE,
                            "Coaching and mentoring delivered to every frontline manager in "
                            "post; evaluations returned by all of them.",
                            links=(
                                (
                                    "Coaching and mentoring evaluation summary",
                                    "coaching-evaluation",
                                ),
                            ),
                        ),
                    ),
                ),
                ActionSpec(
                    "A professional development framework and facility in place, so that it "
                    "can be delivered to frontline managers as they are recruited to the "
                    "authority.",
                    PSW,
                    owner="lead",
                    start=-330,
                    due=90,
                    timescale="For each frontline manager as they are appointed",
                    updates=(
                        UpdateSpec(
                            -300,
                            Status.ON_TRACK,
                            "Framework agreed: a mentor, a development plan in the first month "
                            "and the leadership programme within six months.",
                        ),
                        UpdateSpec(
                            -120,
                            Status.ON_TRACK,
                            "Framework used for the three team managers appointed since January.",
                            links=(("Manager development framework", "manager-framework"),),
                        ),
                    ),
                ),
            ),
        ),
        RecommendationSpec(
            "14",
            "Ensure that first line managers have sufficient skills, knowledge and experience "
            "to effectively undertake their role.",
            (
                ActionSpec(
                    "ILM training for all first line managers, ready for delivery to newly "
                    "appointed and existing managers.",
                    WORKFORCE_DEVELOPMENT,
                    owner="hr",
                    start=-400,
                    due=-220,
                    updates=(
                        UpdateSpec(
                            -350,
                            Status.ON_TRACK,
                            "ILM programme commissioned; first cohort of eight managers started.",
                            author="hr",
                        ),
                        UpdateSpec(
                            -230,
                            Status.COMPLETE,
                            "Every first line manager in post has completed or started the ILM "
                            "programme; new managers join the next cohort.",
                            links=(("ILM programme attendance", "ilm-attendance"),),
                            author="hr",
                        ),
                    ),
                ),
                ActionSpec(
                    "A recruitment strategy to ensure high calibre managers.",
                    HEAD_HR,
                    owner="hr",
                    start=-380,
                    due=40,
                    updates=(
                        UpdateSpec(
                            -300,
                            Status.ON_TRACK,
                            "Manager recruitment strategy agreed: national advertising, an "
                            "assessment centre and a golden hello.",
                            author="hr",
                        ),
                        UpdateSpec(
                            -60,
                            Status.AT_RISK,
                            "Two team manager posts readvertised after no appointable "
                            "candidates; interim managers extended to cover them.",
                            author="hr",
                        ),
                    ),
                ),
            ),
        ),
        RecommendationSpec(
            "19",
            "Reduce the number of changes of social workers experienced by children and their "
            "families.",
            (
                ActionSpec(
                    "A 'Child's Journey' 6 week project to analyse safeguarding and social work "
                    "through Lean Systems Thinking in order to inform the organisational "
                    "structure and practice.",
                    IMPROVEMENT,
                    owner="lead",
                    start=-400,
                    due=-358,
                    timescale="6 weeks",
                    updates=(
                        UpdateSpec(
                            -380,
                            Status.ON_TRACK,
                            "Mapping of the child's journey from contact to closure under way "
                            "with staff from every team.",
                        ),
                        UpdateSpec(
                            -360,
                            Status.COMPLETE,
                            "Project finished: too many transfer points between teams; "
                            "proposals for fewer handovers go to the improvement board.",
                            links=(("Child's Journey project report", "childs-journey"),),
                        ),
                    ),
                ),
                ActionSpec(
                    "An improved career structure, to complement the recruitment and retention "
                    "plan and create greater stability within the workforce.",
                    HEAD_HR,
                    owner="hr",
                    start=-350,
                    due=120,
                    updates=(
                        UpdateSpec(
                            -320,
                            Status.ON_TRACK,
                            "Senior social worker grade established; team leader and advanced "
                            "practitioner posts regraded.",
                            author="hr",
                        ),
                        UpdateSpec(
                            -90,
                            Status.ON_TRACK,
                            "Progression criteria from social worker to senior social worker "
                            "agreed with the staff side; first progression panel held.",
                            links=(("Career progression framework", "career-progression"),),
                            author="hr",
                        ),
                    ),
                    measures=(MeasureSpec("turnover_rate_fte", Direction.FALLING),),
                ),
                ActionSpec(
                    "A risk and resilience plan for the children's social care workforce.",
                    f"{ADCS}; {TEAM_MANAGERS}",
                    owner="manager",
                    start=-320,
                    due=-45,
                    updates=(
                        UpdateSpec(
                            -250,
                            Status.ON_TRACK,
                            "Draft plan covering cover arrangements, supervision and support "
                            "after difficult cases shared with the teams.",
                            author="manager",
                        ),
                        UpdateSpec(
                            -100,
                            Status.AT_RISK,
                            "Consultation with the teams delayed by the restructure; plan not "
                            "yet agreed.",
                            author="manager",
                        ),
                    ),
                ),
                ActionSpec(
                    "A social worker apprenticeship pilot, with the aim of encouraging local "
                    "people to join the department on a long term basis.",
                    WORKFORCE_DEVELOPMENT,
                    owner="hr",
                    start=-40,
                    due=330,
                    timescale="First apprentices to start in the next intake",
                ),
            ),
        ),
    ),
)

NOTICE = SourceSpec(
    kind=SourceKind.IMPROVEMENT_NOTICE,
    title="Improvement notice: children's social care",
    body="Department for Education",
    issued_on=-400,
    summary=(
        "The improvement notice following the inspection made specific requirements for "
        "improvement related to the workforce. The requirements are those Herefordshire "
        "Council reported on to its Health and Social Care Overview and Scrutiny Committee in "
        "July 2013; the dates and progress updates are made up for the demo."
    ),
    recommendations=(
        RecommendationSpec(
            "8.10",
            "Attention must be paid to the eight standards for employers of social workers.",
            (
                ActionSpec(
                    "A self-assessment against the standards for employers of social workers, "
                    "with a plan for each standard not fully met.",
                    PSW,
                    owner="lead",
                    start=-390,
                    due=-270,
                    updates=(
                        UpdateSpec(
                            -280,
                            Status.COMPLETE,
                            "Self-assessment done with social workers from every team; plans "
                            "agreed for supervision and workload management, the two standards "
                            "not fully met.",
                            links=(("Employer standards self-assessment", "employer-standards"),),
                        ),
                    ),
                ),
                ActionSpec(
                    "A separate survey of social workers on the employer standards.",
                    PSW,
                    owner="lead",
                    start=-390,
                    due=-300,
                    updates=(
                        UpdateSpec(
                            -330,
                            Status.CLOSED,
                            "Not carried out: the council-wide staff survey answers it.",
                            closed_reason=(
                                "The council-wide staff survey of social care staff asked the "
                                "same questions months before; a second survey would have asked "
                                "staff twice."
                            ),
                        ),
                    ),
                ),
            ),
        ),
        RecommendationSpec(
            "8.11",
            "Implement a programme of induction, training, mentoring and continuous "
            "professional development for all social care staff including managers to improve "
            "the quality of frontline social work. In particular ensure that this programme "
            "includes training for staff and frontline managers on risk analysis. The council "
            "should report the impact of the training on improving outcomes for children, to "
            "the improvement board.",
            (
                ActionSpec(
                    "A programme of induction, training, mentoring and continuous professional "
                    "development for all social care staff including managers.",
                    WORKFORCE_DEVELOPMENT,
                    owner="lead",
                    start=-380,
                    due=150,
                    updates=(
                        UpdateSpec(
                            -300,
                            Status.ON_TRACK,
                            "Workforce development plan agreed; core training running with "
                            "practice workshops on strategy meetings and s.47 investigations, "
                            "core groups and the voice of the child.",
                        ),
                        UpdateSpec(
                            -30,
                            Status.ON_TRACK,
                            "Induction for every new starter in their first week; mentoring "
                            "for all newly qualified social workers.",
                            links=(("Workforce development plan", "development-plan"),),
                        ),
                    ),
                ),
                ActionSpec(
                    "Training on risk analysis for staff and frontline managers of the "
                    "assessment and child protection teams.",
                    TEAM_MANAGERS,
                    owner="manager",
                    start=-250,
                    due=60,
                    updates=(
                        UpdateSpec(
                            -200,
                            Status.ON_TRACK,
                            "Sessions booked for every social worker and manager of the two teams.",
                            author="manager",
                        ),
                        UpdateSpec(
                            -40,
                            Status.OFF_TRACK,
                            "Half the places on the last two sessions unused: cover for duty "
                            "could not be found. Sessions to be run again in team meetings.",
                            links=(("Risk analysis training attendance", "risk-training"),),
                            author="manager",
                        ),
                    ),
                ),
                ActionSpec(
                    "Report the impact of the training on improving outcomes for children to "
                    "the improvement board.",
                    IMPROVEMENT,
                    owner="lead",
                    start=-200,
                    due=30,
                    timescale="To the improvement board each quarter",
                    updates=(
                        UpdateSpec(
                            -100,
                            Status.ON_TRACK,
                            "Case audits chosen to show the effect of the training on "
                            "assessments and plans.",
                        ),
                        UpdateSpec(
                            -14,
                            Status.AT_RISK,
                            "Audit findings late; the first report may go to the next board "
                            "but one.",
                        ),
                    ),
                ),
            ),
        ),
        RecommendationSpec(
            "8.12",
            "Following an analysis of the needs of the service, develop and implement an "
            "overall workforce strategy. The strategy should provide clear evidence of impact "
            "in creating capable, stable and sustainable workforce which requires fewer agency "
            "staff and which includes clear recruitment and retention plans. The aim should be "
            "to improve the quality and continuity of social care staff experienced by children "
            "and families.",
            (
                ActionSpec(
                    "An analysis of the needs of the service and, from it, a workforce strategy "
                    "with clear recruitment and retention plans, requiring fewer agency staff.",
                    HEAD_HR,
                    owner="hr",
                    start=-380,
                    due=180,
                    updates=(
                        UpdateSpec(
                            -330,
                            Status.ON_TRACK,
                            "Needs analysis done: establishment, vacancies, agency staff and "
                            "leavers by team and grade.",
                            author="hr",
                        ),
                        UpdateSpec(
                            -200,
                            Status.ON_TRACK,
                            "Workforce strategy agreed by the improvement board, with a "
                            "recruitment campaign and a golden hello for hard to fill posts.",
                            links=(("Workforce strategy", "workforce-strategy"),),
                            author="hr",
                        ),
                        UpdateSpec(
                            -20,
                            Status.ON_TRACK,
                            "Agency workers offered permanent posts as the campaign's starters "
                            "arrive.",
                            author="hr",
                        ),
                    ),
                    measures=(
                        MeasureSpec("agency_rate_fte", Direction.AT_MOST, "20", 180),
                        MeasureSpec("vacancy_rate_fte", Direction.AT_MOST, "12", 180),
                    ),
                ),
            ),
        ),
        RecommendationSpec(
            "8.13",
            "Review and monitor social workers responsibilities and workloads to ensure staff "
            "have a manageable range of work and a caseload consistent with their level of "
            "experience and competence. Ensure that the Improvement Board receives workforce "
            "management information to confirm that this is achieved and sustained.",
            (
                ActionSpec(
                    "Review each social worker's responsibilities and caseload in supervision "
                    "against their experience and competence, and move cases when a caseload "
                    "is above the agreed level.",
                    TEAM_MANAGERS,
                    owner="manager",
                    start=-300,
                    due=60,
                    updates=(
                        UpdateSpec(
                            -240,
                            Status.ON_TRACK,
                            "Caseload levels agreed by experience: lower for newly qualified "
                            "social workers in their first year.",
                            author="manager",
                        ),
                        UpdateSpec(
                            -30,
                            Status.ON_TRACK,
                            "Every caseload reviewed in supervision this quarter; cases moved "
                            "from the two social workers above the agreed level.",
                            author="manager",
                        ),
                    ),
                    measures=(MeasureSpec("average_caseload", Direction.AT_MOST, "18", 60),),
                ),
                ActionSpec(
                    "Workforce management information to the Improvement Board each month: "
                    "caseloads, vacancies, agency staff and leavers.",
                    HEAD_HR,
                    owner="hr",
                    start=-360,
                    due=-180,
                    updates=(
                        UpdateSpec(
                            -300,
                            Status.ON_TRACK,
                            "First monthly workforce report to the board.",
                            author="hr",
                        ),
                        UpdateSpec(
                            -190,
                            Status.COMPLETE,
                            "The workforce report is a standing item of the board each month.",
                            links=(("Workforce report to the board", "board-workforce-report"),),
                            author="hr",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

PLANS = (LEEDS, INSPECTION, NOTICE)


def build(*, authority: Authority, rng: Any, today: dt.date, scale: str) -> None:
    """Write the demo authority's action plans (other authorities are skipped; see above)."""
    if authority.code != DEMO_AUTHORITY_CODE:
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            authority=authority, is_active=True, username__in=["lead", "hr", "manager"]
        )
    }
    if "lead" not in users:
        return
    with transaction.atomic():
        for spec in PLANS:
            if not Source.objects.filter(
                authority=authority, kind=spec.kind, title=spec.title
            ).exists():
                _write(spec, authority=authority, users=users, today=today)


def _write(
    spec: SourceSpec, *, authority: Authority, users: dict[str, User], today: dt.date
) -> None:
    source = services.create_source(
        authority=authority,
        kind=spec.kind,
        title=spec.title,
        body=spec.body,
        issued_on=_day(spec.issued_on, today),
        response_due=None if spec.response_due is None else _day(spec.response_due, today),
        summary=spec.summary,
        today=today,
    )
    for rec in spec.recommendations:
        recommendation = services.add_recommendation(
            source=source, number=rec.number, text=rec.text
        )
        for item in rec.actions:
            action = services.add_action(
                recommendation=recommendation,
                text=item.text,
                responsibility=item.responsibility,
                owner=users.get(item.owner) if item.owner else None,
                start=_day(item.start, today),
                due=None if item.due is None else _day(item.due, today),
                timescale=item.timescale,
            )
            for step in item.updates:
                services.record_update(
                    action=action,
                    author=users.get(step.author, users["lead"]),
                    on=_day(step.on, today),
                    text=step.text,
                    status=step.status,
                    closed_reason=step.closed_reason,
                    links=[services.Link(title, DOCUMENTS + path) for title, path in step.links],
                    today=today,
                )
            for target in item.measures:
                services.link_measure(
                    action=action,
                    measure=target.measure,
                    direction=target.direction,
                    value=None if target.value is None else Decimal(target.value),
                    by=None if target.by is None else _day(target.by, today),
                )
