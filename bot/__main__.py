"""`python -m bot` is the same as the `steward` command."""

from bot.cli import main

if __name__ == "__main__":  # not when a worker process imports this module
    raise SystemExit(main())
