"""The alerts' view-model: episodes newest first, their numbers and rules, the no-alert case."""

import dataclasses
import tomllib

import pandas as pd
import pytest

from indicators.alerts import RULES_PATH
from presentation import format as fmt
from presentation.alerts_view import build_alerts_view


def rules():
    with open(RULES_PATH, "rb") as fh:
        return {r["id"]: r for r in tomllib.load(fh)["rule"]}


def own_rows(frames, code):
    areas = frames.areas
    codes = {code, *areas.loc[areas["parent_code"] == code, "code"]}
    return frames.alerts[frames.alerts["area_code"].isin(codes)]


def test_no_recent_alert_is_said_plainly_with_the_gap(alke_frames):
    view = build_alerts_view(alke_frames, "MK12", "fi")
    assert view.recent == ()
    assert view.recent_empty == ("Ei hälytyksiä viimeisten 24 kuukauden aikana "
                                 "(heinäkuu 2024 – kesäkuu 2026).")
    assert any("marraskuu 2023 – toukokuu 2026" in n for n in view.notes)


def test_earlier_episodes_newest_first_with_their_numbers(alke_frames):
    view = build_alerts_view(alke_frames, "MK12", "fi")
    rows = own_rows(alke_frames, "MK12")
    key = rows["period"].map(lambda p: p if len(p) == 7 else f"{p}-12")
    newest = rows.loc[key == key.max()].iloc[0]
    first = view.earlier[0]
    assert first.last == newest["period"]
    assert fmt.signed(newest["value"], 1, "fi") in first.text
    assert 1 <= len(view.earlier) <= 6
    lasts = [i.last if len(i.last) == 7 else f"{i.last}-12" for i in view.earlier]
    assert lasts == sorted(lasts, reverse=True)


def test_rule_is_stated_with_its_numbers(alke_frames):
    view = build_alerts_view(alke_frames, "MK12", "fi")
    monthly = next(i for i in view.earlier if "työttömät työnhakijat" in i.text)
    rule = rules()["unemployed_region"]
    assert f"vähintään {rule['threshold_pct']:.0f} %" in monthly.rule
    assert f"{rule['persist_months']} kuukautta peräkkäin" in monthly.rule
    # the unemployed share of the country shrank (2020): a relative improvement reads as good
    assert "pieneni" in monthly.text and monthly.tone == "good"


def test_a_recent_alert_is_listed_and_none_at_all_is_said(alke_frames):
    sample = own_rows(alke_frames, "MK12").iloc[[0]].copy()  # test row, never shown to users
    sample["period"], sample["since"] = "2026-06", "2025-06"
    sample["rule_id"], sample["series"] = "unemployed_region", "unemployed"
    sample["area_code"], sample["level"], sample["direction"] = "MK12", "region", "up"
    recent = dataclasses.replace(alke_frames, alerts=pd.concat([alke_frames.alerts, sample]))
    view = build_alerts_view(recent, "MK12", "en")
    assert [i.span for i in view.recent] == ["June 2026"]
    assert view.recent[0].tone == "bad" and view.recent_empty == ""
    empty = dataclasses.replace(alke_frames, alerts=alke_frames.alerts.iloc[0:0])
    view = build_alerts_view(empty, "MK12", "en")
    assert view.recent == () and view.earlier == ()
    assert "no alerts over the whole series" in view.notes[0]


# --- The download: every episode, one row each, as the view lists them ----------------------

HEADERS = {
    "fi": ["Alue", "Aluetaso", "Mikä muuttui", "Ensimmäinen jakso", "Viimeinen jakso",
           "Lukujen jakso", "Suunta", "Alueen muutos, %", "Koko maan muutos, %",
           "Osuuden muutos koko maan luvusta, %", "Säännön kynnys, %", "Sääntö", "Lähde"],
    "sv": ["Område", "Områdesnivå", "Vad som ändrades", "Första period", "Sista period",
           "Siffrornas period", "Riktning", "Områdets förändring, %",
           "Hela landets förändring, %", "Andelens förändring av hela landets siffra, %",
           "Regelns tröskel, %", "Regel", "Källa"],
    "en": ["Area", "Area level", "What moved", "First period", "Last period", "Figures' period",
           "Direction", "Area's change, %", "Country's change, %",
           "Change of the share of the country's figure, %", "Rule's threshold, %", "Rule",
           "Source"],
}
NUMBERS = {7: 1, 8: 1, 9: 1, 10: 0}  # column position: shown decimals
LEVELS = {"fi": {"region": "maakunta", "subregion": "seutukunta"},
          "sv": {"region": "landskap", "subregion": "ekonomisk region"},
          "en": {"region": "region", "subregion": "sub-region"}}
DIRECTIONS = {"fi": {"up": "ylös", "down": "alas"}, "sv": {"up": "uppåt", "down": "nedåt"},
              "en": {"up": "up", "down": "down"}}
SOURCES = {"fi": ("Työ- ja elinkeinoministeriö", "Tilastokeskus"),
           "sv": ("Arbets- och näringsministeriet", "Statistikcentralen"),
           "en": ("Ministry of Economic Affairs and Employment", "Statistics Finland")}


def engine_rows(frames, code, lang):
    """The episodes as the engine finds them in the alert rows, with their peak rows' numbers."""
    from indicators.alerts import episodes

    rows = own_rows(frames, code)
    names = dict(zip(frames.areas["code"], frames.areas[f"name_{lang}"], strict=True))
    out = []
    for ep in episodes(rows).itertuples():
        peak = rows[(rows["area_code"] == ep.area_code) & (rows["rule_id"] == ep.rule_id)
                    & (rows["series"] == ep.series) & (rows["period"] == ep.peak_period)].iloc[0]
        out.append((names[ep.area_code], LEVELS[lang][ep.level], str(ep.first), str(ep.last),
                    str(ep.peak_period), DIRECTIONS[lang][ep.direction],
                    round(peak["value"], 1), round(peak["country_value"], 1),
                    round(peak["gap"], 1), float(peak["threshold"]), ep.rule_id))
    return out


@pytest.mark.parametrize("code", ["MK12", "MK19"])
def test_download_has_every_episode_with_the_engines_numbers(alke_frames, code):
    view = build_alerts_view(alke_frames, code, "fi")
    shown = view.download.shown
    expected = engine_rows(alke_frames, code, "fi")
    assert len(shown) == len(expected) > len(view.recent) + len(view.earlier)  # all, not 6
    assert view.earlier_title.endswith(f"/{len(expected) - len(view.recent)})")
    got = [(r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11])
           for r in shown.itertuples(index=False)]
    assert sorted(got) == sorted(expected)
    # the rows are in the order the view lists its episodes, each one's numbers as shown there
    listed = [*view.recent, *view.earlier]
    for item, row in zip(listed, shown.itertuples(index=False), strict=False):
        assert item.last == row[4]
        assert item.text.startswith(f"{row[0]}, {row[2]}")
        assert fmt.signed(row[7], 1, "fi") in item.text
        assert fmt.signed(row[8], 1, "fi") in item.text
    machine = view.download.machine
    assert machine["area_code"].tolist()[:len(listed)] == [i.area_code for i in listed]
    industry = machine["series"].str.startswith("industry:")
    assert industry.any() and not industry.all()
    assert (machine.loc[industry, "source_id"] == "statfin_tyokay_115i").all()
    assert (machine.loc[~industry, "source_id"] == "tyonv_12r5").all()


def test_download_keeps_full_precision_for_machines(alke_frames):
    from indicators.alerts import episodes

    view = build_alerts_view(alke_frames, "MK12", "en")
    found = episodes(own_rows(alke_frames, "MK12"))
    keys = ["area_code", "rule_id", "series", "first"]
    got = view.download.machine.set_index(keys).sort_index()
    want = found.set_index(keys).sort_index()
    assert got.index.equals(want.index)
    for column in ("peak_value", "peak_country_value", "peak_gap", "n_periods", "last"):
        assert got[column].tolist() == want[column].tolist(), column


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_download_headings_and_words_are_in_the_language(alke_frames, lang):
    view = build_alerts_view(alke_frames, "MK19", lang)
    shown = view.download.shown
    assert list(shown.columns) == HEADERS[lang]
    assert set(shown[HEADERS[lang][1]]) == set(LEVELS[lang].values())
    assert set(shown[HEADERS[lang][6]]) == set(DIRECTIONS[lang].values())
    areas = alke_frames.areas
    lapland = areas.loc[(areas["code"] == "MK19") | (areas["parent_code"] == "MK19"),
                        f"name_{lang}"]
    assert set(shown[HEADERS[lang][0]]) <= set(lapland)
    assert areas.loc[areas["code"] == "MK19", f"name_{lang}"].iloc[0] in set(
        shown[HEADERS[lang][0]])
    monthly, industry = SOURCES[lang]
    industry_rows = shown[HEADERS[lang][11]] == "industry_employment_change"
    assert shown.loc[industry_rows, HEADERS[lang][12]].str.startswith(industry).all()
    assert shown.loc[~industry_rows, HEADERS[lang][12]].str.startswith(monthly).all()
    assert shown.loc[~industry_rows, HEADERS[lang][12]].str.contains("tyonv/12r5.px").all()
    labels = alke_frames.industries.set_index("code")[f"label_{lang}"]
    section = view.download.machine.loc[industry_rows.to_numpy(), "series"].str[9:]
    what = labels.loc[section].tolist()
    if lang != "en":
        what = [w[0].lower() + w[1:] for w in what]
    assert shown.loc[industry_rows, HEADERS[lang][2]].tolist() == what


def test_download_numbers_are_numbers_rounded_as_shown(alke_frames):
    view = build_alerts_view(alke_frames, "MK12", "sv")
    shown, decimals = view.download.shown, view.download.decimals
    assert decimals == {HEADERS["sv"][i]: places for i, places in NUMBERS.items()}
    for i, places in NUMBERS.items():
        column = shown[HEADERS["sv"][i]]
        assert pd.api.types.is_float_dtype(column), column.name
        assert all(isinstance(v, float) for v in column)
        assert column.tolist() == [round(v, places) for v in column]
    raw = view.download.machine["peak_value"]
    assert (shown[HEADERS["sv"][7]] != raw).any()  # the machine's figures are not rounded
    assert set(shown[HEADERS["sv"][10]]) == {float(r["threshold_pct"]) for r in rules().values()
                                             if r["id"] in set(shown[HEADERS["sv"][11]])}
    for column in HEADERS["sv"][:7] + HEADERS["sv"][11:]:
        assert all(isinstance(v, str) for v in shown[column]), column


def test_no_episodes_no_download(alke_frames):
    assert build_alerts_view(alke_frames, "MK12", "fi").download is not None
    empty = dataclasses.replace(alke_frames, alerts=alke_frames.alerts.iloc[0:0])
    assert build_alerts_view(empty, "MK12", "fi").download is None
    others = alke_frames.alerts[~alke_frames.alerts["area_code"].isin(
        own_rows(alke_frames, "MK12")["area_code"])]
    assert build_alerts_view(dataclasses.replace(alke_frames, alerts=others), "MK12",
                             "sv").download is None


def test_download_files_as_the_page_offers_them(alke_frames, warehouse_env):
    """The page's three buttons: the locale CSV, the machine CSV and Excel, of the episodes."""
    import io

    from openpyxl import load_workbook

    from ui import data, downloads

    download = build_alerts_view(alke_frames, "MK12", "fi").download
    path, mtime = data.version()
    key = downloads._digest(download)
    text = downloads._data_file(download, "shown_csv", key, path, mtime).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ";".join(HEADERS["fi"])
    assert len(lines) == len(download.shown) + 1
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype=str)
    for i, places in NUMBERS.items():
        column = HEADERS["fi"][i]
        assert back[column].tolist() == [f"{v:.{places}f}".replace(".", ",")
                                         for v in download.shown[column]]
    assert back[HEADERS["fi"][3]].tolist() == download.shown[HEADERS["fi"][3]].tolist()
    first = download.shown.iloc[0]
    assert lines[1].startswith(f"{first['Alue']};{first['Aluetaso']};{first['Mikä muuttui']};")

    machine = downloads._data_file(download, "machine_csv", key, path, mtime)
    table = pd.read_csv(io.BytesIO(machine), encoding="utf-8-sig")
    assert table["peak_value"].tolist() == pytest.approx(
        download.machine["peak_value"].tolist(), rel=1e-15)
    assert "Pohjois-Karjala" in set(table["area_name"])

    wb = load_workbook(io.BytesIO(downloads._data_file(download, "xlsx", key, path, mtime)))
    sheet = wb["Tiedot"]
    assert [c.value for c in sheet[1]] == HEADERS["fi"]
    second = [c for c in sheet[2]]
    assert isinstance(second[7].value, float) and second[7].number_format == "0.0"
    assert isinstance(second[10].value, (int, float)) and second[10].number_format == "0"
    cells = {c for row in wb["Kuvaus"].iter_rows(values_only=True) for c in row if c}
    assert {"tyonv_12r5", "statfin_tyokay_115i"} <= cells  # the episodes' sources described


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_without_monthly_figures_no_month_window_is_named(alke_frames, lang):
    from presentation.i18n import t

    frames = dataclasses.replace(alke_frames, monthly=alke_frames.monthly.iloc[0:0])
    view = build_alerts_view(frames, "MK12", lang)
    assert view.recent == ()
    assert view.recent_title == t("alerts.recent_title_no_months", lang)
    assert view.recent_empty == t("alerts.recent_no_months", lang)
    assert "9999" not in view.recent_title + view.recent_empty
    assert view.earlier  # the annual industry episodes are still listed
