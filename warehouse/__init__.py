"""The DuckDB warehouse: its schema, the one writer, the build pipeline and the app's read API."""
