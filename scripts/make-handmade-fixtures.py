#!/usr/bin/env python3
"""Write the small hand-made format fixtures from existing fixtures, with
their expected catalogs (the source's, since each says the same thing):

  fixtures/rtf/word_gbk.rtf      chart 2 of flow/gaoxin_boxes.docx as Word
                                 writes RTF: \\ansicpg936, GBK bytes in an
                                 \\fcharset134 font, boxes as \\shp with
                                 \\shptxt, anchored to the page and to the
                                 margin, the column headers in a \\shpgrp
                                 whose child space is twice its size
  fixtures/mht/prose_gbk.mht     text/prose_gbk.html in a web archive,
                                 quoted-printable, charset gb2312
  fixtures/mht/table_big5.mht    text/table_big5.html, base64, charset big5
  fixtures/wordml/wps_vml.xml    flow/wps_vml.docx's body as Word 2003 XML
  fixtures/wordml/yilanbiao.xml  table/yilanbiao.docx's body as Word 2003 XML
                                 (w:vmerge)

usage: scripts/make-handmade-fixtures.py   (from anywhere; needs only python3)
"""
import base64
import copy
import json
import os
import quopri
import re
import zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
FIX = os.path.join(ROOT, "fixtures")


def write(rel, data):
    path = os.path.join(FIX, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print("wrote", path)


def load_expected(rel):
    with open(os.path.join(FIX, rel), encoding="utf-8") as f:
        return json.load(f)


def dump_expected(rel, value):
    write(rel, (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


# ---------------------------------------------------------------- RTF (Word)

def gbk(text):
    """RTF text in the GBK font: ASCII as is, everything else as \\'hh bytes."""
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("".join("\\'%02x" % b for b in ch.encode("gbk")))
    return "".join(out)


def shape(anchor, left, top, width, height, lines, kind=202, extra=""):
    pars = "".join("\\pard\\qj\\f1\\fs18 %s\\par " % gbk(l) for l in lines)
    return (
        "{\\shp{\\*\\shpinst%s\\shpleft%d\\shptop%d\\shpright%d\\shpbottom%d"
        "\\shpwr3\\shpwrk0\\shpfblwtxt0\\shpz0"
        "{\\sp{\\sn shapeType}{\\sv %d}}%s{\\sp{\\sn fLine}{\\sv 1}}"
        "{\\shptxt %s}}"
        "{\\shprslt{\\*\\do\\dobxcolumn\\dobypara\\dodhgt8192\\dptxbx{\\dptxbxtext \\pard %s\\par}}}}"
        % (anchor, left, top, left + width, top + height, kind, extra, pars, gbk(lines[0]))
    )


def word_rtf():
    page = "\\shpbxpage\\shpbypage"
    margin = "\\shpbxmargin\\shpbymargin"
    ML, MT = 1800, 1440  # margins, twips

    def in_margin(x, y):
        return x - ML, y - MT

    steps = [
        ("申    请", 3740), ("受    理", 5200), ("审    核", 7200),
        ("决    定", 8600), ("办    结", 9480),
    ]
    measures = [
        (4540, 1840, ["1.建立受理单制度。", "2.严格履行服务承诺制度，做到首问负责和一次性告知。",
                      "3.政务公开，明确工作程序、时限等，按照项目核准规定办理。",
                      "4.内部监督检查、投诉举报受理。", "责任人：受理人"]),
        (6660, 1600, ["1.履行廉政承诺。", "2.严格内部监督检查制度。",
                      "3.政务公开，明确工作程序、时限等，坚持落实“层层责任制”，审核严格把关，按照业务规定办理，进行核定待遇。",
                      "责任人：科室负责人"]),
        (8540, 660, ["1.政务公开，明确工作程序、时限等。", "2.内部监督检查、落实责任追究。"]),
    ]
    risks = [
        (4900, 1120, ["1.利用各种方式收取额外费用。", "2.无原因超时办理，久拖不办。",
                      "3.不能一次告知所需材料。", "风险等级：低"]),
        (6900, 1120, ["1.可能存在对材料、证件审核不严。", "2.擅自增加或减少审查条件、程序。",
                      "3.无原因超时办理。", "风险等级：低"]),
        (8540, 660, ["没有按文件规定流程实效办理。", "风险等级：低"]),
    ]
    shapes = []
    # The three column headers in one group at (720, 2720)–(11200, 3460),
    # child coordinates doubled.
    def child(x, y, w, h, lines):
        rel = "".join(
            "{\\sp{\\sn %s}{\\sv %d}}" % (k, v)
            for k, v in (("relLeft", (x - 720) * 2), ("relTop", (y - 2720) * 2),
                         ("relRight", (x + w - 720) * 2), ("relBottom", (y + h - 2720) * 2))
        )
        return shape("", 0, 0, 0, 0, lines, extra=rel)

    group = (
        "{\\shpgrp{\\*\\shpinst%s\\shpleft720\\shptop2720\\shpright11200\\shpbottom3460\\shpz1"
        "{\\sp{\\sn groupLeft}{\\sv 0}}{\\sp{\\sn groupTop}{\\sv 0}}"
        "{\\sp{\\sn groupRight}{\\sv 20960}}{\\sp{\\sn groupBottom}{\\sv 1480}}%s%s%s}}"
        % (page, child(720, 2720, 3920, 740, ["防控措施", "及责任人"]),
           child(5000, 2720, 1920, 600, ["工作流程"]),
           child(7280, 2720, 3920, 740, ["风险点等级", "及表现形式"]))
    )
    shapes.append(group)
    for name, y in steps:
        shapes.append(shape(page, 5000, y, 1920, 520, [name], kind=2))
    for y, h, lines in measures:
        x, yy = in_margin(720, y)
        shapes.append(shape(margin, x, yy, 3920, h, lines))
    for y, h, lines in risks:
        shapes.append(shape(page, 7280, y, 3920, h, lines))

    def para(text, size=21, extra=""):
        return "\\pard\\plain\\qc%s\\f1\\fs%d %s\\par\n" % (extra, size, gbk(text))

    def cell(text):
        return "\\pard\\intbl\\f1\\fs21 %s\\cell " % gbk(text)

    body = (
        para("长治高新区组织和人力资源部", 28)
        + para("权力运行廉政风险防控图<行政给付类2>", 36)
        + "\\pard\\plain\\f1\\fs24 %s\\par\n" % gbk("职权名称：企业退休人员基本养老金待遇给付")
        + "\\pard\\plain\\f1\\fs21 " + "".join(shapes) + "\\par\n"
        + "".join("\\pard\\plain\\f1\\fs21\\par\n" for _ in range(30))
        + "\\trowd\\trgaph108\\cellx2130\\cellx4260\\cellx6390\\cellx8520\n"
        + cell("服务电话") + cell("") + cell("监管电话") + cell("") + "\\row\n"
        + "\\pard\\plain\\f1\\fs21\\par\n"
    )
    header = (
        "{\\rtf1\\ansi\\ansicpg936\\uc1\\deff0\\deflang1033\\deflangfe2052"
        "{\\fonttbl{\\f0\\froman\\fcharset0\\fprq2 Times New Roman;}"
        "{\\f1\\fnil\\fcharset134\\fprq2 %s;}}"
        "{\\colortbl;\\red0\\green0\\blue0;}"
        "{\\stylesheet{\\qj \\li0\\ri0\\widctlpar\\f0\\fs21 \\snext0 Normal;}}"
        "{\\info{\\title %s}{\\author riskflow}}"
        "\\paperw11906\\paperh16838\\margl1800\\margr1800\\margt1440\\margb1440"
        "\\sectd\\pgwsxn11906\\pghsxn16838\\marglsxn1800\\margrsxn1800\\margtsxn1440\\margbsxn1440\n"
        % (gbk("宋体"), gbk("防控图"))
    )
    write("rtf/word_gbk.rtf", (header + body + "}\n").encode("ascii"))

    expected = load_expected("flow/gaoxin_boxes.expected.json")
    chart = copy.deepcopy(expected["charts"][1])
    chart["ordinal"] = 1
    findings = [dict(f, chart=1) for f in expected["findings"] if f["chart"] == 2]
    dump_expected("rtf/word_gbk.expected.json",
                  {"status": "ok", "charts": [chart], "findings": findings})


# ---------------------------------------------------------------- MHT

def mht(html_bytes, charset, encoding, boundary):
    if encoding == "quoted-printable":
        body = quopri.encodestring(html_bytes).replace(b"\n", b"\r\n")
    else:
        raw = base64.b64encode(html_bytes)
        body = b"\r\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    parts = [
        b"From: <Saved by Windows Internet Explorer 8>\r\n"
        b"Subject: \r\nDate: Mon, 15 Mar 2021 09:30:00 +0800\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"" + boundary + b"\"\r\n"
        b"X-MimeOLE: Produced By Microsoft MimeOLE\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n",
        b"--" + boundary + b"\r\nContent-Type: text/html;\r\n\tcharset=\"" + charset + b"\"\r\n"
        b"Content-Transfer-Encoding: " + encoding.encode() + b"\r\n"
        b"Content-Location: file:///C:/chart.htm\r\n\r\n" + body + b"\r\n\r\n",
        b"--" + boundary + b"\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Location: file:///C:/chart.files/image001.png\r\n\r\n" + png + b"\r\n\r\n",
        b"--" + boundary + b"--\r\n",
    ]
    return b"".join(parts)


def mht_fixtures():
    for name, charset, enc in (("prose_gbk", b"gb2312", "quoted-printable"),
                               ("table_big5", b"big5", "base64")):
        with open(os.path.join(FIX, "text", name + ".html"), "rb") as f:
            html = f.read()
        write("mht/%s.mht" % name, mht(html, charset, enc, b"----=_NextPart_000_0000_01D71955.5C9A4E60"))
        dump_expected("mht/%s.expected.json" % name, load_expected("text/%s.expected.json" % name))


# ---------------------------------------------------------------- Word 2003 XML

W2007 = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W2003 = "http://schemas.microsoft.com/office/word/2003/wordml"


def wordml(src_rel, out_rel):
    with zipfile.ZipFile(os.path.join(FIX, src_rel)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    xml = re.sub(r"^<\?xml[^>]*\?>", "", xml)
    xml = xml.replace(W2007, W2003)
    xml = xml.replace("<w:document ", "<w:wordDocument ").replace("</w:document>", "</w:wordDocument>")
    xml = xml.replace("<w:vMerge", "<w:vmerge")
    if "xmlns:wx=" not in xml:
        xml = xml.replace("<w:wordDocument ",
                          '<w:wordDocument xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint" ', 1)
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<?mso-application progid="Word.Document"?>\n' + xml)
    write("wordml/" + out_rel + ".xml", xml.encode("utf-8"))
    dump_expected("wordml/%s.expected.json" % out_rel,
                  load_expected(src_rel.rsplit(".", 1)[0] + ".expected.json"))


if __name__ == "__main__":
    word_rtf()
    mht_fixtures()
    wordml("flow/wps_vml.docx", "wps_vml")
    wordml("table/yilanbiao.docx", "yilanbiao")
