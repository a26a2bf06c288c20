"""Tests of the Python module (roo.py) over libroo.

    cd bindings/python && ROO_LIBRARY=/usr/lib/libroo.so.0 python3 -m unittest -v

With ROO_SAME_ANSWERS set to a file of lines "RULES<TAB>BOM<TAB>EXPECTED" (paths
relative to the current folder; EXPECTED holds what `roo determine --format json
--rules RULES BOM` printed), each BOM's determination must be exactly that text
(tests/packaging/same-answers.sh runs it so).
"""

import datetime
import json
import os
import pathlib
import threading
import unittest

import roo

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

RULES = """import std

agreement "Python test" {
  citation "Annex P"
  parties  GB, EU
  basis    ex_works
  tolerance 10% of ex_works for chapters 84..85

  heading 8501: CTH or maxnom(50%)
}
"""


def bom(material_value):
    return json.dumps({
        "currency": "EUR", "date": "2026-11-28",
        "product": {"id": "P1", "hs": "8501.10", "produced_in": "GB", "ex_works": "100.00"},
        "materials": [{"id": "M1", "hs": "8501.10", "value": material_value, "origin": "CN", "originating": False}],
    })


class AgreementTest(unittest.TestCase):
    def setUp(self):
        self.agreement = roo.Agreement(text=RULES, name="python-test.roo")

    def tearDown(self):
        self.agreement.close()

    def test_version(self):
        self.assertRegex(roo.version(), r"^\d+\.\d+\.\d+")

    def test_info(self):
        info = self.agreement.info
        self.assertEqual(info["id"], "python-test")
        self.assertEqual(info["title"], "Python test")
        self.assertEqual(info["parties"], ["EU", "GB"])
        self.assertFalse(info["non_preferential"])
        self.assertEqual(len(info["rules_sha256"]), 64)

    def test_load_from_path(self):
        with roo.Agreement(EXAMPLES / "tca-excerpt.roo") as tca:
            self.assertEqual(tca.info["id"], "tca-excerpt")
            self.assertEqual(tca.info["hs_edition"], 2017)

    def test_bad_rules_raise_with_diagnostics(self):
        with self.assertRaises(roo.RooError) as caught:
            roo.Agreement(text='agreement "x" {\n  heading 8501: CTH or\n}\n', name="bad.roo")
        errors = [d for d in caught.exception.diagnostics if d["severity"] == "error"]
        self.assertTrue(errors)
        self.assertEqual(errors[0]["file"], "bad.roo")
        self.assertGreaterEqual(errors[0]["line"], 2)
        with self.assertRaises(roo.RooError):
            roo.Agreement(EXAMPLES / "no-such-file.roo")
        with self.assertRaises(TypeError):
            roo.Agreement()

    def test_determine_exact_figures(self):
        d = self.agreement.determine(bom("50.00"))
        self.assertEqual(d["format"], "roo-determination/1")
        self.assertEqual(d["status"], "originating")
        self.assertEqual(d["figures"]["nom_percent"], "50.00")
        d = self.agreement.determine(bom("50.01"))
        self.assertEqual(d["status"], "not_originating")
        self.assertEqual(d["figures"]["nom_percent"], "50.01")

    def test_options(self):
        d = self.agreement.determine(bom("10.00"), date=datetime.date(2027, 1, 2), explain="none", name="p1.json")
        self.assertEqual(d["date"], "2027-01-02")
        self.assertIsNone(d["explanation"])
        text = self.agreement.determine_json(bom("10.00"))
        self.assertNotIn("\n", text)
        self.assertEqual(json.loads(text)["status"], "originating")

    def test_bad_options_give_an_error_determination(self):
        for options, words in [({"colour": "red"}, "unknown option 'colour'"),
                               ({"date": "2026-02-30"}, "date:"),
                               ({"format": "xml"}, "format must be json, jsonl or csv"),
                               ({"explain": "some"}, "explain must be")]:
            d = self.agreement.determine(bom("10.00"), **options)
            self.assertEqual(d["status"], "error", options)
            self.assertIn(words, json.dumps(d["messages"]), options)

    def test_broken_bom(self):
        d = self.agreement.determine(bom("10.00")[:40], name="cut.json")
        self.assertEqual(d["status"], "error")
        self.assertIn("cut.json", json.dumps(d["messages"]))

    def test_json_lines_give_a_list(self):
        lines = bom("10.00") + "\n\n" + bom("90.00") + "\n"
        ds = self.agreement.determine(lines, format="jsonl")
        self.assertEqual([d["status"] for d in ds], ["originating", "not_originating"])
        self.assertEqual([d["line"] for d in ds], [1, 3])

    def test_csv(self):
        with roo.Agreement(EXAMPLES / "tca-excerpt.roo") as tca:
            d = tca.determine((EXAMPLES / "bicycle.bom.csv").read_bytes(), format="csv")
            self.assertEqual(d["product"], "BK-700")
            self.assertNotEqual(d["status"], "error")

    def test_rule(self):
        r = self.agreement.rule("8501.10", date="2026-11-28")
        self.assertEqual(r["format"], "roo-rule/1")
        self.assertIsNone(r["error"])
        self.assertEqual(r["rules"][0]["scope"], "heading 85.01")
        self.assertIsNone(self.agreement.rule("850110")["error"])
        self.assertIn("not valid", self.agreement.rule("8501.10", date="2026-13-01")["error"])
        self.assertTrue(self.agreement.rule("85x1")["error"])
        self.assertTrue(self.agreement.rule("0101")["error"])

    def test_closed(self):
        self.agreement.close()
        with self.assertRaises(ValueError):
            self.agreement.determine(bom("10.00"))

    def test_threads_share_one_agreement(self):
        expected = self.agreement.determine_json(bom("42.00"))
        results = []

        def work():
            results.extend(self.agreement.determine_json(bom("42.00")) for _ in range(20))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(results), 80)
        self.assertTrue(all(r == expected for r in results))


class SameAnswersTest(unittest.TestCase):
    """The module's JSON is exactly what `roo determine --format json` prints."""

    def test_same_answers_as_the_command(self):
        cases = os.environ.get("ROO_SAME_ANSWERS")
        if not cases:
            self.skipTest("ROO_SAME_ANSWERS not set (tests/packaging/same-answers.sh sets it)")
        agreements = {}
        lines = [line.split("\t") for line in pathlib.Path(cases).read_text().splitlines() if line]
        self.assertTrue(lines)
        for rules, bom_path, expected_path in lines:
            with self.subTest(rules=rules, bom=bom_path):
                if rules not in agreements:
                    agreements[rules] = roo.Agreement(rules)
                expected = pathlib.Path(expected_path).read_text().rstrip("\n")
                text = pathlib.Path(bom_path).read_bytes()
                if bom_path.endswith((".jsonl", ".ndjson")):
                    got = agreements[rules].determine_json(text, format="jsonl", name=bom_path)
                    want = json.loads(expected)
                    self.assertEqual(json.loads(got), want if isinstance(want, list) else [want])
                else:
                    fmt = "csv" if bom_path.endswith(".csv") else "json"
                    got = agreements[rules].determine_json(text, format=fmt, name=bom_path)
                    self.assertEqual(got, expected)
        for a in agreements.values():
            a.close()


if __name__ == "__main__":
    unittest.main()
