import { en } from './en';
import { zh } from './zh';

const catalogues = { en, zh } as Record<string, Record<string, string>>;

describe('portal i18n catalogues', () => {
  it('give English and Chinese exactly the same keys', () => {
    const english = Object.keys(en).sort();
    expect(Object.keys(zh).sort()).toEqual(english);
  });

  it.each(Object.keys(catalogues))('leave no %s string empty', (lang) => {
    const empty = Object.entries(catalogues[lang]!).filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('keep the same {placeholders} in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{[a-z]+\}/g) ?? []).sort();
    const mismatched = Object.keys(en).filter(
      (key) => placeholders(en[key as keyof typeof en]).join() !== placeholders(zh[key as keyof typeof en]).join(),
    );
    expect(mismatched).toEqual([]);
  });
});
