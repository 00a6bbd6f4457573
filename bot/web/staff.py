"""The staff dashboard under /staff: conversations, review, overview, exports, audit log.

Every route needs a logged-in staff member except the login page: the blueprint's
request middleware checks the signed session cookie (bot.web.auth) and, on POST, the
Origin header and the CSRF token, before any handler runs; anonymous page views are sent
to the login page, anonymous downloads and form posts get 401. The response middleware
adds strict security headers and slides the session's idle clock. Handlers read and write
through `bot.records` (conversations, accounts, exports and retention; synchronous
SQLAlchemy, a few indexed queries per request), and record views, exports, reviews and
deletions in the audit log. Patient text reaches templates only as data, never as markup.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache, wraps
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import yaml
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, raw, redirect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.core import names
from bot.core.inbound import channel_label
from bot.core.rate_limit import RateLimiter
from bot.core.triage import SLOTS as TRIAGE_SLOTS
from bot.core.triage import load_rules
from bot.records.accounts import ADMIN, LoginRefused, audit, audit_log, authenticate, end_sessions
from bot.records.callbacks import STATUS_LABELS
from bot.records.callbacks import counts as callback_counts
from bot.records.conversation_query import parse_date
from bot.records.conversations import (
    FLAGS,
    LANGUAGES,
    MAX_NOTE,
    OUTCOMES,
    ConversationDetail,
    ConversationQuery,
    ConversationRow,
    channels,
    get_conversation,
    iter_conversations,
    list_conversations,
    overview,
    refresh_summaries,
    set_review,
)
from bot.records.db import StaffUser
from bot.records.exports import nlu_examples_yaml, to_csv, to_json
from bot.records.retention import deleted_reference, forget_conversation
from bot.web import charts
from bot.web.auth import (
    COOKIE_PATH,
    FLASH_COOKIE,
    LOGIN_COOKIE,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    Keys,
    StaffSession,
    safe_next,
    same_origin,
)
from bot.web.labels import LABELS
from bot.web.limits import client_key
from bot.web.program_texts import faq_responses
from bot.web.rendering import clinic_of, render

logger = logging.getLogger(__name__)
blueprint = Blueprint("staff", url_prefix="/staff")

LOGIN_PATH = "/staff/login"
DOWNLOAD_SUFFIXES = (".csv", ".json", ".yml")
ADMIN_HANDLERS = frozenset({"audit_page", "delete_confirm", "delete"})
EXPORT_HANDLERS = frozenset({"export_csv", "export_json"})
"""Decided by the route matched, not the path: "/staff/audit/" reaches the same page."""
MAX_SENDER_ID = 255
OVERVIEW_DAYS = 30
MAX_OVERVIEW_DAYS = 731
TOP_TOPICS = 12
SHOWN_SLOTS = (*TRIAGE_SLOTS, names.RECOMMENDED_PROGRAM, names.CALLBACK_PHONE)
# Replies and pleasantries, not things patients ask about.
NOT_TOPICS = frozenset({names.AFFIRM, names.DENY, names.GREET, names.GOODBYE, names.THANK,
                        names.ASK_WHY, names.STOP_TRIAGE, names.BOT_CHALLENGE, names.NLU_FALLBACK})

OUTCOME_LABELS = LABELS.outcomes
FLAG_LABELS = {
    "urgent": "Emergency advice",
    "self_harm": "Self-harm (988)",
    "fallback": "Fallback / low confidence",
    "human_requested": "Asked for a person",
    "left_number": "Left a number",
    "abandoned": "Left before the end",
}
FLASH_MESSAGES = {
    "saved": "Review saved.",
    "deleted": "The conversation was deleted.",
    "not_found": "That conversation no longer exists.",
    "logged_out": "You are logged out.",
    "nlu_none": "Tick at least one message and choose its correct intent to export.",
    "callback_saved": "Call-back saved.",
}


@blueprint.listener("before_server_start")
async def prepare(app: Sanic, _loop: object) -> None:
    """The signing keys and the triage rules, once per process."""
    settings = app.ctx.settings
    secret = settings.secret_key
    if not secret:
        logger.warning("BOT_SECRET_KEY is not set: staff sessions end when the website stops")
        secret = secrets.token_urlsafe(32)
    app.ctx.staff_keys = Keys(secret)
    app.ctx.triage_rules = load_rules(settings.triage_rules_file)
    app.ctx.login_limiter = RateLimiter(settings.rate_limits.logins_per_address)


@cache
def intent_choices(root: Path) -> tuple[str, ...]:
    """Intents a patient message can be labelled with: the domain's, FAQs as faq/<key>.

    Read on first use (the training files do not change while the website runs).
    """
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    intents = [item if isinstance(item, str) else next(iter(item)) for item in domain["intents"]]
    prefix = f"utter_{names.FAQ}/"
    keys = sorted(key.removeprefix(prefix) for key in faq_responses(root)
                  if key.startswith(prefix))
    return (*sorted(name for name in intents if name != names.FAQ),
            *(f"{names.FAQ}/{key}" for key in keys))


def off_loop(handler: Callable[..., HTTPResponse]) -> Callable[..., Awaitable[HTTPResponse]]:
    """Run a page's blocking work (SQL, Argon2) in a worker thread.

    The website's one event loop also serves the public pages and the chat widget's
    files: a slow query or a flood of log-ins (each an Argon2 hash) must not stall them.
    """

    @wraps(handler)
    async def in_thread(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        return await asyncio.to_thread(handler, request, *args, **kwargs)

    return in_thread


# --- access control -------------------------------------------------------------------


@blueprint.on_request
async def require_staff(request: Request) -> HTTPResponse | None:
    """Refuse cross-site posts, anonymous requests and posts without the CSRF token."""
    request.ctx.staff = None
    request.ctx.session = None
    if request.method == "POST" and not same_origin(
        request.headers.get("origin"), request.host, request.headers.get("sec-fetch-site")
    ):
        return error_page(request, 403, "Refused", "This form was sent from another site.")
    if request.path == LOGIN_PATH:
        return _too_many_logins(request) if request.method == "POST" else None
    keys: Keys = request.app.ctx.staff_keys
    now = int(time.time())
    session = StaffSession.decode(keys.session, request.cookies.get(SESSION_COOKIE), now)
    staff = await asyncio.to_thread(_active_staff, request, session) if session else None
    if staff is None or session is None:
        if request.method == "GET" and not request.path.endswith(DOWNLOAD_SUFFIXES):
            target = request.path + (f"?{request.query_string}" if request.query_string else "")
            return redirect(f"{LOGIN_PATH}?{urlencode({'next': target})}", status=303)
        return error_page(request, 401, "Log in first", "Your session has ended. Log in again.")
    if request.method == "POST" and not keys.csrf_ok(session.nonce, request.form.get("csrf")):
        return error_page(request, 403, "Form expired", "This form has expired. Reload the page.")
    if staff.role != ADMIN and _admins_only(request):
        return error_page(request, 403, "Admins only",
                      "Only an admin can do this. Ask your clinic's admin.")
    request.ctx.session = session.touched(now)
    request.ctx.staff = staff
    return None


def _admins_only(request: Request) -> bool:
    """Deleting, the audit log, and exports of every conversation (no filter at all)."""
    handler = request.route.handler.__name__ if request.route else ""
    if handler in ADMIN_HANDLERS:
        return True
    unfiltered = not set(ConversationQuery.from_params(_args(request)).to_params()) - {
        "sort", "page", "per_page"}
    return handler in EXPORT_HANDLERS and unfiltered


@blueprint.on_response
async def protect(request: Request, response: HTTPResponse) -> None:
    """Strict headers on every staff response; a refreshed cookie for active sessions."""
    response.headers.update(SECURITY_HEADERS)
    session = getattr(request.ctx, "session", None)
    if session is not None and SESSION_COOKIE not in response.cookies:
        _set_cookie(response, SESSION_COOKIE, session.encode(request.app.ctx.staff_keys.session))


def _active_staff(request: Request, session: StaffSession) -> StaffUser | None:
    with staff_db(request) as db:
        staff = db.get(StaffUser, session.staff_id)
        fresh = staff is not None and staff.session_version == session.version
        return staff if fresh and staff.disabled_at is None else None


# --- login and logout -----------------------------------------------------------------


@blueprint.get("/login")
async def login_form(request: Request) -> HTTPResponse:
    """The login form (with a pre-session CSRF token of its own)."""
    return _login_page(request, 200, next_path=safe_next(request.args.get("next")))


@blueprint.post("/login")
@off_loop
def login(request: Request) -> HTTPResponse:
    """Check the password; on success start a new session and go where the user wanted."""
    keys: Keys = request.app.ctx.staff_keys
    form = request.form
    email = (form.get("email") or "").strip()[:254]
    next_path = safe_next(form.get("next"))
    if not keys.csrf_ok(_login_nonce(request), form.get("csrf")):
        return _login_page(request, 403, next_path, email, "The form expired. Try again.")
    now = datetime.now(UTC)
    with staff_db(request) as db:
        try:
            staff = authenticate(db, email, form.get("password") or "", now)
        except LoginRefused as refused:
            if refused.checked:  # hammering a locked email adds nothing to the audit log
                audit(db, email.lower(), "login_failed")
            page = _login_page(request, 429 if refused.retry_after else 401, next_path, email,
                               str(refused))
            if refused.retry_after:
                page.headers["Retry-After"] = str(refused.retry_after)
            return page
        audit(db, staff.email, "login")
        session = StaffSession.start(staff.id, staff.session_version, int(now.timestamp()))
    response = redirect(next_path, status=303)
    _set_cookie(response, SESSION_COOKIE, session.encode(keys.session))
    _set_cookie(response, LOGIN_COOKIE, "", max_age=0)
    return response


@blueprint.post("/logout")
@off_loop
def logout(request: Request) -> HTTPResponse:
    """End the account's sessions on the server, so a copied cookie is worthless too."""
    with staff_db(request) as db:
        end_sessions(db, request.ctx.staff.id)
        audit(db, request.ctx.staff.email, "logout")
    request.ctx.session = None
    response = redirect(LOGIN_PATH, status=303)
    _set_cookie(response, SESSION_COOKIE, "", max_age=0)
    return with_flash(request, response, "logged_out")


def _login_nonce(request: Request) -> str | None:
    payload = request.app.ctx.staff_keys.login.unsign(request.cookies.get(LOGIN_COOKIE))
    nonce = payload.get("n") if payload else None
    return nonce if isinstance(nonce, str) else None


def _too_many_logins(request: Request) -> HTTPResponse | None:
    """429 when this address has tried to log in too often (counted on the event loop)."""
    wait = request.app.ctx.login_limiter.hit(client_key(request))
    if wait is None:
        return None
    email = (request.form.get("email") or "").strip()[:254]
    page = _login_page(request, 429, safe_next(request.form.get("next")), email,
                       f"Too many log-in attempts from here. Try again in {wait} seconds.")
    page.headers["Retry-After"] = str(wait)
    return page


def _login_page(
    request: Request, status: int, next_path: str, email: str = "", error: str = ""
) -> HTTPResponse:
    keys: Keys = request.app.ctx.staff_keys
    nonce = _login_nonce(request) or secrets.token_urlsafe(16)
    response = staff_page(request, "staff/login.html", status, csrf=keys.csrf_token(nonce),
                     next=next_path, email=email, error=error)
    _set_cookie(response, LOGIN_COOKIE, keys.login.sign({"n": nonce}))
    return response


# --- conversations ----------------------------------------------------------------------


@blueprint.get("/")
@off_loop
def conversation_list(request: Request) -> HTTPResponse:
    """The filtered, sorted, paged list of conversations."""
    pairs = request.get_query_args(keep_blank_values=True)
    if any(not value for _, value in pairs):  # the filter form sends its empty fields
        return redirect(page_url("/staff", dict(pair for pair in pairs if pair[1])), status=303)
    query = ConversationQuery.from_params(_args(request), clinic_zone(request))
    with staff_db(request) as db:
        refresh_summaries(db)
        page = list_conversations(db, query)
        channel_names = channels(db)
    return staff_page(request, "staff/list.html", section="list", query=query,
                 params=query.to_params(), page=page,
                 channels=[(name, channel_label(name)) for name in channel_names],
                 outcome_choices=[(key, OUTCOME_LABELS[key]) for key in OUTCOMES],
                 flag_choices=[(key, FLAG_LABELS[key]) for key in FLAGS],
                 language_choices=[(code, LABELS.language(code)) for code in LANGUAGES])


@blueprint.get("/conversations")
async def conversations_alias(request: Request) -> HTTPResponse:
    """The list also lives at /staff/conversations (the filters are kept)."""
    suffix = f"?{request.query_string}" if request.query_string else ""
    return redirect(f"/staff{suffix}", status=301)


@blueprint.get("/conversations/<sender_id:str>", unquote=True)
@off_loop
def conversation_detail(request: Request, sender_id: str) -> HTTPResponse:
    """One transcript, with the review form and the training-data export (audited)."""
    with staff_db(request) as db:
        detail = _conversation(request, db, sender_id)
        if detail is None:
            return _not_found(request)
        audit(db, request.ctx.staff.email, "view_conversation", sender_id)
    intents = intent_choices(request.app.ctx.settings.root)
    return staff_page(request, "staff/detail.html", section="list", detail=detail,
                 slots=shown_slots(detail.slots), intents=intents, max_note=MAX_NOTE)


@blueprint.post("/conversations/<sender_id:str>/review", unquote=True)
@off_loop
def review(request: Request, sender_id: str) -> HTTPResponse:
    """Save reviewed / not reviewed, the note and the tags; back to the transcript."""
    form = request.form
    reviewed = form.get("reviewed") == "yes"
    with staff_db(request) as db:
        refresh_summaries(db)
        try:
            set_review(db, sender_id, reviewed=reviewed, note=form.get("note") or "",
                       tags=(form.get("tags") or "").split(","),
                       staff_email=request.ctx.staff.email, now=datetime.now(UTC))
        except LookupError:
            return _not_found(request)
        except ValueError as refused:
            return error_page(request, 400, "Not saved", str(refused))
        audit(db, request.ctx.staff.email, "review", sender_id,
              "reviewed" if reviewed else "not reviewed")
    return with_flash(request, redirect(conversation_url(sender_id), status=303), "saved")


@blueprint.post("/conversations/<sender_id:str>/nlu.yml", unquote=True)
@off_loop
def export_nlu(request: Request, sender_id: str) -> HTTPResponse:
    """The ticked patient messages with their corrected intents, as Rasa NLU YAML."""
    picked = set(request.form.getlist("pick") or [])
    allowed = set(intent_choices(request.app.ctx.settings.root))
    with staff_db(request) as db:
        detail = _conversation(request, db, sender_id)
        if detail is None:
            return _not_found(request)
        examples = [
            (intent, turn.text)
            for turn in detail.worded_turns
            if str(turn.event_id) in picked
            and (intent := request.form.get(f"intent-{turn.event_id}")) in allowed
        ]
        if not examples:
            response = redirect(conversation_url(sender_id) + "#training", status=303)
            return with_flash(request, response, "nlu_none")
        audit(db, request.ctx.staff.email, "export_nlu", sender_id, f"{len(examples)} examples")
    return _download(nlu_examples_yaml(examples), "application/x-yaml", "nlu-examples.yml")


@blueprint.get("/conversations/<sender_id:str>/delete", unquote=True)
@off_loop
def delete_confirm(request: Request, sender_id: str) -> HTTPResponse:
    """The confirmation step before a conversation is deleted for good."""
    with staff_db(request) as db:
        detail = _conversation(request, db, sender_id)
    if detail is None:
        return _not_found(request)
    return staff_page(request, "staff/delete.html", section="list", detail=detail)


@blueprint.post("/conversations/<sender_id:str>/delete", unquote=True)
@off_loop
def delete(request: Request, sender_id: str) -> HTTPResponse:
    """Delete the conversation's events and our records of it (a patient's request)."""
    if request.form.get("confirm") != "yes":
        return redirect(conversation_url(sender_id) + "/delete", status=303)
    if not _known_shape(sender_id):
        return _not_found(request)
    with staff_db(request) as db:
        key = request.app.ctx.settings.audit_key
        deleted = forget_conversation(db, sender_id, audit_key=key)
        if deleted:
            audit(db, request.ctx.staff.email, "delete_conversation",
                  deleted_reference(sender_id, key))
    return with_flash(request, redirect("/staff", status=303),
                      "deleted" if deleted else "not_found")


def _known_shape(sender_id: str) -> bool:
    """Whether a sender id from a URL could be one Rasa stored (its column holds 255)."""
    return 0 < len(sender_id) <= MAX_SENDER_ID and sender_id.isprintable()


def _conversation(request: Request, db: Session, sender_id: str) -> ConversationDetail | None:
    if not _known_shape(sender_id):
        return None
    return get_conversation(db, sender_id, request.app.ctx.triage_rules)


def shown_slots(slots: Mapping[str, object]) -> list[tuple[str, str]]:
    """The triage answers in question order, the outcome and any call-back number, in words.

    Other slots (the clinic's contact details, the form's bookkeeping) are the same in
    every conversation and would only hide what matters.
    """
    return LABELS.answers(slots, SHOWN_SLOTS)


# --- overview, exports, audit log -------------------------------------------------------


@blueprint.get("/overview")
@off_loop
def overview_page(request: Request) -> HTTPResponse:
    """Charts for a date range (default: the last 30 days), in the clinic's days."""
    zone = clinic_zone(request)
    date_from, date_to = overview_range(_args(request), datetime.now(zone).date())
    with staff_db(request) as db:
        refresh_summaries(db)
        figures = overview(db, date_from, date_to, zone)
        callbacks = callback_counts(db)
    outcomes = [(LABELS.outcome(key), count) for key, count in figures.outcomes.items()]
    topics = [(LABELS.topic(name), count) for name, count in figures.topics
              if name not in NOT_TOPICS][:TOP_TOPICS]
    per_day = [(day.isoformat(), count) for day, count in figures.per_day]
    urgent = [(day.isoformat(), count) for day, count in figures.urgent_per_day]
    return staff_page(
        request, "staff/overview.html", section="overview", figures=figures,
        date_from=date_from, date_to=date_to, per_day=per_day, urgent=urgent,
        outcomes=outcomes, topics=topics, channels=sorted(figures.channels.items()),
        languages=[(code, LABELS.language(code), count)
                   for code, count in figures.languages.items()],
        callbacks=callbacks, callback_labels=STATUS_LABELS,
        charts={
            "per_day": charts.column_chart("per-day", "Conversations per day", per_day),
            "outcomes": charts.bar_list("outcomes", "Triage outcomes", outcomes),
            "topics": charts.bar_list("topics", "Most-asked topics", topics),
            "urgent": charts.column_chart("urgent", "Urgent-care advice per day", urgent,
                                          height=140),
            "fallback": charts.rate_meter("fallback", "Fallback rate", figures.fallback_rate),
        },
    )


def overview_range(params: Mapping[str, str], today: date) -> tuple[date, date]:
    """The overview's dates from the query string: tolerant, ordered, at most two years."""
    date_to = parse_date(params.get("to")) or today
    date_from = parse_date(params.get("from")) or date_to - timedelta(days=OVERVIEW_DAYS - 1)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    return max(date_from, date_to - timedelta(days=MAX_OVERVIEW_DAYS - 1)), date_to


@blueprint.get("/export.csv")
@off_loop
def export_csv(request: Request) -> HTTPResponse:
    """The filtered list as CSV (all pages)."""
    return _export(request, "csv", to_csv, "text/csv; charset=utf-8")


@blueprint.get("/export.json")
@off_loop
def export_json(request: Request) -> HTTPResponse:
    """The filtered list as JSON (all pages)."""
    return _export(request, "json", to_json, "application/json")


def _filters_used(query: ConversationQuery) -> str:
    """The export's filters for the audit log: a search is noted, not its words.

    Staff search by phone number or by what a patient wrote; neither belongs in the log.
    """
    params = query.to_params()
    return urlencode({name: "…" if name == "q" else value for name, value in params.items()})


def _export(
    request: Request, kind: str, write: Callable[[Iterable[ConversationRow], tzinfo], str],
    content_type: str,
) -> HTTPResponse:
    zone = clinic_zone(request)
    query = ConversationQuery.from_params(_args(request), zone)
    with staff_db(request) as db:
        refresh_summaries(db)
        body = write(iter_conversations(db, query), zone)
        audit(db, request.ctx.staff.email, f"export_{kind}", None, _filters_used(query))
    return _download(body, content_type, f"conversations-{datetime.now(zone):%Y-%m-%d}.{kind}")


@blueprint.get("/audit")
@off_loop
def audit_page(request: Request) -> HTTPResponse:
    """The most recent audit entries (read-only)."""
    with staff_db(request) as db:
        entries = audit_log(db, limit=500)
    return staff_page(request, "staff/audit.html", section="audit", entries=entries)


# --- helpers ------------------------------------------------------------------------------


@blueprint.exception(SQLAlchemyError)
async def database_error(request: Request, exc: SQLAlchemyError) -> HTTPResponse:
    """A database that is missing or not migrated yet: say so, log no SQL or values."""
    logger.error("Staff page failed on the database: %s", type(exc).__name__)
    return error_page(request, 503, "Database not ready",
                  "The conversation database is not set up yet: run python -m bot setup.")


def conversation_url(sender_id: str) -> str:
    """The detail page of a conversation (any sender id, safely quoted)."""
    return f"/staff/conversations/{quote(sender_id, safe='')}"


def staff_db(request: Request) -> Session:
    """A database session for one request (also used by the call-back and live pages)."""
    return request.app.ctx.sessions()


def clinic_zone(request: Request) -> tzinfo:
    """The clinic's time zone: the days staff filter and count by are the clinic's."""
    return clinic_of(request).opening_hours.zone


def _args(request: Request) -> dict[str, str]:
    return {key: values[0] for key, values in request.args.items() if values}


def staff_page(
    request: Request, template: str, status: int = 200, **context: object
) -> HTTPResponse:
    """Render a staff page with who is logged in, their CSRF token and any flash message."""
    session: StaffSession | None = getattr(request.ctx, "session", None)
    keys: Keys = request.app.ctx.staff_keys
    flash = keys.flash.unsign(request.cookies.get(FLASH_COOKIE))
    context.setdefault("csrf", keys.csrf_token(session.nonce) if session else "")
    response = render(
        request, template, status=status, staff=getattr(request.ctx, "staff", None),
        flash=FLASH_MESSAGES.get(str(flash.get("m"))) if flash else None,
        outcome_labels=OUTCOME_LABELS, flag_labels=FLAG_LABELS, labels=LABELS, url=page_url,
        conversation_url=conversation_url, channel_label=channel_label, **context,
    )
    if flash is not None:
        _set_cookie(response, FLASH_COOKIE, "", max_age=0)
    return response


def error_page(request: Request, status: int, heading: str, message: str) -> HTTPResponse:
    """A staff page that says what went wrong, with the right status."""
    return staff_page(request, "staff/error.html", status, heading=heading, message=message)


def _not_found(request: Request) -> HTTPResponse:
    return error_page(request, 404, "Not found", "There is no such conversation.")


def with_flash(request: Request, response: HTTPResponse, key: str) -> HTTPResponse:
    """`response`, carrying a one-time message (`FLASH_MESSAGES[key]`) to the next page."""
    _set_cookie(response, FLASH_COOKIE, request.app.ctx.staff_keys.flash.sign({"m": key}),
                max_age=60)
    return response


def _download(body: str, content_type: str, filename: str) -> HTTPResponse:
    return raw(body.encode("utf-8"), content_type=content_type,
               headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _set_cookie(response: HTTPResponse, name: str, value: str, max_age: int | None = None) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = COOKIE_PATH
    cookie["httponly"] = True
    cookie["secure"] = True
    cookie["samesite"] = "Strict"
    if max_age is not None:
        cookie["max-age"] = max_age


def page_url(path: str, params: Mapping[str, str], **changes: object) -> str:
    """`path` with the query `params`, some changed (None drops one): for sort and paging."""
    merged = dict(params)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    query = urlencode({key: value for key, value in merged.items() if value != ""})
    return f"{path}?{query}" if query else path
