"""No network at all: both CLIs and the app do real work inside a network namespace with only
loopback (`unshare -n`), and nothing tries to connect anywhere but loopback.

Every Python socket connect and name lookup is recorded by an audit hook (a sitecustomize put
first on PYTHONPATH), so an attempt is caught even when the namespace would make it fail.
Without permission for `unshare -n` the test is skipped, except in CI (CI=true), where it fails.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from assistant.config import OFFLINE_ENV
from tests.helpers import ROOT, cli_env, make_knowledge, unavailable

AUDIT = textwrap.dedent("""
    import os, sys
    _log = os.environ.get("NET_AUDIT_LOG")
    def _hook(event, args):
        if _log and event in ("socket.connect", "socket.getaddrinfo", "socket.sendto"):
            with open(_log, "a") as out:
                out.write(f"{event} {args[1:]!r}\\n" if event != "socket.getaddrinfo" else f"{event} {args[0]!r}\\n")
    sys.addaudithook(_hook)
""")

APP_SCRIPT = textwrap.dedent("""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("app.py", default_timeout=240).run()
    assert not at.exception, at.exception
    at.chat_input[0].set_value("the outside of my knee hurts on long runs").run()
    assert not at.exception, at.exception
    print("APP-OK", "IT Band Syndrome in Runners" in "\\n".join(str(m.value) for m in at.chat_message[-1].markdown))
""")


def _loopback_only(address) -> bool:
    text = repr(address)
    return any(host in text for host in ("127.0.0.1", "'localhost'", "::1", "AF_UNIX")) or text.startswith("('/")


@pytest.fixture(scope="module")
def netns():
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        reason = f"unshare -n is not permitted here: {probe.stderr.strip()}"
        unavailable(reason)
    return ["unshare", "-n", "sh", "-c"]


def run_offline(tmp_path, commands: str, timeout: int) -> subprocess.CompletedProcess:
    """`commands` (shell) in a fresh network namespace with only loopback up, every Python
    process audited; fails on any connection or lookup that is not loopback."""
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir(exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(AUDIT)
    audit = tmp_path / "net.log"
    knowledge = make_knowledge(tmp_path / "knowledge", "it-band.md", "heel-pain.html")
    env = cli_env() | {"ASSISTANT_STORE": str(tmp_path / "store"), "ASSISTANT_KNOWLEDGE": str(knowledge),
                       "PYTHONPATH": f"{hook_dir}{os.pathsep}{ROOT}", "NET_AUDIT_LOG": str(audit)}
    for key in OFFLINE_ENV:  # prove the code turns them off itself, not the test's environment
        env.pop(key, None)
    script = f"ip link set lo up 2>/dev/null; ip -o addr | grep -v ' lo ' && echo HAS-NET; {commands}"
    done = subprocess.run(["unshare", "-n", "sh", "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "HAS-NET" not in done.stdout
    attempts = audit.read_text().splitlines() if audit.exists() else []
    outbound = [line for line in attempts if not _loopback_only(line.split(" ", 1)[1])]
    assert not outbound, outbound
    return done


def test_both_clis_work_with_no_network_and_try_no_connection(netns, tmp_path):
    py = sys.executable
    done = run_offline(tmp_path, f"{py} ingest.py --json && {py} -m assistant ask --json "
                                 "'the outside of my knee hurts on long runs'", timeout=300)
    lines = done.stdout.splitlines()
    assert json.loads(lines[0])["published"] is True
    assert json.loads(lines[1])["citations"][0]["source"] == "it-band.md"


@pytest.mark.slow
def test_the_app_works_with_no_network_and_tries_no_connection(netns, tmp_path):
    """The app's first start (it ingests) and a question, through Streamlit's AppTest."""
    done = run_offline(tmp_path, f"{sys.executable} -c '{APP_SCRIPT}'", timeout=420)
    assert "APP-OK True" in done.stdout.splitlines()[-1]


PROBE = textwrap.dedent("""
    import json, os
    from assistant.config import go_offline
    go_offline()
    import chromadb.config, huggingface_hub.constants as hf, streamlit.config as stc
    from streamlit import config
    print(json.dumps({
        "chroma_telemetry": chromadb.config.Settings().anonymized_telemetry,
        "hf_offline": hf.HF_HUB_OFFLINE, "hf_telemetry_off": hf.HF_HUB_DISABLE_TELEMETRY,
        "streamlit_stats": config.get_option("browser.gatherUsageStats"),
        "langsmith": os.environ.get("LANGSMITH_TRACING"), "langchain": os.environ.get("LANGCHAIN_TRACING_V2"),
    }))
""")


def test_telemetry_and_hub_access_are_off_even_if_the_shell_turns_them_on():
    env = cli_env() | {"LANGSMITH_TRACING": "true",
                       "LANGCHAIN_TRACING_V2": "true"}
    for key in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY", "STREAMLIT_BROWSER_GATHER_USAGE_STATS",
                "ANONYMIZED_TELEMETRY"):
        env.pop(key, None)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen == {"chroma_telemetry": False, "hf_offline": True, "hf_telemetry_off": True,
                    "streamlit_stats": False, "langsmith": "false", "langchain": "false"}, seen
    # The app's own config says so too, whatever the environment.
    assert "gatherUsageStats = false" in (ROOT / ".streamlit" / "config.toml").read_text()
