"""The desk's Reports page in headless Chromium, against the real servers: an agent logs in,
sees the charts drawn with the same figures as the JSON summary, filters by channel and
downloads the CSV. Screenshots go to reports/browser/."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.integration.conftest import RestChat
from tests.integration.widget_browser import SCREENSHOTS, chromium_page, skip_without_browser

pytestmark = pytest.mark.integration


@pytest.fixture
def browser_page():
    skip_without_browser()
    with chromium_page() as page:
        yield page


def test_the_reports_page_draws_filters_and_exports(browser_page, bot_stack, desk, tmp_path):
    RestChat(bot_stack, sender="test-reports-browser").text("what shipping options do you have?")
    today = datetime.now(timezone.utc).date().isoformat()
    page = browser_page
    page.goto(f"{bot_stack.desk_url}/login?next=/reports")
    page.fill("#username", "sam")
    page.fill("#password", "sam-test-password")
    page.click("button[type=submit]")
    page.wait_for_url("**/reports")
    page.fill("input[name=from]", today)
    page.fill("input[name=to]", today)
    page.click("#report-filter button[type=submit]")
    page.wait_for_url(f"**/reports?from={today}&to={today}*")
    summary = desk.call("GET", f"/api/reports/summary?from={today}&to={today}")[1]
    shown = page.locator('.tile[data-key="conversations"] strong').inner_text()
    assert shown == str(summary["conversations"]) and summary["conversations"] >= 1
    assert page.locator("#chart-outcomes rect.bar").count() == 4
    assert page.locator("#chart-topics rect.bar").count() == max(1, len(summary["by_topic"]))
    assert page.locator("#chart-days rect.bar").count() == 1
    csat = page.locator('.tile[data-key="csat"] strong').inner_text()
    assert csat == ("\u2014" if summary["csat"] is None else f"{100 * summary['csat']:.1f} %")
    assert page.locator("#chart-csat rect.bar").count() == 5 and page.locator("#chart-nps rect.bar").count() == 11
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "9-reports.png"), full_page=True)

    page.select_option("select[name=channel]", "rest")
    page.click("#report-filter button[type=submit]")
    page.wait_for_url("**channel=rest*")
    rest = desk.call("GET", f"/api/reports/summary?from={today}&to={today}&channel=rest")[1]
    assert page.locator('.tile[data-key="conversations"] strong').inner_text() == str(rest["conversations"])

    with page.expect_download() as download:
        page.click("#report-csv")
    saved = tmp_path / "report.csv"
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0] == ("date,conversations,resolved,handed_over,not_understood,abandoned,"
                        "csat,csat_responses,ces_average,ces_responses,nps,nps_responses")
    assert lines[-1].startswith(f"total,{rest['conversations']},")
