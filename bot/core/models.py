"""SQLAlchemy models of the shop: customers, catalogue, orders, shipments.

Times are stored as naive UTC datetimes; money as integer cents, so sums are exact.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, List, Optional

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import declarative_base, relationship

#: Typed Any: SQLAlchemy 1.4 ships no type information, so the models are checked as plain classes.
Base: Any = declarative_base()


class OrderStatus(str, enum.Enum):
    PENDING = "pending"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class ShipmentStatus(str, enum.Enum):
    LABEL_CREATED = "label_created"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"


def _enum(cls: type) -> Enum:
    # Store the lowercase values (not the member names) and skip a native DB enum
    # type, so the same schema works on SQLite and PostgreSQL and reads well in SQL.
    return Enum(
        cls,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        length=32,
        validate_strings=True,
    )


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)  # stored lowercased
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    created_at = Column(DateTime, nullable=False)

    orders: List["Order"] = relationship("Order", back_populates="customer")


class Product(Base):
    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(64), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    category = Column(String(100), nullable=False)
    price_cents = Column(Integer, nullable=False)
    final_sale = Column(Boolean, nullable=False, default=False)


class ShippingMethod(Base):
    __tablename__ = "shipping_methods"

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False, unique=True)  # e.g. "two_day"
    name = Column(String(100), nullable=False)  # e.g. "2-Day"
    min_days = Column(Integer, nullable=False)  # business days in transit
    max_days = Column(Integer, nullable=False)
    price_cents = Column(Integer, nullable=False)
    carrier = Column(String(32), nullable=False)
    tracking_included = Column(Boolean, nullable=False, default=True)


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    number = Column(String(32), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    status = Column(_enum(OrderStatus), nullable=False)
    placed_at = Column(DateTime, nullable=False)
    shipping_method_id = Column(Integer, ForeignKey("shipping_methods.id"), nullable=False)
    billing_zip = Column(String(16), nullable=False)
    shipping_name = Column(String(200), nullable=False)
    shipping_line1 = Column(String(200), nullable=False)
    shipping_line2 = Column(String(200))
    shipping_city = Column(String(100), nullable=False)
    shipping_region = Column(String(100))
    shipping_zip = Column(String(16), nullable=False)
    shipping_country = Column(String(2), nullable=False, default="US")
    currency = Column(String(3), nullable=False, default="USD")
    subtotal_cents = Column(Integer, nullable=False)
    shipping_cents = Column(Integer, nullable=False, default=0)
    total_cents = Column(Integer, nullable=False)
    cancelled_at = Column(DateTime)
    refunded_cents = Column(Integer, nullable=False, default=0)
    refunded_at = Column(DateTime)

    customer: Customer = relationship("Customer", back_populates="orders")
    shipping_method: ShippingMethod = relationship("ShippingMethod")
    items: List["OrderItem"] = relationship(
        "OrderItem", back_populates="order", order_by="OrderItem.id"
    )
    shipments: List["Shipment"] = relationship(
        "Shipment", back_populates="order", order_by="Shipment.id"
    )

    __table_args__ = (Index("ix_orders_customer_placed", "customer_id", "placed_at"),)


class OrderItem(Base):
    __tablename__ = "order_items"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    quantity = Column(Integer, nullable=False)
    unit_price_cents = Column(Integer, nullable=False)  # price paid, not today's price

    order: Order = relationship("Order", back_populates="items")
    product: Product = relationship("Product")


class Shipment(Base):
    __tablename__ = "shipments"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    carrier = Column(String(32), nullable=False)  # "UPS", "USPS", "FedEx", "DHL"
    service_level = Column(String(32), nullable=False)  # shipping method code
    tracking_number = Column(String(64), nullable=False, index=True)
    status = Column(_enum(ShipmentStatus), nullable=False)
    shipped_at = Column(DateTime, nullable=False)
    estimated_delivery_at = Column(DateTime, nullable=False)
    delivered_at = Column(DateTime)

    order: Order = relationship("Order", back_populates="shipments")
    events: List["TrackingEvent"] = relationship(
        "TrackingEvent", back_populates="shipment", order_by="TrackingEvent.occurred_at"
    )

    @property
    def latest_event(self) -> Optional["TrackingEvent"]:
        return self.events[-1] if self.events else None


class TrackingEvent(Base):
    __tablename__ = "tracking_events"

    id = Column(Integer, primary_key=True)
    shipment_id = Column(Integer, ForeignKey("shipments.id"), nullable=False, index=True)
    occurred_at = Column(DateTime, nullable=False)
    location = Column(String(200))
    description = Column(Text, nullable=False)

    shipment: Shipment = relationship("Shipment", back_populates="events")


class ShopMeta(Base):
    """Key/value facts about the loaded data, e.g. that it is the demo shop and its 'now'."""

    __tablename__ = "shop_meta"

    key = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)


class ReturnStatus(str, enum.Enum):
    REQUESTED = "requested"  # RMA issued, parcel not back yet
    RECEIVED = "received"  # arrived at the warehouse, refund or exchange pending
    REFUNDED = "refunded"
    REJECTED = "rejected"


class ReturnResolution(str, enum.Enum):
    REFUND = "refund"
    EXCHANGE = "exchange"


class ReturnRequest(Base):
    """One return (RMA) of some items of an order."""

    __tablename__ = "returns"

    id = Column(Integer, primary_key=True)
    rma = Column(String(32), nullable=False, unique=True)  # e.g. "RMA-100003-1"
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    status = Column(_enum(ReturnStatus), nullable=False)
    resolution = Column(_enum(ReturnResolution), nullable=False)
    reason = Column(String(100), nullable=False)  # one of the profile's accepted reasons
    reason_detail = Column(Text)  # the customer's own words
    refund_method = Column(String(100))  # None for an exchange
    refund_cents = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    received_at = Column(DateTime)
    refunded_at = Column(DateTime)

    order: Order = relationship("Order")
    items: List["ReturnItem"] = relationship(
        "ReturnItem", back_populates="return_request", order_by="ReturnItem.id"
    )


class ReturnItem(Base):
    __tablename__ = "return_items"

    id = Column(Integer, primary_key=True)
    return_id = Column(Integer, ForeignKey("returns.id"), nullable=False, index=True)
    order_item_id = Column(Integer, ForeignKey("order_items.id"), nullable=False)
    quantity = Column(Integer, nullable=False)

    return_request: ReturnRequest = relationship("ReturnRequest", back_populates="items")
    order_item: OrderItem = relationship("OrderItem")

    __table_args__ = (UniqueConstraint("return_id", "order_item_id"),)


class ClaimKind(str, enum.Enum):
    DAMAGED_ITEM = "damaged_item"
    WRONG_ITEM = "wrong_item"
    MISSING_PACKAGE = "missing_package"


class ClaimResolution(str, enum.Enum):
    REFUND = "refund"
    REPLACEMENT = "replacement"
    RESHIP = "reship"
    HUMAN = "human"  # handed to a person


class ClaimStatus(str, enum.Enum):
    OPEN = "open"
    RESOLVED = "resolved"
    REJECTED = "rejected"


class Claim(Base):
    """A problem delivery: a damaged or wrong item, or a parcel that never came."""

    __tablename__ = "claims"

    id = Column(Integer, primary_key=True)
    number = Column(String(32), nullable=False, unique=True)  # e.g. "CLM-100005-1"
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    kind = Column(_enum(ClaimKind), nullable=False)
    order_item_id = Column(Integer, ForeignKey("order_items.id"))  # None: the whole parcel
    description = Column(Text)
    resolution = Column(_enum(ClaimResolution))  # None until the customer picks one
    status = Column(_enum(ClaimStatus), nullable=False)
    created_at = Column(DateTime, nullable=False)

    order: Order = relationship("Order")
    order_item: Optional[OrderItem] = relationship("OrderItem")


class HandoffStatus(str, enum.Enum):
    QUEUED = "queued"  # waiting for an agent
    ASSIGNED = "assigned"  # an agent is talking to the customer
    RESOLVED = "resolved"
    EXPIRED = "expired"  # nobody picked it up in time


#: A handoff in these keeps the bot quiet in its conversation.
OPEN_HANDOFF_STATUSES = (HandoffStatus.QUEUED, HandoffStatus.ASSIGNED)


class MessageSender(str, enum.Enum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"


class OutboxKind(str, enum.Enum):
    WEBHOOK = "webhook"
    EMAIL = "email"


class Handoff(Base):
    """A conversation handed from the bot to a person; at most one open per conversation."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)  # Rasa sender id
    channel = Column(String(64), nullable=False)  # "rest", "socketio", ...
    customer_email = Column(String(254))
    customer_id = Column(Integer)  # not a foreign key: handoffs outlive a shop re-import
    verified = Column(Boolean, nullable=False, default=False)
    order_numbers = Column(Text, nullable=False, default="[]")  # JSON list of order numbers
    reason = Column(String(64), nullable=False)  # a bot.handoff.policy reason code
    priority = Column(Integer, nullable=False, default=1)  # higher = more urgent
    summary = Column(Text, nullable=False, default="")
    status = Column(_enum(HandoffStatus), nullable=False)
    agent = Column(String(100))
    created_at = Column(DateTime, nullable=False)
    assigned_at = Column(DateTime)
    resolved_at = Column(DateTime)  # also set when it expires
    updated_at = Column(DateTime, nullable=False)  # last activity

    messages: List["HandoffMessage"] = relationship(
        "HandoffMessage", back_populates="handoff", order_by="HandoffMessage.id"
    )

    __table_args__ = (
        Index("ix_handoffs_status_priority", "status", "priority", "created_at"),
        # The database itself refuses a second open handoff for one conversation.
        Index("uq_handoffs_open_conversation", "conversation_id", unique=True,
              sqlite_where=text("status IN ('queued', 'assigned')"),
              postgresql_where=text("status IN ('queued', 'assigned')")),
    )


class HandoffMessage(Base):
    """One line of a handoff's transcript, secrets masked."""

    __tablename__ = "handoff_messages"

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id"), nullable=False, index=True)
    sender = Column(_enum(MessageSender), nullable=False)
    agent = Column(String(100))  # who wrote it, for agent messages
    text = Column(Text, nullable=False)
    intent = Column(String(100))  # what the bot understood (customer messages)
    confidence = Column(Float)
    created_at = Column(DateTime, nullable=False)
    delivered_at = Column(DateTime)  # agent messages: when the customer got it

    handoff: Handoff = relationship("Handoff", back_populates="messages")


class ReplyDelivery(Base):
    """How pushing one outgoing handoff message (an agent's reply, the bot's "I'm back") to the
    customer's app went: tries, the next try and the last problem (bot/handoff/replies.py).
    The message's own delivered_at says when it arrived."""

    __tablename__ = "reply_deliveries"

    message_id = Column(Integer, ForeignKey("handoff_messages.id"), primary_key=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False)
    leased_until = Column(DateTime)  # being sent until then (no second sender picks it up)
    failed = Column(Boolean, nullable=False, default=False)  # the last try failed (else: waiting)
    last_error = Column(Text)  # why the last try did not deliver it


class OutboxMessage(Base):
    """A webhook call or email still to send (or sent); retried with backoff until it goes."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    kind = Column(_enum(OutboxKind), nullable=False)
    handoff_id = Column(Integer, index=True)  # what it is about, if a handoff
    payload = Column(Text, nullable=False)  # JSON
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False)
    delivered_at = Column(DateTime)
    last_error = Column(Text)
    created_at = Column(DateTime, nullable=False)

    __table_args__ = (Index("ix_outbox_due", "delivered_at", "next_attempt_at"),)


class FailedProof(Base):
    """One failed (or, while it is checked, pending) proof of ownership, kept for the lockout.

    Counted per order and per client across conversations, channels and servers
    (bot.orders.proof_guard). `client` is a hash of the IP or the messaging user id, never the
    value itself.
    """

    __tablename__ = "failed_proofs"

    id = Column(Integer, primary_key=True)
    order_number = Column(String(32), nullable=False)  # as typed and normalised; may not exist
    client = Column(String(64), nullable=False)
    at = Column(DateTime, nullable=False)

    __table_args__ = (
        Index("ix_failed_proofs_order", "order_number", "at"),
        Index("ix_failed_proofs_client", "client", "at"),
    )


class RevokedDeskSession(Base):
    """A desk login ended by logout: its cookie is refused until it would have expired anyway."""

    __tablename__ = "desk_revoked_sessions"

    session_id = Column(String(64), primary_key=True)
    expires_at = Column(DateTime, nullable=False, index=True)


class ConversationOutcome(Base):
    """What became of one conversation session, kept up to date as its events are saved
    (bot.reports.outcomes): resolved by the assistant, handed to a person, not understood or
    abandoned, with what it went through. No message text is kept here."""

    __tablename__ = "conversation_outcomes"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    session_started_at = Column(DateTime, nullable=False)  # naive UTC
    last_event_at = Column(DateTime, nullable=False)
    channel = Column(String(64), nullable=True)
    language = Column(String(16), nullable=True)
    customer_messages = Column(Integer, nullable=False, default=0)
    fallbacks = Column(Integer, nullable=False, default=0)
    intents = Column(Text, nullable=False, default="[]")  # JSON list, in order of first use
    flows = Column(Text, nullable=False, default="[]")  # JSON list of the answers and forms run
    answered = Column(Boolean, nullable=False, default=False)  # a request answered by the bot
    handed_over = Column(Boolean, nullable=False, default=False)
    outcome = Column(String(32), nullable=False)

    __table_args__ = (
        UniqueConstraint("conversation_id", "session_started_at", name="uq_outcome_session"),
        Index("ix_outcomes_started", "session_started_at"),
    )


class Survey(Base):
    """How one conversation session went, in the customer's own ratings (bot.reports.surveys):
    at most one per session. `steps` are the questions in the order asked; `step` is the one
    waiting for an answer (None once answered, skipped or dropped)."""

    __tablename__ = "surveys"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    session_started_at = Column(DateTime, nullable=False)  # naive UTC, as in conversation_outcomes
    trigger = Column(String(16), nullable=False)  # assistant or handoff
    handoff_id = Column(Integer, nullable=True)
    channel = Column(String(64), nullable=True)
    steps = Column(Text, nullable=False)  # JSON list: csat, ces, nps, comment
    step = Column(String(16), nullable=True)
    csat = Column(Integer, nullable=True)  # 1-5
    ces = Column(Integer, nullable=True)  # 1-7
    nps = Column(Integer, nullable=True)  # 0-10
    comment = Column(Text, nullable=True)  # the customer's words: deleted with the conversation
    asked_at = Column(DateTime, nullable=False)
    answered_at = Column(DateTime, nullable=True)  # the first answer
    updated_at = Column(DateTime, nullable=False)

    __table_args__ = (
        UniqueConstraint("conversation_id", "session_started_at", name="uq_survey_session"),
        Index("ix_surveys_conversation", "conversation_id", "id"),
        Index("ix_surveys_started", "session_started_at"),
    )


class Alert(Base):
    """Something the shop's on-call person should see soon (bot.alerts): a complaint, an angry or
    abusive message, a low rating, a late or lost parcel, or one problem reported by several
    customers. Written in the same transaction as its cause; `notified_at` is set when its
    webhook and email rows are in the outbox; an agent acknowledges it on the desk."""

    __tablename__ = "alerts"

    id = Column(Integer, primary_key=True)
    kind = Column(String(32), nullable=False)  # bot.alerts.kinds
    conversation_id = Column(String(255), nullable=True)
    channel = Column(String(64), nullable=True)
    handoff_id = Column(Integer, nullable=True)
    customer_email = Column(String(255), nullable=True)
    order_number = Column(String(32), nullable=True)
    problem = Column(String(128), nullable=True)  # what repeats across customers, e.g. "late_parcel:UPS"
    text = Column(Text, nullable=False)  # for the agent: what happened
    details = Column(Text, nullable=True)  # JSON: the customer's words, the rating, the conversations...
    raised_at = Column(DateTime, nullable=False)
    notified_at = Column(DateTime, nullable=True)
    acknowledged_at = Column(DateTime, nullable=True)
    acknowledged_by = Column(String(64), nullable=True)

    __table_args__ = (
        Index("ix_alerts_conversation", "conversation_id", "kind", "raised_at"),
        Index("ix_alerts_problem", "problem", "raised_at"),
        Index("ix_alerts_unnotified", "notified_at", "id"),
        Index("ix_alerts_raised", "raised_at"),
    )


__all__ = [
    "Alert",
    "Base",
    "Claim",
    "ClaimKind",
    "ConversationOutcome",
    "ClaimResolution",
    "ClaimStatus",
    "Customer",
    "FailedProof",
    "Handoff",
    "HandoffMessage",
    "HandoffStatus",
    "MessageSender",
    "Order",
    "OrderItem",
    "OrderStatus",
    "OutboxKind",
    "OutboxMessage",
    "Product",
    "ReturnItem",
    "ReturnRequest",
    "RevokedDeskSession",
    "ReturnResolution",
    "ReturnStatus",
    "Shipment",
    "ShipmentStatus",
    "ShippingMethod",
    "ShopMeta",
    "Survey",
    "TrackingEvent",
    "datetime",
]
