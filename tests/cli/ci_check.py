#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Checks of dnspersist's CI formats against the JSON report of the same run
# (tests/cli/ci.bats). Each command reads the files named, prints what is
# wrong and exits 1, or exits 0. Run by Debian's /usr/bin/python3, so that
# the schema check is Debian's python3-jsonschema.
#
#   ci_check.py sarif-schema SCHEMA DOC.sarif
#   ci_check.py sarif REPORT.json DOC.sarif CATEGORY     (content, field by field)
#   ci_check.py multitool VALIDATION.sarif              (no error or warning from the validator)
#   ci_check.py codequality REPORT.json DOC.json [INVENTORY]
#   ci_check.py github REPORT.json COMMANDS.txt
#   ci_check.py junit REPORT.json DOC.xml
#   ci_check.py summary REPORT.json SUMMARY.md
#   ci_check.py steps github|gitlab EXAMPLE.yml DIR     (the example's commands as DIR/NN-name.sh)
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

errors = []


def check(cond, what):
    if not cond:
        errors.append(what)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def where(f):
    """The repository-relative path and line a finding should be shown at, or None."""
    s = f["source"]
    if s is None or "file" not in s or s.get("line", 0) == 0:
        return None
    p = s["file"]
    cwd = os.getcwd() + "/"
    if p.startswith(cwd):
        p = p[len(cwd):]
    while p.startswith("./"):
        p = p[2:]
    return p, s["line"]


def sarif_schema(schema_path, doc_path):
    import jsonschema

    schema = load(schema_path)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v = cls(schema, format_checker=cls.FORMAT_CHECKER)
    for e in v.iter_errors(load(doc_path)):
        errors.append("schema: %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))


def uri_decode(u):
    return re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), u)



def dp_escaped(s):
    """s as dnspersist escapes DNS data and paths in its JSON report."""
    return "".join(c if 0x20 <= ord(c) < 0x7F and c != "\\" else "\\x%02x" % ord(c)
                   for c in s.encode("utf-8", "surrogateescape").decode("latin-1"))


def sarif(report_path, doc_path, category):
    rep, doc = load(report_path), load(doc_path)
    check(doc["version"] == "2.1.0", "version")
    check(len(doc["runs"]) == 1, "one run")
    run = doc["runs"][0]
    check(run["automationDetails"]["id"] == category, "automationDetails.id %r" % run["automationDetails"])
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    check(len(ids) == len(set(ids)), "one rule per finding id")
    for r in rules:
        check(r["shortDescription"]["text"], "rule %s shortDescription" % r["id"])
        check(len(r["fullDescription"]["text"]) > len(r["shortDescription"]["text"]),
              "rule %s fullDescription is the catalogue's prose" % r["id"])
        check("`" not in r["fullDescription"]["text"], "rule %s plain text" % r["id"])
        check(r["help"]["text"] and r["help"]["markdown"], "rule %s help" % r["id"])
        check(r["helpUri"].endswith("findings.md#" + r["id"]), "rule %s helpUri %s" % (r["id"], r["helpUri"]))
        sev = float(r["properties"]["security-severity"])
        lvl = r["defaultConfiguration"]["level"]
        check({"error": sev >= 9.0, "warning": 4.0 <= sev < 7.0, "note": 0.0 < sev < 4.0}[lvl],
              "rule %s security-severity %s for %s" % (r["id"], sev, lvl))
    findings = rep["findings"][:5000]
    results = run["results"]
    check(len(results) == len(findings), "%d results for %d findings" % (len(results), len(findings)))
    level = {"critical": "error", "warning": "warning", "notice": "note"}
    for f, res in zip(findings, results):
        check(res["ruleId"] == f["id"], "ruleId %s for %s" % (res["ruleId"], f["id"]))
        check(rules[res["ruleIndex"]]["id"] == f["id"], "ruleIndex of %s" % f["id"])
        check(res["level"] == level[f["severity"]], "level of %s" % f["id"])
        check(res["message"]["text"] == f["message"], "message of %s: %r" % (f["id"], res["message"]))
        check(res["partialFingerprints"] == {"dnspersistFindingKey/v1": f["key"]}, "fingerprint of %s" % f["id"])
        check(len(res["locations"]) == 1, "one location for %s" % f["id"])
        loc = res["locations"][0]
        check(loc["logicalLocations"][0]["fullyQualifiedName"] == f["name"], "logical location of %s" % f["id"])
        w = where(f)
        if w is not None:
            pl = loc["physicalLocation"]
            al = pl["artifactLocation"]
            check(al["uriBaseId"] == "%SRCROOT%", "uriBaseId")
            check(not al["uri"].startswith("/") and ":" not in al["uri"], "relative uri %s" % al["uri"])
            check(dp_escaped(uri_decode(al["uri"])) == w[0], "uri %s for %s" % (al["uri"], w[0]))
            check(pl["region"] == {"startLine": w[1], "startColumn": 1}, "region of %s" % f["id"])
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    check(root.startswith("file:///") and root.endswith("/"), "SRCROOT %s" % root)


def multitool(log_path):
    log = load(log_path)
    for run in log["runs"]:
        for r in run.get("results", []):
            if r.get("level", "warning") in ("error", "warning"):
                errors.append("%s %s: %s" % (r["ruleId"], r.get("level", "warning"),
                                             json.dumps(r["message"])))
        inv = run.get("invocations", [{}])[0]
        for n in inv.get("toolExecutionNotifications", []) + inv.get("toolConfigurationNotifications", []):
            # a file it skips (e.g. one not named *.sarif) is only a note: count it
            if n.get("level", "warning") != "note" or "InvalidTarget" in n.get("descriptor", {}).get("id", ""):
                errors.append("validator: %s" % n["message"]["text"])
        check(inv.get("executionSuccessful") is True, "the validator did not finish")


def codequality(report_path, doc_path, inventory=None):
    rep, doc = load(report_path), load(doc_path)
    check(isinstance(doc, list), "an array")
    check(len(doc) == len(rep["findings"]), "%d issues for %d findings" % (len(doc), len(rep["findings"])))
    sev = {"critical": "critical", "warning": "major", "notice": "minor"}
    for f, i in zip(rep["findings"], doc):
        check(i["check_name"] == f["id"], "check_name")
        check(i["fingerprint"] == f["key"], "fingerprint")
        check(i["severity"] == sev[f["severity"]], "severity")
        check(i["description"] == "%s: %s" % (f["name"], f["message"]), "description %r" % i["description"])
        w = where(f) or ((inventory, 1) if inventory else (".", 1))
        check(i["location"]["path"] == w[0], "path %s for %s" % (i["location"]["path"], w[0]))
        check(i["location"]["lines"]["begin"] == w[1], "line")


def gh_decode(s):
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


# A workflow command: ::name k=v,k=v::message, where values hold no ':' or ','.
COMMAND = re.compile(r"^::(error|warning|notice) ((?:[a-z]+=[^:,]*,)*title=[^:,]*)::(.*)$")


def github(report_path, cmd_path):
    rep = load(report_path)
    with open(cmd_path, "rb") as f:
        raw = f.read()
    check(b"\r" not in raw, "a CR in the output")
    lines = raw.decode("ascii").split("\n")
    check(lines[-1] == "", "ends with a newline")
    lines = lines[:-1]
    check(len(lines) == len(rep["findings"]), "%d lines for %d findings" % (len(lines), len(rep["findings"])))
    kind = {"critical": "error", "warning": "warning", "notice": "notice"}
    for f, line in zip(rep["findings"], lines):
        m = COMMAND.match(line)
        check(m, "not one workflow command: %r" % line)
        if not m:
            continue
        check(m.group(1) == kind[f["severity"]], "command for %s" % f["severity"])
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        check(gh_decode(m.group(3)) == f["message"], "message %r" % m.group(3))
        check(gh_decode(props["title"]) == "%s %s (%s)" % (f["severity"], f["id"], f["name"]), "title")
        w = where(f)
        if w is None:
            check("file" not in props, "file for a finding without one")
        else:
            check(gh_decode(props["file"]) == w[0], "file %r for %r" % (props["file"], w[0]))
            check(props["line"] == str(w[1]) and props["col"] == "1", "line and col")


def junit(report_path, xml_path):
    rep = load(report_path)
    root = ET.parse(xml_path).getroot()
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    check(len(failed) == len(rep["findings"]), "%d failures for %d findings" % (len(failed), len(rep["findings"])))
    clean = [n for n in rep["names"] if n["status"] == "ok"]
    check(len(cases) - len(failed) == len(clean), "a passing test per clean name")
    check(int(root.get("tests")) == len(cases) == int(suite.get("tests")), "tests count")
    check(int(root.get("failures")) == len(failed) == int(suite.get("failures")), "failures count")
    for f, c in zip(rep["findings"], failed):
        check(c.get("classname") == f["name"], "classname")
        check(c.get("name") == "%s %s" % (f["id"], f["key"]), "name")
        fl = c.find("failure")
        check(fl.get("message") == f["message"], "failure message %r" % fl.get("message"))
        check(fl.get("type") == f["severity"], "failure type")
        w = where(f)
        if w is not None:
            check(c.get("file") == w[0] and c.get("line") == str(w[1]), "file and line")


def summary(report_path, md_path):
    rep = load(report_path)
    with open(md_path, encoding="ascii") as f:
        text = f.read()
    rows = [l for l in text.split("\n") if l.startswith("| ") and not l.startswith("| Severity")]
    check(len(rows) == min(len(rep["findings"]), 1000), "%d rows for %d findings" % (len(rows), len(rep["findings"])))
    for r in rows:
        check(len(re.findall(r"(?<!\\)\|", r)) == 6, "a row of five cells: %r" % r)
    check("<" not in text and ">" not in text, "markup in the summary")


def steps(kind, example, outdir):
    """Write the commands of a shipped CI example as scripts, in order, for a
    pull request whose base is $BASE_SHA: GitHub steps that run commands
    (not checkouts, the build or the upload), GitLab's script lines."""
    import shlex
    import yaml

    with open(example, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    scripts = []
    if kind == "github":
        for job in doc["jobs"].values():
            for st in job["steps"]:
                if "run" not in st or st.get("id") == "build":
                    continue
                env = {}
                for k, v in st.get("env", {}).items():
                    v = v.replace("${{ github.event.pull_request.base.sha }}", "$BASE_SHA")
                    env[k] = v
                check("${{" not in st["run"] and all("${{" not in v for v in env.values()),
                      "step %s: an expression the test cannot stand in for" % st.get("id"))
                head = "".join('export %s="%s"\n' % (k, v) for k, v in env.items())
                scripts.append((st["id"], "set -eo pipefail\n" + head + st["run"]))
    else:
        for name, job in doc.items():
            if isinstance(job, dict) and "script" in job:
                body = "".join("%s\n" % line for line in job["script"])
                scripts.append((name, "set -e\n" + body))
    check(scripts, "no commands found")
    for n, (name, body) in enumerate(scripts):
        with open(os.path.join(outdir, "%02d-%s.sh" % (n, name)), "w", encoding="utf-8") as f:
            f.write(body)


def main(argv):
    cmds = {"sarif-schema": sarif_schema, "sarif": sarif, "multitool": multitool,
            "codequality": codequality, "github": github, "junit": junit, "summary": summary,
            "steps": steps}
    cmds[argv[1]](*argv[2:])
    for e in errors[:30]:
        print("ci_check %s: %s" % (argv[1], e), file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
