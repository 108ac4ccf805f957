/**
 * The project's own UI strings (beyond Starlight's), kept in src/content/i18n/{en,ja}.json under
 * `atlas.*` keys. The key set is open here; tests/i18n/ui-strings.test.ts checks that both files
 * hold the same keys and that every key used in src/ exists.
 */
import { z } from 'astro/zod';

export const uiStringsSchema = z.object({}).catchall(z.string());
