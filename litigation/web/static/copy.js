// Copy buttons: <button data-copy="ID"> copies the text of the field #ID and says so in the
// page's aria-live region #copy-status, so that a screen reader hears it too. Without
// JavaScript the buttons stay hidden and the address remains selectable text.
(function () {
  var status = document.getElementById("copy-status");
  function say(key) {
    if (!status) { return; }
    var text = status.dataset[key];
    // Emptied first, so that a second copy is announced again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }
  function legacyCopy() {
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copy);
      var copied = function () { say("copied"); };
      var failed = function () { say("failed"); };
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, function () {
          if (legacyCopy()) { copied(); } else { failed(); }
        });
      } else if (legacyCopy()) {
        copied();
      } else {
        failed();
      }
    });
  });
})();
