import { Card } from 'antd';
import type { ReactNode } from 'react';

/**
 * A page's frame. The header wraps its title and actions on a narrow window
 * instead of pushing the page wider than the screen.
 */
export function PageCard({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card
      title={title}
      extra={extra}
      style={{ minWidth: 0 }}
      styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 }, title: { whiteSpace: 'normal', minWidth: 0 }, body: { minWidth: 0 } }}
    >
      {children}
    </Card>
  );
}
