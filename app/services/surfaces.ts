/*
| The app has two sides that never mix: the client portal under /portal and
| the staff application everywhere else.
*/
export function isPortalPath(url: string) {
  return url === '/portal' || url.startsWith('/portal/') || url.startsWith('/portal?')
}

/** Paths any visitor may reach, whoever is signed in (the mailbox exists in development only). */
export function isNeutralPath(url: string) {
  return url === '/health' || url === '/dev/mailbox' || url.startsWith('/dev/mailbox/')
}
