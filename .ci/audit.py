"""Known vulnerabilities in the locked Python packages (pip-audit) and npm packages (npm audit).

A package with a known vulnerability fails the check (any severity for Python, whose advisory
service gives none; high or critical for npm). When an advisory service cannot be reached the
check says so plainly and which packages it could not audit; it fails then only with
AUDIT_STRICT=1, for machines that must prove the audit ran.

    .venv/bin/python .ci/audit.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"


def fixed_in(vulnerability: dict) -> str:
    return ", ".join(vulnerability.get("fix_versions") or ["no release yet"])


def python_packages() -> tuple[str, list[str]]:
    """("ok" | "vulnerable" | "not checked", lines to print)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        command = [
            str(VENV_BIN / "pip-audit"),
            "--requirement",
            str(ROOT / "requirements.lock"),
            "--require-hashes",
            "--disable-pip",
            "--format",
            "json",
            "--output",
            str(out),
            "--progress-spinner",
            "off",
        ]
        run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if not out.exists():
            return "not checked", [f"pip-audit did not run: {run.stderr.strip()[-300:]}"]
        report = json.loads(out.read_text())
    dependencies = report.get("dependencies", [])
    skipped = [d["name"] for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    lines = [
        f"{d['name']} {d['version']}: {v['id']} (fixed in {fixed_in(v)})"
        for d in vulnerable
        for v in d["vulns"]
    ]
    audited = len(dependencies) - len(skipped)
    lines.append(f"{audited} of {len(dependencies)} locked Python packages audited.")
    if skipped:
        lines.append(
            f"Not audited ({len(skipped)}), the advisory service did not answer for them: "
            + ", ".join(skipped[:10])
            + (" …" if len(skipped) > 10 else "")
        )
    if vulnerable:
        return "vulnerable", lines
    return ("not checked" if skipped else "ok"), lines


def npm_packages() -> tuple[str, list[str]]:
    run = subprocess.run(
        ["npm", "audit", "--json", "--audit-level=high"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(run.stdout or "{}")
    except json.JSONDecodeError:
        return "not checked", [f"npm audit gave no report: {run.stderr.strip()[-300:]}"]
    if "error" in report or "metadata" not in report:
        reason = report.get("error", {}).get("summary") or run.stderr.strip()[-300:]
        return "not checked", [f"npm audit could not reach its advisory service: {reason}"]
    counts = report["metadata"].get("vulnerabilities", {})
    serious = counts.get("high", 0) + counts.get("critical", 0)
    lines = [f"npm packages: {json.dumps(counts)}"]
    return ("vulnerable" if serious else "ok"), lines


def main() -> int:
    strict = os.environ.get("AUDIT_STRICT") == "1"
    failed = False
    for name, check in (("Python", python_packages), ("npm", npm_packages)):
        status, lines = check()
        print(f"{name} dependencies: {status.upper()}")
        for line in lines:
            print(f"  {line}")
        failed |= status == "vulnerable" or (strict and status == "not checked")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
