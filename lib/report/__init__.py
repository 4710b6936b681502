"""report: the weekly comment drafted from the data, and its files; imports the wings below."""
