// The register matches names the way clerks type them: with or without tone
// marks, in any case. This fold is local on purpose: the gateway's own name
// rules (src/reference/names.ts) may change without changing what the
// simulated register answers.

const COMBINING_MARKS = /\p{M}/gu
const SPACES = /\s+/g

/** Lowercases, strips Vietnamese diacritics (đ included) and collapses spaces. */
export function foldName (name: string): string {
  return name
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replaceAll('đ', 'd')
    .replace(SPACES, ' ')
    .trim()
}

export function nameTokens (name: string): string[] {
  const folded = foldName(name)
  return folded === '' ? [] : folded.split(' ')
}
