/** Placeholder until this dialog is built. */
export function ChangePasswordDialog(props: { open: boolean; userId: number; onClose(): void }) {
  return props.open ? <div data-testid="placeholder">{props.userId}</div> : null;
}
