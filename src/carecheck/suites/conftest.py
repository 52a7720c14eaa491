"""pytest glue for the Gherkin suites: the carecheck plugin (options, fixtures, evidence hooks) and the step
vocabularies. The plugin is loaded here and by `carecheck run` (`-p carecheck.plugin`), never by installing
carecheck, so no other pytest session sees it."""

from carecheck.steps.baseline import *
from carecheck.steps.bundle import *
from carecheck.steps.capability import *
from carecheck.steps.errors import *
from carecheck.steps.formats import *
from carecheck.steps.http import *
from carecheck.steps.properties import *
from carecheck.steps.resource import *
from carecheck.steps.search import *
from carecheck.steps.security import *
from carecheck.steps.versions import *

pytest_plugins = ["carecheck.plugin"]
