/*
| The waitlist job (issue #22), run by `node ace jobs:work` beside mail
| delivery, every few seconds: one pass of app/actions/waitlist/send_waitlist_offers.ts
| (entries that ended, offers of freed slots in waves, slots that closed).
| Several workers may run it at once: each slot is handled under its row
| lock (SKIP LOCKED).
*/
import { runWaitlistPass, type WaitlistPassResult } from '#actions/waitlist/send_waitlist_offers'

export function runWaitlistJob(): Promise<WaitlistPassResult> {
  return runWaitlistPass()
}
