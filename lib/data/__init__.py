"""data: where prices come from (Yahoo, files, demo) and where they are kept (the price store); imports core."""
