"""A terminal that goes away mid-apply (an SSH session dropped): the progress line's next
write fails (EIO), and that ended the run with no report, no undo, and the writes sent so
far on the server. The writes and the report go on without the terminal."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from live_kit import PEOPLE_DN, dedicated_slapd, in_sync, live_repo, mailbox
from repo_kit import PEOPLE

COUNT = 1500


def test_a_terminal_gone_mid_apply_costs_only_the_progress_line(tmp_path: Path) -> None:
    with dedicated_slapd(tmp_path / "server") as box:
        os.environ["LDIFCTL_BIND_PASSWORD"] = box.server.root_pw
        try:
            box.server.ldapadd(PEOPLE)
            repo = live_repo(tmp_path / "repo", box.server)
            repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(COUNT)})
            repo.commit("people")
            master, terminal = os.openpty()
            proc = subprocess.Popen(
                [sys.executable, "-m", "ldifctl", "apply", "--yes"], cwd=repo.root,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal,
            )
            os.close(terminal)
            shown = b""
            while b"applying:" not in shown:  # the progress line is on the terminal
                ready, _, _ = select.select([master], [], [], 60)
                assert ready, "no progress line within 60 s"
                shown += os.read(master, 1000)
            os.kill(box.pid(), signal.SIGSTOP)  # answers held, so the run is mid-way
            os.close(master)  # the terminal goes: writes to it now fail
            time.sleep(0.5)
            os.kill(box.pid(), signal.SIGCONT)
            assert proc.wait(120) == 0
            [report] = list((repo.root / ".ldifctl").glob("apply-*/report.json"))
            summary = json.loads(report.read_text())["summary"]
            assert summary["applied"] == COUNT and summary["failed"] == 0, summary
            assert (report.parent / "undo.ldif").read_text().count("changetype: delete") == COUNT
            assert in_sync(repo, box.server)
        finally:
            os.environ.pop("LDIFCTL_BIND_PASSWORD", None)
