"""The Rasa server and the action server, each run in the foreground of its own process.

The supervisor (`bot.runtime.supervisor`) starts them as `python -m bot serve-rasa` and
`serve-actions`. The Rasa server is started in-process rather than with `rasa run`, so that
the API token travels in the environment instead of on a visible command line.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from functools import partial
from pathlib import Path
from typing import Any

from bot.core.clinic import load_clinic
from bot.runtime.rasa_files import write_rasa_files
from bot.settings import TOKEN_VAR, Settings, SettingsError

RASA_MAX_REQUEST_BYTES = 1_000_000
"""The Rasa server's body cap: webhooks and API calls, never near it (Sanic's default: 100 MB)."""
ACTION_MAX_REQUEST_BYTES = 32_000_000
"""The action server's: Rasa sends it the whole session's events with every call."""


def hide_deprecation_warnings() -> None:
    """Keep the dozens of DeprecationWarnings of Rasa 3.6's dependencies out of the log.

    A clinic can do nothing about them, and they hide what matters. Importing Sanic
    switches them on again ("once"), so the filter goes in after it. `-W` or
    PYTHONWARNINGS shows them.
    """
    if sys.warnoptions:
        return
    import sanic  # noqa: F401

    warnings.filterwarnings("ignore", category=DeprecationWarning)


def serve_actions(settings: Settings) -> None:
    """Run the action server (rasa-sdk) on loopback, as `python -m rasa_sdk` would."""
    hide_deprecation_warnings()
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(ACTION_MAX_REQUEST_BYTES)
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    from actions.triage_form import reader

    reader()  # spaCy and our models load before the server answers, not in a patient's turn
    main_from_args(create_argument_parser().parse_args(
        ["--actions", "actions", "--port", str(settings.action_port)]))


def serve_rasa(settings: Settings, model: Path) -> None:
    """Run the Rasa HTTP server (REST + socket.io channels, token-protected API)."""
    if not settings.api_token:
        raise SettingsError(f"{TOKEN_VAR} is not set: the HTTP API is never served without it")
    hide_deprecation_warnings()
    import rasa.core.run
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot.adapters.action_results import check_action_results_with_one_validator
    from bot.adapters.unanswered_turns import limit_action_calls

    level = logging.getLevelName(settings.log_level)
    configure_logging_and_warnings(level, warn_only_once=True, filter_repeated_logs=True)
    hide_deprecation_warnings()  # Rasa's "once" for UserWarning matches pyparsing's too
    configure_structlog(level)
    endpoints_file, credentials_file = write_rasa_files(settings)
    limit_action_calls()
    check_action_results_with_one_validator()
    rasa.core.run.serve_application(
        model_path=str(model),
        interface=settings.host,
        port=settings.rasa_port,
        credentials=str(credentials_file),
        cors=list(settings.allowed_origins),
        auth_token=settings.api_token,
        enable_api=True,
        endpoints=AvailableEndpoints.read_endpoints(str(endpoints_file)),
        server_listeners=[(partial(_harden, settings), "before_server_start"),
                          (partial(_reply_always, settings), "after_server_start")],
    )


async def _harden(settings: Settings, app: Any, _loop: Any) -> None:
    """Harden Rasa's own app: body cap, bearer token, rate limits on public channels."""
    from bot.adapters.channels.rest import bearer_as_token_argument
    from bot.adapters.unanswered_turns import refuse_model_swap
    from bot.web import limits

    app.config.REQUEST_MAX_SIZE = RASA_MAX_REQUEST_BYTES
    app.register_middleware(bearer_as_token_argument, "request")
    app.register_middleware(refuse_model_swap, "request")
    limits.install(app, settings.rate_limits)


async def _reply_always(settings: Settings, app: Any, _loop: Any) -> None:
    """Once the model is loaded: a reply on every turn, even without the action server."""
    from bot.adapters.unanswered_turns import answer_every_turn

    answer_every_turn(app.ctx.agent, load_clinic(settings.clinic_file).as_slots())
