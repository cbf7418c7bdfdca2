import { canonicalJson } from './canonical.js'
import { FIELDS } from './columns.js'
import type { AuditRecord } from './types.js'

type Records = AsyncIterable<AuditRecord> | Iterable<AuditRecord>

/** One JSON object per line, fields in record order. */
export async function * toJsonLines (records: Records): AsyncGenerator<string> {
  for await (const record of records) {
    const ordered = Object.fromEntries(FIELDS.map((f) => [f, record[f]]))
    yield `${JSON.stringify(ordered)}\n`
  }
}

/**
 * RFC 4180 CSV: a header row, CRLF line ends, a field quoted when it holds a comma,
 * a quote or a line break. Lists are joined with `;` and a source reads
 * `register:cache`; null is an empty field. Ids and field paths hold no `;`, so
 * the join is unambiguous. A check, nested too deep for columns, is one JSON text
 * with its keys sorted: the form the hash covers.
 *
 * Values are written as they are, so a spreadsheet may read one starting with `=`
 * as a formula. They come from the gateway and from authenticated procedure
 * systems, and an audit export must not alter them; open it as text.
 */
export async function * toCsv (records: Records): AsyncGenerator<string> {
  yield `${FIELDS.join(',')}\r\n`
  for await (const record of records) {
    yield `${FIELDS.map((f) => csvField(cell(record, f))).join(',')}\r\n`
  }
}

function cell (record: AuditRecord, field: typeof FIELDS[number]): string {
  if (field === 'sources') {
    return record.sources.map((s) => `${s.register}:${s.cache}`).join(';')
  }
  const value = record[field]
  if (field === 'check') return value === null ? '' : canonicalJson(value)
  if (Array.isArray(value)) return value.join(';')
  return value === null ? '' : String(value)
}

function csvField (text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
