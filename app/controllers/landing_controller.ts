import type { HttpContext } from '@adonisjs/core/http'

/** The public front door: links to the staff and portal sign-in pages. */
export default class LandingController {
  async show({ view }: HttpContext) {
    return view.render('pages/landing')
  }
}
