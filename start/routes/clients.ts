/*
| Staff: clients (everyone; clinicians see their own caseload).
| No method spoofing: updates are plain POSTs. The search term is posted,
| never put in a URL.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

router
  .group(() => {
    router.get('/', [controllers.staff.Clients, 'index']).as('index')
    router.post('/search', [controllers.staff.ClientSearches, 'store']).as('search.store')
    router.post('/search/clear', [controllers.staff.ClientSearches, 'destroy']).as('search.destroy')
    /* The client picker of staff forms (booking, invite, audit log); each purpose checks its own area. */
    router.post('/picker', [controllers.staff.ClientPickers, 'search']).as('picker.search')
    router.get('/new', [controllers.staff.Clients, 'create']).as('create')
    router.post('/', [controllers.staff.Clients, 'store']).as('store')
    router
      .get('/:id', [controllers.staff.Clients, 'show'])
      .as('show')
      .where('id', router.matchers.number())
    router
      .get('/:id/edit', [controllers.staff.Clients, 'edit'])
      .as('edit')
      .where('id', router.matchers.number())
    router
      .post('/:id', [controllers.staff.Clients, 'update'])
      .as('update')
      .where('id', router.matchers.number())
    router
      .post('/:id/contact-rules', [controllers.staff.ClientContactRules, 'update'])
      .as('contact_rules.update')
      .where('id', router.matchers.number())
  })
  .prefix('/clients')
  .as('staff.clients')
  .use([middleware.staffAuth(), middleware.staffArea('clients')])
