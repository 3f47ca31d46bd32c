import { describe, expect, it } from 'vitest';
import {
  safeFileName,
  safeName,
  splitExtension,
  truncateUtf8,
  uniqueName,
  utf8Length,
} from '../../../../src-main/engine/interop/safe-names.js';

describe('safeName', () => {
  it('blocks path traversal and separators', () => {
    for (const evil of ['..', '.', '../../etc/passwd', '..\\..\\windows', '/', 'a/b', 'C:\\x', '\0', '  ']) {
      const s = safeName(evil);
      expect(s).not.toMatch(/[/\\:\0]/);
      expect(s).not.toBe('.');
      expect(s).not.toBe('..');
      expect(s.startsWith('.')).toBe(false);
      expect(s.length).toBeGreaterThan(0);
    }
    expect(safeName('../../etc/passwd')).toBe('_.._etc_passwd');
  });

  it('avoids Windows reserved names, forbidden characters, trailing dots and spaces', () => {
    expect(safeName('CON')).toBe('_CON');
    expect(safeName('nul.txt')).toBe('_nul.txt');
    expect(safeName('com1')).toBe('_com1');
    expect(safeName('LPT9 ')).toBe('_LPT9');
    expect(safeName('Console')).toBe('Console');
    expect(safeName('What? <Me>*')).toBe('What_ _Me__');
    expect(safeName('Ann...  ')).toBe('Ann');
    expect(safeName('tab\there\nnewline')).toBe('tab_here_newline');
    expect(safeName('')).toBe('Unnamed');
    expect(safeName('???', { fallback: 'Person' })).toBe('___');
  });

  it('keeps Unicode, composes it, and bounds the UTF-8 length without splitting characters', () => {
    expect(safeName('Zoë Łukasz 山田 👩‍👩‍👧')).toBe('Zoë Łukasz 山田 👩‍👩‍👧');
    expect(safeName('Zoe\u0308')).toBe('Zoë'); // NFD in, NFC out
    const long = '山'.repeat(200); // 600 bytes
    const s = safeName(long);
    expect(utf8Length(s)).toBeLessThanOrEqual(200);
    expect(s).toBe('山'.repeat(66));
    expect(truncateUtf8('ab👩‍👩‍👧', 5)).toBe('ab');
  });
});

describe('uniqueName', () => {
  it('suffixes " (2)", " (3)" before the extension, case-insensitively', () => {
    const taken = new Set<string>();
    expect(uniqueName('IMG_1.jpg', taken)).toBe('IMG_1.jpg');
    expect(uniqueName('img_1.JPG', taken)).toBe('img_1 (2).JPG');
    expect(uniqueName('IMG_1.jpg', taken)).toBe('IMG_1 (3).jpg');
    expect(uniqueName('Ann', taken)).toBe('Ann');
    expect(uniqueName('Ann', taken)).toBe('Ann (2)');
  });

  it('stays within the byte budget with the suffix', () => {
    const taken = new Set<string>();
    const name = 'é'.repeat(120) + '.jpg'; // 244 bytes
    uniqueName(name, taken, 244);
    const second = uniqueName(name, taken, 244);
    expect(utf8Length(second)).toBeLessThanOrEqual(244);
    expect(second.endsWith(' (2).jpg')).toBe(true);
  });

  it('splits extensions sensibly', () => {
    expect(splitExtension('a.tar.gz')).toEqual({ stem: 'a.tar', ext: '.gz' });
    expect(splitExtension('.hidden')).toEqual({ stem: '.hidden', ext: '' });
    expect(splitExtension('noext')).toEqual({ stem: 'noext', ext: '' });
  });
});

describe('safeFileName', () => {
  it('keeps the extension when shortening, and sanitises both parts', () => {
    const long = 'x'.repeat(300) + '.jpeg';
    const s = safeFileName(long);
    expect(s.endsWith('.jpeg')).toBe(true);
    expect(utf8Length(s)).toBe(200);
    expect(safeFileName('CON.jpg')).toBe('_CON.jpg');
    expect(safeFileName('a:b?.JPG')).toBe('a_b_.JPG');
    expect(safeFileName('..jpg')).toBe('photo.jpg');
    expect(safeFileName('trailing. ')).toBe('trailing');
    expect(safeFileName('noext')).toBe('noext');
  });
});
