"""Entry point: python -m etl <command>."""

import sys

from etl.cli import main

sys.exit(main())
