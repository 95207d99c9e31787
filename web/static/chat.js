/* Youth Voice web chat: talks to /chat/api, keeps the conversation id in localStorage. */
(function () {
  "use strict";
  var log = document.getElementById("log");
  var choices = document.getElementById("choices");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var statusEl = document.getElementById("status");
  var slug = document.body.getAttribute("data-consultation") || "";
  var storeKey = "youthvoice-conversation" + (slug ? "-" + slug : "");
  var conversation = null;
  var lastId = 0;
  var busy = false;
  var pollTimer = null;

  function setStatus(text) { statusEl.textContent = text || ""; }

  function api(method, url, body, conv) {
    var opts = { method: method, headers: { "Accept": "application/json" } };
    if (conv) { opts.headers["X-Conversation"] = conv; }
    if (body) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(url, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { var e = new Error(data.error || "Something went wrong"); e.status = r.status; throw e; }
        return data;
      });
    });
  }

  function addBubble(text, who) {
    var li = document.createElement("li");
    li.className = who;
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = who === "you" ? "You said: " : "Youth Voice said: ";
    li.appendChild(label);
    li.appendChild(document.createTextNode(text));
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  function showChoices(msg) {
    choices.innerHTML = "";
    if (!msg || !msg.buttons || !msg.buttons.length) { return; }
    var group = document.createElement("div");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", msg.select === "multiple" ? "Choose all that fit, then send" : "Answer options");
    group.className = "chat-choices";
    var multiple = msg.select === "multiple";
    var sendBtn = null;
    msg.buttons.forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      if (multiple && b.payload !== "SKIP") {
        btn.setAttribute("aria-pressed", "false");
        btn.addEventListener("click", function () {
          btn.setAttribute("aria-pressed", btn.getAttribute("aria-pressed") === "true" ? "false" : "true");
          var any = group.querySelector("[aria-pressed=true]");
          sendBtn.disabled = !any;
        });
        btn.dataset.payload = b.payload;
      } else {
        btn.addEventListener("click", function () { send(b.payload, b.title); });
      }
      group.appendChild(btn);
    });
    if (multiple) {
      sendBtn = document.createElement("button");
      sendBtn.type = "button";
      sendBtn.className = "send-choices";
      sendBtn.textContent = "Send my answers";
      sendBtn.disabled = true;
      sendBtn.addEventListener("click", function () {
        var picked = Array.prototype.filter.call(group.querySelectorAll("[aria-pressed=true]"), function () { return true; });
        send(picked.map(function (p) { return p.dataset.payload; }).join(" "),
             picked.map(function (p) { return p.textContent; }).join(", "));
      });
      group.appendChild(sendBtn);
    }
    choices.appendChild(group);
    group.scrollIntoView({ block: "end" });
  }

  function render(messages) {
    var lastBot = null;
    messages.forEach(function (m) {
      if (m.id) { lastId = Math.max(lastId, m.id); }
      if (m.from === "you") {
        if (m.text.charAt(0) !== "/") { addBubble(m.text, "you"); }
        return;
      }
      addBubble(m.text, "bot");
      lastBot = m;
    });
    if (lastBot) { showChoices(lastBot); }
  }

  function schedulePoll() {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(function () {
      api("GET", "/chat/api/messages?after=" + lastId, null, conversation)
        .then(function (data) {
          render(data.messages);
          if (data.pending) { schedulePoll(); } else { setStatus(""); }
        })
        .catch(function () { schedulePoll(); });
    }, 3000);
  }

  function handle(data) {
    render(data.messages);
    if (data.pending) { setStatus("Message saved. We'll reply here soon."); schedulePoll(); }
    else { setStatus(""); }
  }

  function send(text, shown) {
    if (busy || !text.trim()) { return; }
    busy = true;
    choices.innerHTML = "";
    addBubble(shown || text, "you");
    setStatus("Sending...");
    api("POST", "/chat/api/messages", { conversation: conversation, text: text })
      .then(handle)
      .catch(function (e) {
        setStatus(e.status && e.status < 500 ? e.message : "Sorry, that didn't send. Please try again.");
      })
      .then(function () { busy = false; input.focus(); });
  }

  function startNew() {
    return api("POST", "/chat/api/conversations", slug ? { consultation: slug } : {}).then(function (data) {
      conversation = data.conversation;
      try { localStorage.setItem(storeKey, conversation); } catch (e) { /* private mode */ }
      handle(data);
    });
  }

  function start() {
    var saved = null;
    try { saved = localStorage.getItem(storeKey); } catch (e) { saved = null; }
    var ready = saved
      ? api("GET", "/chat/api/messages", null, saved).then(function (data) {
          conversation = saved;
          handle(data);
        }).catch(function (e) { if (e.status === 404) { return startNew(); } throw e; })
      : startNew();
    ready.catch(function (e) { setStatus(e.message || "Sorry, the chat could not start. Please try again later."); });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value;
    if (!text.trim()) { setStatus("Type a message first."); return; }
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
  });
  start();
})();
