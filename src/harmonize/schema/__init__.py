"""LinkML schemas as harmonize needs them: classes, slots and their ontology bindings."""

from harmonize.schema.view import *  # noqa: F403  (the package's names are the view's)
from harmonize.schema.view import __all__ as __all__
