"""Machine output shared by every goal: findings as SARIF 2.1.0, GitHub workflow annotations and
the common part of each goal's JSON report. Goals convert their findings (`convert`) and hand
them here; nothing in this package decides what a finding is."""
