// Upload forms: a file larger than the limit is refused here, before a slow connection
// spends minutes sending it. Without JavaScript the server refuses it with the same words.
document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
  var message = input.parentElement.querySelector("[data-size-error]");
  var tooLarge = function () {
    var file = input.files && input.files[0];
    return file && file.size > Number(input.dataset.maxBytes);
  };
  input.addEventListener("change", function () {
    message.textContent = tooLarge() ? input.dataset.tooLarge : "";
    message.hidden = !tooLarge();
  });
  input.form.addEventListener("submit", function (event) {
    if (tooLarge()) {
      event.preventDefault();
      message.textContent = input.dataset.tooLarge;
      message.hidden = false;
    }
  });
});
