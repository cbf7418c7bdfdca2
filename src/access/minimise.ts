// Need-to-know minimisation of the gateway's answers: pure functions from an answer,
// the allowed paths (catalogue.ts allowedFields) and the client's optional `fields`
// parameter to the answer the client may receive, plus the paths it carries.
//
// What goes and how it shows:
// - A part the client may not receive is omitted, and its path is listed in
//   `withheld`. `withheld` is computed from the procedure and scopes alone, never
//   from the data: it names every refused path whether or not this citizen has
//   such a value, so "events.divorce" in it says nothing about a divorce.
// - A part the client may receive but did not ask for in `fields` is omitted and
//   not listed: the client knows what it asked for.
// - `citizenId` and `sources` are always kept; `conflicts` and `unavailable` are
//   always present, cut to the kept fields.
// - The returned paths (for the audit record) are data-dependent: an event type or
//   a document type is named only when an event or document of it went out.
//
// The answers' JSON Schemas in schemas/api allow `withheld` and the parts that
// minimisation may leave out.
//
// Symbol-keyed properties (cache state, memo slot) are not copied: the result is a
// plain object, so a caller that needs the cache state must carry it over itself.

export { minimiseProfile } from './minimise-profile.js'
export { minimiseCivilStatus } from './minimise-civil-status.js'
export {
  documentTypeAllowed, minimiseDocumentDetail, minimiseDocumentList
} from './minimise-documents.js'
export { minimiseVerifyResult } from './minimise-verify.js'
export type { AnswerBody, MinimiseOptions, Minimised } from './minimise-common.js'
export { parseFields, type AnswerKind } from './fields-param.js'
