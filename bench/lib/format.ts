/** 1234 → "1.23 kB" (1 kB = 1000 bytes, as size-limit counts its budgets). */
export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}

/** A GitHub-flavoured Markdown table; cells are escaped so a `|` in a reason cannot break it. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
