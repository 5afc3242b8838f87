/** Placeholder until this page is built. */
export function ConfigurationPage() {
  return <div data-testid="placeholder" />;
}
