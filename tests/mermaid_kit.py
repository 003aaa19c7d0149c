"""The real Mermaid: `mmdc` of @mermaid-js/mermaid-cli (installed into node_modules/ by
scripts/setup.sh) driving Debian's chromium. One renderer per test session; each call
draws every ```mermaid block of one Markdown text (the browser starts once per call)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MMDC = ROOT / "node_modules" / ".bin" / "mmdc"
BROWSER = "/usr/bin/chromium"
BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def mermaid_blocks(markdown: str) -> list[str]:
    return BLOCK.findall(markdown)


@dataclass(frozen=True)
class Rendered:
    returncode: int
    stderr: str
    files: list[Path]  # one picture per block, in order


class Mermaid:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.config = folder / "puppeteer.json"
        # --no-sandbox: the tests run as root, which chromium's sandbox refuses.
        self.config.write_text(
            json.dumps({"executablePath": BROWSER, "args": ["--no-sandbox", "--disable-gpu"]})
        )
        self.calls = 0

    def render(self, blocks: list[str], extension: str = "svg") -> Rendered:
        """All `blocks` in one mmdc run: Markdown in, one picture per block out."""
        self.calls += 1
        work = self.folder / f"run{self.calls}"
        work.mkdir()
        source = "\n".join(f"```mermaid\n{b}```\n" for b in blocks)
        (work / "in.md").write_text(source)
        done = subprocess.run(
            [str(MMDC), "-p", str(self.config), "-i", "in.md", "-o", "out.md", "-e", extension],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        pictures = [work / f"out-{i}.{extension}" for i in range(1, len(blocks) + 1)]
        return Rendered(done.returncode, done.stderr, pictures)


def find_mermaid(folder: Path) -> Mermaid:
    """The renderer; missing, the test is skipped on a developer's machine and fails in
    CI (CI=true), which must prove the pictures render."""
    missing = [str(p) for p in (MMDC, Path(BROWSER)) if not p.exists()]
    if shutil.which("node") is None:
        missing.append("node")
    if missing:
        absent = ", ".join(missing)
        message = f"the Mermaid renderer is not installed ({absent}): run scripts/setup.sh"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message)
        pytest.skip(message)
    return Mermaid(folder)
