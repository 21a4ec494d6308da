/**
 * RFC 4180 CSV: fields separated by a delimiter, optionally double-quoted; inside quotes a
 * doubled quote is a quote and newlines are data. Errors name the line.
 *
 * @example
 * parseCsv('a,b\n1,"x, ""y"""') // [['a', 'b'], ['1', 'x, "y"']]
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < src.length) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false;
        i++;
        if (i < src.length && src[i] !== delimiter && src[i] !== '\n' && src[i] !== '\r') {
          throw new Error(`CSV line ${line}: unexpected ${JSON.stringify(src[i])} after a closing quote`);
        }
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') { quoted = true; quoteLine = line; i++; continue; }
    if (c === delimiter) { row.push(field); field = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    field += c;
    i++;
  }
  if (quoted) throw new Error(`CSV line ${quoteLine}: a quoted field is never closed`);
  if (field !== '' || row.length) endRow();
  return rows;
}

/**
 * Picks the delimiter (comma, semicolon, tab or pipe) that occurs most often, outside
 * quotes, on the first line.
 *
 * @example
 * sniffDelimiter('a;b;c\n1;2;3') // ';'
 */
export function sniffDelimiter(text: string): string {
  const first = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"(?:[^"]|"")*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = first.split(d).length - 1;
    if (n > bestCount) { best = d; bestCount = n; }
  }
  return best;
}
