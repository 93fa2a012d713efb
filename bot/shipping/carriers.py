"""Carriers the shop ships with and where a customer can follow a parcel."""
from __future__ import annotations

from typing import Dict, Optional
from urllib.parse import quote

TRACKING_URLS: Dict[str, str] = {
    "UPS": "https://www.ups.com/track?tracknum={number}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
    "FEDEX": "https://www.fedex.com/fedextrack/?trknbr={number}",
    "DHL": "https://www.dhl.com/en/express/tracking.html?AWB={number}",
}


def tracking_url(carrier: str, tracking_number: str) -> Optional[str]:
    """The carrier's public tracking page for a parcel, or None for carriers without one."""
    template = TRACKING_URLS.get(carrier.strip().upper())
    if template is None or not tracking_number:
        return None
    return template.format(number=quote(tracking_number.strip()))
