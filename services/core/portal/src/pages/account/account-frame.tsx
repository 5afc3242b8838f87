import { Card, Layout, Select } from 'antd';
import type { ReactNode } from 'react';
import { Language, languages, useI18n } from '../../i18n/i18n';

/**
 * The frame of the signed-out pages (sign in, sign up): one centred card no
 * wider than the screen, with the language switcher in its header.
 */
export function AccountFrame({ title, children }: { title: ReactNode; children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
      <Card
        title={title}
        style={{ width: '100%', maxWidth: 420 }}
        styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 }, title: { whiteSpace: 'normal', minWidth: 0 } }}
        extra={
          <Select<Language>
            aria-label={t('nav.language')}
            data-testid="language-switcher"
            value={language}
            onChange={setLanguage}
            options={languages}
            size="small"
            style={{ width: 110 }}
          />
        }
      >
        {children}
      </Card>
    </Layout>
  );
}
