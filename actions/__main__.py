"""`python -m actions`: the action server, with the model loaded and warmed up before the port opens."""

from __future__ import annotations

import logging

from actions.app import create_app
from actions.settings import Settings
from common import log_context


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines show URLs, and Telegram's hold the token
    log_context.install()
    settings = Settings.from_env()
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
