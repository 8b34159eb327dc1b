// Small pieces of Python semantics that luigid's behaviour depends on: truthiness of JSON
// values (`if runnable:`), str() of parameter values in display names, and `==` between a JSON
// value and an int (`visibility == ParameterVisibility.PUBLIC`, where True == 1).

export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") {
    for (const _ in value as object) return true;
    return false;
  }
  return true;
}

export function equalsInt(value: unknown, n: number): boolean {
  if (typeof value === "number") return value === n;
  if (typeof value === "boolean") return (value ? 1 : 0) === n;
  return false;
}

/** Python's str() for JSON-decoded values (what `'{}={}'.format(k, v)` prints). */
export function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value, 0);
}

function pyRepr(value: unknown, depth: number): string {
  if (depth > 64) return "...";
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return pyFloatOrInt(value);
  if (typeof value === "string") return pyQuote(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, depth + 1)).join(", ")}]`;
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyQuote(k)}: ${pyRepr(v, depth + 1)}`);
    return `{${parts.join(", ")}}`;
  }
  return String(value);
}

function pyFloatOrInt(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return String(n);
}

function pyQuote(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}
