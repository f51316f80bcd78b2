"""The one PDF rendering function of the project: a Django template to an A4 PDF with WeasyPrint.

Every posted paper extends `pdf/notice.html` (issuer, document number, title, body, date, seal area).
Debian's Noto CJK fonts are found through fontconfig and embedded as subsets by WeasyPrint.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

STYLESHEET = settings.BASE_DIR / "static" / "pdf" / "notice.css"

_font_config = None
_stylesheet = None


def _shared():
    # Parsing the stylesheet and building the font configuration are the same for every document.
    global _font_config, _stylesheet
    if _font_config is None:
        _font_config = FontConfiguration()
        _stylesheet = CSS(filename=str(STYLESHEET), font_config=_font_config)
    return _font_config, _stylesheet


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` to the bytes of an A4 PDF."""
    html = render_to_string(template_name, context)
    font_config, stylesheet = _shared()
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static"))
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)


def _render_chunk(args: tuple[str, dict]) -> bytes:
    template_name, context = args
    return render_pdf(template_name, context)


def render_pdf_chunks(template_name: str, contexts: list[dict], *, workers: int = 2, progress=None) -> bytes:
    """Render one document per context in a pool of `workers` processes and merge them, in order, into one PDF.

    For long lists: WeasyPrint's time and memory grow with the size of one document, so each chunk is
    a small document of its own (the caller numbers the pages across chunks). `progress(done, total)`
    is called in this process as chunks finish. Contexts must be picklable (plain data).
    """
    if len(contexts) == 1:
        parts = [render_pdf(template_name, contexts[0])]
    else:
        # fork: the workers inherit the loaded Django project and only render templates (no database use).
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = []
            for done, part in enumerate(pool.map(_render_chunk, [(template_name, c) for c in contexts]), start=1):
                parts.append(part)
                if progress:
                    progress(done, len(contexts))
    writer = PdfWriter()
    for part in parts:
        writer.append(BytesIO(part))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
