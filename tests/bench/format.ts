import { advantage, Figure, verdict } from './stats';

/** Three significant digits, but whole numbers from 1000 up: `0.0123`, `12.3`, `4567`. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toString();
  if (abs === 0) return '0';
  return Number(value.toPrecision(3)).toString();
}

export function formatRatio(figure: Figure): string {
  const ratio = advantage(figure);
  return ratio === null ? '–' : `${ratio.toFixed(2)}×`;
}

function targetText(figure: Figure): string {
  return figure.target === null ? '–' : `≥ ${figure.target.toFixed(1)}`;
}

const headings = ['figure', 'unit', 'Harbor-TS (proxy + token)', 'Distribution 2.8 (direct, no auth)', 'ours vs theirs', 'target', 'verdict'];

function rows(figures: readonly Figure[]): string[][] {
  return figures.map((f) => [
    f.label,
    f.unit,
    formatNumber(f.ours),
    f.theirs === null ? '–' : formatNumber(f.theirs),
    formatRatio(f),
    targetText(f),
    verdict(f),
  ]);
}

/** A GitHub-flavoured markdown table of the figures. */
export function markdownTable(figures: readonly Figure[]): string {
  const lines = [`| ${headings.join(' | ')} |`, `|${headings.map((_, i) => (i >= 2 && i <= 5 ? '---:' : '---')).join('|')}|`];
  for (const row of rows(figures)) lines.push(`| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

/** The same table for a terminal: columns padded to their widest cell. */
export function textTable(figures: readonly Figure[]): string {
  const all = [headings, ...rows(figures)];
  const widths = headings.map((_, col) => Math.max(...all.map((row) => [...row[col]!].length)));
  return all
    .map((row) => row.map((cell, col) => (col >= 2 && col <= 5 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!))).join('  ').trimEnd())
    .join('\n');
}
