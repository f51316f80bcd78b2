// Disclosure: insert a skeleton of the monthly income and spending table (Markdown) into an item's body.
(function () {
  "use strict";
  var TABLE = "\n| 日期 | 摘要 | 收入（元） | 支出（元） |\n| --- | --- | ---: | ---: |\n|  |  |  |  |\n" +
    "| **合计** |  |  |  |\n\n";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-table]");
    if (!button) { return; }
    var area = document.querySelector(button.getAttribute("data-insert-table"));
    if (!area) { return; }
    var at = area.selectionStart || area.value.length;
    area.value = area.value.slice(0, at) + TABLE + area.value.slice(at);
    area.focus();
  });
})();
