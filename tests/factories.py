"""factory-boy factories for every model, in one place."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from crm.models import Channel
from customers.models import (
    Buyer,
    BuyerHandle,
    Courier,
    Interaction,
    Membership,
    Order,
    OrderLine,
    Product,
    Shop,
    Tag,
)
from reviews.models import Review


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Toko {n}")
    slug = factory.Sequence(lambda n: f"toko-{n}")
    channels = factory.LazyFunction(lambda: ["shopee", "tokopedia", "whatsapp"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    shop = factory.SubFactory(ShopFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"tag{n}")


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buyer

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"Pembeli {n}")
    phone = factory.Sequence(lambda n: f"0812{n:08d}")
    email = factory.Sequence(lambda n: f"pembeli{n}@example.com")
    marketing_consent = True


class BuyerHandleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerHandle

    buyer = factory.SubFactory(BuyerFactory)
    shop = factory.SelfAttribute("buyer.shop")
    channel = Channel.SHOPEE
    handle = factory.Sequence(lambda n: f"pembeli_{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Kemeja Batik {n}")
    category = "Pakaian"
    price = 125_000
    stock = 10


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    buyer = factory.SubFactory(BuyerFactory)
    shop = factory.SelfAttribute("buyer.shop")
    channel = Channel.SHOPEE
    external_id = factory.Sequence(lambda n: f"2603{n:08d}")
    status = Order.Status.COMPLETED
    ordered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    shipped_at = factory.LazyAttribute(lambda o: o.ordered_at + timedelta(days=1))
    promised_at = factory.LazyAttribute(lambda o: o.ordered_at + timedelta(days=4))
    delivered_at = factory.LazyAttribute(lambda o: o.ordered_at + timedelta(days=3))
    courier = Courier.JNE
    tracking_number = factory.Sequence(lambda n: f"JNE{n:010d}")
    total = 125_000


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory, shop=factory.SelfAttribute("..order.shop"))
    quantity = 1
    unit_price = 125_000


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    order = factory.SubFactory(OrderFactory)
    shop = factory.SelfAttribute("order.shop")
    channel = factory.SelfAttribute("order.channel")
    rating = 5
    text = "Barang bagus, pengiriman cepat. Terima kasih!"
    posted_at = factory.LazyAttribute(lambda r: r.order.ordered_at + timedelta(days=5))


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    buyer = factory.SubFactory(BuyerFactory)
    shop = factory.SelfAttribute("buyer.shop")
    kind = Interaction.Kind.NOTE
    text = "Pembeli minta dikirim pakai bubble wrap tebal."
    occurred_at = factory.LazyFunction(timezone.now)


# --- followups ---------------------------------------------------------------------------------


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followups.FollowUp"

    buyer = factory.SubFactory(BuyerFactory)
    shop = factory.SelfAttribute("buyer.shop")
    kind = "thank_you"
    channel = "email"
    recipient = factory.LazyAttribute(lambda f: f.buyer.email)
    due_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))
    status = "due"
    subject = "Terima kasih"
    text = "Terima kasih sudah belanja di toko kami!"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")


class CourierSlowdownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followups.CourierSlowdown"

    shop = factory.SubFactory(ShopFactory)
    courier = Courier.JNE
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=1))
    ends_on = factory.LazyAttribute(lambda s: s.starts_on + timedelta(days=7))
    reason = "Arus mudik Lebaran"


class MembershipTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followups.MembershipTier"

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")
    rank = factory.Sequence(lambda n: n + 1)
    min_orders = 3
    min_spend = 0
    perk = "Gratis ongkir"


# --- stock (issue 5) -------------------------------------------------------------------------
from stock.models import (  # noqa: E402
    Cancellation,
    ChatQuestion,
    ProductVariant,
    WaitlistEntry,
)


class ProductVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    shop = factory.SelfAttribute("product.shop")
    colour = factory.Sequence(lambda n: f"Warna {n}")
    size = ""
    stock = 0


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WaitlistEntry

    product = factory.SubFactory(ProductFactory, stock=0)
    shop = factory.SelfAttribute("product.shop")
    buyer = factory.SubFactory(BuyerFactory, shop=factory.SelfAttribute("..product.shop"))
    source = "seller"


class CancellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cancellation

    order = factory.SubFactory(OrderFactory)
    shop = factory.SelfAttribute("order.shop")
    channel = factory.SelfAttribute("order.channel")
    initiator = Cancellation.Initiator.SELLER
    reason = Cancellation.Reason.OUT_OF_STOCK
    occurred_at = factory.LazyFunction(timezone.now)


class ChatQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatQuestion

    shop = factory.SubFactory(ShopFactory)
    channel = Channel.SHOPEE
    text = "Ready kak?"
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    source = "seller"


# --- the remaining models (issue 8: the isolation suite builds every model in two shops) -----
from followups.models import BuyerTier, CareSettings  # noqa: E402
from imports.models import ImportRun, MappingOverride  # noqa: E402
from reviews.models import ReplyTemplate, ShopReplySettings, ToneEvent  # noqa: E402
from stock.models import (  # noqa: E402
    ApiToken,
    MessageTemplate,
    PenaltyRule,
    RestockEvent,
    StockSettings,
)


class CareSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareSettings
        django_get_or_create = ("shop",)

    shop = factory.SubFactory(ShopFactory)


class BuyerTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerTier

    buyer = factory.SubFactory(BuyerFactory)
    shop = factory.SelfAttribute("buyer.shop")
    tier = factory.SubFactory(MembershipTierFactory, shop=factory.SelfAttribute("..shop"))
    rank = factory.SelfAttribute("tier.rank")
    reached_at = factory.LazyFunction(timezone.now)


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    shop = factory.SubFactory(ShopFactory)
    file = factory.django.FileField(filename="orders.csv", data=b"order_id\n")
    file_name = "orders.csv"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    size = 9


class MappingOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MappingOverride

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"mapping-{n}")
    content = ""


class ReplyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyTemplate
        django_get_or_create = ("shop", "action", "language")

    shop = factory.SubFactory(ShopFactory)
    action = "thank"
    language = "id"
    body = "Terima kasih, Kak {buyer_name}!"


class ShopReplySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopReplySettings
        django_get_or_create = ("shop",)

    shop = factory.SubFactory(ShopFactory)


class ToneEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToneEvent

    shop = factory.SubFactory(ShopFactory)
    verdict = "hostile"
    warned_text = "Baca deskripsi dong!"
    outcome = "edited"


class StockSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockSettings
        django_get_or_create = ("shop",)

    shop = factory.SubFactory(ShopFactory)


class RestockEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RestockEvent

    product = factory.SubFactory(ProductFactory)
    shop = factory.SelfAttribute("product.shop")
    product_restocked = True
    stock_after = 5
    source = "seller"


class PenaltyRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PenaltyRule
        django_get_or_create = ("shop", "channel")

    shop = factory.SubFactory(ShopFactory)
    channel = Channel.SHOPEE
    window_days = 7
    threshold = 3
    penalty = "Poin penalti"


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate
        django_get_or_create = ("shop", "situation", "language")

    shop = factory.SubFactory(ShopFactory)
    situation = "in_stock"
    language = "id"
    body = "Ready, Kak!"


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"token {n}")
    prefix = factory.Sequence(lambda n: f"rwt_{n:04d}")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
