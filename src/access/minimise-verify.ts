import { Cut, type AnswerBody, type MinimiseOptions, type Minimised } from './minimise-common.js'
import { VERIFY_CHECKS, qualified } from './field-paths.js'

/**
 * The verify answer with only the checks the procedure may make: a claim about a
 * field the procedure does not list gets no result, not even `mismatch`.
 */
export function minimiseVerifyResult (answer: AnswerBody,
  opts: MinimiseOptions): Minimised {
  const cut = new Cut('verify', 'verify', opts)
  const results: AnswerBody = {}
  for (const [claim, result] of Object.entries(answer.results as AnswerBody)) {
    if (cut.keeps(claim)) results[claim] = result
  }
  const withheld = Object.keys(VERIFY_CHECKS).filter((c) => !cut.allows(c))
  return {
    answer: { citizenId: answer.citizenId, results, withheld, sources: answer.sources },
    returned: Object.keys(results).map((c) => qualified('verify', c))
  }
}
