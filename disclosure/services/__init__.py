"""Business rules of disclosure (居务公开), one module per part: text, calendar, items, feedback, supervision, board.

This package re-exports the names its many callers read as `services.X` (views, board, demo, tests)."""

from .board import current_board, published_in_month, unanswered_feedback
from .calendar import PUBLICATION_DAY, DueState, add_months, archive_year, due_calendar, month_end
from .feedback import answer_feedback, leave_feedback, mark_feedback_seen, record_request
from .items import (
    add_attachment,
    correct_item,
    create_item,
    delete_draft,
    post_official_notice,
    publish_due,
    publish_item,
    queue_publication,
    return_item,
    schedule_item,
    sign_item,
    submit_item,
    supervision_leader_name,
    update_item,
    withdraw_item,
)
from .supervision import Nominee, elect_supervision_group, open_supervision_account, refusal_reason
from .text import personal_data, personal_data_in, redact, sanitize_html

__all__ = [
    "PUBLICATION_DAY", "DueState", "Nominee", "add_attachment", "add_months", "answer_feedback", "archive_year",
    "correct_item", "create_item", "current_board", "delete_draft", "due_calendar", "elect_supervision_group",
    "leave_feedback", "mark_feedback_seen", "month_end", "open_supervision_account", "personal_data",
    "personal_data_in", "post_official_notice", "publish_due", "publish_item", "published_in_month",
    "queue_publication", "record_request", "redact", "refusal_reason", "return_item", "schedule_item",
    "sanitize_html", "sign_item", "submit_item", "supervision_leader_name", "unanswered_feedback", "update_item",
    "withdraw_item",
]
