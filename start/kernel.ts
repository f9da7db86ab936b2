/*
| HTTP middleware. Server middleware run on every request (static files
| included); router middleware run on every matched route.
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'
import env from '#start/env'
/* Defines `ctx.portal`, which fails loudly on a route that opened no PortalContext. */
import '#portal/portal_context'

server.errorHandler(() => import('#exceptions/handler'))

/*
| Body parsing, session, shield, auth and the surface isolation run as server
| middleware (the CSRF check reads the parsed body),
| so they also cover URLs without a route: a staff user who opens any
| /portal/* URL, existing or not, is sent to the dashboard, and every error
| page can use the session.
*/
server.use([
  /*
  | `npm run bench` only (BENCH_BASELINE): answers GET /bench/baseline bare,
  | before any other middleware, and hands every other request on untouched,
  | so the measured portal and staff pages keep the whole stack below.
  */
  ...(env.get('BENCH_BASELINE') ? [() => import('#start/routes/bench')] : []),
  () => import('#middleware/container_bindings_middleware'),
  () => import('#middleware/health_check_middleware'),
  () => import('#middleware/public_files_middleware'),
  () => import('#middleware/htmx_middleware'),
  () => import('#middleware/detect_user_locale_middleware'),
  () => import('@adonisjs/session/session_middleware'),
  () => import('#middleware/upload_gate_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('@adonisjs/shield/shield_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/surface_isolation_middleware'),
])

router.use([])

export const middleware = router.named({
  staffAuth: () => import('#middleware/staff_auth_middleware'),
  staffArea: () => import('#middleware/staff_area_middleware'),
  portalAuth: () => import('#middleware/portal_auth_middleware'),
  portalContext: () => import('#middleware/portal_context_middleware'),
  portalLevel: () => import('#middleware/portal_level_middleware'),
  guest: () => import('#middleware/guest_middleware'),
  clientScheduling: () => import('#middleware/client_scheduling_middleware'),
})
