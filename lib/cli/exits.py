"""Exit codes of `python -m lib.cli` (README, "Command line"): 0 when done, else one of these two."""

EXIT_BAD_INPUT = 2  # input the user can fix: an unknown symbol, a bad date, a malformed file
EXIT_UNAVAILABLE = 3  # a source or the store cannot be reached or used
