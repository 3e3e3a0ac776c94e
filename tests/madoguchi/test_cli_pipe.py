"""A reader that closes the pipe early (`madoguchi forms show idou --json | head -1`) ends the
command quietly: nothing on stderr, no traceback, exit status 141 (128 + SIGPIPE, what a shell
reports for a command killed by SIGPIPE; the dispatcher returns it, `madoguchi/cli.py`)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARGS = ("forms", "show", "idou", "--json")  # about 85 KB of JSON


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    read_end, write_end = os.pipe()
    # The smallest pipe (one page): the command cannot finish its output before the reader
    # closes, whatever the machine's default pipe size, so the write really meets EPIPE.
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    with subprocess.Popen(
        [sys.executable, "-m", "madoguchi.cli", *ARGS],
        stdout=write_end,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    ) as child:
        os.close(write_end)
        first = b""
        while b"\n" not in first:  # `head -1`: read the first line, then close
            chunk = os.read(read_end, 1)
            assert chunk, "the command wrote no line"
            first += chunk
        os.close(read_end)
        assert child.stderr is not None
        stderr = child.stderr.read()
        code = child.wait(timeout=60)
    assert first == b"{\n"
    assert stderr == b"", stderr.decode(errors="replace")[-2000:]
    assert code == 141


def test_a_shell_pipe_into_head_is_quiet() -> None:
    """The same through a shell, as a person types it."""
    command = " ".join([sys.executable, "-m", "madoguchi.cli", *ARGS])
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} | head -1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.stdout == "{\n"
    assert done.stderr == ""
    assert done.returncode in (0, 141)  # 0 only if the pipe took all 85 KB before head closed
