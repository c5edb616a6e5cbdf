/** Recharts views of one metric: planned vs actual bars, and readings over time with the target. */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { KpiReading, Metric } from '../../../../workflows/model';
import { kpiSeries, metricDomain, pirBars, progressToTarget, verdictOf } from '../logic/kpi';
import { formatDateTime, formatShortDate } from '../logic/time';
import type { PirRow } from '../types';

/** SVG attributes do not resolve CSS variables reliably: the palette of styles.css, as values. */
const C = { accent: '#2857d6', ok: '#1f8a4c', bad: '#c53030', muted: '#98a2b3' } as const;
const BAR_COLOURS = { Baseline: C.muted, Target: C.accent } as const;
const VERDICT_TEXT = {
  met: 'on target',
  missed: 'off target',
  'no-data': 'no reading yet',
} as const;

export function PirChart({ row }: { row: PirRow }) {
  const verdict = verdictOf(row);
  const bars = pirBars(row);
  const progress = progressToTarget(row, row.actual);
  return (
    <figure className="chart" data-testid="pir-chart" data-metric={row.key} data-verdict={verdict}>
      <figcaption>
        <strong>{row.name}</strong>
        {row.unit && <span className="muted"> ({row.unit})</span>}{' '}
        <span className={`tag tag-${verdict}`}>{VERDICT_TEXT[verdict]}</span>
        {progress !== undefined && (
          <span className="muted small"> · {Math.round(progress * 100)}% of the way</span>
        )}
      </figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tickLine={false} />
          {/* Bars start at 0 unless the metric's range says otherwise (Recharts' default). */}
          <YAxis width={44} domain={metricDomain(row, [row.actual], [0, 'auto'])} />
          <Tooltip formatter={(v) => [`${String(v)}${row.unit ? ` ${row.unit}` : ''}`, row.name]} />
          <Bar dataKey="value" radius={[4, 4, 0, 0]} isAnimationActive={false}>
            {bars.map((b) => (
              <Cell
                key={b.label}
                fill={b.label === 'Actual' ? (row.met ? C.ok : C.bad) : BAR_COLOURS[b.label]}
              />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <p className="sr-only">
        Baseline {row.baseline ?? 'unknown'}, target {row.target}, actual{' '}
        {row.actual ?? 'not recorded'}.
      </p>
    </figure>
  );
}

export function KpiTrendChart({
  metric,
  kpis,
  misses,
}: {
  metric: Metric;
  kpis: KpiReading[];
  misses: number;
}) {
  const series = kpiSeries(kpis, metric.key);
  return (
    <figure
      className="chart"
      data-testid="kpi-chart"
      data-metric={metric.key}
      data-readings={series.length}
    >
      <figcaption>
        <strong>{metric.name}</strong>
        {metric.unit && <span className="muted"> ({metric.unit})</span>}{' '}
        <span className="muted small">
          target {metric.direction === 'increase' ? '≥' : '≤'} {metric.target}
        </span>
        {misses > 0 && <span className="tag tag-bad">off target {misses}× in a row</span>}
      </figcaption>
      {series.length === 0 ? (
        <p className="muted chart-empty">No readings yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={170}>
          <LineChart data={series} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="at"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(v: number) => formatShortDate(v)}
            />
            <YAxis
              width={44}
              domain={metricDomain(
                metric,
                series.map((s) => s.value),
              )}
            />
            <Tooltip labelFormatter={(v) => formatDateTime(Number(v))} />
            <ReferenceLine
              y={metric.target}
              stroke={C.ok}
              strokeDasharray="6 3"
              ifOverflow="extendDomain"
              label={{ value: 'target', position: 'insideTopRight', fontSize: 11 }}
            />
            {metric.baseline !== undefined && (
              <ReferenceLine
                y={metric.baseline}
                stroke={C.muted}
                strokeDasharray="2 4"
                ifOverflow="extendDomain"
                label={{ value: 'baseline', position: 'insideBottomRight', fontSize: 11 }}
              />
            )}
            <Line
              type="monotone"
              dataKey="value"
              name={metric.name}
              stroke={C.accent}
              strokeWidth={2}
              dot
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
