"""The storefront's HTML: a small shop page, the demo sign-in and the widget's configuration.

The widget itself is mounted by static/storefront.js from the JSON in #shop-chat-config.
"""
from __future__ import annotations

import json
from html import escape
from typing import Any, Dict, List, Optional

from bot.storefront.demo_customers import DemoCustomer

PRODUCTS = [
    ("Trail Running Shoes", "$129.00", "Grippy, light, ready for mud."),
    ("Merino Wool Sweater", "$89.00", "Warm without the itch."),
    ("Packable Rain Jacket", "$149.00", "Folds into its own pocket."),
]


def _json_for_script(data: Dict[str, Any]) -> str:
    # Inside <script>, "</script>" or "<!--" in a value would end the block: escape "<".
    return json.dumps(data).replace("<", "\\u003c")


def _account(customers: List[DemoCustomer], signed_in: Optional[DemoCustomer],
             sign_in_available: bool) -> str:
    if signed_in is not None:
        orders = ", ".join(f"#{n}" for n in signed_in.orders)
        return f"""
      <p>Signed in as <strong>{escape(signed_in.name)}</strong> ({escape(signed_in.email)}).
         Your orders: {escape(orders)}. Ask the assistant about them without giving your email.</p>
      <form method="post" action="/demo/sign-out" id="sign-out-form">
        <button type="submit">Sign out</button>
      </form>"""
    if not sign_in_available:
        return """
      <p>The demo sign-in is off: set SHOP_CUSTOMER_TOKEN_SECRET for the storefront and the
         action server (<code>make run</code> does this for you).</p>"""
    options = "".join(
        f'<option value="{escape(c.email)}">{escape(c.name)} ({escape(c.email)})</option>'
        for c in customers)
    return f"""
      <p>You are browsing as a guest: the assistant asks for your order's email or ZIP code.</p>
      <form method="post" action="/demo/sign-in" id="sign-in-form">
        <label for="demo-customer">Sign in as a demo customer</label>
        <select id="demo-customer" name="email">{options}</select>
        <button type="submit">Sign in</button>
      </form>"""


def render_page(*, shop_name: str, customers: List[DemoCustomer],
                signed_in: Optional[DemoCustomer], sign_in_available: bool,
                widget_config: Dict[str, Any]) -> str:
    products = "".join(f"""
        <li class="product">
          <div class="product-picture" aria-hidden="true"></div>
          <h3>{escape(name)}</h3><p class="price">{escape(price)}</p><p>{escape(blurb)}</p>
        </li>""" for name, price, blurb in PRODUCTS)
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(shop_name)} (demo storefront)</title>
  <link rel="stylesheet" href="/static/storefront.css">
</head>
<body>
  <header class="shop-header">
    <h1>{escape(shop_name)}</h1>
    <p>Demo storefront: the chat button at the bottom right is the shop's support assistant.</p>
  </header>
  <main>
    <section aria-labelledby="account-title" class="account">
      <h2 id="account-title">Your account</h2>{_account(customers, signed_in, sign_in_available)}
    </section>
    <section aria-labelledby="products-title">
      <h2 id="products-title">New this season</h2>
      <ul class="products">{products}
      </ul>
    </section>
  </main>
  <div id="shop-chat"></div>
  <script type="application/json" id="shop-chat-config">{_json_for_script(widget_config)}</script>
  <script src="/widget/webchat.js"></script>
  <script src="/static/storefront.js"></script>
</body>
</html>
"""
