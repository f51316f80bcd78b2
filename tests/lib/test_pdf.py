"""lib.pdf: chunks rendered in the pool and merged in order, with an underlay drawn once beneath every page."""

import io

from pypdf import PdfReader

from lib.pdf import render_pdf_chunks


def test_it_draws_the_underlay_first_page_beneath_all_but_the_last_page_and_its_last_page_beneath_that():
    contexts = [{"body": f"第{n}份"} for n in "一二三"]
    underlay = ("pdf/notice.html", {"body": "底页甲\n\n" * 60 + "底页乙"})  # two pages, 底页乙 on the second only
    pdf = PdfReader(io.BytesIO(render_pdf_chunks("pdf/notice.html", contexts, underlay=underlay)))
    texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) == 3
    assert all(f"第{n}份" in text for n, text in zip("一二三", texts, strict=True))
    assert all("底页甲" in t for t in texts)
    assert ["底页乙" in t for t in texts] == [False, False, True]
    # One form object per underlay page, not one per page.
    forms = {page["/Resources"]["/XObject"].raw_get(name).idnum for page in pdf.pages
             for name in page["/Resources"]["/XObject"] if name.startswith("/JuweiUnderlay")}
    assert len(forms) == 2
