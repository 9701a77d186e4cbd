/**
 * The ССТУ classifier (2,108 entries, 5 levels: раздел, тематика, тема, вопрос, подвопрос).
 * Codes are "Раздел.Тематика.Тема.Вопрос[.Подвопрос]" with zero blocks below the entry's
 * level, e.g. the topic 0005.0005.0000.0000 and its question 0005.0005.0056.1149.
 */
export interface ClassifierEntry {
  code: string;
  level: number;
  name: string;
  parent: string | null;
  /** The code without trailing zero blocks: "0005.0005". */
  short: string;
  /** Lower-case "code short name" for searching. */
  search: string;
}

export interface Classifier {
  entries: ClassifierEntry[];
  byCode: Map<string, ClassifierEntry>;
  sections: ClassifierEntry[];
}

/** The code without its trailing zero blocks: 0005.0005.0000.0000 → 0005.0005. */
export function classifierPrefix(code: string): string {
  return code.replace(/(\.0000)+$/, '');
}

/** The API filter value selecting an entry and everything under it. */
export function classifierFilterValue(code: string): string {
  return code.split('.').length === 5 ? code : `${classifierPrefix(code)}*`;
}

export function parentCode(code: string): string | null {
  const blocks = code.split('.');
  if (blocks.length === 5) return blocks.slice(0, 4).join('.');
  const last = blocks.map((b) => b !== '0000').lastIndexOf(true);
  if (last <= 0) return null;
  blocks[last] = '0000';
  return blocks.join('.');
}

/** The section (раздел) code of any code: 0005.0005.0056.1149 → 0005.0000.0000.0000. */
export function sectionOf(code: string): string {
  return `${code.slice(0, 4)}.0000.0000.0000`;
}

export function buildClassifier(items: [string, number, string][]): Classifier {
  const entries = items.map(([code, level, name]) => {
    const short = classifierPrefix(code);
    return { code, level, name, parent: parentCode(code), short, search: `${code} ${short} ${name}`.toLowerCase() };
  });
  const byCode = new Map(entries.map((e) => [e.code, e]));
  return { entries, byCode, sections: entries.filter((e) => e.level === 1) };
}

/** The entry and its ancestors, section first. */
export function classifierPath(c: Classifier, code: string): ClassifierEntry[] {
  const path: ClassifierEntry[] = [];
  for (let e = c.byCode.get(code); e; e = e.parent ? c.byCode.get(e.parent) : undefined) path.unshift(e);
  return path;
}

/**
 * Entries matching a query: every word must occur in the code or the name. A query that looks
 * like a code matches code prefixes ("0005.0005" or "1149"). Results keep classifier order.
 */
export function searchClassifier(c: Classifier, query: string, limit = 50): ClassifierEntry[] {
  const words = query.toLowerCase().replace(/ё/g, 'е').split(/\s+/).filter(Boolean);
  if (words.length === 0) return c.entries.filter((e) => e.level <= 2).slice(0, limit);
  const out: ClassifierEntry[] = [];
  for (const e of c.entries) {
    const hay = e.search.replace(/ё/g, 'е');
    if (words.every((w) => hay.includes(w))) {
      out.push(e);
      if (out.length >= limit) break;
    }
  }
  return out;
}
