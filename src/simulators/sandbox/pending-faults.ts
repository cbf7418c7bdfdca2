/**
 * Requests held open by a fault (hang, drip, slow). Fastify's close waits
 * for open requests before its onClose hooks run, so a hung request would
 * hold close() forever: the app cuts these in preClose instead.
 */
export class PendingFaults {
  readonly #cuts = new Set<() => void>()

  /** Registers how to cut one request; call the result once it is done. */
  hold (cut: () => void): () => void {
    this.#cuts.add(cut)
    return () => { this.#cuts.delete(cut) }
  }

  cutAll (): void {
    const cuts = [...this.#cuts]
    this.#cuts.clear()
    for (const cut of cuts) cut()
  }
}
