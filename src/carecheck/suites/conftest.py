"""pytest glue for the Gherkin suites: the step vocabularies. Options, fixtures and evidence hooks come
from the carecheck plugin (`carecheck.plugin`, registered as a pytest11 entry point)."""

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
