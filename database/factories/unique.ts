/*
| Test data is unique to its test: the test database is shared by the whole
| run and never truncated (the audit trail refuses TRUNCATE).
*/
let counter = 0

/** A label no other row of this run uses. */
export const unique = (label: string) =>
  `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`

/** A strictly increasing number for this run (spreads appointment times apart). */
export const nextSequence = () => ++counter
