import env from '#start/env'

/*
| Sign-in throttling, the same on both sides. Failures are counted per
| submitted email, known or not (so a lockout tells nobody whether an
| account exists), and every attempt per IP address. The floors keep the
| limits from ever being switched off by configuration.
*/
const signIn = {
  maxFailures: Math.max(3, env.get('SIGN_IN_MAX_FAILURES', 5)),
  lockoutMinutes: Math.max(1, env.get('SIGN_IN_LOCKOUT_MINUTES', 15)),
  maxPerIpPerMinute: Math.max(10, env.get('SIGN_IN_MAX_PER_IP_PER_MINUTE', 30)),
}

export default signIn
