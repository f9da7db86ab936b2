import type { HttpContext } from '@adonisjs/core/http'

/*
| One page, byte for byte, for every emailed link that no longer works
| (expired, revoked, used or unknown), so a link's page tells nothing
| about why: one for the portal's links, one for the staff's.
*/
export function renderPortalLinkInvalid(ctx: HttpContext) {
  ctx.response.status(404)
  // The language switch goes on to the sign-in page, not back to the link: the page stays the same for every link.
  ctx.view.share({ languageSwitchBack: '/portal/login' })
  return ctx.view.render('pages/portal/link_invalid')
}

export function renderStaffLinkInvalid(ctx: HttpContext) {
  ctx.response.status(404)
  return ctx.view.render('pages/staff/link_invalid')
}
