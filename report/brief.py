"""One entry point for a region brief's bytes: brief_bytes(picture, 'pdf' | 'html')."""

from __future__ import annotations

from presentation.alke import AlkePicture
from presentation.alke_charts import AlkePrintCharts
from presentation.region import RegionPicture
from presentation.static_charts import BriefCharts, brief_charts

KINDS = ("pdf", "html")
MIME = {"pdf": "application/pdf", "html": "text/html"}


def brief_bytes(picture: RegionPicture, kind: str, charts: BriefCharts | None = None,
                alke: AlkePicture | None = None,
                alke_images: AlkePrintCharts | None = None) -> bytes:
    """Return the brief of a picture as PDF or HTML bytes (ValueError for another kind).

    With alke, the brief carries the fast picture, the alerts, the industry profile and the
    region's own text (or where to add one) too. alke_images: the brief's compact charts
    (alke_print_charts), drawn when not given; the region page's images are never printed.
    """
    from report.html import html_bytes
    from report.pdf import pdf_bytes

    if kind not in KINDS:
        raise ValueError(f"Unknown brief format {kind!r}; use one of {KINDS}")
    charts = charts or brief_charts(picture)
    maker = pdf_bytes if kind == "pdf" else html_bytes
    return maker(picture, charts, alke, alke_images)
