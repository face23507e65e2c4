#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Check the DOM Chromium made of an HTML report against the JSON report of
the same run: counts, names and timeline marks agree, and every element and
attribute is one the renderer writes (none came from DNS data).

    html_dom.py DOM.html REPORT.json [TEXT...]   TEXT: must appear as page text
"""
import json
import sys
from html.parser import HTMLParser

# What src/lib/render/render_html.c and timeline.c write, and nothing else.
ELEMENTS = set("""html head meta title style body header h1 h2 h3 h4 dl dt dd span time
code ul li data nav a section table thead tbody tr th td p b br footer svg rect line
text g circle""".split())
ATTRIBUTES = set("""lang charset name content class id href datetime value role
aria-labelledby viewbox width height font-family font-size x y x1 y1 x2 y2 stroke
stroke-width stroke-dasharray fill text-anchor cx cy r data-n""".split())


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad, self.ids, self.text, self.marks = [], {}, [], 0
        self.stack, self.idstack, self.names = [], [], []
        self.in_names_link = False

    def handle_starttag(self, tag, attrs):
        if tag not in ELEMENTS:
            self.bad.append("element <%s>" % tag)
        a = dict(attrs)
        for k, v in attrs:
            if k not in ATTRIBUTES:
                self.bad.append("attribute %s=%r on <%s>" % (k, v, tag))
            if k == "href" and not (v or "").startswith("#"):
                self.bad.append("href %r" % v)
            if v and ("alert" in v or "javascript" in v.lower()):
                self.bad.append("data in attribute %s=%r" % (k, v))
        if "mark" in (a.get("class") or "").split():
            self.marks += int(a["data-n"])
        if tag == "a" and (a.get("href") or "").startswith("#n") and self.stack[-1:] == ["td"]:
            self.in_names_link = True
            self.names.append("")
        if a.get("id"):
            self.ids.setdefault(a["id"], "")
        if tag not in ("meta", "br"):  # void elements: no end tag
            self.stack.append(tag)
            self.idstack.append(a.get("id"))

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_names_link = False
        while self.stack:
            self.idstack.pop()
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        self.text.append(data)
        if self.idstack and self.idstack[-1]:
            self.ids[self.idstack[-1]] += data
        if self.in_names_link:
            self.names[-1] += data


def main():
    dom = Dom()
    dom.feed(open(sys.argv[1], encoding="utf-8").read())
    rep = json.load(open(sys.argv[2], encoding="utf-8"))
    errors = list(dom.bad)

    def want(cond, msg):
        if not cond:
            errors.append(msg)

    for sev in ("critical", "warning", "notice"):
        want(dom.ids.get("count-" + sev) == str(rep["counts"][sev]),
             "count-%s is %r, JSON says %d" % (sev, dom.ids.get("count-" + sev), rep["counts"][sev]))
    want(dom.ids.get("count-names") == str(len(rep["names"])), "count-names")
    shown = [n.split(" (")[0] for n in dom.names]
    want(shown == [n["name"] for n in rep["names"]],
         "names table %r, JSON %r" % (shown, [n["name"] for n in rep["names"]]))
    marks = 0
    for n in rep["names"]:
        marks += len(n["authorizations"]) or sum(
            1 for r in n["records"] if r["persist_until"] is not None)
    want(dom.marks == marks, "timeline marks stand for %d, JSON has %d" % (dom.marks, marks))
    want(dom.ids.get("timeline-total") == str(marks), "timeline-total")
    for i in ("timeline-svg", "timeline-today", "timeline-critical", "timeline-warning",
              "timeline-marks", "timeline-open-lane"):
        want(i in dom.ids, "no #%s" % i)
    text = "".join(dom.text)
    for t in sys.argv[3:]:
        want(t in text, "page text lacks %r" % t)
    for e in errors:
        print("html_dom: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
