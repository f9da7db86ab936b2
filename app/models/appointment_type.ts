import { AppointmentTypeSchema } from '#database/schema'

export default class AppointmentType extends AppointmentTypeSchema {}
