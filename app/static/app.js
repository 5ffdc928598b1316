// Loaded on every page. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
});

// A button or link with data-confirm asks before it acts, also without htmx.
document.addEventListener("click", function (event) {
  var trigger = event.target.closest("[data-confirm]");
  if (trigger && !trigger.hasAttribute("hx-confirm")) {
    if (!window.confirm(trigger.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }
}, true);

// Keep focus where a user expects it after a swap: on the first field with an error.
document.addEventListener("htmx:afterSwap", function (event) {
  var invalid = event.detail.target.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
  }
});
