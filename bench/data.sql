-- The benchmark's data set, generated set-based (generate_series), never row by row.
--
-- Run by bench/load_data.ts on a freshly migrated database, one phase at a
-- time (each `-- @phase name` line starts one), after it has set:
--   bench.clients          clients (100 000 large, 1 000 small)
--   bench.resources        library resources (20 000 / 200)
--   bench.audit_events     audit rows already there (1 000 000 / 10 000)
--   bench.clinicians       clinicians who provide the appointments (400)
--   bench.password_hash    scrypt hash of the bench password (every account)
--
-- Per client, both sizes hold the same: 10 appointments (one every 84 days,
-- 7 past and 3 upcoming), 5 resource shares (1 in 10 revoked), 10 audit
-- events. Every CHECK constraint holds, and no provider is double-booked
-- (each clinician's clients get distinct daily slots: 3 a day, 84 days).
--
-- Signed-in accounts (bench/load_data.ts lists them): the `self` account of
-- the client every bench.clients/40 ids, and the guardian (`parent`) of the
-- children pair at every (bench.clients/1000)-th hundred.
--
-- Secondary indexes and constraints of the big tables are dropped first and
-- built again at the end (one sort each instead of a million inserts); the
-- re-added foreign keys and the exclusion constraint validate every row.

-- @phase defer_indexes
set maintenance_work_mem = '1GB';
create temporary table bench_deferred (ord serial, tbl text, kind text, name text, def text);

insert into bench_deferred (tbl, kind, name, def)
select c.conrelid::regclass::text, 'constraint', c.conname, pg_get_constraintdef(c.oid)
from pg_constraint c
where c.conrelid in ('appointments'::regclass, 'audit_events'::regclass, 'resource_shares'::regclass,
                     'clients'::regclass, 'client_user_links'::regclass, 'emergency_contacts'::regclass)
  and c.contype in ('f', 'u', 'x')
order by c.contype = 'f', c.conname;

insert into bench_deferred (tbl, kind, name, def)
select i.tablename, 'index', i.indexname, i.indexdef
from pg_indexes i
where i.schemaname = current_schema()
  and i.tablename in ('appointments', 'audit_events', 'resource_shares', 'clients', 'client_user_links', 'emergency_contacts')
  and not exists (select 1 from pg_constraint c where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
order by i.indexname;

do $$
declare d record;
begin
  for d in select * from bench_deferred where kind = 'constraint' order by ord desc loop
    execute format('alter table %I drop constraint %I', d.tbl, d.name);
  end loop;
  for d in select * from bench_deferred where kind = 'index' loop
    execute format('drop index %I', d.name);
  end loop;
end $$;

-- @phase staff_and_catalogues
insert into staff_users (name, email, password, role, is_active)
values
  ('Bench Owner', 'ceo@bench.careincite.test', current_setting('bench.password_hash'), 'ceo', true),
  ('Bench Administrator', 'admin@bench.careincite.test', current_setting('bench.password_hash'), 'admin', true),
  ('Bench Support', 'support@bench.careincite.test', current_setting('bench.password_hash'), 'support_staff', true);

insert into staff_users (name, email, password, role, is_active, created_at, updated_at)
select
  (array['Dr. ', '', '', ''])[1 + g % 4]
    || (array['Amara', 'Bruno', 'Chloe', 'Dmitri', 'Esther', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonah',
              'Kiana', 'Luca', 'Mira', 'Nikolai', 'Olive', 'Pablo', 'Rhea', 'Soren', 'Tessa', 'Umar'])[1 + g % 20]
    || ' '
    || (array['Adler', 'Brennan', 'Cho', 'Delgado', 'Eriksen', 'Fujita', 'Gallo', 'Haddad', 'Iversen', 'Joshi',
              'Kowalski', 'Lindqvist', 'Mbeki', 'Novak', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Sato', 'Varga'])[1 + (g / 20) % 20]
    || (array['', ', LCSW', ', LPC', ', PsyD', ', LMFT'])[1 + g % 5],
  format('clinician%s@bench.careincite.test', lpad(g::text, 4, '0')),
  current_setting('bench.password_hash'),
  'clinician',
  true,
  now() - interval '3 years',
  now() - interval '3 years'
from generate_series(1, current_setting('bench.clinicians')::int) g;

-- Clinician number k (0-based) → staff id, for the set-based inserts below.
create temporary table bench_clinicians as
select (row_number() over (order by id) - 1)::int as k, id
from staff_users where role = 'clinician';
create unique index on bench_clinicians (k);

insert into appointment_types (id, name, default_minutes, is_telehealth)
values
  (1, 'Intake assessment', 60, false),
  (2, 'Individual therapy', 50, false),
  (3, 'Family session', 60, false),
  (4, 'Telehealth check-in', 30, true);
select setval(pg_get_serial_sequence('appointment_types', 'id'), 4);

insert into resource_categories (id, name, position)
values
  (1, 'Coping skills', 1), (2, 'Sleep', 2), (3, 'Anxiety', 3), (4, 'Mood', 4),
  (5, 'Family and parenting', 5), (6, 'Mindfulness', 6), (7, 'Worksheets', 7), (8, 'Crisis planning', 8);
select setval(pg_get_serial_sequence('resource_categories', 'id'), 8);

-- @phase clients
alter table clients disable trigger clients_create_preferences;

insert into clients (id, first_name, last_name, preferred_name, date_of_birth, email, phone,
                     address_line_1, city, region, postal_code, status, primary_clinician_id, created_at, updated_at)
select
  g,
  f.first_name,
  l.last_name,
  case when g % 7 = 0 then left(f.first_name, 3) end,
  case
    -- The children of the guardians' pairs (hundreds ending in 07 and 09) are minors.
    when g % 100 in (7, 9) then (current_date - interval '6 years' - ((g * 53) % 3650) * interval '1 day')::date
    else date '1950-01-01' + ((g * 37) % 19000)::int
  end,
  lower(format('%s.%s.%s@example.test', f.first_name, l.last_name, g)),
  '+1555' || lpad(((g * 7919) % 10000000)::text, 7, '0'),
  format('%s %s', 100 + (g * 31) % 9800,
         (array['Willow Lane', 'Oak Street', 'River Road', 'Maple Avenue', 'Cedar Court', 'Elm Drive', 'Lake View', 'Hill Street'])[1 + g % 8]),
  (array['Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Georgetown', 'Madison'])[1 + g % 6],
  'IL',
  lpad((60000 + (g * 17) % 2999)::text, 5, '0'),
  case when g % 50 = 1 then 'inactive' when g % 50 = 3 then 'discharged' else 'active' end,
  c.id,
  now() - ((g * 13) % 1500) * interval '1 day',
  now() - ((g * 7) % 300) * interval '1 day'
from generate_series(1::bigint, current_setting('bench.clients')::bigint) g
join bench_clinicians c on c.k = (g - 1) % current_setting('bench.clinicians')::int
cross join lateral (select (array['Avery', 'Blake', 'Casey', 'Devon', 'Emerson', 'Finley', 'Harper', 'Jordan', 'Kai', 'Logan',
  'Morgan', 'Noel', 'Oakley', 'Parker', 'Quinn', 'Reese', 'Rowan', 'Sage', 'Taylor', 'Wren', 'Alexandra', 'Benjamin', 'Camila',
  'Daniel', 'Elena', 'Gabriel', 'Hannah', 'Isaac', 'Julia', 'Kevin', 'Laura', 'Mateo', 'Nora', 'Oscar', 'Priya', 'Rafael',
  'Sofia', 'Thomas', 'Valeria', 'William', 'Aisha', 'Bilal', 'Chen', 'Deepa', 'Emeka', 'Fatima', 'Goran', 'Hiro', 'Ingrid',
  'Jamal', 'Keiko', 'Lena', 'Marco', 'Nadia', 'Omar', 'Paula', 'Ravi', 'Sara', 'Tomas', 'Yara'])[1 + (g * 7) % 60] as first_name) f
cross join lateral (select (array['Abbott', 'Bishop', 'Castillo', 'Dawson', 'Ellis', 'Foster', 'Garcia', 'Hughes', 'Ibarra',
  'Jensen', 'Khan', 'Lopez', 'Moreno', 'Nguyen', 'Ortiz', 'Patel', 'Quinlan', 'Ramos', 'Singh', 'Tran', 'Anderson', 'Baker',
  'Carter', 'Diaz', 'Edwards', 'Fischer', 'Gonzalez', 'Harris', 'Iqbal', 'Johnson', 'Kim', 'Lee', 'Martin', 'Nelson', 'Owens',
  'Perez', 'Reed', 'Smith', 'Thompson', 'Underwood', 'Vasquez', 'Walker', 'Young', 'Zimmerman', 'Alvarez', 'Brooks', 'Coleman',
  'Dubois', 'Evans', 'Flores', 'Grant', 'Hayes', 'Ishikawa', 'Jimenez', 'Kowalczyk', 'Larsen', 'Mendoza', 'Novak', 'Olsen',
  'Price', 'Rivera', 'Schmidt', 'Torres', 'Usman', 'Vogel', 'Wong', 'Xu', 'Yilmaz', 'Zhang', 'Murphy', 'Sullivan', 'Kelly',
  'Cohen', 'Friedman', 'Romano', 'Costa', 'Silva', 'Haddad', 'Nakamura', 'Okoye'])[1 + ((g * 13) + g / 60) % 80] as last_name) l;
select setval(pg_get_serial_sequence('clients', 'id'), current_setting('bench.clients')::int);

-- What the clients_create_preferences trigger would have written, in one statement.
insert into client_preferences (client_id, reminder_channel, reminder_lead_hours, consent_email, consent_sms)
select g,
       case when g % 9 = 0 then 'none' else 'email' end,
       (array[24, 48, 2, 72])[1 + g % 4],
       g % 9 <> 0,
       g % 3 = 0
from generate_series(1::bigint, current_setting('bench.clients')::bigint) g;
alter table clients enable trigger clients_create_preferences;

insert into emergency_contacts (client_id, name, relationship, phone, priority)
select g, format('Contact of client %s', g), (array['Partner', 'Parent', 'Sibling', 'Friend'])[1 + g % 4],
       '+1555' || lpad(((g * 104729) % 10000000)::text, 7, '0'), 1
from generate_series(1::bigint, current_setting('bench.clients')::bigint) g
where g % 2 = 0;

-- @phase portal_accounts
-- A `self` account for every fifth client (one in a thousand of their links ended),
insert into client_users (email, password, display_name, status, session_epoch, last_sign_in_at, created_at, updated_at)
select format('client-%s@bench.careincite.test', g), current_setting('bench.password_hash'),
       format('Client %s', g), 'active', 0, now() - (g % 90) * interval '1 day',
       now() - interval '400 days', now() - interval '400 days'
from generate_series(5, current_setting('bench.clients')::int, 5) g;

insert into client_user_links (client_user_id, client_id, relationship, verified_at, ended_at, created_at, updated_at)
select u.id, substring(u.email from 'client-(\d+)@')::bigint, 'self',
       now() - interval '399 days',
       case when substring(u.email from 'client-(\d+)@')::bigint % 1000 = 995 then now() - interval '30 days' end,
       now() - interval '400 days', now() - interval '400 days'
from client_users u
where u.email like 'client-%';

-- and a guardian (parent) for each pair of children: the clients ending in 07 and 09 of every hundred.
insert into client_users (email, password, display_name, status, session_epoch, last_sign_in_at, created_at, updated_at)
select format('guardian-%s@bench.careincite.test', g), current_setting('bench.password_hash'),
       format('Guardian %s', g), 'active', 0, now() - (g % 60) * interval '1 day',
       now() - interval '300 days', now() - interval '300 days'
from generate_series(7, current_setting('bench.clients')::int, 100) g
where g + 2 <= current_setting('bench.clients')::int;

insert into client_user_links (client_user_id, client_id, relationship, verified_at, created_at, updated_at)
select u.id, substring(u.email from 'guardian-(\d+)@')::bigint + child.offset_, 'parent',
       now() - interval '299 days', now() - interval '300 days', now() - interval '300 days'
from client_users u
cross join (values (0), (2)) as child (offset_)
where u.email like 'guardian-%';

-- @phase appointments
-- Client c's j-th appointment (j = 0..9): 84 days apart; its clinician
-- k = (c-1) mod clinicians gives each of its clients r = (c-1) div clinicians
-- a slot of its own (3 a day, 14:00/16:00/18:00 UTC), so no two overlap.
do $$
begin
  if ceil(current_setting('bench.clients')::numeric / current_setting('bench.clinicians')::int) > 252 then
    raise exception 'more than 252 clients per clinician: slots would overlap';
  end if;
end $$;

insert into appointments (client_id, provider_id, appointment_type_id, starts_at, ends_at, status, is_telehealth,
                          location, cancelled_at, reminder_sent_at, created_at, updated_at)
select
  s.client_id, c.id, s.type_id, s.starts_at,
  s.starts_at + (array[60, 50, 60, 30])[s.type_id] * interval '1 minute',
  s.status,
  s.type_id = 4,
  case when s.type_id <> 4 then format('Main office, room %s', 1 + s.k % 12) end,
  case when s.status in ('cancelled', 'late_cancelled') then s.starts_at - interval '2 days' end,
  case when s.starts_at < now() and s.status <> 'cancelled' then s.starts_at - interval '1 day' end,
  s.starts_at - interval '21 days',
  least(s.starts_at, now())
from (
  select
    i, client_id, k, type_id, starts_at,
    case
      when starts_at >= now() then case when i % 20 = 0 then 'cancelled' else 'scheduled' end
      else (array['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'completed',
                  'completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'completed',
                  'no_show', 'cancelled', 'completed', 'late_cancelled', 'completed', 'no_show'])[1 + (i * 7) % 20]
    end as status
  from (
    select
      i,
      i % n + 1 as client_id,
      (i % n) % nc as k,
      case when (i / n) = 0 then 1 else 2 + ((i * 7) % 9) / 3 end as type_id,
      date_trunc('day', now()) - interval '588 days'
        + ((i / n) * 84 + ((i % n) / nc) / 3) * interval '1 day'
        + (14 + 2 * (((i % n) / nc) % 3)) * interval '1 hour' as starts_at
    from (select current_setting('bench.clients')::bigint as n, current_setting('bench.clinicians')::int as nc) p
    cross join generate_series(0::bigint, current_setting('bench.clients')::bigint * 10 - 1) i
  ) t
) s
join bench_clinicians c on c.k = s.k
-- Booked over time, not client by client: a client's rows are spread over the table, as in real life.
order by s.starts_at - interval '21 days', s.client_id;

-- @phase reminder_history
-- Reminders already sent (issue #17), so the insights' reminder split has
-- both sides: the past appointments of the last 400 days that were not
-- cancelled, for two clients in three of those who take email reminders
-- (client ids not divisible by 9 or 4): one sent mail and one reminder row
-- each (~300 000 on the large set); for the clients who take none (ids
-- divisible by 9), a reminder row that says why it was skipped, no mail.
create temporary table bench_reminded as
select row_number() over (order by a.starts_at, a.id) as n, a.id as appointment_id, a.client_id, a.starts_at
from appointments a
where a.starts_at >= now() - interval '400 days' and a.starts_at < now() and a.status <> 'cancelled'
  and a.client_id % 9 <> 0 and a.client_id % 4 <> 0;

insert into mail_messages (id, template, recipient, subject, data, message_id, status, attempts, next_attempt_at,
                           client_id, created_at, sent_at)
select r.n, 'appointment_reminder', format('reminded-%s@example.test', r.client_id), 'Your appointment', '{}',
       format('<bench-reminder-%s@bench.careincite.test>', r.n), 'sent', 1, r.starts_at - interval '1 day',
       r.client_id, r.starts_at - interval '1 day', r.starts_at - interval '1 day'
from bench_reminded r;
select setval(pg_get_serial_sequence('mail_messages', 'id'), (select coalesce(max(id), 0) + 1 from mail_messages), false);

insert into appointment_reminders (appointment_id, starts_at, recipient_email, mail_message_id, created_at)
select r.appointment_id, r.starts_at, format('reminded-%s@example.test', r.client_id), r.n, r.starts_at - interval '1 day'
from bench_reminded r;

insert into appointment_reminders (appointment_id, starts_at, skipped_reason, created_at)
select a.id, a.starts_at, 'no_consent', a.starts_at - interval '1 day'
from appointments a
where a.starts_at >= now() - interval '400 days' and a.starts_at < now() and a.status <> 'cancelled'
  and a.client_id % 9 = 0;

-- @phase appointment_requests
-- Requests sent from the portal (issue #19) by the clients' own accounts:
-- one client account in ten has an open one (2 000 on the large set; the
-- staff inbox shows the 200 oldest), each of them also has four older ones
-- that were booked, declined or withdrawn. Written directly, so the
-- per-account limits' trigger (which stamps created_at now()) is off meanwhile.
alter table appointment_requests disable trigger appointment_requests_limits;
insert into appointment_requests (client_id, client_user_id, kind, days_of_week, parts_of_day, provider_id, modality,
  status, decline_message, decided_at, withdrawn_at, created_at, updated_at)
select l.client_id, l.client_user_id, 'new', 1 + (l.client_id % 127)::int, 1 + (l.client_id % 7)::int, null,
  case when l.client_id % 3 = 0 then 'video' else 'in_person' end,
  (array['open', 'booked', 'declined', 'withdrawn', 'booked'])[1 + r],
  case when r = 2 then 'We have no evening times with this clinician. Please call us to find another.' end,
  case when r in (1, 2, 4) then now() - (r * 40 + l.client_id % 30) * interval '1 day' + interval '1 day' end,
  case when r = 3 then now() - (r * 40 + l.client_id % 30) * interval '1 day' + interval '2 hours' end,
  now() - (r * 40 + l.client_id % 30) * interval '1 day' - (l.client_id % 1440) * interval '1 minute',
  now() - (r * 40 + l.client_id % 30) * interval '1 day'
from client_user_links l
cross join generate_series(0, 4) r
where l.relationship = 'self' and l.ended_at is null and l.client_id % 50 = 5;
alter table appointment_requests enable trigger appointment_requests_limits;

-- @phase resources
insert into resources (id, title, description, category_id, file_key, original_name, mime_type, size_bytes, checksum,
                       uploaded_by_id, archived_at, created_at, updated_at)
select
  g,
  format('%s %s', (array['Box breathing', 'Grounding 5-4-3-2-1', 'Sleep hygiene', 'Thought record', 'Family routines',
                        'Worry time', 'Values card sort', 'Body scan', 'Safety plan', 'Behavioural activation'])[1 + g % 10], g),
  case when g % 3 <> 0 then 'A short guide to practise between sessions.' end,
  case when g % 20 = 7 then null else 1 + g % 8 end,
  format('bench/%s/%s', g % 100, g),
  format('resource-%s.%s', g, (array['pdf', 'txt', 'png', 'docx'])[1 + g % 4]),
  (array['application/pdf', 'text/plain', 'image/png',
         'application/vnd.openxmlformats-officedocument.wordprocessingml.document'])[1 + g % 4],
  2000 + (g * 7919) % 900000,
  md5(g::text),
  (select id from staff_users where email = 'support@bench.careincite.test'),
  case when g % 20 = 0 then now() - interval '10 days' end,
  now() - ((g * 11) % 900) * interval '1 day',
  now() - ((g * 11) % 900) * interval '1 day'
from generate_series(1::bigint, current_setting('bench.resources')::bigint) g;
select setval(pg_get_serial_sequence('resources', 'id'), current_setting('bench.resources')::int);

-- Five shares per client (distinct resources), one in ten revoked.
insert into resource_shares (resource_id, client_id, shared_by_id, shared_at, revoked_at, revoked_by_id, created_at, updated_at)
select
  (c * 7919 + j * 4001) % m + 1,
  c,
  k.id,
  now() - ((c * 13 + j * 97) % 700) * interval '1 day',
  case when (c + j) % 10 = 0 then now() - ((c + j) % 30) * interval '1 day' end,
  case when (c + j) % 10 = 0 then k.id end,
  now() - ((c * 13 + j * 97) % 700) * interval '1 day',
  now() - ((c * 13 + j * 97) % 700) * interval '1 day'
from (select current_setting('bench.resources')::bigint as m, current_setting('bench.clinicians')::int as nc) p
cross join generate_series(1::bigint, current_setting('bench.clients')::bigint) c
cross join generate_series(0, 4) j
join bench_clinicians k on k.k = (c - 1) % p.nc
order by 4, c;

-- @phase audit_events
-- Two years of history, oldest first, ten events per client.
insert into audit_events (occurred_at, actor_kind, actor_id, client_id, action, ip, user_agent, detail)
select
  now() - interval '730 days' + (i::float8 / n) * interval '730 days',
  case a.kind when 'c' then 'client_user' when 's' then 'staff' else 'anonymous' end,
  case a.kind when 'c' then 1 + (i * 31) % (n / 50) when 's' then 4 + i % 400 end,
  case when a.kind <> 'a' then 1 + (i * 7919) % current_setting('bench.clients')::bigint end,
  a.action,
  format('10.%s.%s.%s', i % 256, (i / 256) % 256, 1 + i % 250),
  (array['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
         'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
         'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15'])[1 + i % 3],
  case a.action
    when 'portal.appointments.viewed' then jsonb_build_object('tab', 'upcoming', 'page', 1)
    when 'portal.resources.viewed' then jsonb_build_object('count', i % 6)
    when 'staff.clients.searched' then jsonb_build_object('resultCount', i % 40)
    when 'staff.client.viewed' then jsonb_build_object('clientId', 1 + (i * 7919) % current_setting('bench.clients')::bigint)
    else '{}'::jsonb
  end
from (select current_setting('bench.audit_events')::bigint as n) p
cross join generate_series(0::bigint, current_setting('bench.audit_events')::bigint - 1) i
cross join lateral (
  select
    (array['c', 'c', 'c', 'c', 'c', 'c', 's', 's', 's', 's', 's', 'a'])[1 + i % 12] as kind,
    (array['portal.sign_in', 'portal.appointments.viewed', 'portal.appointments.viewed', 'portal.resources.viewed',
           'portal.appointment.viewed', 'portal.sign_out', 'staff.sign_in', 'staff.client.viewed', 'staff.client.viewed',
           'staff.clients.searched', 'staff.client.updated', 'portal.sign_in_failed'])[1 + i % 12] as action
) a;

-- @phase build_indexes
set maintenance_work_mem = '1GB';
do $$
declare
  d record;
  started timestamptz;
begin
  for d in select * from bench_deferred order by kind = 'constraint', ord loop
    started := clock_timestamp();
    if d.kind = 'index' then
      execute d.def;
    else
      execute format('alter table %I add constraint %I %s', d.tbl, d.name, d.def);
    end if;
    raise notice 'built %.% in % s', d.tbl, d.name, round(extract(epoch from clock_timestamp() - started)::numeric, 1);
  end loop;
end $$;

-- @phase analyze
vacuum (analyze);
