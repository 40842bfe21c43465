"""``python -m warehouse``: the build command line."""

from warehouse.cli import cli

if __name__ == "__main__":
    cli()
