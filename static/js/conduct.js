// Ask before an irreversible step: any form with data-confirm.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// Show or hide fields that depend on a checkbox or radio: data-show-when="name=value".
function conductToggle() {
  document.querySelectorAll("[data-show-when]").forEach(function (block) {
    var parts = block.getAttribute("data-show-when").split("=");
    var inputs = document.querySelectorAll("[name='" + parts[0] + "']");
    var show = false;
    inputs.forEach(function (input) {
      if ((input.type === "checkbox" || input.type === "radio") ? input.checked && input.value === parts[1] : input.value === parts[1]) {
        show = true;
      }
    });
    block.hidden = !show;
  });
}
document.addEventListener("change", conductToggle);
document.addEventListener("DOMContentLoaded", conductToggle);
// Print buttons (no inline onclick: CSP).
document.addEventListener("click", function (event) {
  if (event.target.matches("[data-print]")) { window.print(); }
});
