/** Placeholder until this page is built. */
export function RepositoryPage() {
  return <div data-testid="placeholder" />;
}
