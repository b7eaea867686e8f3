"""Stock workflows. Import from here: ``from stock.services import stock_set``."""

from stock.services.cancellations import (
    cancellation_record,
    penalty_rule_reset,
    penalty_rule_save,
)
from stock.services.chat import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    chat_question_log,
    chat_question_respond,
    chat_questions_import,
    question_clean,
)
from stock.services.stock import (
    StockChange,
    item_by_sku,
    product_stock_resum,
    restock_eta_set,
    stock_import,
    stock_set,
    stock_settings_get,
    variant_create,
)
from stock.services.templates import (
    stock_template_reset,
    stock_template_update,
    stock_templates_ensure,
)
from stock.services.waitlist import waitlist_join, waitlist_notify

__all__ = [
    "StockChange",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "cancellation_record",
    "chat_question_log",
    "chat_question_respond",
    "chat_questions_import",
    "penalty_rule_reset",
    "penalty_rule_save",
    "question_clean",
    "item_by_sku",
    "product_stock_resum",
    "restock_eta_set",
    "stock_import",
    "stock_set",
    "stock_settings_get",
    "stock_template_reset",
    "stock_template_update",
    "stock_templates_ensure",
    "variant_create",
    "waitlist_join",
    "waitlist_notify",
]
