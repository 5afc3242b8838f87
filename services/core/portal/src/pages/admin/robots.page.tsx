/** Placeholder until this page is built. */
export function SystemRobotsPage() {
  return <div data-testid="placeholder" />;
}
