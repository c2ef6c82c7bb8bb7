"""Shared fixtures: one warehouse built from the bundled snapshot into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a warehouse built once per session by the project's one builder."""
    from warehouse.build import build_from_snapshot

    return build_from_snapshot(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")


@pytest.fixture
def warehouse_env(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $TILANNEKUVA_DB at the session warehouse for one test."""
    monkeypatch.setenv("TILANNEKUVA_DB", str(warehouse))
    return warehouse


@pytest.fixture(scope="session")
def frames(warehouse: Path):
    """The picture frames of the session warehouse (as the app and the brief read them)."""
    from presentation.frames import load_frames

    return load_frames(warehouse)


@pytest.fixture(scope="session")
def contract(frames):
    """The session frames with the scoring contract's columns (tests/picture_fixtures.py)."""
    from picture_fixtures import contract_frames

    return contract_frames(frames)


@pytest.fixture(scope="session")
def cases(contract):
    """Contract frames with one never-show-this case per dimension of Pohjois-Karjala."""
    from picture_fixtures import with_cases

    return with_cases(contract)


@pytest.fixture(scope="session")
def contract_db(warehouse: Path, cases, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse file whose scores carry the contract's columns and the cases."""
    from picture_fixtures import contract_warehouse

    return contract_warehouse(warehouse, tmp_path_factory.mktemp("contract") / "w.duckdb",
                              cases)


@pytest.fixture(scope="session")
def alke_frames(warehouse: Path):
    """The ALKE frames of the session warehouse (monthly, alerts, industry, EU twins)."""
    from presentation.alke_frames import load_alke_frames

    return load_alke_frames(warehouse)
