import ClientUserLink from '#models/client_user_link'

/*
| Who else may see a client's portal information (issue #20): the live,
| verified links of other accounts, shown to the client themself on Account
| (an adult's or a teen's own account). Account machinery: the links and the
| accounts' display names, on the app role's pool.
*/
export async function peopleWithAccess(clientId: number) {
  return ClientUserLink.query()
    .where('client_user_links.client_id', clientId)
    .withScopes((scopes) => scopes.live())
    .whereNotNull('client_user_links.verified_at')
    .whereNot('client_user_links.relationship', 'self')
    .preload('clientUser', (account) => account.select('id', 'displayName'))
    .orderBy('client_user_links.id')
}
