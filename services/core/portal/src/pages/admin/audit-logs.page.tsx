/** Placeholder until this page is built. */
export function AuditLogsPage() {
  return <div data-testid="placeholder" />;
}
