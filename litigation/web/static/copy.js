// Copy buttons: <button data-copy="ID"> copies the value of the input #ID. Without
// JavaScript the buttons stay hidden and the address remains selectable text.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var field = document.getElementById(button.dataset.copy);
    var done = function () { button.textContent = button.dataset.done; };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else if (document.execCommand("copy")) {
      done();
    }
  });
});
