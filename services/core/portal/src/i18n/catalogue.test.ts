import { areas } from './areas';
import { en } from './en';
import { zh } from './zh';

const catalogues = { en, zh } as Record<string, Record<string, string>>;

/** Words a Chinese screen shows as they are: product and protocol names. */
const untranslated = /\b(Harbor|LDAP|LDAPS|Docker|OCI|Helm|CLI|API|URL|DN|UID|ID|CPU|SHA256|sha256|Podman|skopeo|OIDC|HTTP|HTTPS|JSON|DB|TLS|CSRF|robot\$)\b/g;

describe('portal i18n catalogues', () => {
  it('give English and Chinese exactly the same keys', () => {
    const english = Object.keys(en).sort();
    expect(Object.keys(zh).sort()).toEqual(english);
  });

  it('keep every key in exactly one area', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [area, { en: strings }] of Object.entries(areas)) {
      for (const key of Object.keys(strings)) {
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)} and ${area})`);
        seen.set(key, area);
      }
    }
    expect(twice).toEqual([]);
  });

  it.each(Object.keys(catalogues))('leave no %s string empty', (lang) => {
    const empty = Object.entries(catalogues[lang]!).filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('keep the same {placeholders} in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{[a-z]+\}/gi) ?? []).sort();
    const mismatched = Object.keys(en).filter(
      (key) => placeholders(en[key as keyof typeof en]).join() !== placeholders(zh[key as keyof typeof en]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('leave no English words on a Chinese screen, beyond product and protocol names', () => {
    const english = Object.entries(zh)
      .filter(([, text]) => /[A-Za-z]{2,}/.test(text.replace(/\{[a-z]+\}/gi, '').replace(untranslated, '')))
      .map(([key, text]) => `${key}: ${text}`);
    expect(english).toEqual([]);
  });
});
