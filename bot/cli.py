"""Command line: `python -m bot setup | run | shell` (and internal `serve-rasa`, `serve-web`)."""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from pathlib import Path

from bot.clinic import load_clinic
from bot.servers import (
    DatabaseUnavailable,
    check_database,
    display_url,
    run_servers,
    serve_rasa,
    write_rasa_files,
)
from bot.settings import Settings, ensure_secrets
from bot.training import ensure_model, rasa_env
from bot.triage import load_rules

logger = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one command; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup", help="build the spaCy pipeline and train if needed")
    commands.add_parser("run", help="set up, then run the bot's servers and the website")
    commands.add_parser("shell", help="set up, then chat with the bot in the terminal")
    serve = commands.add_parser("serve-rasa", help=argparse.SUPPRESS)
    serve.add_argument("--model", type=Path, required=True)
    commands.add_parser("serve-web", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "serve-rasa":
        serve_rasa(settings, args.model)
        return 0
    if args.command == "serve-web":
        from bot.web import serve_web

        serve_web(settings)
        return 0
    load_clinic(settings.clinic_file)
    load_rules(settings.triage_rules_file)
    if args.command != "setup":
        try:
            check_database(settings.database_url)
        except DatabaseUnavailable as exc:
            logger.error("%s. Not starting: conversations would be lost.", exc)
            return 1
    model = ensure_model()
    if args.command == "run":
        return _run(settings, model)
    if args.command == "shell":
        return _shell(settings, model)
    return 0


def _run(settings: Settings, model: Path) -> int:
    settings, generated = ensure_secrets(settings)
    dotenv = settings.root / ".env"
    for name in generated:
        logger.info("Generated %s; stored in %s", name, dotenv)
    logger.info("Rasa HTTP API token: BOT_API_TOKEN (from the environment or %s)", dotenv)
    base = f"http://{settings.host}:{settings.rasa_port}"
    logger.info("Clinic website:    http://localhost:%s/", settings.web_port)
    logger.info("REST channel:      POST %s/webhooks/rest/webhook", base)
    logger.info("socket.io channel: %s/socket.io", base)
    logger.info("Action server:     %s", settings.action_server_url)
    logger.info("Conversations are stored in %s", display_url(settings.database_url))
    logger.info("Press Ctrl-C to stop.")
    return run_servers(settings, model)


def _shell(settings: Settings, model: Path) -> int:
    endpoints, _ = write_rasa_files(settings)
    actions = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions",
         "--port", str(settings.action_port)],
        cwd=settings.root, env={**rasa_env(), "SANIC_HOST": "127.0.0.1"},
    )
    try:
        return subprocess.call(
            [sys.executable, "-m", "rasa", "shell", "--model", str(model),
             "--endpoints", str(endpoints)],
            cwd=settings.root, env=rasa_env(),
        )
    finally:
        actions.terminate()
        actions.wait()
