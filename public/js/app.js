/*
| The app's script (besides htmx, and the portal's quick_exit.js). Everything works without it;
| it adds the gentle idle notice before the automatic sign-out, turns a
| failed htmx request into a normal page load, so an error page is shown
| whole (htmx is told not to swap 4xx/5xx into a list: see the htmx-config meta),
| moves focus to a returned form's list of problems, keeps tab links in step
| with the panel htmx swapped in, and scrolls a focused link of the portal's
| sideways-scrolling nav fully into view (browsers leave a partly visible one
| where it is).
*/
document.addEventListener('htmx:response:error', (event) => {
  const request = event.detail && event.detail.ctx && event.detail.ctx.request
  if (request && request.method === 'GET' && request.action) window.location.assign(request.action)
})

document.addEventListener('focusin', (event) => {
  const target = event.target
  if (target instanceof Element && target.closest('.portal-nav')) {
    target.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }
})

;(function () {
  const minutes = Number(document.body.dataset.idleMinutes)
  const notice = document.getElementById('idle-notice')
  if (!minutes || !notice) return

  const warnAfterMs = Math.max(minutes - 2, minutes * 0.8) * 60_000
  let timer

  function arm() {
    clearTimeout(timer)
    notice.hidden = true
    timer = setTimeout(() => {
      notice.hidden = false
    }, warnAfterMs)
  }

  // Any request to the server counts as activity there, so refresh on navigation and htmx swaps.
  document.addEventListener('htmx:after:request', arm)
  document.getElementById('idle-stay')?.addEventListener('click', () => {
    // A light request keeps the session alive, then the clock starts again.
    fetch(window.location.href, { method: 'HEAD', credentials: 'same-origin' }).finally(arm)
  })
  arm()
})()

// A form sent back with problems: focus its summary, which links to each field
// (without JavaScript, a link at the top of the page leads there instead).
document.querySelector('.error-summary')?.focus()

// Tabs whose panel htmx swaps (data-tabs-for names the panel's id): the panel
// says which tab it shows (data-tab), and the links' aria-current follows it.
document.addEventListener('htmx:after:settle', () => {
  for (const tabs of document.querySelectorAll('[data-tabs-for]')) {
    const shown = document.getElementById(tabs.dataset.tabsFor)?.dataset.tab
    if (!shown) continue
    for (const link of tabs.querySelectorAll('a[data-tab]')) {
      link.setAttribute('aria-current', link.dataset.tab === shown ? 'page' : 'false')
    }
  }
})
