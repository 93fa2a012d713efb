"""`python -m bot.storefront` serves the demo storefront with the chat widget."""
from __future__ import annotations

import logging
import sys

from bot.orders.customer_token import SECRET_ENV
from bot.storefront.config import StorefrontConfigError, load_config

log = logging.getLogger("bot.storefront")


def main() -> int:
    from aiohttp import web

    from bot.profile.shop_profile import ProfileError, load_profile
    from bot.storefront.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config()
        shop_name = load_profile().name
    except (StorefrontConfigError, ProfileError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not config.widget_bundle.is_file():
        print(f"error: the chat widget is not installed ({config.widget_bundle} is missing); "
              "run 'make setup', which runs npm ci in web/", file=sys.stderr)
        return 2
    if config.token_secret is None:
        log.warning("%s is not set (or shorter than 16 characters): the demo sign-in is off",
                    SECRET_ENV)
    print(f"Storefront on http://{config.host}:{config.port}/ (chat with {config.rasa_url})", flush=True)
    web.run_app(create_app(config, shop_name), host=config.host, port=config.port, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
