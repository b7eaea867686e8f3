"""Two shops with a full object graph each: every model of Rawat, texts carrying a marker.

The isolation suite requests shop B's objects as a seller of shop A; a marker unique to each
shop ("ZZ-SHOP-B-MARKER") lets list, search and export pages be checked for B's rows.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from audit.models import AuditEntry
from customers.models import Membership, Shop
from followups.models import FollowUpTemplate
from tests.factories import (
    ApiTokenFactory,
    BuyerFactory,
    BuyerHandleFactory,
    BuyerTierFactory,
    CancellationFactory,
    CareSettingsFactory,
    ChatQuestionFactory,
    CourierSlowdownFactory,
    FollowUpFactory,
    ImportRunFactory,
    InteractionFactory,
    MappingOverrideFactory,
    MembershipFactory,
    MessageTemplateFactory,
    OrderFactory,
    OrderLineFactory,
    PenaltyRuleFactory,
    ProductFactory,
    ProductVariantFactory,
    ReplyTemplateFactory,
    RestockEventFactory,
    ReviewFactory,
    ShopReplySettingsFactory,
    StockSettingsFactory,
    TagFactory,
    ToneEventFactory,
    UserFactory,
    WaitlistEntryFactory,
)

MARKER_A = "ZZ-SHOP-A-MARKER"
MARKER_B = "ZZ-SHOP-B-MARKER"


def shop_graph_build(*, shop: Shop, marker: str, label: str, user=None) -> dict[str, Any]:
    """One or more rows of every model in ``shop``; every free text carries ``marker``."""
    if user is None:
        user = UserFactory(username=f"owner_{label}")
        MembershipFactory(shop=shop, user=user, role=Membership.Role.OWNER)
    buyer = BuyerFactory(shop=shop, name=f"Pembeli {label} {marker}", notes=f"Catatan {marker}")
    tag = TagFactory(shop=shop, name=f"tag-{marker}"[:40])  # Tag.name holds 40
    buyer.tags.add(tag)
    handle = BuyerHandleFactory(buyer=buyer, handle=f"handle_{label}_{marker}")
    product = ProductFactory(shop=shop, sku=f"SKU-{label}", name=f"Pashmina {marker}", stock=0)
    variant = ProductVariantFactory(product=product, colour=f"Hitam {marker}"[:40])
    order = OrderFactory(
        buyer=buyer,
        external_id=f"ORDER-{label}-{marker}",
        tracking_number=f"JNE-{marker}",
        delivered_at=None,
        status="shipped",
        promised_at=timezone.now() - timedelta(days=2),
    )
    line = OrderLineFactory(order=order, product=product, name=f"Pashmina {marker}")
    review = ReviewFactory(order=order, rating=1, text=f"Barang rusak dan telat {marker}")
    interaction = InteractionFactory(buyer=buyer, order=order, text=f"Catatan {marker}")
    cancelled_order = OrderFactory(buyer=buyer, external_id=f"CANCEL-{label}-{marker}")
    cancellation = CancellationFactory(order=cancelled_order, note=f"Batal {marker}")
    followup = FollowUpFactory(
        buyer=buyer,
        order=order,
        status="held",
        subject=f"Maaf {marker}",
        text=f"Mohon maaf {marker}",
    )
    slowdown = CourierSlowdownFactory(shop=shop, reason=f"Banjir {marker}")
    buyer_tier = BuyerTierFactory(buyer=buyer, tier__name=f"Gold {marker}"[:40])
    care_settings = CareSettingsFactory(shop=shop)
    import_run = ImportRunFactory(shop=shop, created_by=user, file_name=f"orders-{marker}.csv")
    mapping = MappingOverrideFactory(shop=shop, name=f"map-{marker}"[:40])
    reply_template = ReplyTemplateFactory(shop=shop, body=f"Terima kasih {marker}, Kak!")
    reply_settings = ShopReplySettingsFactory(shop=shop)
    tone_event = ToneEventFactory(shop=shop, user=user, review=review, warned_text=marker)
    stock_settings = StockSettingsFactory(shop=shop)
    restock = RestockEventFactory(product=product, by=user)
    waitlist = WaitlistEntryFactory(product=product, buyer=buyer, variant=variant)
    penalty_rule = PenaltyRuleFactory(shop=shop, penalty=f"Penalti {marker}")
    message_template = MessageTemplateFactory(shop=shop, body=f"Ready {marker}, Kak!")
    chat_question = ChatQuestionFactory(
        shop=shop, buyer=buyer, product=product, text=f"Ready kak? {marker}"
    )
    api_token = ApiTokenFactory(shop=shop, created_by=user, name=f"token {marker}")
    followup_template = FollowUpTemplate.objects.create(
        shop=shop, kind="holiday", occasion="idul_fitri", body=f"Selamat {marker}, Kak!"
    )
    # The audit trail records the rows above as they are made; one edit carries the marker in
    # its old -> new diff too.
    buyer.notes = f"Catatan baru {marker}"
    buyer.save(update_fields=["notes"])
    audit_entry = AuditEntry.objects.filter(shop=shop, object_pk=str(buyer.pk)).latest("pk")
    return {
        "shop": shop,
        "user": user,
        "buyer": buyer,
        "tag": tag,
        "handle": handle,
        "product": product,
        "variant": variant,
        "order": order,
        "line": line,
        "review": review,
        "interaction": interaction,
        "cancellation": cancellation,
        "followup": followup,
        "slowdown": slowdown,
        "buyer_tier": buyer_tier,
        "tier": buyer_tier.tier,
        "care_settings": care_settings,
        "import_run": import_run,
        "mapping": mapping,
        "reply_template": reply_template,
        "reply_settings": reply_settings,
        "tone_event": tone_event,
        "stock_settings": stock_settings,
        "restock": restock,
        "waitlist": waitlist,
        "penalty_rule": penalty_rule,
        "message_template": message_template,
        "chat_question": chat_question,
        "api_token": api_token,
        "followup_template": followup_template,
        "audit_entry": audit_entry,
    }
