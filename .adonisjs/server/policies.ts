export const policies = {
  ClientPolicy: () => import('#policies/client_policy'),
}

