import { BaseSeeder } from '@adonisjs/lucid/seeders'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import app from '@adonisjs/core/services/app'
import { createHash, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { DateTime } from 'luxon'
import env from '#start/env'
import StaffUser, { TWO_FACTOR_ROLES } from '#models/staff_user'
import { encryptTotpSecret } from '#services/two_factor'
import { Secret } from 'otpauth'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import ClientUserLink from '#models/client_user_link'
import AppointmentType from '#models/appointment_type'
import Appointment from '#models/appointment'
import WaitlistEntry from '#models/waitlist_entry'
import SessionNote from '#models/session_note'
import EmergencyContact from '#models/emergency_contact'
import ResourceCategory from '#models/resource_category'
import Resource from '#models/resource'
import ResourceShare from '#models/resource_share'
import { practiceNow } from '#support/practice_time'

/*
| Demo phone numbers: real, valid-looking numbers in the 555-0100…0199 range
| that US numbering keeps for fiction (area code 217, Springfield IL), so
| every form saves them unchanged. Exported for the test that re-saves each.
*/
export const DEMO_PHONES = {
  alex: '+12175550142',
  chenHome: '+12175550155',
  chrisRivera: '+12175550176',
  other: (index: number) => `+1217555${String(100 + (index % 100)).padStart(4, '0')}`,
}

const FIRST = ['Avery', 'Blake', 'Casey', 'Devon', 'Emerson', 'Finley', 'Harper', 'Jordan', 'Kai', 'Logan', 'Morgan', 'Noel', 'Oakley', 'Parker', 'Quinn', 'Reese', 'Rowan', 'Sage', 'Taylor', 'Wren']
const LAST = ['Abbott', 'Bishop', 'Castillo', 'Dawson', 'Ellis', 'Foster', 'Garcia', 'Hughes', 'Ibarra', 'Jensen', 'Khan', 'Lopez', 'Moreno', 'Nguyen', 'Ortiz', 'Patel', 'Quinlan', 'Ramos', 'Singh', 'Tran']

/*
| The demo practice for development (and the browser tests): staff of every
| role, ~40 clients, an adult client and a guardian of two children with
| portal accounts, appointments past and future, session notes, and small
| real files shared with some clients.
|
| Idempotent: the whole practice is written in one transaction, and nothing
| is written when the demo practice owner already exists.
*/
export default class DemoPracticeSeeder extends BaseSeeder {
  static environment = ['development', 'test']

  async run() {
    if (await StaffUser.findBy('email', 'ceo@demo.careincite.test')) {
      console.log('The demo practice is already there; nothing to do.')
      return
    }
    const password = env.get('DEMO_PASSWORD') ?? 'calm-harbor-2026'
    const totpSecret = demoTotpSecret()
    const storedFiles: string[] = []

    try {
      await db.transaction(async (client) => {
        const options = { client }

        const [, , support, clinician, clinician2] = await StaffUser.createMany(
          [
            { name: 'Maya Okafor', email: 'ceo@demo.careincite.test', role: 'ceo' as const },
            { name: 'Daniel Reyes', email: 'admin@demo.careincite.test', role: 'admin' as const },
            { name: 'Priya Shah', email: 'support@demo.careincite.test', role: 'support_staff' as const },
            { name: 'Dr. Elena Marsh', email: 'clinician@demo.careincite.test', role: 'clinician' as const },
            { name: 'Jordan Lee, LCSW', email: 'clinician2@demo.careincite.test', role: 'clinician' as const },
          ].map((staff) => ({
            ...staff,
            password,
            isActive: true,
            // The ceo and admin need two-factor sign-in: enrolled with the documented demo secret.
            ...(TWO_FACTOR_ROLES.includes(staff.role) ? { totpSecret: encryptTotpSecret(totpSecret), totpConfirmedAt: DateTime.now() } : {}),
          })),
          options
        )

        const [intake, individual, family, telehealth] = await AppointmentType.createMany(
          [
            { name: 'Intake assessment', defaultMinutes: 60, isTelehealth: false },
            { name: 'Individual therapy', defaultMinutes: 50, isTelehealth: false },
            { name: 'Family session', defaultMinutes: 60, isTelehealth: false },
            { name: 'Telehealth check-in', defaultMinutes: 30, isTelehealth: true },
          ],
          options
        )

        const today = practiceNow().startOf('day')
        const age = (years: number, days = 40) => today.minus({ years, days })

        // The demo portal people.
        const alex = await Client.create(
          {
            firstName: 'Alexandra', preferredName: 'Alex', lastName: 'Rivera',
            dateOfBirth: (age(34)), email: 'client@demo.careincite.test',
            phone: DEMO_PHONES.alex, addressLine1: '418 Willow Lane', city: 'Springfield',
            region: 'IL', postalCode: '62704', status: 'active', primaryClinicianId: clinician.id,
          },
          options
        )
        const sam = await Client.create(
          {
            firstName: 'Samuel', preferredName: 'Sam', lastName: 'Chen',
            // 14: his parent's portal access is `appointments` (DESIGN §14), and he has his own account.
            dateOfBirth: (age(14)), phone: DEMO_PHONES.chenHome,
            addressLine1: '27 Harbor Street', city: 'Springfield', region: 'IL', postalCode: '62701',
            status: 'active', primaryClinicianId: clinician2.id,
          },
          options
        )
        const lily = await Client.create(
          {
            firstName: 'Lily', lastName: 'Chen', dateOfBirth: (age(9)),
            phone: DEMO_PHONES.chenHome, addressLine1: '27 Harbor Street', city: 'Springfield',
            region: 'IL', postalCode: '62701', status: 'active', primaryClinicianId: clinician2.id,
          },
          options
        )

        const others: Client[] = []
        for (let i = 0; i < 37; i++) {
          const first = FIRST[i % FIRST.length]
          const last = LAST[(i * 7) % LAST.length]
          others.push(
            await Client.create(
              {
                firstName: first, lastName: last,
                dateOfBirth: (age(19 + ((i * 3) % 50), i * 11)),
                email: `${first}.${last}.${i}@example.test`.toLowerCase(),
                phone: DEMO_PHONES.other(i),
                status: i % 12 === 5 ? 'inactive' : i % 12 === 9 ? 'discharged' : 'active',
                primaryClinicianId: i % 2 === 0 ? clinician.id : clinician2.id,
              },
              options
            )
          )
        }

        // Reminders (issue #17): every demo client starts with the practice's default lead time (48 h),
        // as a client staff add does, so a reminder arrives before the 24-hour cancellation window.
        const { default_reminder_lead_hours: defaultLead } = await client.from('practice_settings').where('id', 1).firstOrFail()
        await client
          .from('client_preferences')
          .whereIn('client_id', [alex, sam, lily, ...others].map((each) => each.id))
          .update({ reminder_lead_hours: defaultLead })

        // Safety (issue #18): one client in discreet mode who must not get voicemail, with a note for staff.
        await client
          .from('client_preferences')
          .where('client_id', others[0].id)
          .update({ discreet_mode: true, voicemail_allowed: false, contact_note: 'Mobile only, never the home number.' })

        await EmergencyContact.createMany(
          [
            { clientId: alex.id, name: 'Chris Rivera', relationship: 'Spouse', phone: DEMO_PHONES.chrisRivera, priority: 1 },
            { clientId: sam.id, name: 'Jamie Chen', relationship: 'Parent', phone: DEMO_PHONES.chenHome, priority: 1 },
            { clientId: lily.id, name: 'Jamie Chen', relationship: 'Parent', phone: DEMO_PHONES.chenHome, priority: 1 },
          ],
          options
        )

        const clientAccount = await ClientUser.create(
          { email: 'client@demo.careincite.test', password, displayName: 'Alex', status: 'active' },
          options
        )
        const guardianAccount = await ClientUser.create(
          // The demo guardian reads the portal in Spanish (DESIGN §16): a person's language, not the children's.
          { email: 'guardian@demo.careincite.test', password, displayName: 'Jamie', status: 'active', language: 'es' },
          options
        )
        const teenAccount = await ClientUser.create(
          { email: 'teen@demo.careincite.test', password, displayName: 'Sam', status: 'active' },
          options
        )
        const verifiedAt = DateTime.now()
        await ClientUserLink.createMany(
          [
            { clientUserId: clientAccount.id, clientId: alex.id, relationship: 'self', verifiedAt },
            { clientUserId: guardianAccount.id, clientId: sam.id, relationship: 'parent', verifiedAt, accessLevel: 'appointments' },
            { clientUserId: teenAccount.id, clientId: sam.id, relationship: 'self', verifiedAt },
            { clientUserId: guardianAccount.id, clientId: lily.id, relationship: 'parent', verifiedAt },
          ],
          options
        )

        // Appointments: each provider's day is a grid of hourly slots, so nobody is double-booked.
        const nextSlot = slotAllocator(today)
        const book = async (
          target: Client,
          provider: StaffUser,
          type: AppointmentType,
          dayOffset: number,
          status: Appointment['status']
        ) => {
          const startsAt = nextSlot(provider.id, dayOffset)
          return Appointment.create(
            {
              clientId: target.id, providerId: provider.id, appointmentTypeId: type.id,
              startsAt, endsAt: startsAt.plus({ minutes: type.defaultMinutes }), status,
              isTelehealth: type.isTelehealth,
              location: type.isTelehealth ? null : 'Suite 210, 1200 Main Street',
              cancelledAt: status === 'cancelled' || status === 'late_cancelled' ? startsAt.minus({ days: 2 }) : null,
            },
            options
          )
        }

        const pastAlex = [
          await book(alex, clinician, intake, -70, 'completed'),
          await book(alex, clinician, individual, -56, 'completed'),
          await book(alex, clinician, individual, -42, 'cancelled'),
          await book(alex, clinician, individual, -28, 'completed'),
          await book(alex, clinician, telehealth, -14, 'completed'),
        ]
        await book(alex, clinician, individual, 0, 'scheduled')
        await book(alex, clinician, individual, 7, 'scheduled')
        const alexLater = await book(alex, clinician, telehealth, 14, 'scheduled')
        // The waitlist (issue #22): Alex waits for an earlier time with Dr. Marsh, joined from the session in two weeks.
        await WaitlistEntry.create(
          { clientId: alex.id, providerId: clinician.id, appointmentId: alexLater.id, clientUserId: clientAccount.id },
          options
        )
        for (const child of [sam, lily]) {
          await book(child, clinician2, intake, -35, 'completed')
          await book(child, clinician2, family, -21, 'completed')
          await book(child, clinician2, individual, -7, child === sam ? 'no_show' : 'completed')
          await book(child, clinician2, individual, 3, 'scheduled')
          await book(child, clinician2, family, 17, 'scheduled')
        }
        /** Clients who stopped coming about four months ago (Insights' drop-off): nothing recent, nothing booked. */
        const dropsOff = (i: number) => i % 6 === 1
        for (const [i, other] of others.entries()) {
          if (dropsOff(i)) continue
          const provider = other.primaryClinicianId === clinician.id ? clinician : clinician2
          await book(other, provider, individual, -((i % 20) + 1), i % 9 === 0 ? 'no_show' : 'completed')
          if (other.status === 'active') {
            await book(other, provider, individual, (i % 20) + 1, 'scheduled')
          }
        }

        // The waitlist demo: another client of Dr. Marsh, with an appointment in 3 days) has a
        // portal account; cancelling it there frees the time, and Alex is offered it (/dev/mailbox).
        const waitlistOther = others[2]
        const otherAccount = await ClientUser.create(
          { email: 'client2@demo.careincite.test', password, displayName: waitlistOther.firstName, status: 'active' },
          options
        )
        await ClientUserLink.create(
          { clientUserId: otherAccount.id, clientId: waitlistOther.id, relationship: 'self', verifiedAt },
          options
        )

        // Insights (issue #21): six months of fortnightly sessions with a realistic mix of outcomes,
        // a third of the clients on the portal (missing a little less), reminders for half of them.
        const demoMail = async (recipient: string) => {
          const [mail] = await client
            .table('mail_messages')
            .insert({ template: 'appointment_reminder', recipient, subject: 'Appointment reminder', message_id: `<${randomUUID()}@demo.careincite.test>`, status: 'sent', sent_at: DateTime.now().toJSDate() })
            .returning('id')
          return mail.id as number
        }
        for (const [i, other] of others.entries()) {
          const provider = other.primaryClinicianId === clinician.id ? clinician : clinician2
          const onPortal = i % 3 === 0 && other.status === 'active'
          if (onPortal) {
            const account = await ClientUser.create(
              { email: other.email!, password, displayName: other.firstName, status: 'active', lastSignInAt: DateTime.now().minus({ days: (i * 7) % 50 }) },
              options
            )
            await ClientUserLink.create({ clientUserId: account.id, clientId: other.id, relationship: 'self', verifiedAt }, options)
          }
          const reminded = i % 2 === 0
          for (let week = 26; week >= 3; week -= 2) {
            if (dropsOff(i) && week < 17) break
            const roll = (i * 37 + week * 13) % 100
            const missed = onPortal ? 6 : 12
            const status: Appointment['status'] =
              roll < missed ? 'no_show' : roll < missed + 5 ? 'late_cancelled' : roll < missed + 13 ? 'cancelled' : roll > 97 ? 'scheduled' : 'completed'
            const appointment = await book(other, provider, individual, -week * 7 - (i % 5), status)
            if (status === 'cancelled' || status === 'late_cancelled') {
              appointment.cancelledByKind = roll % 3 === 0 ? 'practice' : 'client'
              await appointment.save()
            }
            if (reminded && other.email) {
              await client.table('appointment_reminders').insert({
                appointment_id: appointment.id,
                starts_at: appointment.startsAt.toJSDate(),
                recipient_email: other.email,
                mail_message_id: await demoMail(other.email),
              })
            }
          }
        }

        await SessionNote.createMany(
          pastAlex
            .filter((appointment) => appointment.status === 'completed')
            .map((appointment) => ({
              appointmentId: appointment.id,
              authorId: clinician.id,
              body: 'Client engaged well. Practised grounding skills; plan to continue weekly sessions.',
            })),
          options
        )

        // The Resource Library: small real files on the drive disk.
        const [coping, sleep, familyCategory] = await ResourceCategory.createMany(
          [
            { name: 'Coping skills', position: 1 },
            { name: 'Sleep', position: 2 },
            { name: 'Family support', position: 3 },
          ],
          options
        )
        const files = [
          { file: 'box-breathing.pdf', title: 'Box breathing', description: 'A four-step breathing exercise for calm.', category: coping, mime: 'application/pdf' },
          { file: 'grounding-54321.pdf', title: 'Grounding: 5-4-3-2-1', description: 'Use your senses to come back to the present.', category: coping, mime: 'application/pdf' },
          { file: 'thought-record.pdf', title: 'Thought record worksheet', description: 'Notice a thought and weigh it.', category: coping, mime: 'application/pdf' },
          { file: 'sleep-hygiene.txt', title: 'Sleep hygiene tips', description: 'Small steps for better rest.', category: sleep, mime: 'text/plain' },
          { file: 'family-routines.txt', title: 'Family routines that help', description: 'Ideas for calmer weeks at home.', category: familyCategory, mime: 'text/plain' },
        ]
        const resources: Resource[] = []
        for (const entry of files) {
          const contents = await readFile(app.makePath('database/seeders/files', entry.file))
          const key = `resources/${randomUUID()}/${entry.file}`
          await drive.use().put(key, contents)
          storedFiles.push(key)
          resources.push(
            await Resource.create(
              {
                title: entry.title, description: entry.description, categoryId: entry.category.id,
                fileKey: key, originalName: entry.file, mimeType: entry.mime,
                sizeBytes: contents.length,
                checksum: createHash('sha256').update(contents).digest('hex'),
                uploadedById: support.id,
              },
              options
            )
          )
        }
        const share = (resource: Resource, target: Client, days: number) => ({
          resourceId: resource.id, clientId: target.id, sharedById: support.id,
          sharedAt: DateTime.now().minus({ days }),
        })
        await ResourceShare.createMany(
          [
            share(resources[0], alex, 20), share(resources[1], alex, 12), share(resources[2], alex, 2),
            share(resources[3], alex, 1), share(resources[4], sam, 5), share(resources[3], sam, 4),
            share(resources[0], lily, 6), share(resources[4], lily, 5),
            ...others.slice(0, 10).map((other, i) => share(resources[i % resources.length], other, i + 1)),
          ],
          options
        )
      })
    } catch (error) {
      // Nothing of a failed seed may stay behind, files included.
      for (const key of storedFiles) await drive.use().delete(key).catch(() => {})
      throw error
    }
    console.log('Seeded the demo practice.')
  }
}

/** Hands out consecutive free hours (9:00–16:00, practice time) per provider and day. */
function slotAllocator(today: DateTime) {
  const taken = new Map<string, number>()
  return (providerId: number, dayOffset: number) => {
    let day = today.plus({ days: dayOffset })
    // Weekends are closed: move to the next Monday.
    while (day.weekday > 5) day = day.plus({ days: 1 })
    for (;;) {
      const key = `${providerId}:${day.toISODate()}`
      const used = taken.get(key) ?? 0
      if (used < 8) {
        taken.set(key, used + 1)
        return day.set({ hour: 9 + used, minute: 0 })
      }
      day = day.plus({ days: 1 })
      while (day.weekday > 5) day = day.plus({ days: 1 })
    }
  }
}

/** DEMO_TOTP_SECRET (base32), or the documented default; refused when it is not base32. */
function demoTotpSecret() {
  const secret = (env.get('DEMO_TOTP_SECRET') ?? 'JBSWY3DPEHPK3PXP').replace(/\s/g, '').toUpperCase()
  if (!/^[A-Z2-7]{16,}=*$/.test(secret)) throw new Error('DEMO_TOTP_SECRET must be base32 (A–Z, 2–7), at least 16 characters')
  return Secret.fromBase32(secret).base32
}
