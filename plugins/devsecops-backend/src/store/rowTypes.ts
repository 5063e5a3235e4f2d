/**
 * How column values come back from the two databases the stores run on. Row interfaces in each
 * store describe their table (see migrations/*.js) with these for the columns whose JavaScript
 * type depends on the driver.
 */

/** A `timestamp` column: a Date on PostgreSQL, the ISO-8601 text written on SQLite (see `fromDbTime`). */
export type DbTime = Date | string | number;

/** A `boolean` column: true/false on PostgreSQL, 1/0 on SQLite. Read it with `!!`. */
export type DbBoolean = boolean | number;

/** A `bigIncrements` / `bigInteger` column: a string on PostgreSQL, a number on SQLite. */
export type DbBigInt = number | string;

/** A `binary` column: a Buffer on both (a Uint8Array from some drivers). */
export type DbBinary = Buffer | Uint8Array;
