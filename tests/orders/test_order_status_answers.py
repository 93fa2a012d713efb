"""The order-status answer for each reference order: facts from the database, in plain words."""
from __future__ import annotations

from bot.orders.status import check_ownership, order_report, order_status_answer
from tests.conftest import FIXED_NOW


def answer(number: str) -> str:
    result = order_status_answer(number, FIXED_NOW)
    assert result is not None
    return result.text


def test_shipped_order_names_carrier_tracking_link_and_due_date(shop_db):
    text = answer("100001")
    assert "Order #100001 is on its way" in text
    assert "1 × Trail Running Shoes ($129.00)" in text
    assert "UPS" in text and "1Z999AA10123456784" in text
    assert "https://www.ups.com/track?tracknum=1Z999AA10123456784" in text
    assert "Estimated delivery: tomorrow, Tuesday, November 24." in text
    assert "Latest update:" in text
    assert "running late" not in text and "sorry" not in text.lower()


def test_processing_order_has_not_shipped(shop_db):
    text = answer("100002")
    assert "being prepared and hasn't shipped yet" in text
    assert "2 × Ceramic Mug Set ($24.00)" in text
    assert "Standard" in text and "tracking number" in text.lower()


def test_delivered_order_gives_the_delivery_date(shop_db):
    text = answer("100003")
    assert "Order #100003 has been delivered." in text
    assert "Merino Wool Sweater" in text and "Cashmere Scarf" in text
    assert "It was delivered on Friday, November 13." in text  # 10 days before the fixed now


def test_late_parcel_is_called_late_with_apology_and_next_steps(shop_db):
    result = order_status_answer("100005", FIXED_NOW)
    assert result is not None and result.late
    text = result.text
    assert "running late" in text and "I'm sorry" in text
    assert "It was due on Thursday, November 19 (4 days ago)" in text
    assert "hasn't scanned it since 9 days ago" in text and "may be lost" in text
    assert "What happens next" in text and "USPS" in text


def test_on_time_parcel_is_not_late(shop_db):
    result = order_status_answer("100001", FIXED_NOW)
    assert result is not None and not result.late


def test_final_sale_item_is_marked(shop_db):
    text = answer("100006")
    assert "Clearance Rain Jacket ($39.00, final sale)" in text
    assert "Running Socks 3-pack ($15.00)" in text


def test_cancelled_order_shows_its_refund(shop_db):
    report = order_report("100007", FIXED_NOW)
    text = answer("100007")
    assert "was cancelled" in text
    assert report is not None and report.refunded_cents == report.total_cents > 0
    assert f"A refund of ${report.total_cents / 100:.2f} was issued" in text


def test_unknown_order_has_no_answer(shop_db):
    assert order_status_answer("999999", FIXED_NOW) is None


def test_check_ownership_returns_every_order_of_the_customer(shop_db):
    check = check_ownership("#100001", "MARIA.GONZALEZ@EXAMPLE.COM")
    assert check.verified and check.order_number == "100001"
    assert sorted(check.customer_orders) == ["100001", "100006"]
    assert not check_ownership("100001", "94108").verified
    assert not check_ownership("100009", "94107").verified
    assert not check_ownership("not a number", "94107").verified
