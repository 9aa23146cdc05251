// While a background job runs, ask for its status every other second and show it in place;
// when it is finished, load the page again to show the result. Without JavaScript the page
// has a link to look again.
(function () {
  var box = document.querySelector("[data-job-status]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var step = box.querySelector("[data-job-step]");
  var percent = box.querySelector("[data-job-percent]");
  function look() {
    fetch(box.getAttribute("data-job-status"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
          return;
        }
        if (bar) bar.value = job.progress;
        if (percent) percent.textContent = job.progress + " %";
        if (step) step.textContent = job.step;
        window.setTimeout(look, 2000);
      })
      .catch(function () { window.setTimeout(look, 5000); });
  }
  window.setTimeout(look, 2000);
})();
