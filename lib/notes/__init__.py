"""notes: the analyst's weekly notes: values and the editor's checks (model), the tag rules (tags),
schema and migrations, the store (the only writer of the notes tables, store/), what an import's
records must be (records), export and import (files); imports core and data."""
