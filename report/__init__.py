"""Region briefs (PDF, HTML) with static charts, and the data downloads (CSV, Excel, Parquet)."""
