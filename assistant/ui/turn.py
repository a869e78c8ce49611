"""One turn of the runner's chat on screen: the question, the reply, sources, booking, thumbs.

Nothing is rendered with unsafe_allow_html: the runner's text and article text are
markdown-escaped, links are http(s) only, and there are no images.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import streamlit as st

from assistant.answer.blocks import escape_markdown
from assistant.clinic import Clinic
from assistant.schema import Answer, Citation

STREAM_WORDS = 3  # words per streamed piece
STREAM_PAUSE_S = 0.005  # lets the browser paint pieces; a 100-word answer streams in ~0.2 s
# Icons from the font Streamlit bundles: nothing is fetched from elsewhere.
RUNNER_AVATAR = ":material/directions_run:"
CLINIC_AVATAR = ":material/physical_therapy:"


@dataclass(frozen=True)
class Turn:
    id: int
    question: str  # as shown back to the runner
    answer: Answer | None = None
    notice: str | None = None  # a short message instead of an answer (too long, failure)


def show_turn(turn: Turn, clinic: Clinic, on_rating: Callable[[str, Answer], None],
              fresh: bool = False) -> None:
    """`on_rating(widget key, answer)` is called when the runner taps a thumb; `fresh` streams
    the reply (a new answer) instead of drawing it at once (a rerun)."""
    with st.chat_message("user", avatar=RUNNER_AVATAR):
        st.markdown(escape_markdown(turn.question))
    with st.chat_message("assistant", avatar=CLINIC_AVATAR):
        if turn.answer is None:
            st.info(turn.notice)
            return
        answer = turn.answer
        if answer.status == "red_flag":  # the instruction first, in a box that stands out
            box = st.error if answer.triage == "emergency" else st.warning
            box(answer.answer, icon=":material/emergency:" if answer.triage == "emergency"
                else ":material/warning:")
        elif answer.triage == "caution":
            # A possible warning sign: the check line (the first paragraph) in a calm note, not
            # the red-flag colours, then the answer as usual.
            check, _, rest = answer.answer.partition("\n\n")
            st.info(check, icon=":material/info:")
            if rest:
                body(rest, fresh)
        else:
            body(answer.answer, fresh)
        if answer.citations:
            sources(answer.citations, clinic)
        if answer.booking is not None and answer.triage != "emergency":
            booking_card(answer, clinic)
        key = f"feedback-{turn.id}"
        st.feedback("thumbs", key=key, on_change=on_rating, args=(key, answer))
        if st.session_state.get(key) is not None:
            st.caption(clinic.chat["feedback_thanks"])


def body(markdown: str, fresh: bool) -> None:
    """The answer's text: streamed when it is new, drawn at once on a rerun. Streamed into one
    placeholder rather than with st.write_stream: that checks whether its argument is a
    dataframe, which imports pandas and pyarrow into the chat server (~85 MB) for nothing."""
    if not fresh:
        st.markdown(markdown)
        return
    slot, shown = st.empty(), ""
    for piece in pieces(markdown):
        shown += piece
        slot.markdown(shown)


def pieces(markdown: str) -> Iterator[str]:
    """The composed answer in small pieces (cut at spaces, so an escape like `\\[` is never
    split)."""
    words = re.findall(r"\S+\s*|\s+", markdown)
    for i in range(0, len(words), STREAM_WORDS):
        yield "".join(words[i:i + STREAM_WORDS])
        time.sleep(STREAM_PAUSE_S)


def sources(citations: tuple[Citation, ...], clinic: Clinic) -> None:
    """One row per source: its number, title (linked), section; below it, tap for the passage."""
    st.markdown(f"**{escape_markdown(clinic.messages['sources_heading'])}**")
    for citation in citations:
        title = escape_markdown(citation.title)
        if is_web_link(citation.url):
            title = f"[{title}]({link_target(citation.url)})"
        section = f" · {escape_markdown(citation.heading)}" if citation.heading else ""
        # The link sits outside the expander: a link inside its header only toggles it.
        st.markdown(f"\\[{citation.n}\\] {title}{section}")
        # Numbered like its source row: a screen reader hears which passage each one opens.
        with st.expander(f"{clinic.chat['quoted_passage']} \\[{citation.n}\\]"):
            st.markdown(escape_markdown(citation.quote))


def booking_card(answer: Answer, clinic: Clinic) -> None:
    booking = answer.booking
    with st.container(border=True):
        st.markdown(escape_markdown(booking.text))
        links = [link for link in booking.links if is_web_link(link.url)]
        for i, (column, link) in enumerate(zip(st.columns(len(links)) if links else [], links)):
            column.link_button(link.label, link.url, type="primary" if i == 0 else "secondary",
                               width="stretch")
        if booking.phone:
            st.caption(escape_markdown(clinic.chat["call"].format(phone=booking.phone)))


def is_web_link(url: str | None) -> bool:
    return bool(url) and re.match(r"https?://[^\s]+$", url, re.I) is not None


def link_target(url: str) -> str:
    """A URL that cannot close the Markdown link early."""
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
