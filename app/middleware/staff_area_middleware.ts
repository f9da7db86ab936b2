import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { StaffArea } from '#abilities/areas'
import { discardTemporaryFiles } from '#services/resource_files'

/*
| The staff area a route group belongs to (app/abilities/areas.ts says who
| may open each): used after staffAuth on each group of start/routes, so no
| controller repeats the check. A refusal is bouncer's, so it gets the same
| calm 403 page as any other.
*/
export default class StaffAreaMiddleware {
  async handle(ctx: HttpContext, next: NextFn, area: StaffArea) {
    try {
      await ctx.bouncer.authorize('openArea', area)
    } catch (refusal) {
      // Uploads are parsed before routing: a refused one leaves no file behind.
      await discardTemporaryFiles(Object.values(ctx.request.allFiles()).flat())
      throw refusal
    }
    return next()
  }
}
