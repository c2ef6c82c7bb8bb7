import base64
import dataclasses
import io
from html.parser import HTMLParser

import pytest
from PIL import Image
from report_helpers import latest_score_year, overall_score

from indicators.catalog import load_dimensions
from presentation import format as fmt
from presentation.region import build_region_picture as build_content
from report.html import html_text


class Collector(HTMLParser):
    """Collect tags, attributes and the visible text of a document."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(doc: str) -> Collector:
    collector = Collector()
    collector.feed(doc)
    collector.close()
    return collector


@pytest.mark.parametrize(("code", "lang", "name"), [("MK07", "fi", "Päijät-Häme"),
                                                     ("MK15", "sv", "Österbotten")])
def test_html_has_the_same_figures_as_the_brief(frames, warehouse, code, lang, name):
    year = latest_score_year(warehouse)
    content = build_content(frames, code, lang)
    doc = parse(html_text(content))
    text = " ".join(doc.text)
    assert name in text
    assert fmt.number(overall_score(warehouse, code, year), 1, lang) in text
    for dim in load_dimensions():
        assert dim["label"][lang] in text
    for row in content.key_rows:
        assert row.label in text
    assert content.ages_text in text
    for notice in content.notices:
        assert notice in text
    for line in content.sources:
        assert line in text
    assert ("html", {"lang": lang}) in doc.tags


def test_html_is_self_contained(frames):
    doc = parse(html_text(build_content(frames, "MK07", "en")))
    tags = [t for t, _ in doc.tags]
    assert "script" not in tags and "link" not in tags and "iframe" not in tags
    images = [a for t, a in doc.tags if t == "img"]
    assert len(images) >= 1
    for attrs in images:
        src = attrs["src"]
        assert src.startswith("data:image/png;base64,")
        with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as image:
            assert image.format == "PNG" and image.size[0] > 100
        assert attrs["alt"]
    for _, attrs in doc.tags:
        for key in ("src", "href"):
            assert not str(attrs.get(key, "")).startswith(("http:", "https:", "//"))


def test_text_from_the_data_is_escaped(frames):
    areas = frames.areas.copy()
    evil = '<script>alert("x")</script> & <b>'
    areas.loc[areas["code"] == "MK07", "name_fi"] = evil
    content = build_content(dataclasses.replace(frames, areas=areas), "MK07", "fi")
    doc_text = html_text(content)
    assert "<script>" not in doc_text and "<b>" not in doc_text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in doc_text
    doc = parse(doc_text)
    assert "script" not in [t for t, _ in doc.tags]
    assert evil in " ".join(doc.text)  # shown as text, exactly
