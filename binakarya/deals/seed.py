"""The contract form thresholds for goods in force since Perpres 46/2025 (30 April 2025): the set the database is
seeded with (migration 0002) and that ``services.contract_rules_ensure`` puts back where it is missing (a database
emptied between browser tests, before the demo data load)."""

import datetime

REFERENCE = "Perpres 16/2018 pasal 28 jo. Perpres 12/2021 jo. Perpres 46/2025"
EFFECTIVE = datetime.date(2025, 4, 30)
RULES: list[tuple[str, str, int | None]] = [
    ("PROOF_OF_PURCHASE", "DIRECT", 10_000_000),
    ("KUITANSI", "DIRECT", 50_000_000),
    ("SPK", "DIRECT", 200_000_000),
    ("SURAT_PERJANJIAN", "DIRECT", None),
    ("SURAT_PESANAN", "EPURCHASING", None),
]
