/* The call reports page: volume by day, by hour and by category (offered, answered,
   abandoned), drawn with ECharts from our own static files. */
(function () {
  "use strict";
  var data = document.getElementById("call-charts");
  if (!data || !window.echarts) return;
  var charts = JSON.parse(data.textContent);
  var colours = { offered: "#9e1b32", answered: "#2f6f4e", abandoned: "#b88a2d" };
  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var item = charts[node.getAttribute("data-chart")];
    var chart = window.echarts.init(node);
    chart.setOption({
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: item.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: ["offered", "answered", "abandoned"].map(function (key) {
        return { name: charts.names[key], type: "bar", data: item[key], itemStyle: { color: colours[key] } };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
