"""core: settings, the typing vocabulary, errors, the NYSE calendar, date ranges, symbols and
messages. Imports no other wing."""
