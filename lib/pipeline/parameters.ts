import { DateInterval } from "./date-interval";
import { formatDateHour, formatIsoDate, parseDateHour, parseIsoDate, truncateToDay, truncateToHour } from "./dates";
import { pyFloatRepr, pyJsonDumps } from "./python-format";

// Typed task parameters with Luigi's string serialisation. The serialised strings are what the
// scheduler stores and what task ids are hashed from, so each serialize() mirrors the matching
// luigi.*Parameter exactly ("True", "2026-11-22", "2026-11-22T07", '["a", "b"]', "1.0").

export type Visibility = "public" | "hidden" | "private";
/** Luigi's ParameterVisibility values, as sent in add_task's param_visibilities. */
export const visibilityCode: Record<Visibility, number> = { public: 0, hidden: 1, private: 2 };

/** A value that cannot be parsed; the caller adds which parameter it was. */
export class ParameterValueError extends Error {}

export type ParamOptions<V> = {
  /** a value, or a function computing one (evaluated per task instance) */
  default?: V | (() => V);
  description?: string;
  /** insignificant parameters are sent to the scheduler but left out of the task id */
  significant?: boolean;
  /** hidden: sent but not shown in the scheduler's lists; private: never leaves the process */
  visibility?: Visibility;
  /** extra check on a parsed value: return a reason to reject it (shown as "--name: <reason>") */
  validate?: (value: V) => string | undefined;
};

export type Param<V, In, HasDefault extends boolean> = {
  readonly type: string;
  /** shown in --help, e.g. "YYYY-MM-DD" */
  readonly format: string;
  readonly description: string | undefined;
  readonly significant: boolean;
  readonly visibility: Visibility;
  readonly hasDefault: HasDefault;
  readonly choices?: readonly string[];
  defaultValue(): V;
  /** text from the command line or the wire → value */
  parse(text: string): V;
  /** value → Luigi's string form */
  serialize(value: V): string;
  /** a value given in code (typed value or its text) → value */
  normalize(input: In): V;
  /** phantom members for type inference only */
  readonly __value?: V;
  readonly __input?: In;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyParam = Param<any, any, boolean>;
export type ParamSpec = Record<string, AnyParam>;

type Codec<V, In> = {
  type: string;
  format: string;
  parse(text: string): V;
  serialize(value: V): string;
  normalize(input: In): V;
  choices?: readonly string[];
};

function factory<V, In>(codec: Codec<V, In>) {
  function make(options?: ParamOptions<V> & { default?: undefined }): Param<V, In, false>;
  function make(options: ParamOptions<V> & { default: V | (() => V) }): Param<V, In, true>;
  function make(options: ParamOptions<V> = {}): Param<V, In, boolean> {
    const fallback = options.default;
    const hasDefault = fallback !== undefined;
    const check = (v: V): V => {
      const problem = options.validate?.(v);
      if (problem) throw new ParameterValueError(problem);
      return v;
    };
    return {
      ...codec,
      parse: (text: string) => check(codec.parse(text)),
      normalize: (input: In) => check(codec.normalize(input)),
      description: options.description,
      significant: options.significant ?? true,
      visibility: options.visibility ?? "public",
      hasDefault,
      defaultValue() {
        if (!hasDefault) throw new ParameterValueError("no default");
        const v = typeof fallback === "function" ? (fallback as () => V)() : (fallback as V);
        return codec.normalize(v as unknown as In);
      },
    };
  }
  return make;
}

const fail = (text: string, expected: string): never => {
  throw new ParameterValueError(`${JSON.stringify(text)} is not ${expected}`);
};

const stringCodec: Codec<string, string> = {
  type: "string",
  format: "text",
  parse: (t) => t,
  serialize: (v) => v,
  normalize: (v) => {
    if (typeof v !== "string") throw new ParameterValueError(`expected a string, got ${typeof v}`);
    return v;
  },
};

const intCodec: Codec<number, number | string> = {
  type: "int",
  format: "integer",
  parse: (t) => (/^\s*[+-]?\d+\s*$/.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : fail(t, "an integer")),
  serialize: (v) => String(v),
  normalize: (v) => (typeof v === "string" ? intCodec.parse(v) : Number.isSafeInteger(v) ? v : fail(String(v), "an integer")),
};

const floatCodec: Codec<number, number | string> = {
  type: "float",
  format: "number",
  parse: (t) => {
    const s = t.trim().toLowerCase();
    if (s === "inf" || s === "+inf" || s === "infinity") return Infinity;
    if (s === "-inf" || s === "-infinity") return -Infinity;
    if (s === "nan") return NaN;
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s) ? Number(s) : fail(t, "a number");
  },
  serialize: (v) => pyFloatRepr(v),
  normalize: (v) => (typeof v === "string" ? floatCodec.parse(v) : typeof v === "number" ? v : fail(String(v), "a number")),
};

const boolCodec: Codec<boolean, boolean | string> = {
  type: "bool",
  format: "true|false",
  parse: (t) => {
    const s = t.trim().toLowerCase();
    return s === "true" ? true : s === "false" ? false : fail(t, "true or false");
  },
  serialize: (v) => (v ? "True" : "False"),
  normalize: (v) => (typeof v === "string" ? boolCodec.parse(v) : typeof v === "boolean" ? v : fail(String(v), "true or false")),
};

const dateCodec: Codec<Date, Date | string> = {
  type: "date",
  format: "YYYY-MM-DD",
  parse: (t) => parseIsoDate(t) ?? fail(t, "a date (expected YYYY-MM-DD)"),
  serialize: (v) => formatIsoDate(v),
  normalize: (v) => (typeof v === "string" ? dateCodec.parse(v) : validDate(v) ? truncateToDay(v) : fail(String(v), "a date")),
};

const dateHourCodec: Codec<Date, Date | string> = {
  type: "date-hour",
  format: "YYYY-MM-DDTHH",
  parse: (t) => parseDateHour(t) ?? fail(t, "a date and hour (expected YYYY-MM-DDTHH)"),
  serialize: (v) => formatDateHour(v),
  normalize: (v) => (typeof v === "string" ? dateHourCodec.parse(v) : validDate(v) ? truncateToHour(v) : fail(String(v), "a date and hour")),
};

const dateIntervalCodec: Codec<DateInterval, DateInterval | Date | string> = {
  type: "date-interval",
  format: "YYYY-MM-DD | YYYY-Www | YYYY-MM | YYYY | YYYY-MM-DD-YYYY-MM-DD",
  parse: (t) => DateInterval.parse(t) ?? fail(t, "a date interval (expected 2026-11-22, 2026-W47, 2026-11, 2026 or 2026-11-01-2026-11-08)"),
  serialize: (v) => v.toString(),
  normalize: (v) =>
    v instanceof DateInterval ? v : typeof v === "string" ? dateIntervalCodec.parse(v) : validDate(v) ? DateInterval.ofDate(truncateToDay(v)) : fail(String(v), "a date interval"),
};

function validDate(v: unknown): v is Date {
  return v instanceof Date && !Number.isNaN(v.getTime());
}

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

function listCodec<T extends JsonValue>(): Codec<readonly T[], readonly T[] | string> {
  const codec: Codec<readonly T[], readonly T[] | string> = {
    type: "list",
    format: 'JSON list, e.g. ["a", "b"]',
    parse: (t) => {
      let v: unknown;
      try {
        v = JSON.parse(t);
      } catch {
        return fail(t, "a JSON list");
      }
      return Array.isArray(v) ? Object.freeze(v as T[]) : fail(t, "a JSON list");
    },
    // luigi.ListParameter: json.dumps with Python's default separators
    serialize: (v) => pyJsonDumps(v),
    normalize: (v) => (typeof v === "string" ? codec.parse(v) : Array.isArray(v) ? Object.freeze([...v]) : fail(String(v), "a list")),
  };
  return codec;
}

function enumCodec<const C extends string>(choices: readonly C[]): Codec<C, C> {
  const list = choices.join(", ");
  const check = (t: string): C => ((choices as readonly string[]).includes(t) ? (t as C) : fail(t, `one of ${list}`));
  return { type: "enum", format: choices.join("|"), choices, parse: check, serialize: (v) => v, normalize: (v) => check(v) };
}

type Defaulted<V> = ParamOptions<V> & { default: V | (() => V) };
type NoDefault<V> = ParamOptions<V> & { default?: undefined };

function listParam<T extends JsonValue = JsonValue>(options?: NoDefault<readonly T[]>): Param<readonly T[], readonly T[] | string, false>;
function listParam<T extends JsonValue = JsonValue>(options: Defaulted<readonly T[]>): Param<readonly T[], readonly T[] | string, true>;
function listParam<T extends JsonValue>(options: ParamOptions<readonly T[]> = {}): Param<readonly T[], readonly T[] | string, boolean> {
  return factory(listCodec<T>())(options as Defaulted<readonly T[]>);
}

function enumParam<const C extends string>(choices: readonly C[], options?: NoDefault<C>): Param<C, C, false>;
function enumParam<const C extends string>(choices: readonly C[], options: Defaulted<C>): Param<C, C, true>;
function enumParam<const C extends string>(choices: readonly C[], options: ParamOptions<C> = {}): Param<C, C, boolean> {
  if (choices.length === 0) throw new Error("param.enum() needs at least one choice");
  return factory(enumCodec(choices))(options as Defaulted<C>);
}

/** Parameter constructors, named after Luigi's: param.date() is luigi.DateParameter(), and so on. */
export const param = {
  string: factory(stringCodec),
  int: factory(intCodec),
  float: factory(floatCodec),
  bool: factory(boolCodec),
  date: factory(dateCodec),
  dateHour: factory(dateHourCodec),
  dateInterval: factory(dateIntervalCodec),
  list: listParam,
  enum: enumParam,
};

/** The instance values a spec produces: `{ day: Date, n: number }`. */
export type ParamValues<S extends ParamSpec> = { readonly [K in keyof S]: NonNullable<S[K]["__value"]> };

type RequiredKeys<S extends ParamSpec> = { [K in keyof S]: S[K]["hasDefault"] extends true ? never : K }[keyof S];
type OptionalKeys<S extends ParamSpec> = Exclude<keyof S, RequiredKeys<S>>;
/** What the constructor accepts: required parameters must be given; typed values or their text. */
export type ParamInput<S extends ParamSpec> = { [K in RequiredKeys<S>]: NonNullable<S[K]["__input"]> } & {
  [K in OptionalKeys<S>]?: NonNullable<S[K]["__input"]>;
};
