import { describe, expect, it } from 'vitest';
import data from './data/classifier.json';
import { buildClassifier, classifierFilterValue, classifierPath, parentCode, searchClassifier, sectionOf } from './classifier';

const c = buildClassifier(data.items as [string, number, string][]);

describe('the ССТУ classifier asset', () => {
  it('holds all 2,108 entries, every parent present', () => {
    expect(c.entries).toHaveLength(2108);
    const byLevel = [1, 2, 3, 4, 5].map((l) => c.entries.filter((e) => e.level === l).length);
    expect(byLevel).toEqual([5, 21, 206, 1225, 651]);
    for (const e of c.entries) if (e.parent) expect(c.byCode.has(e.parent), e.code).toBe(true);
  });

  it('derives parents and paths from codes', () => {
    expect(parentCode('0005.0005.0056.1149')).toBe('0005.0005.0056.0000');
    expect(parentCode('0005.0005.0000.0000')).toBe('0005.0000.0000.0000');
    expect(parentCode('0005.0000.0000.0000')).toBeNull();
    expect(parentCode('0003.0008.0086.0548.0093')).toBe('0003.0008.0086.0548');
    expect(sectionOf('0005.0005.0056.1149')).toBe('0005.0000.0000.0000');
    expect(classifierPath(c, '0005.0005.0056.1149').map((e) => e.level)).toEqual([1, 2, 3, 4]);
  });

  it('filters a subtree by prefix', () => {
    expect(classifierFilterValue('0005.0000.0000.0000')).toBe('0005*');
    expect(classifierFilterValue('0005.0005.0056.0000')).toBe('0005.0005.0056*');
  });

  it('searches by words (any order, ё = е) and by code', () => {
    expect(searchClassifier(c, 'земельный налог').map((e) => e.code)).toContain('0003.0008.0086.0540');
    expect(searchClassifier(c, 'налог земельный')[0].code).toBe('0003.0008.0086.0540');
    expect(searchClassifier(c, '1149')[0].code).toBe('0005.0005.0056.1149');
    expect(searchClassifier(c, '0005.0005.0056').every((e) => e.code.startsWith('0005.0005.0056'))).toBe(true);
    expect(searchClassifier(c, '').every((e) => e.level <= 2)).toBe(true);
    expect(searchClassifier(c, 'а', 10)).toHaveLength(10);
  });
});
