"""Early careers and retention: programmes and cohorts, trainee routes, progression and
incentives, learning and development, exit interviews and returners.

The models live in one module per subject, all imported here so Django finds them.
"""

from workforce.careers.models import incentives, learning  # noqa: F401
from workforce.careers.models.exits import ExitInterview, ExitOutcome, ExitTheme  # noqa: F401
from workforce.careers.models.programmes import *  # noqa: F403
