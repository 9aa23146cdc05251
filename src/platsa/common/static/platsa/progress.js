// While a form marked data-progress is sent, show its progress line and keep it from being
// sent twice. Without JavaScript the form works the same, without the line.
document.querySelectorAll("form[data-progress]").forEach(function (form) {
  form.addEventListener("submit", function () {
    var line = form.querySelector(".progress");
    if (line) line.hidden = false;
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
});
