"""The staff page's sections (Streamlit): the articles, adding files, the questions the
assistant couldn't answer, the website snippet and the published versions. Renders only:
decisions are in staff/actions.py, words in clinic.yaml; ui/staff_page.py signs staff in
and picks the section."""
from __future__ import annotations

import streamlit as st

from assistant.answer.blocks import escape_markdown
from assistant.config import Settings
from assistant.errors import AssistantError, ConfigError, IngestLocked, LoadError
from assistant.schema import CONTENT
from assistant.staff import actions as staff
from assistant.staff.question_log import QuestionLog
from assistant.store import Store
from assistant.store.versions import rollback_target
from assistant.ui.resources import (
    embedder_of,
    get_clinic,
    get_token_counter,
)


def run(words: dict, action):
    """Run a publishing action with a progress bar; errors become the staff page's words."""
    bar = st.progress(0.0)

    def progress(stage: str, done: int, total: int) -> None:
        label = words["stages"].get(stage, stage)
        bar.progress(min(1.0, done / max(total, 1)), text=words["publishing"].format(stage=label))

    try:
        return action(progress)
    except IngestLocked:
        st.warning(words["locked"])
    except LoadError as exc:
        st.error(words["failed_file"].format(file=exc.path, reason=staff.reason_words(words, exc)))
    except AssistantError:
        st.error(words["error"])
    finally:
        bar.empty()
    return None


def report(words: dict, outcome) -> None:
    """What a publishing action did: each failed file, then the counts."""
    if outcome is None:
        return
    for (path, reason), (_, kind, details) in zip(outcome.failed, outcome.failure_kinds):
        st.warning(words["failed_file"].format(
            file=path, reason=staff.reason_words(words, LoadError(path, reason, kind, **details))))
    if outcome.published:
        st.success(words["published"].format(added=len(outcome.added), updated=len(outcome.updated),
                                             removed=len(outcome.removed)))


def factory(settings: Settings):
    return lambda: embedder_of(settings)


def inventory(settings: Settings, words: dict) -> None:
    rows = staff.inventory(settings)
    if not rows:
        st.info(words["nothing_published"])
        return
    columns = words["columns"]
    head = st.columns([4, 3, 1, 2, 1])
    for column, key in zip(head, ("title", "file", "chunks", "ingested")):
        column.markdown(f"**{columns[key]}**")
    confirming = st.session_state.get("staff-confirm-remove")
    for row in rows:
        cells = st.columns([4, 3, 1, 2, 1])
        cells[0].write(row.title)
        cells[1].text(row.source)
        cells[2].write(row.chunks)
        cells[3].write(row.ingested_at[:10])
        if cells[4].button(words["remove"], key=f"remove-{row.source}"):
            st.session_state["staff-confirm-remove"] = confirming = row.source
        if confirming == row.source:
            st.warning(words["remove_confirm"].format(title=row.title, file=row.source))
            yes, no = st.columns(2)
            if yes.button(words["remove_yes"], key=f"remove-yes-{row.source}"):
                st.session_state.pop("staff-confirm-remove", None)
                removed = run(words, lambda p: staff.remove_article(row.source, settings, factory(settings), p))
                if removed is not None:
                    st.success(words["removed"].format(title=row.title))
            if no.button(words["cancel"], key=f"remove-no-{row.source}"):
                st.session_state.pop("staff-confirm-remove", None)
                st.rerun()


def upload(settings: Settings, words: dict) -> None:
    from assistant.ingest.guard import GuardedParser, Limits

    limits = Limits()
    upload = st.file_uploader(words["upload_label"].format(limit_kb=limits.max_bytes // 1024),
                              type=[s[1:] for s in staff.UPLOAD_SUFFIXES], help=words["upload_help"],
                              key="staff-upload")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with GuardedParser(limits) as parser:
            preview = staff.preview_upload(upload.name, data, settings, parser, get_token_counter(settings), limits,
                                           embed=embedder_of(settings).embed)
    except LoadError as exc:
        st.error(words["failed_file"].format(file=upload.name, reason=staff.reason_words(words, exc)))
        return
    st.subheader(words["preview_heading"])
    st.markdown(words["preview_title"].format(title=preview.title))
    st.text(words["preview_file"].format(file=preview.source))
    if preview.url:
        st.text(words["preview_link"].format(url=preview.url))
    st.text(words["preview_sections"].format(headings=" · ".join(preview.headings) or "—"))
    st.text(words["preview_counts"].format(chunks=preview.chunks, words=preview.words))
    blocks(words, preview.blocks)
    for kind, details in preview.warnings:
        st.warning(words["warnings"][kind].format(**details))
    if preview.blocked:
        kind, details = preview.blocked
        st.error(words["reasons"][kind].format(**details))
        return
    if st.button(words["publish"], key="staff-publish", type="primary"):
        report(words, run(words, lambda p: staff.publish_upload(preview, data, settings, factory(settings), p)))


def blocks(words: dict, blocks) -> None:
    """The article as the assistant will read it: what it ignores is struck through and named."""
    with st.expander(words["preview_blocks"]):
        heading = object()
        for block_heading, tag, text in blocks:
            if block_heading != heading and block_heading:
                st.markdown(f"**{escape_markdown(block_heading)}**")
            heading = block_heading
            lines = [escape_markdown(line) for line in text.splitlines() if line.strip()]
            if tag == CONTENT:
                st.markdown("  \n".join(lines))
            else:
                struck = "  \n".join(f"~~{line}~~" for line in lines)
                st.markdown(f"{struck} *({escape_markdown(words['filler_kinds'].get(tag, tag))})*")


def gaps(settings: Settings, words: dict) -> None:

    st.caption(words["gaps_intro"])
    log = QuestionLog(settings.store_dir, get_clinic(settings).question_logging)
    if log.mode == "off":
        st.info(words["gaps_off"])
    with st.spinner(words["gaps_loading"]):
        gaps = staff.logged_gaps(log, embedder_of(settings).embed)
    if not gaps:
        st.info(words["gaps_empty"])
        return
    store = Store.from_settings(settings)
    version = store.catalog.active_version()
    chunks = {c.id: c for c in store.vectors.all_chunks(version)} if version is not None else {}
    for gap in gaps[:50]:
        label = f"{gap.questions[0]} — " + words["gaps_asked"].format(count=gap.count, day=gap.last_day)
        with st.expander(label):
            if gap.thumbs_down:
                st.caption(words["gaps_thumbs_down"].format(count=gap.thumbs_down))
            if len(gap.questions) > 1:
                st.markdown(f"**{words['gaps_wordings']}**")
                for question in gap.questions[1:]:
                    st.text(question)
            st.markdown(f"**{words['gaps_shown']}**")
            shown = [chunks[cid] for cid in gap.chunk_ids if cid in chunks][:5]
            if not shown:
                st.caption(words["gaps_none_shown"])
            for chunk in shown:
                st.caption(f"{chunk.title}" + (f" — {chunk.heading}" if chunk.heading else ""))
                st.text(chunk.text[:400])


def website(settings: Settings, words: dict) -> None:
    """The block to paste into the clinic's website, with this app's address and today's words."""
    from assistant.ui.embed import snippet

    address = (st.context.url or "").split("?")[0].removesuffix("/staff")  # the address staff use
    try:
        block = snippet(address, get_clinic(settings))
    except ConfigError as exc:  # the button's words are missing: the message names file and key
        st.error(str(exc))
        return
    st.caption(words.get("website_intro", ""))
    # Plain and wrapped: the highlighted version's colours fail contrast, and a block that
    # scrolls sideways can't be scrolled with the keyboard (axe-core).
    st.code(block, language=None, wrap_lines=True)


def versions(settings: Settings, words: dict) -> None:

    store = Store.from_settings(settings)
    manifest = store.catalog.active_manifest()
    if manifest is None:
        st.info(words["nothing_published"])
        return
    st.write(words["current_version"].format(version=manifest.version, published_at=manifest.published_at,
                                             articles=len(manifest.articles), chunks=len(manifest.chunk_ids)))
    st.caption(words["rollback_intro"])
    if rollback_target(store, manifest.version) is None:
        st.info(words["rollback_none"])
        return
    confirm = st.checkbox(words["rollback_confirm"], key="staff-rollback-confirm")
    if st.button(words["rollback_button"], key="staff-rollback", disabled=not confirm):
        done = run(words, lambda _: staff.roll_back(settings))
        if done is not None:
            st.success(words["rolled_back"].format(version=done.version, published_at=done.published_at))
