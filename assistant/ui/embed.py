"""The chat on the clinic's website: the snippet a PT pastes, the blog post it was opened on, and
the two small scripts the chat page needs when it lives in that iframe.

The snippet is one <script> tag. Its JS and CSS are served by the app itself (Streamlit static
file serving: ./static/ at /app/static/), so the clinic's site loads nothing from anyone else;
the words and colours ride on data- attributes, written here from clinic.yaml and the app's theme.
"""
from __future__ import annotations

import html
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from assistant.clinic import Clinic
from assistant.config import ROOT
from assistant.errors import ConfigError

WIDGET_PATH = "app/static/chat-widget.js"  # the CSS sits beside it (the script adds it)
APP_ADDRESS_PLACEHOLDER = "https://chat.example.com"  # what a PT replaces in the README's snippet
WEBSITE_WORDS = ("button", "title", "close")
THEME_FILE = ROOT / ".streamlit" / "config.toml"
DEFAULT_COLOUR = "#1d6a8a"  # Streamlit's theme colour is the one to set; this only fills a gap
CLOSE_MESSAGE = "clinic-chat:close"  # the chat page asks the snippet to close the panel (Escape)
ANNOUNCER_ID = "clinic-reply-announcer"


@dataclass(frozen=True)
class Article:
    source: str  # the file in the store, as the retriever knows it
    title: str


# ------------------------------------------------------------------ the snippet

def website_words(clinic: Clinic) -> dict:
    """The button's words (`chat.website` in clinic.yaml); a missing key names file and key."""
    words = clinic.chat.get("website")
    if not isinstance(words, dict):
        raise ConfigError(f"{clinic.source}: the key `chat.website` is missing")
    for key in WEBSITE_WORDS:
        if not str(words.get(key) or "").strip():
            raise ConfigError(f"{clinic.source}: the key `chat.website.{key}` is missing")
    return words


def theme_colour(theme_file: Path = THEME_FILE) -> str:
    """The chat's own colour (theme.primaryColor), so the button matches the chat it opens."""
    try:
        theme = tomllib.loads(theme_file.read_text(encoding="utf-8")).get("theme", {})
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT_COLOUR
    colour = str(theme.get("primaryColor") or "")
    return colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else DEFAULT_COLOUR


def text_colour(background: str) -> str:
    """White or near-black, whichever reads better on the button (WCAG contrast)."""
    dark = "#111111"
    return "#ffffff" if contrast(background, "#ffffff") >= contrast(background, dark) else dark


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def snippet(app_address: str, clinic: Clinic, colour: str | None = None) -> str:
    """The HTML block for the clinic's website. `app_address`: where runners reach the app
    (https://chat.example.com, or with a path when the proxy serves it under one)."""
    words = website_words(clinic)
    colour = colour or theme_colour()
    address = app_address.rstrip("/") + "/"
    attributes = {"data-label": words["button"], "data-title": words["title"], "data-close": words["close"],
                  "data-color": colour, "data-text-color": text_colour(colour)}
    lines = [f'<!-- {html.escape(clinic.name)}: the running-injury chat button. Paste this block once, '
             f'at the end of the page. -->',
             f'<script src="{html.escape(address + WIDGET_PATH)}" defer']
    lines += [f'  {name}="{html.escape(str(value).strip())}"' for name, value in attributes.items()]
    lines[-1] += "></script>"
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the blog post it was opened on

def comparable(url: str) -> str:
    """A blog address as both sides may write it: no scheme, `www.`, query, fragment or final slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def find_article(manifest, url: str | None) -> Article | None:
    """The published article whose `url:` is this address, or None (another page, or unpublished)."""
    if not url or not re.match(r"https?://", url, re.I) or manifest is None:
        return None
    wanted = comparable(url)
    for source, entry in sorted(manifest.articles.items()):
        if entry.url and comparable(entry.url) == wanted:
            return Article(source, entry.title)
    return None


# ------------------------------------------------------------------ scripts on the chat page

def page_script() -> str:
    """Run on every page view: an Escape in the chat asks the website's snippet to close the
    panel (keys pressed inside the iframe never reach the website's page), and a polite live
    region for new replies is made once, before any reply, so screen readers announce changes."""
    return f"""<script>
(function () {{
  if (!document.getElementById({json.dumps(ANNOUNCER_ID)})) {{
    var region = document.createElement("div");
    region.id = {json.dumps(ANNOUNCER_ID)};
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    region.style.cssText = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;" +
      "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0";
    document.body.appendChild(region);
  }}
  if (window.parent !== window && !window.__clinicChatEscape) {{
    window.__clinicChatEscape = true;
    document.addEventListener("keydown", function (event) {{
      if (event.key === "Escape") window.parent.postMessage({json.dumps(CLOSE_MESSAGE)}, "*");
    }});
  }}
}})();
</script>"""


def announce_script(text: str) -> str:
    """Put a new reply's words in the live region. The text goes in as a JSON string and is set
    as textContent: article and runner words are never parsed as HTML."""
    literal = json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"""<script>
(function () {{
  var region = document.getElementById({json.dumps(ANNOUNCER_ID)});
  if (!region) return;
  region.textContent = "";
  setTimeout(function () {{ region.textContent = {literal}; }}, 100);
}})();
</script>"""


def plain_text(markdown: str) -> str:
    """What a screen reader should say for an answer: no [n] markers, escapes or list marks."""
    text = re.sub(r"\s*\\?\[\d+\\?\]", "", markdown)
    text = re.sub(r"^\s*[-*]\s+", "", text, flags=re.M)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", text)
    text = text.replace("**", "")
    return re.sub(r"\s+", " ", text).strip()
