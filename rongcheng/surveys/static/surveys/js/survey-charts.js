/* The survey statistics page: one bar chart per choice or rating question (count per
   option), drawn with ECharts from our own static files. */
(function () {
  "use strict";
  var data = document.getElementById("survey-charts");
  if (!data || !window.echarts) return;
  var charts = JSON.parse(data.textContent);
  document.querySelectorAll("[data-chart]").forEach(function (node, index) {
    var item = charts[index];
    node.style.height = Math.max(160, item.labels.length * 36) + "px";
    var chart = window.echarts.init(node);
    chart.setOption({
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: item.labels, inverse: true },
      series: [{ type: "bar", data: item.counts, itemStyle: { color: "#9e1b32" }, label: { show: true, position: "right" } }],
      tooltip: {}
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
