import { describe, expect, it } from 'vitest';
import { filenameFromDisposition } from './client';

describe('file names of downloads', () => {
  it('reads RFC 5987 names first, then quoted and bare ones', () => {
    expect(filenameFromDisposition(`attachment; filename*=utf-8''%D0%BF%D0%B8%D1%81%D1%8C%D0%BC%D0%BE.txt`, 'x')).toBe('письмо.txt');
    expect(filenameFromDisposition(`attachment; filename="fallback.txt"; filename*=UTF-8''%D1%81%D0%BF%D1%80%D0%B0%D0%B2%D0%BA%D0%B0.pdf`, 'x')).toBe('справка.pdf');
    expect(filenameFromDisposition('attachment; filename="appeal-statistics_2025-03-01_2025-03-31.csv"', 'x')).toBe('appeal-statistics_2025-03-01_2025-03-31.csv');
    expect(filenameFromDisposition('attachment; filename=report.xlsx', 'x')).toBe('report.xlsx');
  });

  it('falls back, and never keeps a path', () => {
    expect(filenameFromDisposition(null, 'file.bin')).toBe('file.bin');
    expect(filenameFromDisposition('inline', 'file.bin')).toBe('file.bin');
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"', 'x')).toBe('.._.._etc_passwd');
  });
});
