export const policies = {
  AppointmentPolicy: () => import('#policies/appointment_policy'),
  ClientPolicy: () => import('#policies/client_policy'),
}

