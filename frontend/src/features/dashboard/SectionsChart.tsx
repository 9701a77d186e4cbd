/**
 * Appeals per month by classifier section: a stacked bar chart (ECharts, loaded with this chunk
 * only when the overview shows it), with the same numbers in a table for screen readers.
 */
import { VisuallyHidden } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { COLORS, echarts, escapeHtml } from '../charts/echarts';

/** Every month's label where there is room (a desktop); ECharts thins them out on a phone. */
const labelInterval = (node: HTMLElement): number | 'auto' => (node.clientWidth >= 520 ? 0 : 'auto');


export interface Series {
  code: string;
  name: string;
  data: number[];
}

/** months: axis labels (may contain line breaks); monthNames: full names for the tooltip and table. */
export default function SectionsChart({ months, monthNames, series }: { months: string[]; monthNames: string[]; series: Series[] }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!el.current) return;
    const node = el.current;
    const chart = echarts.init(node, undefined, { renderer: 'canvas' });
    const ro = new ResizeObserver(() => {
      chart.setOption({ xAxis: { axisLabel: { interval: labelInterval(node) } } });
      chart.resize();
    });
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, []);

  useEffect(() => {
    const chart = el.current && echarts.getInstanceByDom(el.current);
    if (!chart || !el.current) return;
    const interval = labelInterval(el.current);
    chart.setOption(
      {
        color: COLORS,
        aria: { enabled: true },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          confine: true,
          formatter: (items: { dataIndex: number; marker: string; seriesName: string; value: number }[]) =>
            [monthNames[items[0]?.dataIndex ?? 0], ...items.filter((i) => i.value > 0).map((i) => `${i.marker}${escapeHtml(i.seriesName)}: <b>${i.value}</b>`)].join('<br/>'),
        },
        legend: { bottom: 0, type: 'scroll', textStyle: { fontSize: 11 } },
        grid: { left: 8, right: 8, top: 12, bottom: 56, containLabel: true },
        xAxis: { type: 'category', data: months, axisLabel: { fontSize: 11, interval, lineHeight: 14 } },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
        series: series.map((s) => ({ type: 'bar', stack: 'all', name: `${s.code} ${s.name}`, data: s.data, barMaxWidth: 36, emphasis: { focus: 'series' } })),
      },
      { notMerge: true },
    );
  }, [months, monthNames, series]);

  return (
    <>
      <div ref={el} style={{ width: '100%', height: 340 }} aria-hidden="true" data-testid="sections-chart" />
      <VisuallyHidden>
        <table>
          <caption>{t('dashboard.byMonth')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.month')}</th>
              {series.map((s) => (
                <th scope="col" key={s.code}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {monthNames.map((m, i) => (
              <tr key={m}>
                <th scope="row">{m}</th>
                {series.map((s) => (
                  <td key={s.code}>{s.data[i]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </>
  );
}
