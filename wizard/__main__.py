"""`python -m wizard`: the same program as the `pdd-wizard` console script."""

from wizard.cli.main import entry

if __name__ == "__main__":
    entry()
