/* The clinic's chat button for its own website. Served by the assistant itself
   (/app/static/chat-widget.js, Streamlit static file serving), so the website loads nothing
   from a third party. Words and colours come from the data- attributes of the <script> tag,
   which the app writes from clinic.yaml (assistant/ui/embed.py); nothing here is worded. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.clinicChatWidget) return; // pasted twice: one button is enough
  var data = script.dataset;
  var appUrl = new URL("../../", script.src); // .../app/static/chat-widget.js -> the app
  var CLOSE_MESSAGE = "clinic-chat:close"; // sent by the chat page on Escape (embed.py)

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("chat-widget.css", script.src).href;
  document.head.appendChild(style);

  var root = document.createElement("div");
  root.className = "clinic-chat";
  root.style.setProperty("--clinic-chat-color", data.color || "#1d6a8a");
  root.style.setProperty("--clinic-chat-text", data.textColor || "#ffffff");

  var button = document.createElement("button");
  button.type = "button"; // a real button: Tab reaches it, Enter and Space press it
  button.className = "clinic-chat-button";
  button.textContent = data.label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "clinic-chat-panel");

  var panel = document.createElement("div");
  panel.id = "clinic-chat-panel";
  panel.className = "clinic-chat-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog"); // not modal: the blog post stays usable beside it
  panel.setAttribute("aria-labelledby", "clinic-chat-title");

  var bar = document.createElement("div");
  bar.className = "clinic-chat-bar";
  var title = document.createElement("h2");
  title.id = "clinic-chat-title";
  title.className = "clinic-chat-title";
  title.textContent = data.title;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "clinic-chat-close";
  close.setAttribute("aria-label", data.close);
  close.title = data.close;
  close.innerHTML = '<span aria-hidden="true">\u00d7</span>';
  bar.appendChild(title);
  bar.appendChild(close);

  var frame = document.createElement("iframe");
  frame.className = "clinic-chat-frame";
  frame.title = data.title;
  panel.appendChild(bar);
  panel.appendChild(frame);
  root.appendChild(button);
  root.appendChild(panel);

  // The post's address, so the chat can name the article: its canonical address when the
  // site gives one (WordPress, Squarespace and Wix do), without query or fragment.
  function articleAddress() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var address = new URL(canonical ? canonical.href : location.href, location.href);
    if (!/^https?:$/.test(address.protocol)) return "";
    return address.origin + address.pathname;
  }

  function chatUrl() {
    var url = new URL(appUrl.href);
    url.searchParams.set("embed", "true");
    url.searchParams.append("embed_options", "light_theme");
    var article = articleAddress();
    if (article) url.searchParams.set("article", article);
    return url.href;
  }

  function open() {
    // Loaded on the first open only: a page view alone costs the clinic's server nothing.
    if (!frame.src) frame.src = chatUrl();
    panel.hidden = false;
    button.hidden = true;
    button.setAttribute("aria-expanded", "true");
    close.focus(); // into the panel (its first control); the next Tab goes into the chat
  }

  function shut() {
    if (panel.hidden) return;
    panel.hidden = true;
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");
    button.focus(); // back where the runner was
  }

  button.addEventListener("click", open);
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") shut();
  });
  window.addEventListener("message", function (event) {
    if (event.origin === appUrl.origin && event.source === frame.contentWindow &&
        event.data === CLOSE_MESSAGE) {
      shut();
    }
  });

  function mount() {
    document.body.appendChild(root);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
  window.clinicChatWidget = { open: open, close: shut };
})();
