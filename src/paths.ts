import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// This file compiles to dist/paths.js, so one level up is the repository root whether
// the code runs from src/ (tests) or from dist/ (npm start, the container).
export const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export function fromRoot (...parts: string[]): string {
  return resolve(rootDir, ...parts)
}
