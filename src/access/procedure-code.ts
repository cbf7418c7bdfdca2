// A national code may arrive in its long form, 1.001193.000.00.00.H12: the tail
// names the agency that implements the procedure, not another procedure.
const NATIONAL_LONG_FORM = /^([0-9]\.[0-9]{6})\.[0-9A-Za-z.]+$/

/** The catalogue code a cited code stands for: the long form reduced to its base. */
export function baseCode (code: string): string | undefined {
  return NATIONAL_LONG_FORM.exec(code)?.[1]
}
