// Atomic JSON writes live in scripts/lib/io/json-file.ts (one implementation for the whole pipeline).
export { writeJsonAtomic } from '../io/json-file';
