/*
| "Leave this site" with JavaScript (issue #18). The link works on its own
| (GET /portal/leave signs out and redirects); this adds two things:
| - pressing Escape twice within a second follows the same link;
| - leaving replaces this page in the tab's history, so Back does not return
|   to it, and hides the page at once while the next one loads.
| Loaded as a module by the portal layout and the landing page (`/`, public
| layout with quickExit) only (an external file: the CSP
| stays 'self').
*/
const link = document.querySelector('a[data-quick-exit]')

if (link) {
  const DOUBLE_PRESS_MS = 1000
  let lastEscapeAt = -Infinity

  const leave = () => {
    document.documentElement.classList.add('quick-exit-leaving')
    window.location.replace(link.href)
  }

  link.addEventListener('click', (event) => {
    event.preventDefault()
    leave()
  })

  document.addEventListener('keydown', (event) => {
    // A held-down key repeats; an IME uses Escape to cancel its own composition.
    if (event.key !== 'Escape' || event.repeat || event.isComposing) return
    // Date.now(), not event.timeStamp: a test's controlled clock can move it.
    const now = Date.now()
    if (now - lastEscapeAt <= DOUBLE_PRESS_MS) {
      leave()
      return
    }
    lastEscapeAt = now
  })
}
