"""The one PDF rendering function of the project: a Django template to an A4 PDF with WeasyPrint.

Every posted paper extends `pdf/notice.html` (issuer, document number, title, body, date, seal area).
Debian's Noto CJK fonts are found through fontconfig and embedded as subsets by WeasyPrint.
"""

import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
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


def paper(func):
    """A view that prints a paper, or a job that does: the paper is posted, handed over or archived, so it is
    written in Chinese whatever language the clerk reads the pages in, and so is what the function puts into its
    context (docs/architecture.md, Papers)."""
    @functools.wraps(func)
    def in_chinese(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)
    return in_chinese


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` to the bytes of an A4 PDF, in Chinese (a paper is posted or handed
    over whatever language the clerk reads the pages in; `paper` does the same for a whole view or job)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    font_config, stylesheet = _shared()
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static"))
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)


def _render_chunk(args: tuple[str, dict]) -> bytes:
    template_name, context = args
    return render_pdf(template_name, context)


def render_pdf_chunks(template_name: str, contexts: list[dict], *, workers: int = 2, progress=None,
                      underlay: tuple[str, dict] | None = None) -> bytes:
    """Render one document per context in a pool of `workers` processes and merge them, in order, into one PDF.

    For long lists: WeasyPrint's time and memory grow with the size of one document, so each chunk is
    a small document of its own (the caller numbers the pages across chunks). `progress(done, total)`
    is called in this process as chunks finish. Contexts must be picklable (plain data).

    `underlay` (template, context): what every page has in common, rendered once and drawn beneath each page
    (its first page under every page but the last, its last page under the last one), so that WeasyPrint lays out
    only what differs from page to page (the voter cards, bench/voter_cards.py).
    """
    tasks = [(template_name, c) for c in contexts] + ([underlay] if underlay else [])
    if len(tasks) == 1:
        parts = [render_pdf(*tasks[0])]
    else:
        # fork: the workers inherit the loaded Django project and only render templates (no database use).
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = []
            for done, part in enumerate(pool.map(_render_chunk, tasks), start=1):
                parts.append(part)
                if progress and done <= len(contexts):
                    progress(done, len(contexts))
    writer = PdfWriter()
    for part in parts[:len(contexts)]:
        writer.append(BytesIO(part))
    if underlay:
        _lay_under(writer, parts[-1])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _lay_under(writer: PdfWriter, underlay: bytes) -> None:
    """Draw the underlay's first page beneath every page of `writer` but the last, and its last page beneath the last.

    Each underlay page becomes one form XObject, written once and named from every page it lies under: the
    file grows by one page's drawing, not by one per page, and no page's content is parsed.
    """
    pages = PdfReader(BytesIO(underlay)).pages
    names = []
    for index, page in enumerate([pages[0]] + ([pages[-1]] if len(pages) > 1 else [])):
        form = DecodedStreamObject()
        form.set_data(page.get_contents().get_data())
        form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject(page.mediabox),
                     NameObject("/Resources"): page["/Resources"].clone(writer)})
        # pypdf has no public way to add a free-standing object; _add_object is what its own page copy uses.
        form_ref = writer._add_object(form.flate_encode())
        name = NameObject(f"/JuweiUnderlay{index}")
        draw = DecodedStreamObject()
        draw.set_data(f"q {name} Do Q\n".encode())
        names.append((name, form_ref, writer._add_object(draw)))
    last = len(writer.pages) - 1
    for number, page in enumerate(writer.pages):
        name, form_ref, draw_ref = names[-1 if number == last else 0]
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        # One name per underlay page, so that pages sharing one resource dictionary (WeasyPrint's do) still differ.
        resources["/XObject"].get_object()[name] = form_ref
        contents = page["/Contents"].get_object()
        drawn = list(contents) if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")]
        page[NameObject("/Contents")] = ArrayObject([draw_ref, *drawn])
