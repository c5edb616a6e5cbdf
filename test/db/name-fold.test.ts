/** The fold names are searched and sorted by (db/name-fold.ts): letter case only, in place. */
import fc from 'fast-check';
import { foldName } from '../../db/name-fold';

describe('foldName', () => {
  it('lower-cases the letters of every script', () => {
    expect(foldName('Übergabe an den Betrieb')).toBe('übergabe an den betrieb');
    expect(foldName('ÉTÉ 2027')).toBe('été 2027');
    expect(foldName('STRAẞE Straße')).toBe('straße straße');
    expect(foldName('ΣΧΈΔΙΟ Ǆemal Ωmega')).toBe('σχέδιο ǆemal ωmega');
  });

  it('folds Greek’s final sigma as its sigma, wherever it stands', () => {
    expect(foldName('ΟΔΟΣ οδος οδοσ')).toBe('οδοσ οδοσ οδοσ');
  });

  it('keeps a letter whose lower case is more than one code point', () => {
    // 'İ' lower-cased is "i̇" (i and a combining dot above).
    expect(foldName('İstanbul')).toBe('İstanbul');
  });

  it('keeps accents, and what has no case', () => {
    expect(foldName('é e ß 中文 100%_\\ 🙂')).toBe('é e ß 中文 100%_\\ 🙂');
  });

  it('keeps every code point in place: a part of a name folds to a part of the folded name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.nat(), fc.nat(), (s, a, b) => {
        const points = [...s];
        const folded = [...foldName(s)];
        expect(folded).toHaveLength(points.length);
        const [from, to] = [a % (points.length + 1), b % (points.length + 1)].sort((x, y) => x - y);
        const part = points.slice(from, to).join('');
        expect(foldName(part)).toBe(folded.slice(from, to).join(''));
        expect(foldName(foldName(s))).toBe(foldName(s));
      }),
    );
  });
});
