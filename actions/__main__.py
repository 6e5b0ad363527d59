"""`python -m actions`: the action server, with the model loaded and warmed up before the port opens."""

from __future__ import annotations

import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Request, response

from actions import runtime
from actions.settings import Settings

log = logging.getLogger("actions")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines show URLs, and Telegram's hold the token
    settings = Settings.from_env()
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor)

    @app.before_server_start
    async def load_model(_app, _loop) -> None:
        runtime.start(settings)

    @app.on_request
    async def health(request: Request):
        """/health with readiness and the model version (rasa-sdk's own only says "ok")."""
        if request.path == "/health":
            return response.json({"status": "ok", "model_version": runtime.current().predictor.version})
        return None

    app.run(host=settings.host, port=settings.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
