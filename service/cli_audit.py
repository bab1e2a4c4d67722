"""`falun-kb audit-export` and `feedback-export`: reading the audit log, which needs the
admin token and a stated reason and is itself logged."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _settings(args: argparse.Namespace):  # -> Settings; as the main CLI reads them
    from service.cli import _settings as settings

    return settings(args)


def admin_reader(args: argparse.Namespace, settings) -> str:
    """Who reads the audit log from the command line, once the admin token checks out
    (`--token`, else asked for without echo); SystemExit otherwise."""
    import getpass
    import hmac

    expected = settings.http.admin_token
    if not expected:
        raise SystemExit("falun-kb: granskningsloggen läses med admin-token (FALUN_KB_ADMIN_TOKEN)")
    given = args.token if args.token is not None else getpass.getpass("Admin-token: ")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise SystemExit("falun-kb: fel admin-token / wrong admin token")
    return f"cli:{getpass.getuser()}"


def cmd_audit_export(args: argparse.Namespace) -> int:
    from service.http.audit import AuditLog, ReasonRequired

    settings = _settings(args)
    reader = admin_reader(args, settings)
    log = AuditLog.open(settings.data_dir, settings.audit)
    try:
        items = (
            log.reads(reader, args.reason)
            if args.reads
            else log.export(reader=reader, reason=args.reason)
        )
    except ReasonRequired as exc:
        raise SystemExit(f"falun-kb: {exc} (--reason)") from None
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    try:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    finally:
        if args.out:
            out.close()
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    from service.http.audit import AuditLog, ReasonRequired
    from service.http.review import FeedbackDesk, as_eval_item

    settings = _settings(args)
    reader = admin_reader(args, settings)
    desk = FeedbackDesk(AuditLog.open(settings.data_dir, settings.audit))
    try:
        cases = desk.reviewed(reader=reader, reason=args.reason)
    except ReasonRequired as exc:
        raise SystemExit(f"falun-kb: {exc} (--reason)") from None
    items = [as_eval_item(case) for case in cases]
    # an answerable question needs the right passage to check retrieval against
    usable = [item for item in items if item["evidence"] or not item["answerable"]]
    lines = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in usable)
    Path(args.as_eval).write_text(lines, encoding="utf-8")
    print(
        f"{len(usable)} granskade fall skrivna till {args.as_eval} "
        f"({len(items) - len(usable)} utan rätt källa hoppades över); "
        f"kör `falun-kb eval {args.as_eval}`",
        file=sys.stderr,
    )
    return 0


def add_audit_commands(sub: Any) -> None:
    """The two subcommands on the main parser's subparsers."""
    p = sub.add_parser(
        "audit-export",
        help="write the audit log (questions, answers, feedback); admin token and reason needed",
    )
    p.add_argument("--out", help="JSONL file (default: standard output)")
    p.add_argument("--reason", help="why the log is read (logged with the read; required)")
    p.add_argument("--token", help="the admin token (default: asked for)")
    p.add_argument("--reads", action="store_true", help="the log of who read the log, instead")
    p.set_defaults(func=cmd_audit_export)

    p = sub.add_parser(
        "feedback-export",
        help="write the reviewed feedback as evaluation questions; admin token and reason needed",
    )
    p.add_argument("--as-eval", required=True, metavar="FILE", help="JSONL, dev_questions format")
    p.add_argument("--reason", help="why the log is read (logged with the read; required)")
    p.add_argument("--token", help="the admin token (default: asked for)")
    p.set_defaults(func=cmd_feedback_export)
