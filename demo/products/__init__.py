"""Production lane ``products``: user-facing API and reports."""
