/**
 * "a•••@example.test": enough for the owner, or a member of staff telling
 * two look-alike clients apart, to recognise — not enough to read out.
 */
export function maskEmail(email: string | null | undefined) {
  if (!email) return ''
  const at = email.lastIndexOf('@')
  if (at < 1) return '•••'
  return `${email.slice(0, 1)}•••${email.slice(at)}`
}
