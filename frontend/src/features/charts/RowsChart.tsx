/**
 * One breakdown of the analytics as a chart: horizontal bars (names on the left, easy to read
 * in Russian) or a donut. The same numbers are in the page's table; the canvas is hidden from
 * screen readers. Loaded on demand with ECharts.
 */
import { useTranslation } from 'react-i18next';
import { COLORS, escapeHtml, useChart } from './echarts';

export interface ChartRow {
  key: string;
  name: string;
  value: number;
  /** A second figure drawn beside the first (e.g. the previous period). */
  second?: number;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export default function RowsChart({
  rows,
  kind = 'bar',
  seriesName,
  secondName,
  testId,
}: {
  rows: ChartRow[];
  kind?: 'bar' | 'pie';
  seriesName: string;
  secondName?: string;
  testId?: string;
}) {
  const { i18n } = useTranslation();
  const fmt = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ru-RU');
  const hasSecond = !!secondName && rows.some((r) => r.second !== undefined);
  const height = kind === 'pie' ? 300 : Math.max(140, rows.length * (hasSecond ? 38 : 28) + (hasSecond ? 56 : 28));

  const el = useChart(
    (width) => {
      const labelChars = width < 420 ? 18 : width < 640 ? 28 : 44;
      if (kind === 'pie') {
        const narrow = width < 420;
        return {
          color: COLORS,
          aria: { enabled: true },
          tooltip: { trigger: 'item', confine: true, formatter: (p: { name: string; value: number; percent: number; marker: string }) => `${p.marker}${escapeHtml(p.name)}: <b>${fmt(p.value)}</b> (${p.percent}%)` },
          legend: narrow ? { bottom: 0, type: 'scroll', textStyle: { fontSize: 11 } } : { orient: 'vertical', right: 0, top: 'middle', textStyle: { fontSize: 12 }, formatter: (n: string) => truncate(n, 34) },
          series: [
            {
              type: 'pie',
              name: seriesName,
              radius: ['42%', '70%'],
              center: narrow ? ['50%', '42%'] : ['30%', '50%'],
              avoidLabelOverlap: true,
              label: { show: false },
              data: rows.map((r) => ({ name: r.name, value: r.value })),
            },
          ],
        };
      }
      const names = rows.map((r) => r.name);
      return {
        color: hasSecond ? ['#adb5bd', COLORS[0]] : [COLORS[0]],
        aria: { enabled: true },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          confine: true,
          formatter: (items: { dataIndex: number; marker: string; seriesName: string; value: number }[]) =>
            [escapeHtml(names[items[0]?.dataIndex ?? 0] ?? ''), ...items.map((i) => `${i.marker}${escapeHtml(i.seriesName)}: <b>${fmt(i.value)}</b>`)].join('<br/>'),
        },
        legend: hasSecond ? { top: 0, textStyle: { fontSize: 11 } } : undefined,
        grid: { left: 8, right: 48, top: hasSecond ? 28 : 4, bottom: 4, containLabel: true },
        xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 }, splitLine: { lineStyle: { color: '#e9ecef' } } },
        yAxis: {
          type: 'category',
          inverse: true,
          data: names,
          axisTick: { show: false },
          axisLabel: { fontSize: 12, formatter: (n: string) => truncate(n, labelChars) },
        },
        series: [
          ...(hasSecond ? [{ type: 'bar', name: secondName, data: rows.map((r) => r.second ?? 0), barMaxWidth: 14, barGap: '10%' }] : []),
          {
            type: 'bar',
            name: seriesName,
            data: rows.map((r) => r.value),
            barMaxWidth: hasSecond ? 14 : 18,
            label: { show: true, position: 'right', fontSize: 11, formatter: (p: { value: number }) => fmt(p.value) },
          },
        ],
      };
    },
    [rows, kind, seriesName, secondName, i18n.language],
  );

  return <div ref={el} style={{ width: '100%', height }} aria-hidden="true" data-testid={testId} />;
}
