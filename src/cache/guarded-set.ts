import { defineScript, type CommandParser } from 'redis'

// The tombstone check and the write must be one step: checked apart, an
// invalidation landing between the two would let a value read before the change
// overwrite it. A tombstone holds the epoch ms of its invalidation.
const SCRIPT = `
local stone = redis.call('GET', KEYS[2])
if stone and tonumber(stone) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`

export interface GuardedSetArgs {
  key: string
  tombstone: string
  value: Buffer
  keepMs: number
  fetchedSince: number
}

/** SET key value PX keepMs, unless the key was invalidated at or after fetchedSince. */
export const guardedSet = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT,
  parseCommand (parser: CommandParser, args: GuardedSetArgs) {
    parser.pushKey(args.key)
    parser.pushKey(args.tombstone)
    parser.push(args.value, String(args.keepMs), String(args.fetchedSince))
  },
  /** 1 when written, 0 when a tombstone refused the write. */
  transformReply: (reply: number) => reply
})
