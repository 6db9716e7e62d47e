// Product file uploads with a progress bar. Without this script the form posts
// as multipart and the page comes back with the outcome; with it, the same
// endpoint answers JSON while the bar shows how much has been sent.
(function () {
  "use strict";
  var form = document.querySelector("form.file-upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = form.querySelector(".upload-progress");
  var status = form.querySelector(".upload-status");
  var button = form.querySelector("button[type=submit]");
  var input = form.querySelector("input[type=file]");

  function say(text, error) {
    status.textContent = text;
    status.className = "upload-status" + (error ? " notice error" : "");
    status.setAttribute("role", error ? "alert" : "status");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var max = Number(form.getAttribute("data-max-bytes"));
    var file = input.files && input.files[0];
    if (!file || file.size === 0) {
      say("Choose a file to upload (it cannot be empty).", true);
      return;
    }
    if (max && file.size > max) {
      say("The file is larger than " + form.getAttribute("data-max-mb") + " MB, the most one upload can be.", true);
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.floor((e.loaded / e.total) * 100);
      bar.value = percent;
      say("Uploading… " + percent + " %");
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body && body.ok) {
        bar.value = 100;
        say(body.message);
        window.location.assign(body.redirect);
        return;
      }
      button.disabled = false;
      bar.hidden = true;
      say(body && body.message ? body.message : "The upload failed. Nothing was stored; please try again.", true);
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      bar.hidden = true;
      say("The upload was cut off before it finished. Nothing was stored; please try again.", true);
    });
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    say("Uploading… 0 %");
    xhr.send(new FormData(form));
  });
})();
