// A luigi.cfg-style INI reader with Python ConfigParser's rules as Luigi uses them: `[section]`
// headers, `key = value` or `key: value`, option names case-insensitive (and `-` equal to `_`),
// `#`/`;` comment lines, indented continuation lines. No interpolation.

export type IniSections = Record<string, Record<string, string>>;

export class IniSyntaxError extends Error {}

export function parseIni(text: string, source = "config"): IniSections {
  const sections: IniSections = {};
  let current: Record<string, string> | null = null;
  let lastKey: string | null = null;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) {
      if (line === "") lastKey = null;
      continue;
    }
    if (/^\s/.test(raw) && current && lastKey) {
      current[lastKey] = current[lastKey] ? `${current[lastKey]}\n${line}` : line;
      continue;
    }
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = sections[name] ??= {};
      lastKey = null;
      continue;
    }
    const at = line.search(/[=:]/);
    if (at <= 0) throw new IniSyntaxError(`${source}:${n + 1}: expected "[section]" or "name = value", got ${JSON.stringify(line.slice(0, 80))}`);
    if (!current) throw new IniSyntaxError(`${source}:${n + 1}: option ${JSON.stringify(line.slice(0, at).trim())} is outside any [section]`);
    lastKey = normalizeOption(line.slice(0, at));
    current[lastKey] = line.slice(at + 1).trim();
  }
  return sections;
}

export function normalizeOption(name: string): string {
  return name.trim().toLowerCase().replace(/-/g, "_");
}
