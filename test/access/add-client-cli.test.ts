import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { Catalogue } from '../../src/access/catalogue.js'
import { ClientRegistry } from '../../src/access/client-registry.js'
import { fromRoot } from '../../src/paths.js'

const run = promisify(execFile)
const CLI = fromRoot('src', 'access', 'add-client-cli.ts')
const catalogue = Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))
const quiet = { info () {}, error () {} }

function registryFile (t: Test): string {
  const original = readFileSync(fromRoot('fixtures', 'clients.json'), 'utf8')
  return join(t.testdir({ 'clients.json': original }), 'clients.json')
}

async function cli (...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath,
      ['--import', '@tapjs/typescript/import', CLI, ...args], { cwd: fromRoot() })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

const authenticate = (file: string, key: string) =>
  new ClientRegistry({ path: file, catalogue, logger: quiet, watch: false }).authenticate(key)

t.test('clients:add adds a client and prints its key once, on stdout only', async (t) => {
  const file = registryFile(t)
  const res = await cli('--file', file, '--id', 'commune-hn-01', '--name', 'UBND phường Cầu Giấy',
    '--scopes', 'population:read,civil-status:read', '--procedures', '1.001193,1.000894')
  t.equal(res.code, 0, res.stderr)
  const key = res.stdout.trim()
  t.match(key, /^cdg_[A-Za-z0-9_-]{43}$/)
  t.equal(res.stdout, `${key}\n`, 'nothing else on stdout')
  t.notMatch(res.stderr, key)
  t.notMatch(readFileSync(file, 'utf8'), key, 'the file holds the hash only')
  const added = authenticate(file, key)
  t.equal(added?.id, 'commune-hn-01')
  t.same(added?.procedures, ['1.001193', '1.000894'])
  t.equal(added?.demo, false)
  t.same(readdirSync(join(file, '..')), ['clients.json'], 'no temporary file left')
})

t.test('--rotate adds a key and the old keys keep working', async (t) => {
  const file = registryFile(t)
  const first = await cli('--file', file, '--id', 'sys-x', '--name', 'X',
    '--scopes', 'verify', '--procedures', '*')
  const second = await cli('--file', file, '--id', 'sys-x', '--rotate')
  t.equal(second.code, 0, second.stderr)
  const [a, b] = [first.stdout.trim(), second.stdout.trim()]
  t.not(a, b)
  t.equal(authenticate(file, a)?.id, 'sys-x')
  t.equal(authenticate(file, b)?.id, 'sys-x')
  const sandbox = JSON.parse(readFileSync(fromRoot('fixtures', 'sandbox.json'), 'utf8'))
  t.equal(authenticate(file, sandbox.clients[0].apiKey)?.id, 'demo-counter', 'other clients untouched')
  const demo = await cli('--file', file, '--id', 'demo-verifier', '--rotate')
  t.match(demo.stdout, /^cdg_sbx_/, 'a demo client gets a sandbox-looking key')
})

t.test('clients:add refuses what the gateway would refuse and leaves the file alone', async (t) => {
  const file = registryFile(t)
  const before = readFileSync(file, 'utf8')
  const refused = [
    ['--id', 'demo-counter', '--name', 'Again', '--scopes', 'verify', '--procedures', '*'],
    ['--id', 'sys-y', '--name', 'Y', '--scopes', 'everything', '--procedures', '*'],
    ['--id', 'sys-y', '--name', 'Y', '--scopes', 'verify', '--procedures', '1.999999'],
    ['--id', 'sys-y', '--scopes', 'verify', '--procedures', '*'],
    ['--id', 'sys-nobody', '--rotate'],
    ['--id', 'Bad Id!', '--name', 'Z', '--scopes', 'verify', '--procedures', '*'],
    ['--id', 'sys-y', '--unknown-flag']
  ]
  for (const args of refused) {
    const res = await cli('--file', file, ...args)
    t.equal(res.code, 1, args.join(' '))
    t.equal(res.stdout, '', 'no key printed')
    t.match(res.stderr, /\S/, 'says why')
  }
  t.equal(readFileSync(file, 'utf8'), before)
  t.same(readdirSync(join(file, '..')), ['clients.json'])
})
