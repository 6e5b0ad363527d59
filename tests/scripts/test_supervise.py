"""scripts/supervise.py (what `make serve` runs): a server that dies is restarted on its own while the other keeps
running, and SIGTERM stops them all."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from testkit.processes import ROOT


def test_a_dead_server_is_restarted_alone_and_sigterm_stops_both(tmp_path: Path) -> None:
    starts = tmp_path / "starts.log"
    steady = f'{sys.executable} -c \'import time; open("{starts}", "a").write("steady\\n"); time.sleep(60)\''
    crashing = f'{sys.executable} -c \'open("{starts}", "a").write("crashing\\n"); raise SystemExit(3)\''
    supervisor = subprocess.Popen(
        [sys.executable, "scripts/supervise.py", "steady", steady, "crashing", crashing],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4.5)  # the crashing one: started, then again after 1 s and after 2 s more
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(30) == 0
    lines = starts.read_text().split()
    assert lines.count("steady") == 1 and lines.count("crashing") >= 3
    log = supervisor.stderr.read()
    assert "crashing exited with status 3" in log and "restarting it in 2 s" in log and "stopping steady" in log
