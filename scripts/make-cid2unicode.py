#!/usr/bin/env python3
"""Generate src/read/pdf/data/*.bin: CID -> Unicode for the Adobe-GB1 and
Adobe-CNS1 character collections, from the Adobe CMaps UniGB-UCS2-H and
UniCNS-UCS2-H (Unicode -> CID) shipped by Debian's poppler-data under
/usr/share/poppler/cMap (BSD-3-Clause, Copyright 1990-2018 Adobe Systems
Incorporated; see src/read/pdf/data/README.md).

Format: runs of (first CID, first code point, length), three little-endian
u16 each, sorted by CID; within a run CID and code point both step by one.
When several code points map to one CID the smallest is kept.

usage: scripts/make-cid2unicode.py [CMAP_DIR]
"""
import os, re, struct, sys

cmap_dir = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/poppler/cMap"
out_dir = os.path.join(os.path.dirname(__file__), "..", "src", "read", "pdf", "data")

def parse(path):
    text = open(path, encoding="latin-1").read()
    cid_to_uni = {}
    def put(uni, cid):
        if cid not in cid_to_uni or uni < cid_to_uni[cid]:
            cid_to_uni[cid] = uni
    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for lo, hi, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)", block):
            lo, hi, cid = int(lo, 16), int(hi, 16), int(cid)
            for k in range(hi - lo + 1):
                put(lo + k, cid + k)
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for uni, cid in re.findall(r"<([0-9a-fA-F]+)>\s*(\d+)", block):
            put(int(uni, 16), int(cid))
    return cid_to_uni

def runs(m):
    out = []
    for cid in sorted(m):
        uni = m[cid]
        if out and out[-1][0] + out[-1][2] == cid and out[-1][1] + out[-1][2] == uni and out[-1][2] < 0xFFFF:
            out[-1][2] += 1
        else:
            out.append([cid, uni, 1])
    return out

for collection, cmap in [("adobe-gb1", "Adobe-GB1/UniGB-UCS2-H"), ("adobe-cns1", "Adobe-CNS1/UniCNS-UCS2-H")]:
    rs = runs(parse(os.path.join(cmap_dir, cmap)))
    path = os.path.join(out_dir, collection + ".bin")
    with open(path, "wb") as f:
        for cid, uni, n in rs:
            f.write(struct.pack("<HHH", cid, uni, n))
    print(f"wrote {path}: {len(rs)} runs")
