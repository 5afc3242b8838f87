/** Placeholder until this page is built. */
export function SignUpPage() {
  return <div data-testid="placeholder" />;
}
