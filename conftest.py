"""pytest glue for the Gherkin suites: the step vocabularies. Fixtures and evidence hooks come from the carecheck
plugin (`carecheck.plugin`), which `carecheck run` loads with `-p carecheck.plugin` and hands the run's facts."""

from steps.baseline import *  # noqa: F403
from steps.bundle import *  # noqa: F403
from steps.capability import *  # noqa: F403
from steps.errors import *  # noqa: F403
from steps.formats import *  # noqa: F403
from steps.http import *  # noqa: F403
from steps.properties import *  # noqa: F403
from steps.resource import *  # noqa: F403
from steps.search import *  # noqa: F403
from steps.security import *  # noqa: F403
from steps.versions import *  # noqa: F403
