/** Placeholder until this page is built. */
export function GroupsPage() {
  return <div data-testid="placeholder" />;
}
