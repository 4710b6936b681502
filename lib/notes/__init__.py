"""notes: the analyst's weekly notes (values, schema, migrations, the store, export and import);
imports core and data."""
