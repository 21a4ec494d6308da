import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { parseCsv, sniffDelimiter } from '../lib/csv.ts';

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const BOOLEAN = /^(?:true|false)$/i;

const Cell = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export const ColumnSchema = z.object({
  name: z.string(),
  type: z.enum(['number', 'boolean', 'string', 'empty']),
  count: z.number().int(),
  mean: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});

/**
 * Column statistics of CSV text with a header row. A column is `number` when every
 * non-empty cell is a number, `boolean` when every one is true/false, `empty` when it has
 * no values, else `string`; `count` is the number of non-empty cells; numeric columns get
 * mean, min and max. Rows come back as objects with typed cells (empty -> null).
 *
 * @example
 * csvStats('city,temp\nLeeds,11\nYork,13')
 * // { columns: [{ name: 'city', type: 'string', count: 2 }, { name: 'temp', type: 'number', count: 2, mean: 12, min: 11, max: 13 }], rows: [...] }
 */
export function csvStats(csv: string, delimiter?: string) {
  const table = parseCsv(csv, delimiter ?? sniffDelimiter(csv));
  if (table.length === 0) throw new Error('csv-stats: the CSV is empty (no header row)');
  const header = table[0].map((h, i) => h.trim() || `column ${i + 1}`);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new Error(`csv-stats: header line 1: column name ${JSON.stringify(h)} appears twice`);
    seen.add(h);
  }
  const body = table.slice(1);
  body.forEach((r, i) => {
    if (r.length !== header.length) throw new Error(`csv-stats: data row ${i + 1} has ${r.length} fields, the header has ${header.length}`);
  });
  const columns = header.map((name, c) => {
    const values = body.map((r) => r[c].trim()).filter((v) => v !== '');
    const type = values.length === 0 ? 'empty' : values.every((v) => NUMBER.test(v)) ? 'number' : values.every((v) => BOOLEAN.test(v)) ? 'boolean' : 'string';
    if (type !== 'number') return { name, type, count: values.length } as const;
    const nums = values.map(Number);
    const sum = nums.reduce((a, b) => a + b, 0);
    return { name, type, count: values.length, mean: sum / nums.length, min: Math.min(...nums), max: Math.max(...nums) } as const;
  });
  const rows = body.map((r) =>
    Object.fromEntries(
      header.map((h, c) => {
        const v = r[c].trim();
        if (v === '') return [h, null];
        const t = columns[c].type;
        return [h, t === 'number' ? Number(v) : t === 'boolean' ? /^true$/i.test(v) : r[c]];
      }),
    ),
  );
  return { columns, rows };
}

/**
 * Parses CSV text and describes its columns.
 *
 * @example
 * await csvStatsWorker.run({ csv: 'a,b\n1,2' }, ctx) // { columns: [...], rows: [{ a: 1, b: 2 }] }
 */
export const csvStatsWorker = defineWorker({
  name: 'csv-stats',
  description: 'Parses CSV text (header row, quoted fields) into typed rows and per-column statistics: type, count, mean, min and max.',
  input: z.object({ csv: z.string(), delimiter: z.string().length(1).optional() }),
  output: z.object({ columns: z.array(ColumnSchema), rows: z.array(z.record(z.string(), Cell)) }),
  retry: { maxAttempts: 1 },
  run({ csv, delimiter }) {
    return csvStats(csv, delimiter);
  },
});
