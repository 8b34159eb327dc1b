import { z } from "zod";

// A database row id from a path or a query string: a whole number that PostgreSQL's bigint and
// JavaScript's number both hold exactly. Anything else is refused here, with what was expected,
// rather than reaching SQL as "1e+21" and coming back as a 500.

export function rowId(what: string) {
  const expected = { message: `expected ${what}`, abort: true }; // one message, not one per check
  return z.coerce.number(expected).int(expected).positive(expected).max(Number.MAX_SAFE_INTEGER, expected);
}

/** A row id in a path segment: digits only ("1e3" and "0x10" are not ids). */
export function rowIdText(what: string) {
  return z
    .string()
    .regex(/^[1-9]\d{0,14}$/, `expected ${what}`)
    .transform(Number);
}
