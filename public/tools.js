// Tool pages: run the tool in place. Without this script the form posts and the
// page comes back with the outcome; with it, the same endpoint answers JSON and
// the outcome is shown here. Text goes in through textContent only.
(function () {
  "use strict";
  var form = document.querySelector("form.tool-form");
  var out = document.getElementById("result");
  if (!form || !out || !window.fetch) return;
  // The words in the page's language (the page writes them into the form); English otherwise.
  var words = {};
  try { words = JSON.parse(form.dataset.words || "{}"); } catch (e) { words = {}; }
  function w(name, english) { return words[name] || english; }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function runsLeft(n) {
    return n === 0 ? w("runsLast", "That was your last run today.") : n === 1 ? w("runsOne", "1 run left today.")
      : w("runsLeft", "%n runs left today.").replace("%n", n);
  }
  function ratioLabel(r) {
    return r.toFixed(2).replace(/0+$/, "").replace(/\.$/, "") + ":1";
  }
  function money(minor, currency) {
    var group = function (n, sep) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep); };
    if (currency === "USD") return "$" + group(Math.floor(minor / 100), ",") + "." + String(minor % 100).padStart(2, "0");
    return "Rp " + group(minor, ".");
  }
  function show(nodes) {
    out.replaceChildren.apply(out, nodes);
  }
  function problem(message, quota) {
    var box = el("div", null, "notice error" + (quota ? " quota" : ""));
    box.setAttribute("role", "alert");
    box.appendChild(el("p", message));
    if (quota) {
      var p = el("p");
      var a = el("a", w("plans", "See the plans"), "button ghost small");
      a.href = quota;
      p.appendChild(a);
      box.appendChild(p);
    }
    show([box]);
  }
  function check(label, pass) {
    var li = el("li", label + ": ", pass ? "pass" : "fail");
    li.appendChild(el("strong", pass ? w("pass", "pass") : w("fail", "fail")));
    return li;
  }
  var render = {
    "slug-generator": function (r) {
      var p = el("p", w("slug", "Slug:") + " ");
      p.appendChild(el("code", r.slug, "result-value"));
      return [p, el("p", runsLeft(r.remaining), "muted small")];
    },
    "contrast-checker": function (r) {
      var ratio = el("p", w("ratio", "Contrast ratio") + " ", "ratio");
      var strong = el("strong", ratioLabel(r.ratio));
      strong.setAttribute("data-ratio", String(r.ratio));
      ratio.appendChild(strong);
      var swatch = el("p", w("pangram", "The quick brown fox jumps over the lazy dog."), "swatch");
      swatch.style.color = r.foreground;
      swatch.style.background = r.background;
      var list = el("ul", null, "checks");
      list.append(check(w("aaNormal", "AA, normal text"), r.aa), check(w("aaaNormal", "AAA, normal text"), r.aaa),
        check(w("aaLarge", "AA, large text"), r.aa_large), check(w("aaaLarge", "AAA, large text"), r.aaa_large));
      var nodes = [ratio, swatch, list];
      if (r.suggestion) {
        var s = el("p", w("nearest", "Nearest text colour that passes AA:") + " ");
        s.appendChild(el("code", r.suggestion));
        nodes.push(s);
      }
      nodes.push(el("p", runsLeft(r.remaining), "muted small"));
      return nodes;
    },
    "invoice-generator": function (r) {
      var bytes = Uint8Array.from(atob(r.pdf), function (c) { return c.charCodeAt(0); });
      var url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
      var a = el("a", w("downloadAgain", "Download %file again").replace("%file", r.file_name));
      a.href = url;
      a.download = r.file_name;
      var p = el("p", w("invoiceReady", "Your invoice is ready: total %total.").replace("%total", money(r.total, r.currency)) + " ");
      p.appendChild(a);
      setTimeout(function () { a.click(); }, 0);
      return [p, el("p", runsLeft(r.remaining), "muted small")];
    },
  };

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    out.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)).toString(),
      credentials: "same-origin",
    })
      .then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, status: res.status, body: body }; },
          function () { return { ok: false, status: res.status, body: {} }; });
      })
      .then(function (r) {
        if (r.ok) show(render[form.dataset.tool](r.body));
        else if (r.status === 429) problem(r.body.message, r.body.plans_url || "/saas");
        else problem(r.body.message || w("failed", "Sorry, something went wrong on our side. Please try again."));
      })
      .catch(function () {
        problem(w("unreachable", "The studio could not be reached. Check your connection and try again."));
      })
      .finally(function () {
        if (button) button.disabled = false;
        out.removeAttribute("aria-busy");
      });
  });
})();
