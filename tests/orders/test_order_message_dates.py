"""Order-status dates read in the shop's time zone, as the return and claim texts do."""
from __future__ import annotations

from datetime import datetime

from bot.orders.messages import order_status_text
from bot.orders.report import ItemLine, OrderReport, ShipmentReport

# 04:00 UTC on November 23 is still the evening of November 22 in Los Angeles.
NOW = datetime(2026, 11, 23, 4, 0)
LA = "America/Los_Angeles"


def _delivered_at(when: datetime) -> OrderReport:
    shipment = ShipmentReport(
        carrier="UPS", service="2-day", tracking_number="1Z999AA10123456784", tracking_url=None,
        shipped_at=datetime(2026, 11, 20, 18, 0), estimated_delivery_at=when,
        delivered_at=when, latest_update=None, days_late=0, possibly_lost=False)
    return OrderReport(
        number="100009", status="delivered", placed_at=datetime(2026, 11, 19, 20, 0),
        service="2-day", service_min_days=2, service_max_days=2, total_cents=1000,
        items=[ItemLine("Mug", 1, 1000, False)], shipments=[shipment])


def test_a_delivery_this_afternoon_in_the_shop_is_today_not_yesterday() -> None:
    report = _delivered_at(datetime(2026, 11, 22, 21, 0))  # 13:00 on November 22 in LA
    assert "It was delivered today." in order_status_text(report, NOW, LA)
    assert "It was delivered yesterday." in order_status_text(report, NOW, "UTC")


def test_a_delivery_late_at_night_utc_is_the_shop_s_previous_day() -> None:
    report = _delivered_at(datetime(2026, 11, 21, 3, 0))  # 19:00 on November 20 in LA
    assert "It was delivered on Friday, November 20." in order_status_text(report, NOW, LA)
