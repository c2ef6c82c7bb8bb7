import itertools
import json
import time
from pathlib import Path

import pytest
from live_fakes import FakeClock
from werkzeug import Response

from etl import http
from etl.pxweb import PxWebClient, PxWebLimits, RateLimiter

FIX = Path(__file__).parent / "fixtures" / "pxweb"
BASE = "/PxWeb/api/v1/fi"
TABLE = "/PxWeb/api/v1/fi/StatFin/vaerak/11rc.px"
RECORDED = (FIX / "pxwebpy_response_vaerak_11rc_sv_jsonstat2.json").read_bytes()
QUERY = json.loads((FIX / "pxwebpy_query_vaerak_11rc_sv.json").read_text("utf-8"))["query"]
SELECTION = {q["code"]: q["selection"]["values"] for q in QUERY["query"]}
FAST = http.HttpSettings(timeout=2, attempts=3, backoff=0.5, request_deadline=120)


def client(httpserver, config=None, settings=FAST, clock=None):
    httpserver.expect_request(f"{BASE}/", query_string="config").respond_with_json(
        config or {"maxValues": 120000, "maxCells": 120000, "maxCalls": 40, "timeWindow": 60})
    clock = clock or FakeClock()
    return PxWebClient(httpserver.url_for(BASE), settings=settings, clock=clock,
                       sleep=clock.sleep), clock


def test_limits_come_from_the_config_endpoint(httpserver):
    c, _ = client(httpserver, {"maxValues": 1000, "maxCalls": 30, "timeWindow": 10})
    assert c.limits() == PxWebLimits(max_cells=1000, max_calls=30, time_window=10.0)
    assert c.limits() is c.limits()
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("config", [{}, {"maxValues": 0, "maxCalls": 1, "timeWindow": 1},
                                    {"maxValues": 10}])
def test_unusable_config_is_a_clear_error(httpserver, config):
    httpserver.expect_request(f"{BASE}/", query_string="config").respond_with_json(config)
    c = PxWebClient(httpserver.url_for(BASE), settings=FAST, sleep=lambda s: None)
    with pytest.raises(http.FetchError, match=r"\?config"):
        c.limits()


def test_recorded_jsonstat2_answer_is_read_too(httpserver):
    # the client asks for PxWeb's json export; a server answering JSON-stat 2.0 is read too
    c, _ = client(httpserver)
    asked = dict(QUERY, response={"format": "json"})
    httpserver.expect_request(TABLE, method="POST", json=asked).respond_with_data(
        RECORDED, content_type="application/json")
    data = c.fetch("StatFin", "vaerak/11rc.px", SELECTION, "ContentsCode")
    assert len(data.frame) == 90 and data.frame["value"].sum() == pytest.approx(
        sum(json.loads(RECORDED)["value"]))
    assert data.queries == [asked] and data.updated == "2023-03-31T05:00:00Z"
    assert data.urls == [httpserver.url_for(TABLE)]
    assert "Tilannekuva" in httpserver.log[-1][0].headers["User-Agent"]


def test_query_is_split_under_the_cell_limit(httpserver):
    c, _ = client(httpserver, {"maxValues": 40, "maxCalls": 40, "timeWindow": 60})
    doc = json.loads(RECORDED)
    bodies = []

    def answer(request):
        body = json.loads(request.data)
        bodies.append(body)
        chosen = {q["code"]: q["selection"]["values"] for q in body["query"]}
        part = dict(doc)
        part["dimension"] = {k: dict(v) for k, v in doc["dimension"].items()}
        sizes, values = [], []
        order = list(doc["id"])
        for d in order:
            codes = chosen.get(d, list(doc["dimension"][d]["category"]["index"]))
            part["dimension"][d] = {"category": {"index": {k: i for i, k in enumerate(codes)}}}
            sizes.append(len(codes))
        full_index = {d: doc["dimension"][d]["category"]["index"] for d in order}
        for combo in itertools.product(*[list(part["dimension"][d]["category"]["index"])
                                         for d in order]):
            pos = 0
            for d, code in zip(order, combo, strict=True):
                pos = pos * len(full_index[d]) + full_index[d][code]
            values.append(doc["value"][pos])
        part.update(size=sizes, value=values)
        return Response(json.dumps(part), content_type="application/json")

    httpserver.expect_request(TABLE, method="POST").respond_with_handler(answer)
    data = c.fetch("StatFin", "vaerak/11rc.px", SELECTION, "ContentsCode")
    cells = [len(b["query"][0]["selection"]["values"]) * len(b["query"][1]["selection"]["values"])
             * len(b["query"][2]["selection"]["values"]) for b in bodies]
    assert len(bodies) > 1 and max(cells) <= 40 and sum(cells) == 90
    assert all(b["response"] == {"format": "json"} for b in bodies)
    assert sorted(data.frame["value"]) == sorted(json.loads(RECORDED)["value"])


def test_rate_limiter_waits_for_the_window():
    clock = FakeClock()
    limiter = RateLimiter(3, 10, clock, clock.sleep)
    times = []
    for _ in range(7):
        limiter.acquire()
        times.append(clock.now)
        clock.now += 1
    # calls at t=0,1,2; the 4th waits until t=10, then 11, 12; the 7th waits until t=20
    assert times == [0, 1, 2, 10, 11, 12, 20]
    assert clock.sleeps == [7.0, 7.0]
    assert all(sum(t <= u < t + 10 for u in times) <= 3 for t in times)


def test_client_respects_the_api_rate_limit(httpserver):
    c, clock = client(httpserver, {"maxValues": 120000, "maxCalls": 2, "timeWindow": 5})
    for i in range(5):
        httpserver.expect_request(f"{BASE}/StatFin/vaerak/t{i}.px", method="GET").respond_with_json(
            {"variables": []})
    for i in range(5):
        c.metadata("StatFin", f"vaerak/t{i}.px")
        c.metadata("StatFin", f"vaerak/t{i}.px")  # read once per run, then cached
    assert clock.sleeps == [5.0, 5.0]
    assert len(httpserver.log) == 6


def test_429_honours_retry_after(httpserver):
    c, clock = client(httpserver)
    httpserver.expect_oneshot_request(TABLE, method="POST").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "17"})
    httpserver.expect_request(TABLE, method="POST").respond_with_data(
        RECORDED, content_type="application/json")
    data = c.fetch("StatFin", "vaerak/11rc.px", SELECTION, "ContentsCode")
    assert len(data.frame) == 90 and 17.0 in clock.sleeps


def test_500_then_success(httpserver):
    c, clock = client(httpserver)
    httpserver.expect_oneshot_request(TABLE, method="POST").respond_with_data("oops", status=500)
    httpserver.expect_request(TABLE, method="POST").respond_with_data(
        RECORDED, content_type="application/json")
    assert len(c.fetch("StatFin", "vaerak/11rc.px", SELECTION, "ContentsCode").frame) == 90
    assert clock.sleeps == [0.5]


def test_persistent_503_names_source_table_and_status(httpserver):
    c, clock = client(httpserver)
    httpserver.expect_request(TABLE, method="POST").respond_with_data("down", status=503)
    with pytest.raises(http.FetchError) as err:
        c.fetch("StatFin", "vaerak/11rc.px", SELECTION, "ContentsCode")
    text = str(err.value)
    assert "Statistics Finland PxWeb" in text and "vaerak/11rc.px" in text
    assert "HTTP 503" in text and "3 attempts" in text
    assert clock.sleeps == [0.5, 1.0]


def test_timeout_is_retried_then_reported(httpserver):
    c, _ = client(httpserver, settings=http.HttpSettings(timeout=0.2, attempts=2, backoff=0))

    def slow(request):
        time.sleep(0.5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request(TABLE, method="POST").respond_with_handler(slow)
    c.limits()
    with pytest.raises(http.FetchError, match="timed out after 0.2 s; gave up after 2"):
        c.fetch("StatFin", "vaerak/11rc.px", SELECTION, "ContentsCode")


def test_connection_refused_is_reported():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = PxWebClient(f"http://127.0.0.1:{port}{BASE}", sleep=lambda s: None,
                    settings=http.HttpSettings(timeout=1, attempts=2, backoff=0))
    with pytest.raises(http.FetchError, match="cannot connect"):
        c.limits()


@pytest.mark.parametrize("body, content_type, message", [
    (RECORDED[:2000], "application/json", "not valid JSON"),
    (b"<!DOCTYPE html><html><body>Service break</body></html>", "text/html", "HTML page"),
    (b"<html><body>maintenance</body></html>", "application/json", "HTML page"),
    (b"", "application/json", "empty body"),
])
def test_bad_bodies_with_status_200_are_clear_errors(httpserver, body, content_type, message):
    c, _ = client(httpserver)
    httpserver.expect_request(TABLE, method="POST").respond_with_data(
        body, content_type=content_type)
    with pytest.raises(http.FetchError, match=message):
        c.fetch("StatFin", "vaerak/11rc.px", SELECTION, "ContentsCode")


@pytest.mark.parametrize("doc", [{"columns": []}, {"columns": [], "data": []},
                                 {"columns": [{"code": "x", "type": "d"}], "data": [{"key": []}]}])
def test_json_that_is_neither_export_nor_jsonstat_is_a_clear_error(httpserver, doc):
    c, _ = client(httpserver)
    httpserver.expect_request(TABLE, method="POST").respond_with_json(doc)
    with pytest.raises(http.FetchError, match="not a usable PxWeb json or JSON-stat2"):
        c.fetch("StatFin", "vaerak/11rc.px", SELECTION, "ContentsCode")


def test_table_updated_reads_the_folder_listing(httpserver):
    c, _ = client(httpserver)
    httpserver.expect_request(f"{BASE}/StatFin/vaerak").respond_with_json(
        [{"id": "11ra.px", "type": "t", "text": "x", "updated": "2026-03-27T05:00:00"},
         {"id": "11rc.px", "type": "t", "text": "y", "updated": "2026-04-01T05:00:00"}])
    assert c.table_updated("StatFin", "vaerak/11rc.px") == "2026-04-01T05:00:00"
    assert c.table_updated("StatFin", "vaerak/99zz.px") is None
    assert len(httpserver.log) == 2  # ?config and one listing for the folder


def test_listing_ids_without_the_px_suffix_are_matched(httpserver):
    c, _ = client(httpserver)
    httpserver.expect_request(f"{BASE}/StatFin/tyonv").respond_with_json(
        [{"id": "12r5", "type": "t", "text": "x", "updated": "2026-07-21T05:00:00"}])
    assert c.table_updated("StatFin", "tyonv/12r5.px") == "2026-07-21T05:00:00"


def test_recorded_json_export_is_fetched_with_recorded_codes(httpserver):
    recorded = (FIX / "recorded" / "unemployment_register_kunnat_12r5.json").read_bytes()
    c, _ = client(httpserver)
    selection = {"Alue": ["SSS", "KU020"], "timeperiod_m": ["2026M06"],
                 "contentscode": ["TYOTTOMATLOPUSSA", "TYOVOIMATK"]}
    body = {"query": [{"code": k, "selection": {"filter": "item", "values": v}}
                      for k, v in selection.items()], "response": {"format": "json"}}
    httpserver.expect_request("/PxWeb/api/v1/fi/StatFin/tyonv/12r5.px", method="POST",
                              json=body).respond_with_data(recorded,
                                                           content_type="application/json")
    data = c.fetch("StatFin", "tyonv/12r5.px", selection, "contentscode")
    sss = data.frame[data.frame.Alue == "SSS"].set_index("contentscode")["value"]
    # checked by hand against the file: SSS 2026M06
    assert sss["TYOTTOMATLOPUSSA"] == 352001 and sss["TYOVOIMATK"] == 2743596
    assert sss["TYOTOSUUS"] == 12.8
    assert data.updated == "2026-07-21T05:00:00Z"


def test_waiting_for_our_own_rate_limit_does_not_count_against_the_request_deadline(httpserver):
    c, clock = client(httpserver, {"maxValues": 1000, "maxCalls": 1, "timeWindow": 60},
                      settings=http.HttpSettings(attempts=1, request_deadline=10))
    for name in ("a", "b"):
        httpserver.expect_request(f"{BASE}/StatFin/vaerak/{name}.px").respond_with_json(
            {"variables": []})
    c.metadata("StatFin", "vaerak/a.px")
    c.metadata("StatFin", "vaerak/b.px")  # waits 60 s (fake) for the limiter, then is sent
    assert clock.sleeps == [60.0] and len(httpserver.log) == 3
