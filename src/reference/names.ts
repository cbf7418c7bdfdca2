// Vietnamese personal names compared for matching. Registers and callers type
// the same name in different Unicode forms (precomposed or combining marks),
// with stray spaces and in any case; some drop the diacritics altogether.
//
// Known shortcoming: the two conventions for placing the tone mark ("Hòa" and
// "Hoà", "Thủy" and "Thuỷ") stay different under normaliseName; only
// foldDiacritics brings them together, and it also merges distinct names.

/** NFC, trimmed, inner whitespace collapsed to one space, lower case. */
export function normaliseName (name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()
}

// Đ is a letter of its own, not D with a combining mark, so NFD leaves it.
const D_WITH_STROKE = /[đĐ]/g

/** Drops every diacritic: "Nguyễn Thị Đào" becomes "Nguyen Thi Dao". */
export function foldDiacritics (text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(D_WITH_STROKE, (c) => (c === 'đ' ? 'd' : 'D'))
    .normalize('NFC')
}

/** The loosest key: normalised and without diacritics. */
export function nameMatchKey (name: string): string {
  return foldDiacritics(normaliseName(name))
}
