"""Tests for the products report API."""

import json
import unittest

from products import report


class ReportTest(unittest.TestCase):
    def test_build_and_render(self) -> None:
        service = report.create_service({"fox": "The quick brown fox"})
        rows = report.build_report(service, "fox")
        self.assertEqual(rows, [report.ReportRow("fox", 1.0)])
        self.assertEqual(report.render_text("Hits", ["fox"]), "Hits\n====\n1. fox")
        self.assertEqual(len(report.render_text("", []).splitlines()), 2)

    def test_json_weights_and_legacy_label(self) -> None:
        payload = json.loads(report.render_json([report.ReportRow("fox", 0.5)]))
        self.assertEqual(payload, [{"doc_id": "fox", "score": 0.5}])
        self.assertAlmostEqual(sum(report.weight_table().values()), 1.0)
        self.assertEqual(report.legacy_label("  fox "), "fox")
