// Puts the browser's time zone into the sign-in form, so that a person's
// first pages already show times in their own zone. Without JavaScript the
// field stays empty and kontor uses the zone of their account's country.
(function () {
  var field = document.getElementById("time-zone");
  if (!field || typeof Intl === "undefined") return;
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    field.value = "";
  }
})();
