"""The call-back queue at /staff/callbacks: who to call, when, and what came of it.

Same access rules as the rest of the staff pages (the staff blueprint's request and
response middleware run here too); any staff member may work the queue. Every status
change and assignment is recorded with who and when, and in the audit log.
"""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from bot.core.callback_details import display_phone
from bot.records.callbacks import (
    STATUS_LABELS,
    assign,
    counts,
    queue,
    set_status,
    staff_to_assign,
)
from bot.records.conversations import refresh_summaries
from bot.web.staff import (
    error_page,
    off_loop,
    protect,
    require_staff,
    staff_db,
    staff_page,
    with_flash,
)

blueprint = Blueprint("staff_callbacks", url_prefix="/staff/callbacks")
blueprint.on_request(require_staff)
blueprint.on_response(protect)


@blueprint.get("/")
@off_loop
def callback_queue(request: Request) -> HTTPResponse:
    """Open requests first, oldest first; `?all=1` adds the done ones."""
    show_done = request.args.get("all") == "1"
    with staff_db(request) as db:
        refresh_summaries(db)
        rows = queue(db, show_done=show_done)
        totals = counts(db)
        people = staff_to_assign(db)
    return staff_page(request, "staff/callbacks.html", section="callbacks", rows=rows,
                 totals=totals, people=people, show_done=show_done,
                 status_labels=STATUS_LABELS, phone=display_phone)


@blueprint.post("/<request_id:int>/status")
@off_loop
def change_status(request: Request, request_id: int) -> HTTPResponse:
    """Record the call's result (new, called, no answer, done)."""
    with staff_db(request) as db:
        if not set_status(db, request_id, request.form.get("status") or "",
                          request.ctx.staff.email):
            return error_page(request, 400, "Not saved", "Choose one of the statuses shown.")
    return with_flash(request, redirect("/staff/callbacks", status=303), "callback_saved")


@blueprint.post("/<request_id:int>/assign")
@off_loop
def change_assignee(request: Request, request_id: int) -> HTTPResponse:
    """Give the call to a staff member, or to nobody."""
    chosen = request.form.get("staff") or ""
    with staff_db(request) as db:
        if not assign(db, request_id, int(chosen) if chosen.isdigit() else None,
                      request.ctx.staff.email):
            return error_page(request, 400, "Not saved", "Choose a staff member from the list.")
    return with_flash(request, redirect("/staff/callbacks", status=303), "callback_saved")
