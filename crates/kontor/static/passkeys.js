// Passkeys (#21): creates or uses a passkey with the browser's WebAuthn
// and sends the result in a hidden form field. Without WebAuthn (or
// without JavaScript) the buttons stay hidden and the other ways to sign
// in remain.
(function () {
  "use strict";
  var supported = window.PublicKeyCredential &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function";
  function say(box, text) {
    var out = box.querySelector("[data-passkey-error]");
    if (out) { out.textContent = text; out.hidden = false; }
  }
  document.querySelectorAll("[data-passkey]").forEach(function (box) {
    var button = box.querySelector("button[data-passkey-start]");
    var form = box.querySelector("form[data-passkey-form]");
    if (!button || !form) { return; }
    if (!supported) { return; }
    box.hidden = false;
    button.addEventListener("click", async function () {
      button.disabled = true;
      try {
        var options;
        if (box.dataset.options) {
          options = JSON.parse(box.dataset.options);
        } else {
          var res = await fetch(box.dataset.optionsUrl, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "csrf=" + encodeURIComponent(form.elements.csrf.value),
            credentials: "same-origin"
          });
          if (!res.ok) { throw new Error("options " + res.status); }
          options = await res.json();
        }
        var credential = box.dataset.passkey === "create"
          ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
          : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        form.querySelector("[data-passkey-credential]").value = JSON.stringify(credential.toJSON());
        form.submit();
      } catch (e) {
        say(box, box.dataset.failed || String(e));
        button.disabled = false;
      }
    });
  });
})();
