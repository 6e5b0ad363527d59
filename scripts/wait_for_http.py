"""wait_for_http.py URL TIMEOUT_S [PID]: wait until URL answers 200; fail early if process PID has exited."""

import os
import sys
import time
import urllib.request

url, timeout_s = sys.argv[1], float(sys.argv[2])
pid = int(sys.argv[3]) if len(sys.argv) > 3 else None
deadline = time.monotonic() + timeout_s
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback URL
            if response.status == 200:
                sys.exit(0)
    except OSError:
        pass
    if pid is not None:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            sys.exit(f"the process behind {url} exited; see its log")
    time.sleep(0.5)
sys.exit(f"{url} did not answer within {timeout_s:.0f} s")
