/*
| Staff: the Resource Library (ceo, admin, support_staff: the staffArea
| middleware lets no one else in). Forms POST to explicit action paths.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

/* A row id: digits that fit a bigint, so a 25-digit id is a 404, not a database error. */
const id = { match: /^[1-9][0-9]{0,15}$/, cast: (value: string) => Number(value) }

router
  .group(() => {
    router.get('/', [controllers.staff.ResourceLibrary, 'index']).as('index')
    router.get('/new', [controllers.staff.ResourceLibrary, 'create']).as('create')
    router.post('/', [controllers.staff.ResourceLibrary, 'store']).as('store')

    router.get('/categories', [controllers.staff.ResourceCategories, 'index']).as('categories.index')
    router.post('/categories', [controllers.staff.ResourceCategories, 'store']).as('categories.store')
    router.post('/categories/order', [controllers.staff.ResourceCategories, 'reorder']).as('categories.reorder')
    router
      .get('/categories/:id/edit', [controllers.staff.ResourceCategories, 'edit'])
      .as('categories.edit')
      .where('id', id)
    router
      .post('/categories/:id/rename', [controllers.staff.ResourceCategories, 'update'])
      .as('categories.update')
      .where('id', id)

    router.get('/:id', [controllers.staff.ResourceLibrary, 'show']).as('show').where('id', id)
    router.post('/:id/details', [controllers.staff.ResourceLibrary, 'update']).as('update').where('id', id)
    router.post('/:id/archive', [controllers.staff.ResourceArchives, 'store']).as('archive').where('id', id)
    router
      .post('/:id/unarchive', [controllers.staff.ResourceArchives, 'destroy'])
      .as('unarchive')
      .where('id', id)
    router.get('/:id/download', [controllers.staff.ResourceFiles, 'show']).as('download').where('id', id)

    router
      .post('/:id/share-search', [controllers.staff.ShareSearches, 'store'])
      .as('share_search.store')
      .where('id', id)
    router.post('/:id/shares', [controllers.staff.ResourceShares, 'store']).as('shares.store').where('id', id)
    router
      .post('/:id/shares/:clientId/unshare', [controllers.staff.ResourceShares, 'destroy'])
      .as('shares.destroy')
      .where('id', id)
      .where('clientId', id)
  })
  .prefix('/resource-library')
  .as('staff.resource_library')
  .use([middleware.staffAuth(), middleware.staffArea('resourceLibrary')])
