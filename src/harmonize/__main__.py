"""``python -m harmonize`` runs the CLI."""

import sys

from harmonize.cli import main

sys.exit(main())
