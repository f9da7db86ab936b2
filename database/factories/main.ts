/*
| Test data makers, one import for a test:
|   import { createClient, createStaff } from '#database/factories/main'
| Each row gets unique names: the test database is shared by the run.
*/
export { PASSWORD } from '#database/factories/accounts'
export { ClientFactory, createClient } from '#database/factories/client_factory'
export { createStaff, enrolTwoFactor, totpSecretOf } from '#database/factories/staff_user_factory'
export { createPortalAccount } from '#database/factories/client_user_factory'
export { AppointmentFactory, AppointmentTypeFactory, createAppointment } from '#database/factories/appointment_factory'
export { EmergencyContactFactory, createEmergencyContact } from '#database/factories/emergency_contact_factory'
export { createSharedResource } from '#database/factories/resource_factory'
