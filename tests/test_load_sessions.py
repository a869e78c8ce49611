"""Load and isolation (`make test-load`): 20 browser sessions (Playwright contexts in one headless
Chromium) ask questions against one `streamlit run app.py` on loopback for 60 s while a staff
ingest publishes a new version midway. Every reply must come whole from one published version,
no session may see another's messages, and there must be no errors. The p95 is printed.
"""
from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import time

import pytest

from assistant.config import Settings
from tests.helpers import (
    CHROMIUM_ARGS,
    ROOT,
    cli_env,
    free_port,
    make_knowledge,
    stop,
    wait_healthy,
)

SESSIONS = 20
SECONDS = 60
ANSWER_TIMEOUT_MS = 90_000
QUESTIONS = ("the outside of my knee hurts on long runs", "how do hill repeats help runners",
             "why does my heel hurt with the first steps in the morning",
             "my shins ache all along the inside edge")
HILL = ("# Hill Running\n\nHill repeats build strength in the calves and hips for runners.\n"
        "Running uphill shortens the stride and spares the knees on easy days.\n")


def expected_replies(settings: Settings, embedder) -> dict:
    """question -> what a whole version answers: its status and the sources shown, in order."""
    from assistant.answer.pipeline import Assistant

    assistant = Assistant.from_settings(settings, embedder=embedder)
    out = {}
    for question in QUESTIONS:
        answer = assistant.ask(question)
        out[question] = (answer.status, tuple(f"[{c.n}] {c.title}" for c in answer.citations))
    return out


@pytest.mark.load
def test_twenty_sessions_for_a_minute_while_staff_publish(chromium_path, tmp_path, embedder):  # noqa: F811
    from assistant.ingest.run import run_ingest

    settings = Settings(knowledge_dir=make_knowledge(tmp_path / "knowledge"), store_dir=tmp_path / "store")
    assert run_ingest(settings, lambda: embedder).published
    # What each version answers, computed on copies: before the publish, and after it.
    after = Settings(knowledge_dir=tmp_path / "knowledge-after", store_dir=tmp_path / "store-after")
    shutil.copytree(settings.knowledge_dir, after.knowledge_dir)
    shutil.copytree(settings.store_dir, after.store_dir)
    (after.knowledge_dir / "hill-running.md").write_text(HILL)
    assert run_ingest(after, lambda: embedder).published
    versions = [expected_replies(settings, embedder), expected_replies(after, embedder)]
    assert versions[0] != versions[1]

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=cli_env(settings), stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, server, log)
        result = asyncio.run(drive(url, settings, chromium_path))
    finally:
        stop(server)

    times, replies, errors, transcripts = result
    assert not errors, errors[:5]
    assert len(transcripts) == SESSIONS and all(asked for asked, _ in transcripts.values())
    assert "Traceback" not in log.read_text()
    seen_versions = set()
    for question, text in replies:
        matches = [i for i, version in enumerate(versions) if whole_reply(text, *version[question])]
        assert matches, (question, text[:600])
        seen_versions.update(matches)
    assert seen_versions == {0, 1}, seen_versions  # answers from before and after the publish
    for session, (asked, shown) in transcripts.items():
        assert shown == asked, (session, shown, asked)  # only its own messages, in order
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"\nload: {SESSIONS} sessions x {SECONDS} s, {len(times)} answers, 0 errors; "
          f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms "
          "(Enter to the whole reply, seen by the browser)")


def whole_reply(text: str, status: str, sources: tuple[str, ...]) -> bool:
    shown = [line for line in text.splitlines() if line.startswith("[")]
    if status == "no_match":
        return not shown
    return all(source in text for source in sources) and len(shown) == len(sources)


async def drive(url: str, settings: Settings, chromium: str):
    from playwright.async_api import async_playwright

    times: list[float] = []
    replies: list[tuple[str, str]] = []
    errors: list[str] = []
    transcripts: dict[int, tuple[list[str], list[str]]] = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            await warm_up(browser, url)  # the first page view loads the model: not part of the figures
            ready, go = [asyncio.Event() for _ in range(SESSIONS)], asyncio.Event()
            clock = {}
            sessions = [asyncio.create_task(session(browser, url, n, ready[n], go, clock, times, replies,
                                                    errors, transcripts)) for n in range(SESSIONS)]
            await asyncio.wait_for(asyncio.gather(*(event.wait() for event in ready)), timeout=300)
            clock["deadline"] = time.monotonic() + SECONDS
            go.set()
            publish = asyncio.create_task(staff_publish(settings, SECONDS / 2))
            await asyncio.gather(*sessions)
            code = await publish
            if code != 0:
                errors.append(f"the staff ingest exited {code}")
        finally:
            await browser.close()
    return times, replies, errors, transcripts


async def staff_publish(settings: Settings, delay: float) -> int:
    await asyncio.sleep(delay)
    (settings.knowledge_dir / "hill-running.md").write_text(HILL)
    proc = await asyncio.create_subprocess_exec(sys.executable, "ingest.py", "--json", cwd=ROOT,
                                                env=cli_env(settings), stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.DEVNULL)
    return await asyncio.wait_for(proc.wait(), timeout=300)


async def warm_up(browser, url) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url, timeout=180_000)
    box = page.get_by_test_id("stChatInputTextArea")
    await box.wait_for(timeout=180_000)
    await box.fill(QUESTIONS[0])
    await box.press("Enter")
    await page.get_by_test_id("stFeedback").first.wait_for(state="visible", timeout=180_000)
    await context.close()


async def session(browser, url, n, ready, go, clock, times, replies, errors, transcripts):
    context = await browser.new_context(viewport={"width": 1000, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(ANSWER_TIMEOUT_MS)
    asked: list[str] = []
    try:
        await page.goto(url, timeout=ANSWER_TIMEOUT_MS)
        box = page.get_by_test_id("stChatInputTextArea")
        await box.wait_for(timeout=ANSWER_TIMEOUT_MS)
        ready.set()
        await go.wait()
        await asyncio.sleep(n * 0.1)  # arrivals spread over two seconds
        i = 0
        while time.monotonic() < clock["deadline"]:
            question = QUESTIONS[(n + i) % len(QUESTIONS)]
            await box.fill(question)
            started = time.perf_counter()
            await box.press("Enter")
            reply = page.get_by_test_id("stChatMessage").nth(2 * i + 1)
            await reply.get_by_test_id("stFeedback").wait_for(state="visible", timeout=ANSWER_TIMEOUT_MS)
            times.append((time.perf_counter() - started) * 1000.0)
            asked.append(question)
            replies.append((question, await reply.inner_text()))
            i += 1
            await asyncio.sleep(0.5)  # the runner reads
        messages = page.get_by_test_id("stChatMessage")
        shown = [(await messages.nth(2 * k).inner_text()).strip() for k in range(await messages.count() // 2)]
        transcripts[n] = (asked, [text.splitlines()[-1].strip() if text else text for text in shown])
    except Exception as exc:  # recorded, so one failing session doesn't hide the others' figures
        errors.append(f"session {n}: {type(exc).__name__}: {exc}"[:500])
        ready.set()
    finally:
        await context.close()
