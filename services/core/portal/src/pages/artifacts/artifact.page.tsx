/** Placeholder until this page is built. */
export function ArtifactPage() {
  return <div data-testid="placeholder" />;
}
