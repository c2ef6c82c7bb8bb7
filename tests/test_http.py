from datetime import UTC, datetime

import pytest
import requests

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
