"""``python -m solver``: the ``rackscale`` command line."""

import sys

from solver.cli import main

sys.exit(main())
