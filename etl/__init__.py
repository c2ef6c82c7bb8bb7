"""Extract, transform and load Tilannekuva's figures into the DuckDB warehouse."""
