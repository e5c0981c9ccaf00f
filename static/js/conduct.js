// Conduct's only script (CSP: no inline scripts or handlers). Everything works without it;
// it adds confirmation, focus handling and conditional fields.

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

// Fields that matter only after a particular answer, by the id crispy gives each field's wrapper.
// Applied only where the controlling question is on the page (the proposal form also has "actions").
var CONDUCT_CONDITIONAL_FIELDS = {
  div_id_actions: "outcome=changed",          // the head's decision: the changed response
  div_id_reasons_not_signed: "signed_off=no", // the Chair's consultation
  div_id_held_on: "took_place=yes",           // the conversation with the parent
  div_id_present: "took_place=yes",
  div_id_parent_said: "took_place=yes",
  div_id_agreed: "took_place=yes",
  div_id_not_possible_reason: "took_place=no",
  div_id_not_possible_detail: "took_place=no"
};

document.addEventListener("DOMContentLoaded", function () {
  Object.keys(CONDUCT_CONDITIONAL_FIELDS).forEach(function (id) {
    var block = document.getElementById(id);
    var rule = CONDUCT_CONDITIONAL_FIELDS[id];
    if (block && document.querySelector("[name='" + rule.split("=")[0] + "']") && !block.hasAttribute("data-show-when")) {
      block.setAttribute("data-show-when", rule);
    }
  });
  conductToggle();
  // A form came back with errors: take the user (and their screen reader) to the summary.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

document.addEventListener("click", function (event) {
  // Print buttons (no inline onclick: CSP).
  if (event.target.closest("[data-print]")) {
    window.print();
    return;
  }
  // A link in the error summary puts the cursor in the field, not just the field in view.
  var link = event.target.closest("#error-summary a[href^='#']");
  if (link) {
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) {
      event.preventDefault();
      var field = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
      (field || target).scrollIntoView({ block: "center" });
      (field || target).focus();
    }
  }
});
