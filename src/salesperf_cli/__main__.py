"""`python -m salesperf_cli`: the `salesperf` command without the console script."""

import sys

from salesperf_cli.commands import main

sys.exit(main())
