// The assistant's form at the foot of every page becomes an inline panel:
// each answer is fetched as a fragment and added to the conversation,
// which this tab keeps while the person moves between pages. Without this
// script the form opens the answer as a page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-assistant]");
  var log = document.getElementById("assistant-log");
  if (!form || !log || !window.fetch || !window.sessionStorage) return;
  // One conversation per session: someone signing in after on this tab
  // never sees it.
  var key = "kontor-assistant-" + form.getAttribute("data-session");
  try {
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var k = sessionStorage.key(i);
      if (k && k.indexOf("kontor-assistant-") === 0 && k !== key) sessionStorage.removeItem(k);
    }
    var kept = sessionStorage.getItem(key);
    if (kept) log.innerHTML = kept;
  } catch (e) { /* storage refused: the conversation lasts this page */ }
  var signout = document.querySelector('form[action="/signout"]');
  if (signout) signout.addEventListener("submit", function () {
    try { sessionStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  });
  var button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (event) {
    var input = form.elements.q;
    if (!input.value.trim()) return;
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    params.set("fragment", "1");
    var earlier = [];
    log.querySelectorAll("[data-question]").forEach(function (n) { earlier.push(n.getAttribute("data-question")); });
    if (earlier.length) params.set("earlier", earlier.slice(-10).join("\n"));
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    fetch("/assistant?" + params.toString(), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res.text();
      })
      .then(function (html) {
        var turn = document.createElement("div");
        turn.className = "assistant-turn";
        turn.innerHTML = html;
        log.appendChild(turn);
        try { sessionStorage.setItem(key, log.innerHTML); } catch (e) { /* too big or refused */ }
        input.value = "";
        var heading = turn.querySelector("[data-answer-heading]");
        if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
      })
      .catch(function () { form.submit(); })
      .then(function () { button.disabled = false; form.removeAttribute("aria-busy"); });
  });
})();
