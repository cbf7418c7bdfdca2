import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { toCsv, toJsonLines, type AuditRecord } from '../../../audit/index.js'
import { problems } from '../../api-schemas.js'
import { logOf, readFailure, readLog } from '../../services/audit-log.js'
import { FILTER_PROPERTIES, filterOf, type FilterQuery } from './query.js'

const FORMATS = {
  jsonl: { type: 'application/x-ndjson; charset=utf-8', write: toJsonLines },
  csv: { type: 'text/csv; charset=utf-8', write: toCsv }
} as const

type Format = keyof typeof FORMATS

// Lines are gathered into writes of about this size: an export runs to millions of
// lines, and a write per line costs more than the line.
const CHUNK_BYTES = 64 * 1024

async function * chunked (lines: AsyncIterable<string>): AsyncGenerator<string> {
  let buffered = ''
  for await (const line of lines) {
    buffered += line
    if (buffered.length >= CHUNK_BYTES) {
      yield buffered
      buffered = ''
    }
  }
  if (buffered !== '') yield buffered
}

// The first record is read before the answer starts, so a filter the store refuses
// or a database that is down gets a problem with its status; once the headers are
// out, a failure can only cut the body short. It is then rethrown as our own error,
// so what the log says about it carries no driver message.
async function * records (first: IteratorResult<AuditRecord>,
  rest: AsyncIterator<AuditRecord>): AsyncGenerator<AuditRecord> {
  try {
    for (let next = first; next.done !== true; next = await rest.next()) yield next.value
  } catch (err) {
    throw readFailure(err)
  }
}

function fileName (format: Format): string {
  const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '')
  return `audit-${stamp}.${format}`
}

/**
 * GET /export streams every matching record in seq order, read from the store a
 * page at a time as the client takes them: the export is never held in memory.
 */
export default async function auditExport (app: FastifyInstance) {
  app.get<{ Querystring: FilterQuery & { format?: Format } }>('/export', {
    config: { operation: 'audit.export', scope: 'audit' },
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { ...FILTER_PROPERTIES, format: { type: 'string', enum: ['jsonl', 'csv'] } }
      },
      response: problems(400, 401, 403, 429, 503)
    }
  }, async (req, reply) => {
    const store = logOf(app)
    const format = req.query.format ?? 'jsonl'
    const filter = filterOf(req.query)
    const rest = await readLog(async () => store.stream(filter)[Symbol.asyncIterator]())
    const first = await readLog(() => rest.next())
    const body = chunked(FORMATS[format].write(records(first, rest)))
    return reply
      .type(FORMATS[format].type)
      .header('content-disposition', `attachment; filename="${fileName(format)}"`)
      .send(Readable.from(body))
  })
}
