"""pytest glue for the Gherkin suites: the carecheck plugin (options, fixtures, evidence hooks) and the step
vocabularies. The plugin is loaded here and by `carecheck run` (`-p carecheck.plugin`), never by installing
carecheck, so no other pytest session sees it."""

pytest_plugins = ["carecheck.plugin"]

from carecheck.steps.baseline import *  # noqa: F403
from carecheck.steps.bundle import *  # noqa: F403
from carecheck.steps.capability import *  # noqa: F403
from carecheck.steps.errors import *  # noqa: F403
from carecheck.steps.formats import *  # noqa: F403
from carecheck.steps.http import *  # noqa: F403
from carecheck.steps.properties import *  # noqa: F403
from carecheck.steps.resource import *  # noqa: F403
from carecheck.steps.search import *  # noqa: F403
from carecheck.steps.security import *  # noqa: F403
from carecheck.steps.versions import *  # noqa: F403
