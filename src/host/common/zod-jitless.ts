import { z } from 'zod';

// Zod compiles object parsers with `new Function` after probing `navigator.userAgent` (to spot
// Cloudflare Workers). VS Code's extension host reports every read of `navigator` as a
// PendingMigrationError in its console, once per activation. The extension validates a few
// small messages and tool arguments, so the interpreted parsers cost nothing noticeable.
// Imported first by extension.ts: schemas read this setting when they are created.
z.config({ jitless: true });
