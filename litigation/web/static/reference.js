// The new-case form: a reference left as suggested follows the jurisdiction chosen. Without
// JavaScript the server does the same when the form is sent (and says so beside the field).
(function () {
  var reference = document.getElementById("reference");
  var suggested = document.getElementById("suggested_reference");
  var jurisdiction = document.getElementById("jurisdiction");
  if (!reference || !suggested || !jurisdiction) return;
  jurisdiction.addEventListener("change", function () {
    var next = document.querySelector('code[data-jurisdiction="' + jurisdiction.value + '"]');
    if (next && reference.value === suggested.value) {
      reference.value = suggested.value = next.textContent;
    }
  });
})();
