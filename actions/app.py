"""The action server as a Sanic app: `create_app(settings)` loads the model, builds a Runtime (clients, pool,
stores) when the server starts and closes it when it stops, and serves /webhook (Rasa's action calls), /actions
and /health."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionMissingDomainException, ActionNotFoundException
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from actions.classify_image import ActionClassifyImage
from actions.describe_fruit import ActionDescribeFruit
from actions.list_fruits import ActionListFruits
from actions.runtime import Runtime
from actions.settings import Settings
from actions.store_feedback import ActionStoreFeedback
from classifier.predict import Predictor
from common.log_context import message_id

log = logging.getLogger(__name__)


def actions_of(runtime: Runtime) -> list[Action]:
    """Every action this server runs, bound to its runtime."""
    return [
        ActionClassifyImage(runtime),
        ActionDescribeFruit(runtime),
        ActionListFruits(runtime),
        ActionStoreFeedback(runtime),
    ]


def create_app(
    settings: Settings, predictor: Predictor | None = None, name: str = "fruitbot_actions"
) -> Sanic[Any, Any]:
    """The app. The model (`predictor`, default: `settings.classifier_model`) is loaded now, before the port opens;
    each server start builds a Runtime around it (HTTP clients, worker pool, stores) and each stop closes it."""
    app = Sanic(name, configure_logging=False)
    app.ctx.predictor = predictor if predictor is not None else load_predictor(settings)

    @app.before_server_start
    async def start_runtime(app: Sanic[Any, Any]) -> None:
        app.ctx.runtime = Runtime.create(settings, app.ctx.predictor)
        app.ctx.executor = ActionExecutor()
        for action in actions_of(app.ctx.runtime):
            app.ctx.executor.register_action(action)

    @app.after_server_stop
    async def close_runtime(app: Sanic[Any, Any]) -> None:
        await app.ctx.runtime.aclose()

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        """Readiness and the model version (rasa-sdk's own only says "ok")."""
        return response.json({"status": "ok", "model_version": request.app.ctx.predictor.version})

    @app.get("/actions")
    async def actions(request: Request) -> HTTPResponse:
        return response.json([item.model_dump() for item in request.app.ctx.executor.list_actions()])

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        """One action call from Rasa, with the message's id in every log line written while it runs."""
        if settings.actions_token and not same_token(settings.actions_token, request.args.get("token")):
            log.warning("action call refused: missing or wrong token")
            return response.json({"error": "unauthorized"}, status=401)
        call = request.json
        if not isinstance(call, dict):
            return response.json({"error": "the body must be a JSON object"}, status=400)
        with message_id(message_id_of(call)):
            try:
                result = await request.app.ctx.executor.run(call)
            except ActionExecutionRejection as error:
                return response.json({"error": error.message, "action_name": error.action_name}, status=400)
            except ActionNotFoundException as error:
                log.error("%s", error)
                return response.json({"error": error.message, "action_name": error.action_name}, status=404)
            except ActionMissingDomainException as error:  # Rasa sends the domain again on 449
                return response.json({"error": error.message, "action_name": error.action_name}, status=449)
        return response.json(result.model_dump() if result else None)

    return app


def load_predictor(settings: Settings) -> Predictor:
    """The model the settings name, loaded and warmed up."""
    predictor = Predictor(settings.classifier_model)
    predictor.warm_up()
    return predictor


def message_id_of(call: dict[str, Any]) -> str | None:
    """The id of the user message an action call is about (channels put it there), if any."""
    tracker = call.get("tracker")
    latest = tracker.get("latest_message") if isinstance(tracker, dict) else None
    found = latest.get("message_id") if isinstance(latest, dict) else None
    return found if isinstance(found, str) else None


def same_token(expected: str, received: str | None) -> bool:
    """Constant-time comparison of the action endpoint's token."""
    return received is not None and hmac.compare_digest(expected.encode(), received.encode("utf-8", "surrogatepass"))
