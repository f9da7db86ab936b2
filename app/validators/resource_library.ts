import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import resourceLibrary from '#config/resource_library'

/*
| The staff Resource Library. The file itself is checked by content in
| app/services/resource_files.ts, not here.
*/

const messages = new SimpleMessagesProvider({
  'required': 'Please fill this in.',
  'string': 'Please fill this in.',
  'maxLength': 'Please keep this to {{ max }} characters or fewer.',
  'minLength': 'Please use at least {{ min }} characters.',
  'number': 'Please choose one of the options.',
  'withoutDecimals': 'Please choose one of the options.',
  'positive': 'Please choose one of the options.',
  'max': 'Please choose one of the options.',
  'enum': 'Please choose one of the options.',
  'regex': 'Please choose one of the options.',
  'database.exists': 'That category no longer exists. Please choose another.',
  'title.required': 'Please give the resource a title.',
  'name.required': 'Please give the category a name.',
  'name.database.unique': 'There is already a category with this name. Please choose another name.',
  'clientIds.required': 'Please tick at least one client to share with.',
  'clientIds.array': 'Please tick at least one client to share with.',
  'clientIds.minLength': 'Please tick at least one client to share with.',
  'clientIds.maxLength': 'Please share with at most {{ max }} clients at a time.',
  'clientIds.*.number': 'Please tick clients from the list.',
  'clientIds.*.withoutDecimals': 'Please tick clients from the list.',
  'clientIds.*.positive': 'Please tick clients from the list.',
  'clientIds.*.max': 'Please tick clients from the list.',
})

function withMessages<Validator extends { messagesProvider: unknown }>(validator: Validator) {
  validator.messagesProvider = messages
  return validator
}

const categoryId = () =>
  vine
    .number()
    .withoutDecimals()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .exists({ table: 'resource_categories', column: 'id' })
    .optional()

/** The library list's query string. */
export const resourceListValidator = withMessages(
  vine.create({
    category: vine
      .string()
      .regex(/^(none|[1-9][0-9]{0,15})$/)
      .optional(),
    archived: vine.enum(['active', 'archived', 'all']).optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

/** Title, description and category of a resource (upload and edit). */
export const resourceDetailsValidator = withMessages(
  vine.create({
    title: vine.string().trim().minLength(1).maxLength(200),
    description: vine.string().trim().maxLength(2000).optional(),
    categoryId: categoryId(),
  })
)

/** The share picker's search (a GET form on the resource page). */
export const clientSearchValidator = vine.create({
  q: vine.string().trim().maxLength(100).optional(),
})

/** Clients ticked in the share picker. Which of them may get it is the model's business. */
export const shareResourceValidator = withMessages(
  vine.create({
    clientIds: vine
      .array(vine.number().withoutDecimals().positive().max(Number.MAX_SAFE_INTEGER))
      .minLength(1)
      .maxLength(resourceLibrary.maxClientsPerShare),
  })
)

const categoryName = () =>
  vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(80)
    .unique({
      table: 'resource_categories',
      column: 'name',
      caseInsensitive: true,
      // Renaming a category to its own name (or its own name in other letter case) is fine.
      filter: (query, _value, field) => {
        if (field.meta.categoryId) query.whereNot('id', field.meta.categoryId)
      },
    })

/** A new category. */
export const createCategoryValidator = withMessages(
  vine.withMetaData<{ categoryId?: number }>().create({ name: categoryName() })
)

/** A category's new name; `meta.categoryId` is the category renamed. */
export const renameCategoryValidator = withMessages(
  vine.withMetaData<{ categoryId: number }>().create({ name: categoryName() })
)

/**
 * The list's "Save order" form: each row sends its category id and its
 * position, in the same order (numeric keys like positions[12] would be
 * read as array indexes by the body parser).
 */
export const reorderCategoriesValidator = withMessages(
  vine.create({
    categoryIds: vine
      .array(vine.number().withoutDecimals().positive().max(Number.MAX_SAFE_INTEGER))
      .maxLength(1000),
    positions: vine.array(vine.number().withoutDecimals().range([0, 9999])).maxLength(1000),
  })
)
