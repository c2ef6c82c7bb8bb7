import gzip
import time
import tracemalloc
import zlib
from datetime import UTC, datetime

import pytest
import requests
from werkzeug import Response

from etl import http


def test_retry_after_seconds_and_http_date():
    assert http.retry_after_seconds("7") == 7
    assert http.retry_after_seconds(None) is None
    assert http.retry_after_seconds("soon") is None
    now = datetime(2026, 6, 8, 12, 0, 0, tzinfo=UTC)
    assert http.retry_after_seconds("Mon, 08 Jun 2026 12:00:30 GMT", now) == 30


def test_backoff_grows_and_is_capped():
    s = http.HttpSettings(backoff=1, backoff_max=5)
    assert [http.backoff_delay(i, s) for i in (1, 2, 3, 4)] == [1, 2, 4, 5]


def test_settings_from_env():
    s = http.settings_from_env({"TILANNEKUVA_HTTP_ATTEMPTS": "2",
                                "TILANNEKUVA_HTTP_BACKOFF": "0.01"})
    assert (s.attempts, s.backoff, s.timeout) == (2, 0.01, http.HttpSettings().timeout)
    with pytest.raises(ValueError, match="TILANNEKUVA_HTTP"):
        http.settings_from_env({"TILANNEKUVA_HTTP_TIMEOUT": "soon"})


def test_a_4xx_is_not_retried_and_names_source_table_status(httpserver):
    httpserver.expect_request("/t").respond_with_data("Bad Request", status=400)
    sleeps = []
    with pytest.raises(http.FetchError) as err:
        http.request(requests.Session(), "GET", httpserver.url_for("/t"), source="PX",
                     table="12tg.px", settings=http.HttpSettings(attempts=3), sleep=sleeps.append)
    assert "PX 12tg.px" in str(err.value) and "HTTP 400" in str(err.value)
    assert err.value.status == 400 and sleeps == [] and len(httpserver.log) == 1


def test_too_long_retry_after_gives_up_at_once(httpserver):
    httpserver.expect_request("/t").respond_with_data("", status=429,
                                                      headers={"Retry-After": "3600"})
    with pytest.raises(http.FetchError, match="retry after 3600"):
        http.request(requests.Session(), "GET", httpserver.url_for("/t"), source="S",
                     table="t", settings=http.HttpSettings(retry_after_max=60),
                     sleep=lambda s: None)


# ----- issue 11: bounded requests, breaker, transport ---------------------------------------


def get(url, settings=None, guard=None, sleeps=None, method="GET", **kwargs):
    return http.request(requests.Session(), method, url, source="PX", table="t",
                        settings=settings or http.HttpSettings(attempts=3, backoff=1),
                        sleep=(sleeps.append if sleeps is not None else lambda s: None),
                        guard=guard, **kwargs)


def test_a_host_failing_three_times_in_a_row_gets_no_more_requests(httpserver):
    httpserver.expect_request("/t").respond_with_data("oops", status=500)
    guard = http.Guard()
    sleeps = []
    with pytest.raises(http.FetchError, match="failed 3 times in a row") as first:
        get(httpserver.url_for("/t"), http.HttpSettings(attempts=5, backoff=2), guard, sleeps)
    assert "gave up after 3 attempts" in str(first.value) and sleeps == [2, 4]
    with pytest.raises(http.FetchError, match="not sent: .*failed 3 times in a row"):
        get(httpserver.url_for("/other"), guard=guard)
    assert len(httpserver.log) == 3  # the breaker, not the attempt count, ended it


def test_a_success_resets_the_count_and_other_hosts_are_not_closed(httpserver):
    guard = http.Guard()
    httpserver.expect_oneshot_request("/t").respond_with_data("x", status=503)
    httpserver.expect_oneshot_request("/t").respond_with_data("x", status=503)
    httpserver.expect_request("/t").respond_with_json({"ok": 1})
    assert get(httpserver.url_for("/t"), guard=guard).json() == {"ok": 1}
    assert guard.failures[http.host_of(httpserver.url_for("/t"))] == 0
    assert guard.check("http://127.0.0.1:9/x") is None


def test_retry_after_beyond_the_cap_is_not_waited_for_and_closes_the_host(httpserver):
    httpserver.expect_request("/t").respond_with_data("", status=429,
                                                      headers={"Retry-After": "600"})
    guard, sleeps = http.Guard(), []
    with pytest.raises(http.FetchError, match="retry after 600 s, longer than the 120 s"):
        get(httpserver.url_for("/t"), http.HttpSettings(), guard, sleeps)
    assert sleeps == [] and http.HttpSettings().retry_after_max == 120
    with pytest.raises(http.FetchError, match="not sent"):
        get(httpserver.url_for("/t"), guard=guard)
    assert len(httpserver.log) == 1


def test_the_run_deadline_stops_sending(httpserver):
    now = [100.0]
    guard = http.Guard(clock=lambda: now[0], deadline=150.0)
    httpserver.expect_request("/t").respond_with_json({})
    assert get(httpserver.url_for("/t"), guard=guard).status_code == 200
    now[0] = 151.0
    with pytest.raises(http.FetchError, match="the run's deadline has passed"):
        get(httpserver.url_for("/t"), guard=guard)


def test_a_trickling_answer_is_cut_at_the_request_deadline(httpserver):
    def trickle(request):
        def body():
            for _ in range(200):  # 200 bytes at 2 per second: 100 s if not cut
                yield b" "
                time.sleep(0.5)
        return Response(body(), content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(trickle)
    started = time.monotonic()
    with pytest.raises(http.FetchError, match="did not arrive within 1 s"):
        get(httpserver.url_for("/slow"),
            http.HttpSettings(timeout=5, attempts=1, request_deadline=1))
    assert time.monotonic() - started < 15  # bounded by the deadline, not by the trickle


@pytest.fixture(scope="module")
def gzip_bomb():
    """About 1 MB of gzip that inflates to 1 GiB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(1024)]
    parts.append(packer.flush())
    return b"".join(parts)


def test_a_decompression_bomb_is_refused_with_bounded_memory(httpserver, gzip_bomb):
    assert len(gzip_bomb) < 2_000_000
    httpserver.expect_request("/bomb").respond_with_data(
        gzip_bomb, content_type="application/json", headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(http.FetchError, match="larger than 5,000,000 bytes decompressed"):
            get(httpserver.url_for("/bomb"), http.HttpSettings(max_bytes=5_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, peak
    assert len(httpserver.log) == 1  # not retried


def test_a_small_gzip_answer_is_read_normally(httpserver):
    httpserver.expect_request("/z").respond_with_data(
        gzip.compress(b'{"a": 1}'), content_type="application/json",
        headers={"Content-Encoding": "gzip"})
    assert get(httpserver.url_for("/z")).json() == {"a": 1}


def test_a_redirect_to_another_host_is_refused(httpserver):
    other = httpserver.url_for("/elsewhere").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/t").respond_with_data("", status=302,
                                                      headers={"Location": other})
    httpserver.expect_request("/p", method="POST").respond_with_data(
        "", status=307, headers={"Location": other})
    with pytest.raises(http.FetchError, match="redirected to another host .*127.0.0.1"):
        get(httpserver.url_for("/t"))
    with pytest.raises(http.FetchError, match="redirected to another host"):
        get(httpserver.url_for("/p"), method="POST", json={"q": 1})
    assert [r.path for r, _ in httpserver.log] == ["/t", "/p"]  # the other host never asked


def test_a_same_host_redirect_is_followed_and_logged(httpserver):
    httpserver.expect_request("/old", method="POST").respond_with_data(
        "", status=307, headers={"Location": "/new"})
    httpserver.expect_request("/new", method="POST", json={"q": 1}).respond_with_json({"ok": 2})
    httpserver.expect_request("/moved", method="POST").respond_with_data(
        "", status=302, headers={"Location": "/new"})
    guard = http.Guard()
    response = get(httpserver.url_for("/old"), guard=guard, method="POST", json={"q": 1})
    assert response.json() == {"ok": 2} and response.url == httpserver.url_for("/new")
    assert guard.redirects == [(httpserver.url_for("/old"), httpserver.url_for("/new"))]
    with pytest.raises(http.FetchError, match="would drop the query"):
        get(httpserver.url_for("/moved"), method="POST", json={"q": 1})


def test_a_redirect_loop_ends(httpserver):
    httpserver.expect_request("/loop").respond_with_data("", status=302,
                                                         headers={"Location": "/loop"})
    with pytest.raises(http.FetchError, match="redirected more than 5 times"):
        get(httpserver.url_for("/loop"))


def test_new_settings_from_env():
    s = http.settings_from_env({"TILANNEKUVA_HTTP_REQUEST_DEADLINE": "30",
                                "TILANNEKUVA_HTTP_MAX_BYTES": "1000",
                                "TILANNEKUVA_HTTP_BREAKER_FAILURES": "2",
                                "TILANNEKUVA_HTTP_RETRY_AFTER_MAX": "10",
                                "TILANNEKUVA_HTTP_CONNECT_TIMEOUT": "3"})
    assert (s.request_deadline, s.max_bytes, s.breaker_failures, s.retry_after_max,
            s.connect_timeout) == (30, 1000, 2, 10, 3)
    assert http.HttpSettings(timeout=5).deadline == 20  # default: 4 read timeouts
    assert http.HttpSettings(timeout=5, request_deadline=7).deadline == 7
    with pytest.raises(ValueError, match="at least 1"):
        http.settings_from_env({"TILANNEKUVA_HTTP_BREAKER_FAILURES": "0"})
    with pytest.raises(ValueError, match="positive"):
        http.settings_from_env({"TILANNEKUVA_HTTP_MAX_BYTES": "-1"})
