import type { HttpContext } from '@adonisjs/core/http'

/** (being written) */
export default class ActiveClientController {
  async index(_ctx: HttpContext) {}
  async show(_ctx: HttpContext) {}
  async edit(_ctx: HttpContext) {}
  async store(_ctx: HttpContext) {}
  async update(_ctx: HttpContext) {}
  async destroy(_ctx: HttpContext) {}
}
