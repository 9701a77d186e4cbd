/**
 * ECharts with only the parts the application draws (bar and pie charts on a canvas). Imported
 * by the chart components alone, which are loaded on demand: never in the initial bundle.
 */
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export { echarts };

export { COLORS } from './colors';

export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * A chart in the returned element: created once, resized with its box, given `option` (built
 * by `make` from the element's width) whenever deps change.
 */
export function useChart(make: (width: number) => echarts.EChartsCoreOption, deps: unknown[]) {
  const el = useRef<HTMLDivElement>(null);
  const makeRef = useRef(make);
  makeRef.current = make;
  useEffect(() => {
    if (!el.current) return;
    const node = el.current;
    const chart = echarts.init(node, undefined, { renderer: 'canvas' });
    chart.setOption(makeRef.current(node.clientWidth), { notMerge: true });
    let last = node.clientWidth;
    const ro = new ResizeObserver(() => {
      if (node.clientWidth !== last) {
        last = node.clientWidth;
        chart.setOption(makeRef.current(node.clientWidth), { notMerge: true });
      }
      chart.resize();
    });
    ro.observe(node);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, []);
  useEffect(() => {
    const chart = el.current && echarts.getInstanceByDom(el.current);
    if (chart && el.current) chart.setOption(makeRef.current(el.current.clientWidth), { notMerge: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return el;
}
