/**
 * Which trigrams of a searched text PostgreSQL's trigram index is asked for
 * (db/name-trigrams.ts): the text and a sample's counts in, the trigrams (or none: the list's
 * index) out. Pure: no database.
 */
import {
  COMMON_SHARE,
  PHRASE_TRIGRAMS,
  rarePhrases,
  rareTrigrams,
  sampleOf,
  TEXT_COMMON_SHARE,
  wordTrigrams,
} from '../../db/name-trigrams';

/** `n` names `Project scale-<i>` (1..n), lower-cased, as the scale bench's portfolio. */
const scaleNames = (n: number) => Array.from({ length: n }, (_, i) => `project scale-${i + 1}`);

describe('the trigrams of a text', () => {
  it('are those of ASCII letters and digits inside one word, each once, in order', () => {
    expect(wordTrigrams('ab-cde 9999 x_yz é12a').map((t) => t.trigram)).toEqual([
      'cde',
      '999',
      '12a',
    ]);
  });
});

describe('the trigrams the index reads', () => {
  it('of a full name among names sharing its words: its rare part only', () => {
    // 2,000 sampled of 100,000: every name holds "project" and "scale".
    const sample = sampleOf(scaleNames(2_000), 100_000);
    expect(rareTrigrams('project scale-1999', sample)).toEqual(['999']);
    // Two parts apart, when the rows the second spares cost more than its list.
    expect(rareTrigrams('project scale-123456', sample)?.sort()).toEqual(['123', '456']);
  });

  it('sharing a character when asked (SQLite): two parts of one number', () => {
    const sample = sampleOf(scaleNames(2_000), 100_000);
    expect(rareTrigrams('project scale-12345', sample)).toHaveLength(1);
    expect(rareTrigrams('project scale-12345', sample, 2)?.sort()).toEqual(['123', '345']);
    // Two characters shared: never both.
    expect(rareTrigrams('project scale-1999', sample, 2)).toEqual(['999']);
  });

  it('of a text held by none of the sampled names: apart from each other', () => {
    const sample = sampleOf(scaleNames(2_000), 100_000);
    const chosen = rareTrigrams('northwind', sample)!;
    expect(chosen.length).toBeGreaterThanOrEqual(2);
    const at = chosen.map((t) => 'northwind'.indexOf(t)).sort((a, b) => a - b);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(3);
  });

  it('a common word spares the rows of a rarer one: read with it', () => {
    // "feju" in 2% of the names, "crm" in 9%, apart: the rarer word's trigrams overlap.
    const names = Array.from({ length: 2_000 }, (_, i) =>
      [i % 50 === 0 ? 'feju' : 'other', i % 11 === 0 ? 'crm' : 'plan'].join(' '),
    );
    expect(rareTrigrams('feju crm', sampleOf(names, 100_000))?.sort()).toEqual(['crm', 'fej']);
  });

  it('one trigram when the rows it finds cost less than another list', () => {
    expect(rareTrigrams('northwind', sampleOf(scaleNames(1_000)))).toHaveLength(1);
  });

  it(`none when its rarest trigram is held by more than ${COMMON_SHARE * 100}% of the sample`, () => {
    const sample = sampleOf(scaleNames(2_000), 100_000);
    expect(rareTrigrams('project', sample)).toBeUndefined();
    expect(rareTrigrams('scale-1', sample)).toBeUndefined();
    // "crm" in one name of 16 (6%): common; in one of 25 (4%): rare.
    const names = (every: number) =>
      Array.from({ length: 1_600 }, (_, i) => (i % every === 0 ? `crm-${i}` : `plan-${i}`));
    expect(rareTrigrams('crm-48', sampleOf(names(16)))).toBeUndefined();
    expect(rareTrigrams('crm-50', sampleOf(names(25)))).toEqual(['crm']);
  });

  it(`none when more than ${TEXT_COMMON_SHARE * 100}% of the sampled names hold the text`, () => {
    // Its trigrams rare, but the list's index soon fills a page (and the planner knows it).
    const names = (every: number) =>
      Array.from({ length: 2_000 }, (_, i) => (i % every === 0 ? 'pamarcal x' : `plan ${i}`));
    expect(rareTrigrams('pamarcal', sampleOf(names(50), 100_000))).toBeUndefined();
    expect(rareTrigrams('pamarcal', sampleOf(names(200), 100_000))).toBeDefined();
  });

  it('none when the text has no trigram of ASCII letters and digits in one word', () => {
    const sample = sampleOf(['northwind erp'], 1);
    for (const text of ['ab', 'a-bc', 'éèü', 'x_y%z', '']) {
      expect(rareTrigrams(text, sample)).toBeUndefined();
    }
  });
});

describe('the phrases FTS5 is asked for (SQLite)', () => {
  /** 2,000 of 100,000 numbered names, drawn evenly as the sample draws them. */
  const drawn = sampleOf(
    Array.from({ length: 2_000 }, (_, i) => `project scale-${i * 50 + 7}`),
    100_000,
  );

  it('a trigram repeated in a number: the digits in order, not the trigram alone', () => {
    // 999 alone is held by 280 of 100,000 numbers, 99999 by one.
    expect(rareTrigrams('project scale-99999', drawn, 2)).toEqual(['999']);
    expect(rarePhrases('project scale-99999', drawn, 2)).toEqual(['99999']);
  });

  it('two chosen trigrams and the one between them: one phrase', () => {
    expect(rareTrigrams('project scale-12345', drawn, 2)?.sort()).toEqual(['123', '345']);
    expect(rarePhrases('project scale-12345', drawn, 2)).toEqual(['12345']);
  });

  it('never widened over a more common trigram, nor out of its word', () => {
    // "xab" in 1 name of 100, "qxa" next to it in 1 of 20: xab alone.
    const names = Array.from({ length: 2_000 }, (_, i) =>
      [i % 100 === 0 ? 'xab' : 'plan', i % 20 === 0 ? 'qxa' : 'item', `n${i}`].join(' '),
    );
    const sample = sampleOf(names, 100_000);
    expect(rarePhrases('qxab', sample, 2)).toEqual(['xab']);
    // The rare word's neighbours across a space or a hyphen are not asked for.
    expect(rarePhrases('plan zuvo-item', sample, 2)).toEqual(['zuvo']);
  });

  it('widened over a neighbour few names hold, though the sample holds it for more common', () => {
    // "080" in 5 sampled names, "808" in 8: both under 1% of 2,000.
    const names = [
      ...Array.from({ length: 5 }, (_, i) => `lot 1080${i}`),
      ...Array.from({ length: 8 }, (_, i) => `lot k808k${'abcdefgh'[i]}`),
      ...Array.from({ length: 1_987 }, () => 'plan item'),
    ];
    const sample = sampleOf(names, 100_000);
    expect(rareTrigrams('80808', sample, 2)).toEqual(['080']);
    expect(rarePhrases('80808', sample, 2)).toEqual(['80808']);
  });

  it(`at most ${PHRASE_TRIGRAMS} trigrams in one phrase`, () => {
    const phrases = rarePhrases('abcdefghijklmnop', sampleOf(['plan'], 100_000), 2)!;
    expect(phrases.length).toBeGreaterThan(0);
    for (const phrase of phrases) {
      expect('abcdefghijklmnop').toContain(phrase);
      expect(phrase.length).toBeLessThanOrEqual(PHRASE_TRIGRAMS + 2);
    }
  });

  it('none when no trigram is rare, as rareTrigrams', () => {
    expect(rarePhrases('project scale', drawn, 2)).toBeUndefined();
    expect(rarePhrases('ab', drawn, 2)).toBeUndefined();
  });
});
