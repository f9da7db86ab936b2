import type { HttpContext } from '@adonisjs/core/http'
import ResourceCategory from '#models/resource_category'
import {
  createCategoryValidator,
  renameCategoryValidator,
  reorderCategoriesValidator,
} from '#validators/resource_library'
import { fieldError } from '#validators/field_error'
import { audit } from '#services/audit'

/*
| The library's categories: the portal groups a client's resources by them,
| in the order of their position numbers.
*/
export default class ResourceCategoriesController {
  async index({ view }: HttpContext) {
    const categories = await ResourceCategory.query()
      .withScopes((scopes) => scopes.inOrder())
      .withScopes((scopes) => scopes.withResourceCount())
    return view.render('pages/staff/resource_library/categories/index', { categories })
  }

  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const [error, details] = await request.tryValidateUsing(createCategoryValidator, { meta: {} })
    if (error) {
      session.flashValidationErrors(error)
      return response.redirect().toRoute('staff.resource_library.categories.index')
    }

    let category: ResourceCategory
    try {
      category = await ResourceCategory.create({
        name: details.name,
        position: await ResourceCategory.nextPosition(),
      })
    } catch (failure) {
      // Another person created the same name a moment ago.
      if (!ResourceCategory.isDuplicateNameError(failure)) throw failure
      session.flashValidationErrors(duplicateName())
      return response.redirect().toRoute('staff.resource_library.categories.index')
    }
    await auditCategory(ctx, 'staff.resource_category.created', category)
    session.flash('success', `The category “${category.name}” is added.`)
    return response.redirect().toRoute('staff.resource_library.categories.index')
  }

  async edit({ params, view }: HttpContext) {
    const category = await ResourceCategory.findOrFail(params.id)
    return view.render('pages/staff/resource_library/categories/edit', { category })
  }

  /** Renames a category. */
  async update(ctx: HttpContext) {
    const { params, request, response, session } = ctx
    const category = await ResourceCategory.findOrFail(params.id)
    const backToForm = () =>
      response.redirect().toRoute('staff.resource_library.categories.edit', { id: category.id })

    const [error, details] = await request.tryValidateUsing(renameCategoryValidator, {
      meta: { categoryId: category.id },
    })
    if (error) {
      session.flashValidationErrors(error)
      return backToForm()
    }

    category.name = details.name
    if (category.$isDirty) {
      try {
        await category.save()
      } catch (failure) {
        if (!ResourceCategory.isDuplicateNameError(failure)) throw failure
        session.flashValidationErrors(duplicateName())
        return backToForm()
      }
      await auditCategory(ctx, 'staff.resource_category.renamed', category)
    }
    session.flash('success', `The category is now called “${category.name}”.`)
    return response.redirect().toRoute('staff.resource_library.categories.index')
  }

  /** Saves the position numbers of the list's "Save order" form. */
  async reorder(ctx: HttpContext) {
    const { request, response, session, auth } = ctx
    const [error, order] = await request.tryValidateUsing(reorderCategoriesValidator)
    if (error || order.categoryIds.length !== order.positions.length) {
      session.flash('errors', { positions: 'Please give each category a whole number from 0 to 9999.' })
      return response.redirect().toRoute('staff.resource_library.categories.index')
    }

    const positions = new Map(order.categoryIds.map((id, index) => [id, order.positions[index]]))
    await ResourceCategory.reorder(positions)
    await audit(ctx, {
      action: 'staff.resource_category.reordered',
      actorKind: 'staff',
      actorId: auth.use('staff').getUserOrFail().id,
      detail: { categoryCount: positions.size },
    })
    session.flash('success', 'The order of the categories is saved.')
    return response.redirect().toRoute('staff.resource_library.categories.index')
  }
}

function duplicateName() {
  return fieldError('name', 'There is already a category with this name. Please choose another name.', 'database.unique')
}

function auditCategory(ctx: HttpContext, action: string, category: ResourceCategory) {
  return audit(ctx, {
    action,
    actorKind: 'staff',
    actorId: ctx.auth.use('staff').getUserOrFail().id,
    detail: { categoryId: category.id },
  })
}
