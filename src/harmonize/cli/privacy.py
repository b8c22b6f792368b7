"""``harmonize privacy scan|apply``: find identifying columns, write a safe copy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["register"]


def _scan(args: argparse.Namespace) -> int:
    import harmonize
    from harmonize.privacy.report import format_findings, write_report

    if args.write_policy and Path(args.write_policy).exists():
        from harmonize.errors import PrivacyError

        raise PrivacyError(
            "policy file exists; edit it, or give another path", path=args.write_policy
        )
    from harmonize.io import atomic_write_text, check_output_path, staged_outputs
    from harmonize.privacy.draft import draft_policy

    for target in (args.output, args.write_policy):
        if target:
            check_output_path(target)
    findings = harmonize.scan_privacy(args.table)
    print(format_findings(findings))
    with staged_outputs():  # the report and the draft policy appear together
        if args.output:
            write_report(findings, args.output)
        if args.write_policy:
            draft = draft_policy(findings, source=Path(args.table).name)
            atomic_write_text(args.write_policy, draft)
    if args.output:
        print(f"report: {args.output}", file=sys.stderr)
    if args.write_policy:
        print(f"draft policy: {args.write_policy} (review every rule)", file=sys.stderr)
    if args.fail_on_direct and any(f.is_direct for f in findings):
        return 1
    return 0


def _apply(args: argparse.Namespace) -> int:
    from harmonize.io import check_output_path, staged_outputs
    from harmonize.privacy.apply import apply_table
    from harmonize.privacy.policy import load_policy
    from harmonize.privacy.pseudonymize import KeyMissingError

    check_output_path(args.output)
    policy = load_policy(args.policy)
    try:
        with staged_outputs():  # the safe copy and its provenance appear together
            result, sidecar = apply_table(args.table, policy, args.output, key_file=args.key_file)
    except KeyMissingError as exc:
        exc.message += "; or pass --key-file FILE"
        raise
    for plan in result.plans:
        if plan.action == "unchanged":
            continue
        detail = f" ({plan.method})" if plan.method else ""
        why = f" - {plan.reason}" if plan.reason else ""
        print(f"{plan.finding.column}: {plan.action}{detail} [{plan.rule}]{why}")
    print(f"safe copy: {args.output} ({result.n_rows} rows, {len(result.columns)} columns)")
    print(f"provenance: {sidecar}")
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "privacy",
        help="find direct identifiers in a table; apply a privacy policy",
        description="Find identifying data (national IDs, names, contacts, dates of birth, "
        "free text) in a partner table and pseudonymize, generalize or drop it.",
    )
    commands = parser.add_subparsers(dest="privacy_command", metavar="ACTION")
    parser.set_defaults(handler=lambda _args: (parser.print_help(), 2)[1])

    scan = commands.add_parser(
        "scan",
        help="classify every column as direct, quasi or none (masked examples)",
        description="Classify each column: direct identifier, quasi-identifier or none, "
        "with the share of values that matched and three masked examples.",
    )
    scan.add_argument("table", metavar="TABLE", help="CSV/TSV/XLSX table")
    scan.add_argument("-o", "--output", metavar="REPORT.json", help="write the findings as JSON")
    scan.add_argument(
        "--write-policy",
        metavar="POLICY.yaml",
        help="draft a privacy policy with a rule for every direct identifier found",
    )
    scan.add_argument(
        "--fail-on-direct",
        action="store_true",
        help="exit with status 1 when a column holds direct identifiers (for scripts and CI)",
    )
    scan.set_defaults(handler=_scan)

    apply = commands.add_parser(
        "apply",
        help="write a safe copy of a table following a privacy policy",
        description="Drop, pseudonymize (HMAC-SHA256), generalize or keep columns as the "
        "policy says; write SAFE.csv atomically and SAFE.csv.provenance.json. The key comes "
        "from $HARMONIZE_PSEUDONYM_KEY (or the policy's key: env/file, or --key-file).",
    )
    apply.add_argument("table", metavar="TABLE", help="CSV/TSV/XLSX table")
    apply.add_argument("--policy", required=True, metavar="P", help="privacy-policy.yaml")
    apply.add_argument("-o", "--output", required=True, metavar="SAFE.csv", help="safe copy")
    apply.add_argument("--key-file", metavar="FILE", help="read the pseudonymization key here")
    apply.set_defaults(handler=_apply)
