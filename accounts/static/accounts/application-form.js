// The application form's dataset picks: "Every field" ticks (and clears) all of a dataset's
// fields, and each dataset's heading counts what is chosen. Without JavaScript the form
// works the same: the server reads "Every field" as every field.
(function () {
  "use strict";

  function wire(details) {
    var every = details.querySelector(".every input[type=checkbox]");
    var boxes = Array.prototype.slice.call(details.querySelectorAll(".field-choices input[type=checkbox]"));
    var count = details.querySelector(".dataset-count");

    function update() {
      var chosen = boxes.filter(function (b) { return b.checked; }).length;
      if (every) { every.checked = chosen === boxes.length; }
      count.textContent = chosen ? chosen + " chosen" : "none chosen";
    }
    if (every) {
      every.addEventListener("change", function () {
        boxes.forEach(function (b) { b.checked = every.checked; });
        update();
      });
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details.dataset").forEach(wire);
  });
}());
