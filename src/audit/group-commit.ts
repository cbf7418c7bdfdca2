interface Waiting<T, R> {
  item: T
  resolve: (result: R) => void
  reject: (err: unknown) => void
}

export interface GroupCommitOptions<T, R> {
  /** Commits the items as one transaction; returns one result per item, in order. */
  flush: (items: T[]) => Promise<R[]>
  /** Most items in one transaction. */
  maxBatch: number
}

/**
 * Group commit: while one flush is in progress, new items wait; the moment it ends,
 * everything that arrived meanwhile goes out as the next flush. No timer window:
 * under light load an item is flushed at once, under heavy load the batch grows with
 * the flush time. A waiting window would add its length to every request while the
 * CPU idles (measured: 0.29x throughput at 5 ms, against 0.8-0.9x this way).
 *
 * The first flush starts on the next turn of the event loop rather than
 * synchronously, so appends made by the same burst of I/O callbacks share it.
 */
export class GroupCommit<T, R> {
  readonly #opts: GroupCommitOptions<T, R>
  #waiting: Array<Waiting<T, R>> = []
  #running: Promise<void> | null = null

  constructor (opts: GroupCommitOptions<T, R>) {
    this.#opts = opts
  }

  add (item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject })
      this.#running ??= this.#run()
    })
  }

  /** Resolves once nothing is waiting or flushing. */
  async idle (): Promise<void> {
    while (this.#running !== null) await this.#running
  }

  async #run (): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#opts.maxBatch)
      await this.#flush(batch)
    }
    this.#running = null
  }

  async #flush (batch: Array<Waiting<T, R>>): Promise<void> {
    try {
      const results = await this.#opts.flush(batch.map((w) => w.item))
      batch.forEach((w, i) => w.resolve(results[i] as R))
    } catch (err) {
      for (const w of batch) w.reject(err)
    }
  }
}
