/*
| JavaScript entry point for ace commands. TypeScript sources are compiled
| on the fly by @poppinss/ts-exec; the production build replaces this file.
*/
import '@poppinss/ts-exec'

await import('./bin/console.js')
