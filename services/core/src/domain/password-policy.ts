/**
 * Harbor's rule for new passwords: 8 to 128 characters with at least one
 * upper-case letter, one lower-case letter and one digit. Returns the reason
 * a password is refused, or null when it is acceptable.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < 8 || password.length > 128) return 'the password must be 8 to 128 characters long';
  if (!/[A-Z]/.test(password) || !/[a-z]/.test(password) || !/[0-9]/.test(password)) {
    return 'the password must contain at least one uppercase letter, one lowercase letter and one digit';
  }
  return null;
}
