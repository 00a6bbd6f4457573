"""Command line: `python -m bot setup | run | shell | scale-up | scale-down | staff | ...`.

The others: `retention` and `forget`. `run` starts its servers with the internal commands
`serve-rasa`, `serve-actions` and `serve-web`; `scale-up` with `serve-scaled`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.adapters.channels.config import start_up_lines, webhook_url
from bot.core.clinic import load_clinic
from bot.core.inbound import CHANNEL_LABELS, conversation_id
from bot.core.triage import load_rules
from bot.records.accounts import (
    ROLES,
    add_staff,
    audit,
    list_staff,
    set_disabled,
    set_password,
    set_role,
)
from bot.records.conversations import refresh_summaries
from bot.records.db import (
    DatabaseUnavailable,
    check_database,
    display_url,
    make_engine,
    migrate,
    session_factory,
)
from bot.records.retention import (
    apply_retention,
    deleted_reference,
    forget_conversation,
    stored_among,
)
from bot.runtime import log_privacy, scaled
from bot.runtime.rasa_files import shell_command
from bot.runtime.serve import hide_deprecation_warnings, serve_actions, serve_rasa
from bot.runtime.supervisor import ACTION_SERVER, busy_ports, run_servers
from bot.runtime.training import ensure_model, ensure_readers, rasa_env
from bot.settings import Settings, SettingsError, ensure_secrets

logger = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one command; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("setup", help="build the spaCy pipeline and train if needed")
    setup.add_argument("--readers-only", action="store_true",
                       help="build the spaCy pipeline and our own two models, not Rasa's")
    commands.add_parser("run", help="set up, then run the bot's servers and the website")
    commands.add_parser("shell", help="set up, then chat with the bot in the terminal")
    serve = commands.add_parser("serve-rasa", help=argparse.SUPPRESS)
    serve.add_argument("--model", type=Path, required=True)
    commands.add_parser("serve-web", help=argparse.SUPPRESS)
    scale_up = commands.add_parser(
        "scale-up", help="set up, then start the scale-out stack on loopback (README)")
    scale_up.add_argument("--servers", type=int, default=2, help="Rasa servers (default 2)")
    scale_up.add_argument("--actions", type=int, default=2, help="action servers (default 2)")
    commands.add_parser("scale-down", help="stop the scale-out stack")
    commands.add_parser("serve-scaled", help=argparse.SUPPRESS).add_argument(
        "--model", type=Path, required=True)
    commands.add_parser("serve-actions", help=argparse.SUPPRESS)
    staff = commands.add_parser("staff", help="staff accounts for the conversation pages")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    for name, what in (("add", "create an account"), ("passwd", "set a new password")):
        staff_command = staff_commands.add_parser(
            name, help=f"{what} (asks for the password; reads it from stdin in scripts)")
        staff_command.add_argument("email")
    staff_commands.choices["add"].add_argument(
        "--role", choices=ROLES, help="default: admin for the first account, then reviewer")
    staff_commands.add_parser("role", help="change an account's role").add_argument(
        "email")
    staff_commands.choices["role"].add_argument("role", choices=ROLES)
    for name, what in (("disable", "stop an account from logging in (ends its sessions)"),
                       ("enable", "let a disabled account log in again")):
        staff_commands.add_parser(name, help=what).add_argument("email")
    staff_commands.add_parser("list", help="list the accounts")
    retention = commands.add_parser("retention", help="delete conversations past retention")
    retention.add_argument("--days", type=_positive, help="default: BOT_RETENTION_DAYS")
    forget = commands.add_parser("forget", help="delete one conversation entirely")
    forget.add_argument("sender_id")
    args = parser.parse_args(argv)

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        parser.exit(2, f"python -m bot: {exc}\n")
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    log_privacy.install()
    if args.command == "serve-rasa":
        serve_rasa(settings, args.model)
        return 0
    if args.command == "serve-web":
        hide_deprecation_warnings()
        from bot.web.app import serve_web

        serve_web(settings)
        return 0
    if args.command == "serve-actions":
        serve_actions(settings)
        return 0
    if args.command == "serve-scaled":
        return scaled.serve(settings, args.model)
    if args.command == "scale-down":
        return _say("Stopped the scale-out stack." if scaled.down(settings)
                    else "No scale-out stack is up.")
    if args.command == "scale-up":
        return _scale_up(settings, args.servers, args.actions)
    if args.command not in ("setup", "run", "shell"):
        return _data_command(settings, args)
    load_clinic(settings.clinic_file)
    load_rules(settings.triage_rules_file)
    engine = _database(settings.database_url, " Not starting: conversations would be lost.")
    if engine is None:
        return 1
    _index_conversations(engine)
    if getattr(args, "readers_only", False):
        ensure_readers()
        return 0
    model = ensure_model()
    if args.command == "run":
        return _run(settings, model)
    if args.command == "shell":
        return _shell(settings, model)
    return 0


def _database(database_url: str, refusal: str = "") -> Engine | None:
    """Check that the database answers and bring our tables up to date; None if it is down.

    One engine serves the check, the migration and the command's own work.
    """
    engine = make_engine(database_url)
    try:
        check_database(engine)
        migrate(engine)
    except DatabaseUnavailable as exc:
        engine.dispose()
        logger.error("%s.%s", exc, refusal)
        return None
    except BaseException:
        engine.dispose()
        raise
    return engine


def _index_conversations(engine: Engine) -> None:
    """Summarise conversations stored while the staff pages were not running."""
    try:
        with session_factory(engine)() as session:
            read = refresh_summaries(session)
    finally:
        engine.dispose()
    if read:
        logger.info("Indexed %d new conversation events for the staff pages", read)


def _data_command(settings: Settings, args: argparse.Namespace) -> int:
    """Run `staff`, `retention` or `forget` on the database; every change is audited."""
    engine = _database(settings.database_url)
    if engine is None:
        return 1
    try:
        with session_factory(engine)() as session:
            if args.command == "staff":
                return _staff(session, args)
            if args.command == "retention":
                days = args.days or settings.retention_days
                count = apply_retention(session, days, dt.datetime.now(dt.UTC),
                                        audit_key=settings.audit_key, by=_cli_user())
                return _say(f"Deleted {count} conversations older than {days} days.")
            found = forget_conversation(session, args.sender_id, audit_key=settings.audit_key)
            audit(session, _cli_user(), "forget",
                  target=deleted_reference(args.sender_id, settings.audit_key),
                  detail="deleted" if found else "nothing to delete")
            if not found:
                logger.error("No conversation with sender id %r.%s", args.sender_id,
                             _did_you_mean(session, args.sender_id))
                return 1
            return _say(f"Deleted conversation {args.sender_id!r}.")
    finally:
        engine.dispose()


def _did_you_mean(session: Session, platform_id: str) -> str:
    """The stored conversations of this platform id (a phone number) under each channel."""
    candidates = [conversation_id(channel, platform_id) for channel in CHANNEL_LABELS]
    found = stored_among(session, candidates)
    if not found:
        return " Conversation ids carry their channel, e.g. 'twilio:+15551230000'."
    return (" Conversation ids carry their channel; stored under this id: "
            + ", ".join(repr(sender) for sender in found) + ". Name the one to delete.")


def _staff(session: Session, args: argparse.Namespace) -> int:
    if args.staff_command == "list":
        accounts = list_staff(session)
        lines = [
            f"{user.email}  {user.role}"
            + (f"  DISABLED since {user.disabled_at:%Y-%m-%d}" if user.disabled_at else "")
            + f"  created {user.created_at:%Y-%m-%d}  last sign-in "
            + (f"{user.last_login_at:%Y-%m-%d %H:%M} UTC" if user.last_login_at else "never")
            for user in accounts
        ]
        return _say("\n".join(lines) or "No staff accounts yet: python -m bot staff add EMAIL")
    try:
        if args.staff_command in ("disable", "enable"):
            user = set_disabled(session, args.email, args.staff_command == "disable",
                                dt.datetime.now(dt.UTC))
            audit(session, _cli_user(), f"staff_{args.staff_command}", target=user.email)
            return _say(f"{args.staff_command.capitalize()}d the account {user.email}.")
        if args.staff_command == "role":
            user = set_role(session, args.email, args.role)
            audit(session, _cli_user(), "staff_role", target=user.email, detail=user.role)
            return _say(f"{user.email} is now {user.role}.")
        password = _read_password()
        if args.staff_command == "add":
            user = add_staff(session, args.email, password, args.role)
            audit(session, _cli_user(), "staff_add", target=user.email, detail=user.role)
            return _say(f"Created staff account {user.email} ({user.role}).")
        user = set_password(session, args.email, password)
    except (ValueError, LookupError) as exc:
        logger.error("%s", exc.args[0])
        return 1
    audit(session, _cli_user(), "staff_password", target=user.email)
    return _say(f"Changed the password of {user.email}.")


def _read_password() -> str:
    """Twice at a terminal (not echoed); one line from stdin in scripts."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("The same password again: ") != password:
        raise ValueError("The two passwords differ.")
    return password


def _cli_user() -> str:
    """Who ran the command, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _say(text: str) -> int:
    sys.stdout.write(text + "\n")
    return 0


def _positive(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, at least 1: {value!r}")
    return int(value)


def _run(settings: Settings, model: Path) -> int:
    busy = busy_ports(settings)
    if busy:
        logger.error("Not starting: something already listens on port %s. Is the assistant "
                     "already running? Stop it, or set another port.", ", ".join(busy))
        return 1
    settings, generated = ensure_secrets(settings)
    dotenv = settings.root / ".env"
    for name in generated:
        logger.info("Generated %s; stored in %s", name, dotenv)
    logger.info("Rasa HTTP API token: BOT_API_TOKEN (from the environment or %s)", dotenv)
    base = f"http://{settings.host}:{settings.rasa_port}"
    logger.info("Clinic website:    http://localhost:%s/", settings.web_port)
    logger.info("REST channel:      POST %s", webhook_url(base, "rest"))
    logger.info("socket.io channel: %s/socket.io", base)
    for line in start_up_lines(settings.channels, base):
        logger.info("%s", line)
    logger.info("Action server:     %s", settings.action_server_url)
    logger.info("Conversations are stored in %s", display_url(settings.database_url))
    logger.info("Press Ctrl-C to stop.")
    return run_servers(settings, model)


def _scale_up(settings: Settings, servers: int, actions: int) -> int:
    load_clinic(settings.clinic_file)
    load_rules(settings.triage_rules_file)
    ensure_readers()
    model = ensure_model()
    settings, _ = ensure_secrets(settings)
    try:
        stack = scaled.up(settings, model, servers, actions)
    except scaled.StackError as exc:
        logger.error("%s", exc)
        return 1
    return _say(f"Up: Rasa servers {servers}, action servers {actions}, the website and "
                f"nginx at {stack.url} (PostgreSQL: {display_url(stack.database_url)}, "
                f"Redis: {stack.redis_url}). Stop it with `make scale-down`.")


def _shell(settings: Settings, model: Path) -> int:
    actions = subprocess.Popen(
        ACTION_SERVER, cwd=settings.root, env={**rasa_env(), "SANIC_HOST": "127.0.0.1"},
    )
    try:
        return subprocess.call(shell_command(settings, model), cwd=settings.root, env=rasa_env())
    finally:
        actions.terminate()
        actions.wait()
