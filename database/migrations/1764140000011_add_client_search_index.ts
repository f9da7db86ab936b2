import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Staff client search (Client.search) matches any part of a name or email
| with ILIKE '%word%', which no B-tree index serves: at 100 000 clients it
| read the whole table (~150 ms per statement). A trigram GIN index over the
| four searched columns serves every one of those ILIKEs (one bitmap per
| column, OR-ed). pg_trgm is a trusted extension: the database owner may
| create it.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.raw('create extension if not exists pg_trgm')
    this.schema.raw(`
      create index clients_search_trigrams on clients using gin (
        first_name gin_trgm_ops, last_name gin_trgm_ops, preferred_name gin_trgm_ops, email gin_trgm_ops
      )
    `)
  }

  async down() {
    this.schema.raw('drop index clients_search_trigrams')
    this.schema.raw('drop extension if exists pg_trgm')
  }
}
