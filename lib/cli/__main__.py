"""`python -m lib.cli …`: the command line (lib/cli/main.py)."""

import sys

from lib.cli.main import main

sys.exit(main())
