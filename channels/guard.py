"""The safety net around one message's work: whatever fails is logged and apologised for, never raised.

Rasa's SQL tracker store turns any ValueError inside a session (a text it cannot encode, say) into
`sys.exit`; a SystemExit that rose out of a background task would stop the whole server for every user.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
Job = Callable[[], Awaitable[None]]


async def guarded(what: str, run: Job, apologise: Job | None = None) -> bool:
    """Run `run`; True when it finished. On any failure, SystemExit included, log `what` (a message id)
    with the traceback, then `apologise` (its own failure is logged too) and return False.
    Cancellation (server shutdown) still propagates."""
    try:
        await run()
        return True
    except asyncio.CancelledError:
        raise
    except (Exception, SystemExit):
        log.exception("%s failed", what)
    if apologise is not None:
        try:
            await apologise()
        except asyncio.CancelledError:
            raise
        except (Exception, SystemExit):
            log.exception("the apology for %s failed too", what)
    return False
