// Disclosure: insert a skeleton of the monthly income and spending table into an item's body.
(function () {
  "use strict";
  var TABLE = "<table>\n<caption>社区经费收支情况</caption>\n<thead><tr><th>日期</th><th>摘要</th>" +
    "<th>收入（元）</th><th>支出（元）</th></tr></thead>\n<tbody>\n<tr><td></td><td></td><td></td><td></td></tr>\n" +
    "</tbody>\n<tfoot><tr><th colspan=\"2\">合计</th><td></td><td></td></tr></tfoot>\n</table>\n";
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
