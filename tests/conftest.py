"""Shared fixtures: one warehouse built from the bundled snapshot into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a warehouse built once per session by the project's one builder."""
    from etl.warehouse import build_from_snapshot

    return build_from_snapshot(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")


@pytest.fixture
def warehouse_env(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $TILANNEKUVA_DB at the session warehouse for one test."""
    monkeypatch.setenv("TILANNEKUVA_DB", str(warehouse))
    return warehouse
