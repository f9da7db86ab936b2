import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| When a guardian last chose to view each person they act for, so the next
| sign-in opens on the same person instead of the first in the list.
| Account machinery (written on the app role's own pool), like the rest of
| the link; the portal role's grants on this table are unchanged.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('client_user_links', (table) => {
      table.timestamp('last_viewed_at', { useTz: true }).nullable()
    })
  }

  async down() {
    this.schema.alterTable('client_user_links', (table) => {
      table.dropColumn('last_viewed_at')
    })
  }
}
