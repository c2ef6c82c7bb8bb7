"""Test helpers: a fake StatFin PxWeb + THL Sotkanet on pytest-httpserver, and a tiny snapshot.

The fake answers from real figures kept under tests/fixtures/ (see the README files there) and
builds JSON-stat 2.0 answers for whatever selection the client POSTs, so splitting and value
order are exercised for real.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd
from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures"
PXWEB_DIR = FIXTURES / "pxweb"
SOTKANET_DIR = FIXTURES / "sotkanet"
PXWEB_PATH = "/PxWeb/api/v1/fi"
SOTKANET_PATH = "/rest/1.1"
# Statistics Finland's live ?config answer (2026), as recorded in public probes.
CONFIG = {"maxValues": 120000, "maxCells": 120000, "maxCalls": 40, "timeWindow": 60,
          "CORS": True}
UPDATED = "2026-03-27T05:00:00"
# tables served by the fake: catalog table -> (metadata fixture, cube fixture)
PXWEB_TABLES = {
    "tyokay/115p.px": ("meta_tyokay_115p.json", "cube_115p.csv"),
    "vaerak/11ra.px": ("meta_vaerak_11ra.json", "cube_11ra.csv"),
}
# catalog ids whose live source the fake serves in full
SERVED_PXWEB = ("job_self_sufficiency", "urbanisation_degree")
SERVED_SOTKANET = ("low_income_rate", "long_term_unemployed_share", "social_assistance_25_64",
                   "economic_dependency_ratio", "higher_education_20plus", "unemployment_rate",
                   "demographic_dependency_ratio", "youth_long_term_social_assistance",
                   "population_change")
SERVED = SERVED_PXWEB + SERVED_SOTKANET


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


def load_cube(name: str) -> dict[tuple[str, str, str], float | None]:
    """Return a fixture cube: (area, year, content) -> value (None = not published)."""
    cube = {}
    with open(PXWEB_DIR / name, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cube[(row["area"], row["year"], row["content"])] = (
                float(row["value"]) if row["value"] else None)
    return cube


def jsonstat_answer(meta: dict, query: dict, cube: dict) -> dict:
    """Build the JSON-stat 2.0 dataset a PxWeb v1 server returns for a query (spec order)."""
    chosen = {q["code"]: q["selection"]["values"] for q in query["query"]}
    variables = [v for v in meta["variables"] if v["code"] in chosen]
    ids = [v["code"] for v in variables]
    dims = {}
    for v in variables:
        codes = chosen[v["code"]]
        texts = dict(zip(v["values"], v["valueTexts"], strict=True))
        dims[v["code"]] = {"label": v["text"], "category": {
            "index": {c: i for i, c in enumerate(codes)},
            "label": {c: texts.get(c, c) for c in codes}}}
    area = next(c for c in ids if c.startswith("alue"))
    values, status = [], {}
    sizes = [len(chosen[c]) for c in ids]
    for flat in range(math.prod(sizes)):
        rest, key = flat, []
        for size in reversed(sizes):
            rest, pos = divmod(rest, size)
            key.append(pos)
        codes = {c: chosen[c][p] for c, p in zip(reversed(ids), key, strict=True)}
        value = cube.get((codes[area], codes["timeperiod_y"], codes["contentscode"]))
        values.append(value)
        if value is None:
            status[str(flat)] = ".."
    doc = {"version": "2.0", "class": "dataset", "label": meta["title"],
           "source": "Tilastokeskus", "updated": "2026-03-27T05:00:00Z", "id": ids,
           "size": sizes, "dimension": dims, "value": values,
           "role": {"time": ["timeperiod_y"], "metric": ["contentscode"]}}
    if status:
        doc["status"] = status
    return doc


class FakeApis:
    """A fake StatFin PxWeb v1 API and Sotkanet REST 1.1 API on one local server."""

    def __init__(self, server):
        """Wrap a pytest-httpserver server; unknown paths answer 404."""
        self.server = server
        server.no_handler_status_code = 404
        self.pxweb_url = server.url_for(PXWEB_PATH)
        self.sotkanet_url = server.url_for(SOTKANET_PATH)
        self.cubes = {t: load_cube(c) for t, (_, c) in PXWEB_TABLES.items()}
        self.metas = {t: json.loads((PXWEB_DIR / m).read_text(encoding="utf-8"))
                      for t, (m, _) in PXWEB_TABLES.items()}
        self.sotkanet_meta = json.loads((SOTKANET_DIR / "indicators.json").read_text("utf-8"))
        self.regions = json.loads((SOTKANET_DIR / "regions.json").read_text("utf-8"))
        self.rows = pd.read_csv(SOTKANET_DIR / "data.csv", dtype={"value": float})

    # ----- PxWeb -------------------------------------------------------------------------
    def serve_config(self, config: dict | None = None) -> None:
        """Answer GET {base}/?config."""
        self.server.expect_request(f"{PXWEB_PATH}/", query_string="config").respond_with_json(
            config or CONFIG)

    def serve_table(self, table: str, *, meta: dict | None = None, cube: dict | None = None,
                    updated: str = UPDATED, answer=None) -> None:
        """Answer a table's folder listing, metadata GET and data POSTs (built from the cube)."""
        folder, _, name = table.rpartition("/")
        meta = meta or self.metas[table]
        cube = cube if cube is not None else self.cubes[table]
        listing = [{"id": name, "type": "t", "text": meta["title"], "updated": updated}]
        base = f"{PXWEB_PATH}/StatFin/{table}"
        self.server.expect_request(f"{PXWEB_PATH}/StatFin/{folder}",
                                   method="GET").respond_with_json(listing)
        self.server.expect_request(base, method="GET").respond_with_json(meta)

        def handler(request: Request) -> Response:
            query = json.loads(request.data)
            doc = answer(query) if answer else jsonstat_answer(meta, query, cube)
            return Response(json.dumps(doc), content_type="application/json")

        self.server.expect_request(base, method="POST").respond_with_handler(handler)

    def posts(self, table: str) -> list[dict]:
        """Return the JSON bodies POSTed to a table, in order."""
        path = f"{PXWEB_PATH}/StatFin/{table}"
        return [json.loads(req.data) for req, _ in self.server.log
                if req.method == "POST" and req.path == path]

    # ----- Sotkanet ----------------------------------------------------------------------
    def serve_sotkanet(self, *, regions: list | None = None, rows: pd.DataFrame | None = None,
                       updated: str = "2026-03-01") -> None:
        """Answer /indicators/{id}, /regions and /json from the fixtures."""
        for ident, meta in self.sotkanet_meta.items():
            body = dict(meta, **{"data-updated": updated})
            self.server.expect_request(f"{SOTKANET_PATH}/indicators/{ident}").respond_with_json(
                body)
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

    def serve_all(self) -> None:
        """Serve everything the fixtures hold."""
        self.serve_config()
        for table in PXWEB_TABLES:
            self.serve_table(table)
        self.serve_sotkanet()


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
