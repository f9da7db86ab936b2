import { test } from '@japa/runner'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import { runCommand } from '#tests/helpers/ace'

/** Runs audit:export in-process; its CSV on process.stdout is kept apart from its messages on stderr. */
const auditExport = (args: string[]) => runCommand('audit:export', args)

/** A strict RFC 4180 reader, so the test does not trust the writer's own escaping. */
function parseCsv(text: string) {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') record.push(field), (field = '')
    else if (char === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++
    else field += char
  }
  if (field !== '' || record.length) throw new Error('The CSV does not end with CRLF')
  return records
}

const HEADER = ['id', 'occurred_at', 'actor_kind', 'actor_id', 'client_id', 'action', 'ip', 'user_agent', 'detail']
const DAY = '2001-02-03'
const tricky = { note: 'a comma, a "quote"\nand a new line', count: 2 }
const local = (iso: string) => DateTime.fromISO(iso, { zone: practice.timeZone })

interface Inserted {
  id: number
  occurredAt: DateTime
  action: string
}
const insideDay: Inserted[] = []

async function insert(occurredAt: DateTime, row: Record<string, unknown>) {
  const [{ id }] = await db
    .table('audit_events')
    .insert({ occurred_at: occurredAt.toJSDate(), detail: JSON.stringify({}), ...row })
    .returning('id')
  return { id: Number(id), occurredAt, action: row.action as string }
}

test.group('node ace audit:export', (group) => {
  let dir = ''

  group.setup(async () => {
    dir = await mkdtemp(join(tmpdir(), 'careincite-audit-export-'))
    // The days around 2001-02-03 belong to this file alone: no other test writes there.
    await insert(local('2001-02-02T23:59:59.999'), { actor_kind: 'system', action: 'test.export.day_before' })
    insideDay.push(
      await insert(local(`${DAY}T00:00:00`), { actor_kind: 'anonymous', action: 'test.export.first_moment' }),
      await insert(local(`${DAY}T09:30:00.250`), {
        actor_kind: 'staff',
        actor_id: 7,
        client_id: 42,
        action: 'test.export.tricky',
        ip: '203.0.113.9',
        user_agent: 'Agent/1.0 (X11, "quoted")',
        detail: JSON.stringify(tricky),
      }),
      await insert(local(`${DAY}T12:00:00`), { actor_kind: 'client_user', actor_id: 3, client_id: 42, action: 'test.export.plain' }),
      await insert(local(`${DAY}T23:59:59.999`), { actor_kind: 'system', action: 'test.export.last_moment' })
    )
    await insert(local('2001-02-04T00:00:00'), { actor_kind: 'system', action: 'test.export.day_after' })
    return () => rm(dir, { recursive: true, force: true })
  })

  test('exports the rows of whole practice days to a file, quoted per RFC 4180', async ({ assert }) => {
    const out = join(dir, 'day.csv')
    const result = await auditExport(['--from', DAY, '--to', DAY, '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.include(result.stderr, 'Exported 4 audit events')

    const [header, ...rows] = parseCsv(await readFile(out, 'utf8'))
    assert.deepEqual(header, HEADER)
    assert.deepEqual(
      rows.map((row) => Number(row[0])),
      insideDay.map((row) => row.id)
    )
    assert.deepEqual(
      rows.map((row) => row[5]),
      insideDay.map((row) => row.action)
    )
    assert.deepEqual(
      rows.map((row) => row[1]),
      insideDay.map((row) => row.occurredAt.toUTC().toISO())
    )

    const tricky_ = rows.find((row) => row[5] === 'test.export.tricky')!
    assert.deepEqual(tricky_.slice(2, 8), ['staff', '7', '42', 'test.export.tricky', '203.0.113.9', 'Agent/1.0 (X11, "quoted")'])
    assert.deepEqual(JSON.parse(tricky_[8]), tricky)
    const anonymous = rows.find((row) => row[5] === 'test.export.first_moment')!
    assert.deepEqual(anonymous.slice(2, 9), ['anonymous', '', '', 'test.export.first_moment', '', '', '{}'])

    assert.deepEqual(await readdir(dir), ['day.csv'])

    const recorded = await db
      .from('audit_events')
      .where('action', 'operator.audit.exported')
      .whereRaw(`detail->>'from' = ?`, [DAY])
      .orderBy('id', 'desc')
      .first()
    assert.equal(recorded.actor_kind, 'system')
    assert.deepEqual(recorded.detail, { from: DAY, to: DAY, rows: 4 })
  }).timeout(60_000)

  test('writes the CSV alone to standard output without --out', async ({ assert }) => {
    const result = await auditExport(['--from', DAY, '--to', DAY])
    assert.equal(result.code, 0, result.stderr)
    const [header, ...rows] = parseCsv(result.stdout)
    assert.deepEqual(header, HEADER)
    assert.deepEqual(
      rows.map((row) => Number(row[0])),
      insideDay.map((row) => row.id)
    )
    assert.include(result.stderr, 'Exported 4 audit events')
  }).timeout(60_000)

  test('a wider range takes the neighbouring days too', async ({ assert }) => {
    const result = await auditExport(['--from', '2001-02-02', '--to', '2001-02-04'])
    assert.equal(result.code, 0, result.stderr)
    assert.lengthOf(parseCsv(result.stdout), 1 + 6)
  }).timeout(60_000)

  test('values a spreadsheet would run as a formula are neutralised with an apostrophe', async ({ assert }) => {
    // 2001-02-06 belongs to this test alone.
    const day = '2001-02-06'
    const attacks = ['=HYPERLINK("http://evil.test","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1']
    for (const [index, userAgent] of attacks.entries()) {
      await insert(local(`${day}T10:00:0${index}`), { actor_kind: 'anonymous', action: 'test.export.formula', user_agent: userAgent })
    }
    const result = await auditExport(['--from', day, '--to', day])
    assert.equal(result.code, 0, result.stderr)
    const [, ...rows] = parseCsv(result.stdout)
    assert.deepEqual(
      rows.map((row) => row[7]),
      attacks.map((value) => `'${value}`)
    )
  }).timeout(60_000)

  const badInputs: [string, string[], string][] = [
    ['a missing --to', ['--from', '2001-03-01'], '--to is required'],
    ['a day that does not exist', ['--from', '2001-02-30', '--to', '2001-03-01'], '--from must be a real day written YYYY-MM-DD'],
    ['a day in another format', ['--from', '2001.03.01', '--to', '2001-03-01'], '--from must be a real day written YYYY-MM-DD'],
    ['--from after --to', ['--from', '2001-03-02', '--to', '2001-03-01'], '--to must be the same day as --from or a later one'],
  ]
  for (const [name, args, message] of badInputs) {
    test(`refuses ${name}: exit 1, a clear message, no file`, async ({ assert }) => {
      const out = join(dir, 'refused.csv')
      const result = await auditExport([...args, '--out', out])
      assert.equal(result.code, 1)
      assert.include(result.stderr, message)
      assert.include(result.stderr, 'Nothing was exported')
      assert.notInclude(await readdir(dir), 'refused.csv')
    }).timeout(60_000)
  }

  test('refuses a path it cannot write: exit 1, a clear message, no file', async ({ assert }) => {
    const out = join(dir, 'no-such-folder', 'day.csv')
    const result = await auditExport(['--from', DAY, '--to', DAY, '--out', out])
    assert.equal(result.code, 1)
    assert.include(result.stderr, `Cannot write to ${out}: the folder does not exist`)
    assert.equal(result.stdout, '')
    assert.notInclude(await readdir(dir), 'no-such-folder')

    const folder = await auditExport(['--from', DAY, '--to', DAY, '--out', dir])
    assert.equal(folder.code, 1)
    assert.include(folder.stderr, 'it is a folder')
    assert.isEmpty((await readdir(dir)).filter((name) => name.endsWith('.partial')))
  }).timeout(60_000)
})
