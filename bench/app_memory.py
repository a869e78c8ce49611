"""The chat server's memory: `streamlit run app.py` answers N questions from a headless browser,
then its resident memory is read from /proc/<pid>/status (VmRSS now, VmHWM peak).

    .venv/bin/python bench/app_memory.py [--store DIR] [--questions 20] [--sessions 2]

The questions are the first N of tests/eval/questions.yaml, spread over --sessions browser
sessions (each runner's conversation is kept in the server's memory). Also says whether the
server mapped torch's library (it must not: the chat embeds questions on ONNX Runtime), and
pandas' and pyarrow's (Streamlit's; they are a good part of the difference from `ask`).
Target (issue 15): peak <= 450 MB after 20 questions at 20 articles. Needs /usr/bin/chromium
(tests/install_browser.sh).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# Shared libraries that show a package was imported (read from /proc/<pid>/maps).
LIBRARIES = {"torch": "libtorch", "onnxruntime": "onnxruntime_pybind11", "pyarrow": "libarrow",
             "pandas": "pandas/_libs", "chromadb": "chromadb_rust_bindings"}


def status_mb(pid: int) -> dict:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=2)
    args = parser.parse_args()

    import yaml
    from playwright.sync_api import sync_playwright

    from tests.helpers import CHROMIUM, CHROMIUM_ARGS, free_port, stop, wait_healthy

    questions = [q["q"] for q in yaml.safe_load((ROOT / "tests/eval/questions.yaml").read_text())["questions"]]
    questions = questions[:args.questions]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if args.store:
        env["ASSISTANT_STORE"] = args.store
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = Path("/tmp") / f"app_memory-{port}.log"
    load_before = os.getloadavg()[0]
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                   "--server.address", "127.0.0.1", "--server.headless", "true"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, server, log)
        started = status_mb(server.pid)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            per_session = -(-len(questions) // args.sessions)
            for first in range(0, len(questions), per_session):
                page = browser.new_context().new_page()
                page.goto(url, timeout=180_000)
                box = page.get_by_test_id("stChatInputTextArea")
                box.wait_for(timeout=180_000)
                for i, question in enumerate(questions[first:first + per_session]):
                    box.fill(question)
                    box.press("Enter")
                    reply = page.get_by_test_id("stChatMessage").nth(2 * i + 1)
                    reply.get_by_test_id("stFeedback").wait_for(state="visible", timeout=180_000)
            time.sleep(1)
            after = status_mb(server.pid)
            browser.close()
        maps = Path(f"/proc/{server.pid}/maps").read_text()
        mapped = {name: marker in maps for name, marker in LIBRARIES.items()}
    finally:
        stop(server)
    print(f"load average before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f}")
    print(f"server idle (healthy, no page yet): RSS {started['VmRSS']:.0f} MB")
    print(f"after {len(questions)} questions in {args.sessions} sessions: RSS {after['VmRSS']:.0f} MB, "
          f"peak {after['VmHWM']:.0f} MB (target <= 450)")
    print("libraries mapped by the server: " + ", ".join(f"{name} {'yes' if on else 'no'}" for name, on in mapped.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
