import { Spin } from 'antd';
import { ComponentType, lazy, Suspense } from 'react';

/**
 * A page loaded on first visit, so signing in does not download every area of
 * the portal. `pick` names the module's export, keeping named exports.
 */
export function lazyPage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  const Page = lazy(async () => ({ default: pick(await load()) }));
  return function LazyPage() {
    return (
      <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
        <Page />
      </Suspense>
    );
  };
}
