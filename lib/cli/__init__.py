"""cli: the command line, `python -m lib.cli` (a module per command group); the top."""
