"""`python -m wizard`: the same program as the `pdd-wizard` console script."""

import sys

from wizard.cli import main

if __name__ == "__main__":
    sys.exit(main())
