/* Dashboards: draws every [data-chart] element with the vendored Apache ECharts.

   <div data-chart="ID"> names the json_script element (inside <template data-chart-source="ID">) (portal/charts.py, Chart.data()) that
   holds the chart's kind, categories and series, each number with the link of the list it
   counts; the table beside the chart holds the same numbers. A click on a bar, point or slice
   follows that link. Runs through htmx.onLoad, so charts swapped in by htmx are drawn too.
   The tooltip is drawn on the canvas (renderMode "richText"): ECharts' HTML tooltip writes
   style attributes, which the Content-Security-Policy refuses. */
(function () {
  "use strict";

  var PALETTE = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037",
    "#c2185b", "#827717", "#455a64", "#283593", "#9e9d24"];

  function axisChart(spec, horizontal, stacked) {
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      axisLabel: { interval: 0, hideOverlap: true, rotate: horizontal ? 0 : (spec.categories.length > 6 ? 30 : 0) },
      inverse: horizontal
    };
    var valueAxis = { type: "value", minInterval: 1 };
    return {
      legend: { show: spec.series.length > 1, top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (series) {
        return {
          name: series.label,
          type: spec.kind === "line" ? "line" : "bar",
          stack: stacked ? "total" : undefined,
          data: series.values,
          itemStyle: series.colour ? { color: series.colour } : undefined,
          cursor: "pointer",
          emphasis: { focus: "series" }
        };
      })
    };
  }

  function sliceChart(spec) {
    var series = spec.series[0];
    var data = spec.categories.map(function (label, index) {
      return { name: label, value: series.values[index] };
    });
    var common = { name: series.label, data: data, cursor: "pointer" };
    if (spec.kind === "funnel") {
      return {
        series: [Object.assign(common, {
          type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%",
          label: { show: true, position: "inside", formatter: "{b}: {c}" }
        })]
      };
    }
    return {
      legend: { show: false },
      series: [Object.assign(common, {
        type: "pie", radius: ["35%", "70%"],
        label: { formatter: "{b}: {c}" }
      })]
    };
  }

  function optionFor(spec) {
    var option;
    if (spec.kind === "pie" || spec.kind === "funnel") {
      option = sliceChart(spec);
    } else {
      var horizontal = spec.kind === "hbar" || spec.kind === "hstacked";
      var stacked = spec.kind === "stacked" || spec.kind === "hstacked";
      option = axisChart(spec, horizontal, stacked);
    }
    option.color = PALETTE;
    option.animation = false; // printing and tests see the final picture at once
    option.aria = { enabled: true };
    option.tooltip = {
      trigger: spec.kind === "pie" || spec.kind === "funnel" ? "item" : "axis",
      renderMode: "richText",
      axisPointer: { type: "shadow" }
    };
    return option;
  }

  function linkOf(spec, params) {
    var series = spec.series[params.seriesIndex] || spec.series[0];
    return series && series.links ? series.links[params.dataIndex] : null;
  }

  function draw(element) {
    if (!window.echarts || window.echarts.getInstanceByDom(element)) {
      return;
    }
    // The data sits in a <template> beside the chart (components/chart.html): htmx keeps a
    // template's content when it swaps, where it would drop a <script> element.
    var holder = document.querySelector('template[data-chart-source="' + CSS.escape(element.dataset.chart) + '"]');
    var source = holder && holder.content.querySelector("script");
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(optionFor(spec));
    chart.on("click", function (params) {
      var link = linkOf(spec, params);
      if (link) {
        window.location.assign(link);
      }
    });
  }

  function resizeAll() {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = window.echarts && window.echarts.getInstanceByDom(element);
      if (chart) {
        chart.resize();
      }
    });
  }

  function init(root) {
    root.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  }
  window.addEventListener("resize", resizeAll);
  // Paper is narrower than the screen: the charts take the printed box's size.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
