import datetime
import subprocess

import pytest

from lib.pdf import render_pdf
from org.services import next_document_number


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_it_renders_the_official_notice_layout_with_embedded_cjk_subsets(tmp_path):
    pdf = render_pdf("pdf/notice.html", {
        "issuer": "后北岸社区居民委员会", "title": "关于召开居民会议的通知", "doc_number": "〔2024〕第3号",
        "body": "定于2024年3月16日召开居民会议。", "date": datetime.date(2024, 3, 1),
    })
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    for expected in ["后北岸社区居民委员会", "关于召开居民会议的通知", "〔2024〕第3号", "2024年3月1日", "（盖章）"]:
        assert expected in text
    fonts = pdf_fonts(pdf, tmp_path)
    lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    names = [line.split()[0].split("+", 1)[1] for line in lines]
    assert all(name.startswith(("Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC")) for name in names), names
    # name, type, encoding, emb, sub: embedded and subset for every font
    assert all(line.split()[-5:-3] == ["yes", "yes"] for line in lines)


@pytest.mark.django_db
def test_it_numbers_documents_per_issuer_and_year():
    assert next_document_number(issuer="HBA", year=2024) == "〔2024〕第1号"
    assert next_document_number(issuer="HBA", year=2024) == "〔2024〕第2号"
    assert next_document_number(issuer="HBA", year=2025) == "〔2025〕第1号"
    assert next_document_number(issuer="YH", year=2024) == "〔2024〕第1号"
