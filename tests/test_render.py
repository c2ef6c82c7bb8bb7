"""ui/render.py: display values as Streamlit Markdown, with text from the data kept as text."""

from app_helpers import visible

from presentation.changes import Change
from presentation.display import Span, Table, cell
from ui import render


def test_markdown_characters_are_escaped():
    evil = "**bold** [link](http://x) :red[x] $x$ <b> | # 1."
    assert visible(render.md(evil)) == evil
    assert "**" not in render.md(evil).replace("\\*", "")


def test_tones_become_markdown_and_tables_are_small_and_aligned():
    table = Table(columns=("Mittari", "Arvo"),
                  rows=((cell("A|B"), cell(Span("1,0", "strong"), Span("(2024)", "muted"),
                                           Span("▲ +1", "good"))),),
                  align=("left", "right"))
    text = render.table_md(table)
    lines = text.splitlines()
    assert lines[0] == "| :small[Mittari] | :small[Arvo] |"
    assert lines[1] == "|:--|--:|"
    assert lines[2] == ("| :small[A\\|B] | :small[**1,0** :gray[\\(2024\\)] :blue[▲ \\+1]] |")


def test_the_metric_delta_of_a_change():
    shown = Change(1.2, "▲ +1,2", True, None)
    assert render.delta(shown) == {"delta": "+1,2", "delta_color": "blue", "delta_arrow": "up"}
    bad = Change(-1.0, "▼ −1,0", False, None)
    assert render.delta(bad)["delta_color"] == "orange"
    assert render.delta(Change(None, "aikasarjassa katko", None, "break")) == {"delta": None}


def test_long_words_in_tables_may_break_and_read_the_same():
    word = "kommunikationsverksamhet"
    soft = render.breakable(f"Informations- och {word} 13 390")
    assert soft.replace("\u00ad", "") == f"Informations- och {word} 13 390"
    assert soft.count("\u00ad") == 3 and "Informations-" in soft  # short words stay whole
    assert render.breakable("Koko maa 12,3") == "Koko maa 12,3"
    table = Table(columns=("Näringsgren",), rows=((cell(word),),))
    assert "\u00ad" in render.table_md(table).splitlines()[2]
