/*
| The app's script (besides htmx, and the portal's quick_exit.js). Everything works without it;
| it adds the gentle idle notice before the automatic sign-out, turns a
| failed htmx request into a normal page load, so an error page is shown
| whole (htmx is told not to swap 4xx/5xx into a list: see the htmx-config meta),
| moves focus to a returned form's list of problems, keeps tab links in step
| with the panel htmx swapped in, and scrolls a focused link of the portal's
| sideways-scrolling nav fully into view (browsers leave a partly visible one
| where it is), and shows the Resource Library upload's progress.
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

// The Resource Library's upload (form[data-upload-progress]) with a progress
// bar: htmx sends with fetch, which reports no upload progress, so this one
// form goes by XMLHttpRequest. The server answers with where to go next
// (X-Upload-Location, see upload_gate_middleware.ts); a page with problems
// replaces this one, as a normal submit would. Without JavaScript it is a
// normal submit.
document.addEventListener('submit', (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload-progress')) return
  const box = form.querySelector('.upload-progress')
  if (!box || typeof XMLHttpRequest === 'undefined' || typeof FormData === 'undefined') return
  event.preventDefault()
  const bar = box.querySelector('progress')
  const text = box.querySelector('.upload-progress-text')
  const button = form.querySelector('button[type="submit"]')
  const say = (percent, words) => {
    bar.value = percent
    text.textContent = words
  }
  box.hidden = false
  if (button) button.disabled = true
  say(0, 'Starting the upload…')

  const request = new XMLHttpRequest()
  request.open('POST', form.action)
  request.setRequestHeader('X-Upload-Progress', '1')
  request.upload.addEventListener('progress', (progress) => {
    if (!progress.lengthComputable) return
    const percent = Math.floor((progress.loaded * 100) / progress.total)
    say(percent, `${percent}% sent`)
  })
  request.upload.addEventListener('load', () => say(100, 'Sent. Checking the file…'))
  request.addEventListener('load', () => {
    const next = request.getResponseHeader('X-Upload-Location')
    if (next) {
      window.location.assign(next)
      return
    }
    document.open()
    document.write(request.responseText)
    document.close()
  })
  // A network failure: try once more the plain way, which shows the browser's own error if it fails again.
  request.addEventListener('error', () => {
    box.hidden = true
    if (button) button.disabled = false
    form.removeAttribute('data-upload-progress')
    form.submit()
  })
  request.send(new FormData(form))
})
