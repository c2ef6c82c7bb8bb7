"""Test helpers: a local StatFin PxWeb and THL Sotkanet on pytest-httpserver, serving recordings.

PxWeb: the recorded post-8-June-2026 `json` exports in tests/fixtures/pxweb/recorded/ (see the
README there), with metadata and folder listings built from them by make_metadata.py. A data
POST is answered like PxWeb does: the recorded rows and content columns the query selects, in
the `json` format; a variable or value code the table does not have, or a non-eliminable
variable left out, is answered 400. Sotkanet: the real 2019 figures of tests/fixtures/sotkanet/
as flat /json rows, with the recorded /regions and /indicators shapes.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures"
PXWEB_DIR = FIXTURES / "pxweb"
RECORDED = PXWEB_DIR / "recorded"
SOTKANET_DIR = FIXTURES / "sotkanet"
PXWEB_PATH = "/PxWeb/api/v1/fi"
SOTKANET_PATH = "/rest/1.1"
# Statistics Finland's live ?config answer, recorded on 2026-08-29 (shared/data/SOURCES.md).
CONFIG = {"maxValues": 120000, "maxCells": 120000, "maxCalls": 40, "timeWindow": 60,
          "CORS": True}
# catalog table -> recorded export (shared/data/raw/statfin_pxweb_2026_maps/)
EXPORTS = {
    "vaerak/11ra.px": "age_register_kunnat_11ra.json",
    "vkour/12bs.px": "education_register_kunnat_12bs.json",
    "tjt/14ww.px": "income_register_kunnat_14ww.json",
    "ssaaty/121w.px": "population_register_kunnat_121w.json",
    "tyonv/12r5.px": "unemployment_register_kunnat_12r5.json",
    "vaerak/11re.px": "sex_register_kunnat_11re.json",
    "tyonv/12ti.px": "software_occupations_register_kunnat_12ti.json",
    "tyti/135z.px": "unemployment_survey_national_135z.json",
}
# catalog indicators the recordings cover in full (their table and every code is recorded)
COVERED_PXWEB = (
    "low_income_rate", "tertiary_education_share", "upper_secondary_or_higher_share",
    "natural_increase_per_1000", "net_internal_migration_per_1000", "unemployment_rate",
    "vacancies_per_100_unemployed", "education_level_index", "child_low_income_rate",
    "persistent_low_income_rate", "median_income", "gini_coefficient", "basic_security_share",
    "no_post_basic_share", "population", "share_65_plus", "mean_age",
    "net_immigration_per_1000")
# catalog Sotkanet indicators whose real figures tests/fixtures/sotkanet/data.csv holds
SERVED_SOTKANET = ("long_term_unemployed_share", "social_assistance_25_64",
                   "economic_dependency_ratio", "higher_education_20plus",
                   "youth_long_term_social_assistance", "demographic_dependency_ratio")
SERVED = COVERED_PXWEB + SERVED_SOTKANET
# derived from monthly series: the recording holds one month (2026-06), which is stored as a
# month but makes no annual figure (etl/monthly.MIN_PARTIAL_MONTHS): a run leaves them as they are
ANNUAL_FROM_MONTHS = ("unemployment_rate", "vacancies_per_100_unemployed")
LOADED = tuple(i for i in SERVED if i not in ANNUAL_FROM_MONTHS)


def export(table: str) -> dict:
    """Return the recorded export of a table (a fresh copy)."""
    return json.loads((RECORDED / EXPORTS[table]).read_text(encoding="utf-8"))


def metadata(table: str) -> dict:
    """Return the metadata the server gives for a table (built by make_metadata.py)."""
    folder, ident = table.split("/")
    path = PXWEB_DIR / "meta" / f"{folder}_{ident.removesuffix('.px')}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def listing(folder: str) -> list:
    """Return a folder listing (built by make_metadata.py)."""
    return json.loads((PXWEB_DIR / "listing" / f"{folder}.json").read_text(encoding="utf-8"))


class Refused(Exception):
    """The query is one PxWeb answers with 400."""


def answer(meta: dict, recorded: dict, query: dict) -> dict:
    """Return PxWeb's `json` answer to a query: the selected rows and content columns."""
    if query.get("response", {}).get("format") != "json":
        raise Refused(f"this fake serves the json format, not {query.get('response')}")
    variables = {v["code"]: v for v in meta["variables"]}
    chosen = {}
    for item in query["query"]:
        code, values = item["code"], item["selection"]["values"]
        if code not in variables:
            raise Refused(f"no variable {code!r}")
        unknown = [v for v in values if v not in variables[code]["values"]]
        if unknown or item["selection"]["filter"] != "item":
            raise Refused(f"bad values {unknown[:3]} for {code!r}")
        chosen[code] = values
    left_out = [c for c, v in variables.items() if c not in chosen and not v["elimination"]]
    if left_out:
        raise Refused(f"non-eliminable variables left out: {left_out}")
    keys = [c["code"] for c in recorded["columns"] if c["type"] in ("d", "t")]
    contents_code = next(v["code"] for v in meta["variables"] if v["code"] == "contentscode")
    wanted = chosen.get(contents_code, variables[contents_code]["values"])
    content_cols = [c for c in recorded["columns"] if c["type"] == "c" and c["code"] in wanted]
    content_index = [i for i, c in enumerate(c for c in recorded["columns"] if c["type"] == "c")
                     if c["code"] in wanted]
    rows = []
    for row in recorded["data"]:
        if all(row["key"][i] in chosen.get(code, [row["key"][i]])
               for i, code in enumerate(keys)):
            rows.append({"key": row["key"], "values": [row["values"][i] for i in content_index]})
    columns = [c for c in recorded["columns"] if c["type"] in ("d", "t")] + content_cols
    return {"columns": columns, "comments": [], "data": rows,
            "metadata": recorded["metadata"]}


class FakeStatFin:
    """The StatFin PxWeb v1 API on the local server, answering from the recordings."""

    def __init__(self, server):
        """Wrap a pytest-httpserver server; unknown paths answer 404."""
        self.server = server
        server.no_handler_status_code = 404
        self.url = server.url_for(PXWEB_PATH)

    def serve_config(self, config: dict | None = None) -> None:
        """Answer GET {base}/?config."""
        self.server.expect_request(f"{PXWEB_PATH}/", query_string="config").respond_with_json(
            config or CONFIG)

    def serve_folder(self, folder: str, items: list | None = None) -> None:
        """Answer a folder listing (default: built from the recordings)."""
        self.server.expect_request(f"{PXWEB_PATH}/StatFin/{folder}", method="GET"
                                   ).respond_with_json(items if items is not None
                                                       else listing(folder))

    def serve_table(self, table: str, *, meta: dict | None = None,
                    recorded: dict | None = None, reply=None) -> None:
        """Answer a table's metadata GET and data POSTs."""
        meta = meta or metadata(table)
        recorded = recorded or export(table)
        base = f"{PXWEB_PATH}/StatFin/{table}"
        self.server.expect_request(base, method="GET").respond_with_json(meta)

        def handler(request: Request) -> Response:
            query = json.loads(request.data)
            try:
                doc = reply(query) if reply else answer(meta, recorded, query)
            except Refused as exc:
                return Response(f"Bad Request: {exc}", status=400)
            return Response(json.dumps(doc, ensure_ascii=False), content_type="application/json")

        self.server.expect_request(base, method="POST").respond_with_handler(handler)

    def serve_all(self, tables=tuple(EXPORTS)) -> None:
        """Serve ?config, every recorded table and their folders."""
        self.serve_config()
        for folder in sorted({t.split("/")[0] for t in tables}):
            self.serve_folder(folder)
        for table in tables:
            self.serve_table(table)

    def posts(self, table: str) -> list[dict]:
        """Return the JSON bodies POSTed to a table, in order."""
        path = f"{PXWEB_PATH}/StatFin/{table}"
        return [json.loads(req.data) for req, _ in self.server.log
                if req.method == "POST" and req.path == path]


class FakeSotkanet:
    """THL Sotkanet REST 1.1 on the local server: /indicators/{id}, /regions, /json."""

    def __init__(self, server):
        """Load the fixture figures, titles and region ids."""
        self.server = server
        server.no_handler_status_code = 404
        self.url = server.url_for(SOTKANET_PATH)
        self.meta = json.loads((SOTKANET_DIR / "indicators.json").read_text("utf-8"))
        self.regions = json.loads((SOTKANET_DIR / "regions.json").read_text("utf-8"))
        self.rows = pd.read_csv(SOTKANET_DIR / "data.csv", dtype={"value": float})

    def serve(self, *, regions: list | None = None, rows: pd.DataFrame | None = None,
              updated: str = "2026-03-01", meta: dict | None = None) -> None:
        """Answer /indicators/{id}, /regions and /json from the fixtures."""
        for ident, body in (meta or self.meta).items():
            first, last = 2019, 2019
            full = dict(body, **{"data-updated": updated, "range": {"start": first,
                                                                     "end": last}})
            self.server.expect_request(f"{SOTKANET_PATH}/indicators/{ident}").respond_with_json(
                full)
        self.server.expect_request(f"{SOTKANET_PATH}/regions").respond_with_json(
            regions if regions is not None else self.regions)
        table = rows if rows is not None else self.rows

        def handler(request: Request) -> Response:
            ident = int(request.args["indicator"])
            years = {int(y) for y in request.args.getlist("years")}
            part = table[(table["indicator"] == ident) & table["year"].isin(years)]
            out = [{"indicator": int(r.indicator), "region": int(r.region), "year": int(r.year),
                    "gender": r.gender, "value": None if pd.isna(r.value) else float(r.value)}
                   for r in part.itertuples()]
            return Response(json.dumps(out), content_type="application/json")

        self.server.expect_request(f"{SOTKANET_PATH}/json").respond_with_handler(handler)


class FakeApis:
    """Both APIs on one local server."""

    def __init__(self, server):
        """Create the two fakes."""
        self.server = server
        self.statfin = FakeStatFin(server)
        self.sotkanet = FakeSotkanet(server)
        self.pxweb_url, self.sotkanet_url = self.statfin.url, self.sotkanet.url

    def serve_all(self) -> None:
        """Serve every recorded table and the Sotkanet fixtures."""
        self.statfin.serve_all()
        self.sotkanet.serve()

    def posts(self, table: str) -> list[dict]:
        """Return the JSON bodies POSTed to a PxWeb table."""
        return self.statfin.posts(table)


class FakeClock:
    """A monotonic clock for the clients: sleep() records the wait and moves time on at once."""

    def __init__(self, start: float = 0.0):
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_snapshot(folder: Path) -> Path:
    """Write a tiny bundled snapshot (real 2019 Sotkanet figures) for a starting warehouse."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = pd.read_csv(SOTKANET_DIR / "data.csv")
    regions = {r["id"]: r["code"].zfill(3)
               for r in json.loads((SOTKANET_DIR / "regions.json").read_text("utf-8"))}
    pick = {3099: "low_income_rate", 181: "unemployment_rate"}
    part = rows[rows["indicator"].isin(list(pick))]
    obs = pd.DataFrame({
        "indicator_id": part["indicator"].map(pick).to_numpy(),
        "area_code": part["region"].map(regions).to_numpy(),
        "period": part["year"].astype("int64").to_numpy(),
        "value": part["value"].astype(float).to_numpy(),
        "flag": pd.Series([None] * len(part), dtype=object).to_numpy(),
        "source_id": "snap:sotkanet-2019",
    })
    sources = pd.DataFrame([{
        "source_id": "snap:sotkanet-2019", "publisher": "THL / Sotkanet", "table_id": "3099,181",
        "title": "Sotkanet 2019 municipal figures (test snapshot)", "licence": "CC BY 4.0",
        "origin": "tests/fixtures/sotkanet/data.csv", "derivation": "as published",
        "query": None, "updated": None, "fetched_at": None}])
    obs.to_parquet(folder / "observations.parquet", index=False)
    sources.to_parquet(folder / "sources.parquet", index=False)
    return folder


def template_warehouse(folder: Path) -> tuple[Path, Path]:
    """Build a starting warehouse from the tiny snapshot; return (warehouse, snapshot folder)."""
    from warehouse.build import build_from_snapshot

    folder = Path(folder)
    snap = make_snapshot(folder / "snap")
    return build_from_snapshot(folder / "warehouse.duckdb", snap), snap


def run_env(tmp_path: Path, server, template: tuple[Path, Path]) -> SimpleNamespace:
    """Return a test's own copy of the template warehouse with the fake APIs on `server`."""
    db = Path(tmp_path) / "warehouse.duckdb"
    db.write_bytes(template[0].read_bytes())
    return SimpleNamespace(db=db, snap=template[1], fake=FakeApis(server), server=server)
