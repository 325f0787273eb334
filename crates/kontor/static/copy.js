// Copy buttons for values a page shows once (an invitation link, a token).
// Without JavaScript the buttons stay hidden and the value stays
// selectable text; with it, a click puts the value on the clipboard and a
// status line says so (read out by screen readers).
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    var status = button.parentElement.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) status.textContent = button.dataset.copied;
      });
    });
  });
})();
