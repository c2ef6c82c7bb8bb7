-- Tilannekuva warehouse schema (DuckDB). Documented in README.md ("Warehouse schema").
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE areas (
    code VARCHAR PRIMARY KEY, level VARCHAR NOT NULL, parent_code VARCHAR, region_code VARCHAR,
    name_fi VARCHAR NOT NULL, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    nuts3_code VARCHAR, sort_order INTEGER
);
CREATE TABLE dimensions (
    id VARCHAR PRIMARY KEY, sort_order INTEGER, label_fi VARCHAR, label_sv VARCHAR,
    label_en VARCHAR, description_fi VARCHAR, description_sv VARCHAR, description_en VARCHAR,
    color VARCHAR
);
CREATE TABLE indicators (
    id VARCHAR PRIMARY KEY, dimension VARCHAR NOT NULL, direction VARCHAR NOT NULL,
    decimals INTEGER, valid_min DOUBLE, valid_max DOUBLE, key BOOLEAN, scored BOOLEAN,
    goalpost_low DOUBLE, goalpost_high DOUBLE,
    unit_fi VARCHAR, unit_sv VARCHAR, unit_en VARCHAR,
    label_fi VARCHAR, label_sv VARCHAR, label_en VARCHAR,
    description_fi VARCHAR, description_sv VARCHAR, description_en VARCHAR,
    source_publisher VARCHAR, source_table VARCHAR, source_selection VARCHAR,
    source_licence VARCHAR, live_kind VARCHAR
);
CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY, publisher VARCHAR NOT NULL, table_id VARCHAR, title VARCHAR,
    licence VARCHAR NOT NULL, origin VARCHAR, derivation VARCHAR, query VARCHAR,
    updated VARCHAR, fetched_at VARCHAR
);
CREATE TABLE observations (
    indicator_id VARCHAR NOT NULL, area_code VARCHAR NOT NULL, period INTEGER NOT NULL,
    value DOUBLE, flag VARCHAR, source_id VARCHAR NOT NULL,
    PRIMARY KEY (indicator_id, area_code, period)
);
-- Scores, ranks, comparable changes and data ages (docs/methodology.md); one row per area,
-- year and dimension (overall included). change_Xy is NULL unless comparable; its note says why.
CREATE TABLE scores (
    area_code VARCHAR NOT NULL, period INTEGER NOT NULL, dimension VARCHAR NOT NULL,
    score DOUBLE, rank INTEGER, rank_low INTEGER, rank_high INTEGER, n_ranked INTEGER,
    change_1y DOUBLE, change_1y_note VARCHAR, change_5y DOUBLE, change_5y_note VARCHAR,
    n_indicators INTEGER, n_expected INTEGER, n_carried INTEGER,
    newest_period INTEGER, oldest_period INTEGER, flag VARCHAR, method VARCHAR,
    PRIMARY KEY (area_code, period, dimension)
);
CREATE TABLE indicator_scores (
    indicator_id VARCHAR NOT NULL, area_code VARCHAR NOT NULL, period INTEGER NOT NULL,
    value_period INTEGER, value DOUBLE, score DOUBLE, capped BOOLEAN, method VARCHAR,
    PRIMARY KEY (indicator_id, area_code, period)
);
CREATE TABLE peers (
    area_code VARCHAR NOT NULL, period INTEGER NOT NULL, peer_code VARCHAR NOT NULL,
    peer_rank INTEGER NOT NULL, distance DOUBLE, method VARCHAR,
    PRIMARY KEY (area_code, period, peer_code)
);
-- Goalposts fixed per method version (indicators/goalposts.toml), in the indicator's units.
CREATE TABLE goalposts (
    indicator_id VARCHAR NOT NULL, low DOUBLE NOT NULL, high DOUBLE NOT NULL, scale VARCHAR,
    reference_first INTEGER, reference_last INTEGER, method_version VARCHAR NOT NULL,
    PRIMARY KEY (indicator_id, method_version)
);
CREATE TABLE etl_runs (
    run_id VARCHAR NOT NULL, source_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP,
    status VARCHAR, rows BIGINT, message VARCHAR
);
CREATE TABLE breaks (
    indicator_id VARCHAR NOT NULL, period INTEGER NOT NULL, level VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, reason_fi VARCHAR, reason_sv VARCHAR, reason_en VARCHAR,
    PRIMARY KEY (indicator_id, period, level)
);
CREATE TABLE monthly_series (
    id VARCHAR PRIMARY KEY, code VARCHAR, table_id VARCHAR, decimals INTEGER,
    unit_fi VARCHAR, unit_sv VARCHAR, unit_en VARCHAR,
    label_fi VARCHAR, label_sv VARCHAR, label_en VARCHAR,
    description_fi VARCHAR, description_sv VARCHAR, description_en VARCHAR
);
CREATE TABLE monthly_observations (
    series_id VARCHAR NOT NULL, area_code VARCHAR NOT NULL, month VARCHAR NOT NULL,
    value DOUBLE, flag VARCHAR, source_id VARCHAR NOT NULL,
    PRIMARY KEY (series_id, area_code, month)
);
-- TOL 2008 sections A..U and X (industry unknown), names from indicators/industries.toml.
CREATE TABLE industries (
    code VARCHAR PRIMARY KEY, label_fi VARCHAR NOT NULL, label_sv VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL, sort_order INTEGER NOT NULL
);
-- Employed persons by area of residence and section (StatFin tyokay 115i, sexes summed);
-- SSS is the sum of the 19 regions. From data/industry.parquet.
CREATE TABLE industry_employment (
    area_code VARCHAR NOT NULL, period INTEGER NOT NULL, industry VARCHAR NOT NULL,
    value BIGINT NOT NULL, source_id VARCHAR NOT NULL,
    PRIMARY KEY (area_code, period, industry)
);
-- Structural-change alerts (indicators/alerts.py, rules in indicators/alerts.toml): one row per
-- area, rule and period in which the rule holds, over the whole history. period 'YYYY-MM' for
-- monthly rules ('YYYY' for annual ones); value = the area's % change since `since`,
-- country_value = the country's over the same span, gap = the move of the area's share of the
-- country's figure (%), baseline = the area's usual |gap| before, threshold = the rule's number.
CREATE TABLE alerts (
    area_code VARCHAR NOT NULL, level VARCHAR NOT NULL, rule_id VARCHAR NOT NULL,
    series VARCHAR NOT NULL, period VARCHAR NOT NULL, direction VARCHAR NOT NULL,
    value DOUBLE, baseline DOUBLE, country_value DOUBLE, threshold DOUBLE, since VARCHAR,
    method VARCHAR, gap DOUBLE,
    PRIMARY KEY (area_code, rule_id, series, period)
);
-- EU comparison (indicators/twins.py, docs/methodology.md "EU-kaksoset"): Eurostat NUTS-3
-- figures of every EU/EFTA region (NUTS 2021 codes), the variables and each Finnish region's
-- twins. A figure Eurostat did not publish has no row.
CREATE TABLE eu_regions (
    nuts_code VARCHAR PRIMARY KEY, level INTEGER NOT NULL, country_code VARCHAR NOT NULL,
    name VARCHAR NOT NULL, name_source VARCHAR
);
CREATE TABLE eu_variables (
    id VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, transform VARCHAR NOT NULL, decimals INTEGER,
    source_id VARCHAR, sort_order INTEGER,
    unit_fi VARCHAR, unit_sv VARCHAR, unit_en VARCHAR,
    label_fi VARCHAR, label_sv VARCHAR, label_en VARCHAR,
    description_fi VARCHAR, description_sv VARCHAR, description_en VARCHAR
);
CREATE TABLE eu_observations (
    variable VARCHAR NOT NULL, nuts_code VARCHAR NOT NULL, period INTEGER NOT NULL,
    value DOUBLE NOT NULL, flag VARCHAR, source_id VARCHAR NOT NULL,
    PRIMARY KEY (variable, nuts_code, period)
);
CREATE TABLE eu_twins (
    area_code VARCHAR NOT NULL, nuts_code VARCHAR NOT NULL, twin_nuts VARCHAR NOT NULL,
    twin_rank INTEGER NOT NULL, distance DOUBLE NOT NULL, reference_period INTEGER NOT NULL,
    method VARCHAR NOT NULL,
    PRIMARY KEY (area_code, twin_rank)
);
