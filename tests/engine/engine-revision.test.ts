// --check-stale's note on results computed with an older engine: git decides, per revision.
import { execSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { engineChangedSince } from '../../scripts/lib/experiments/runner';

const git = (cmd: string) => { try { return execSync(`git ${cmd}`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return ''; } };
const head = git('rev-parse HEAD');
// The commit before the newest one that touched the engine: the engine differs from it at HEAD.
const lastEngineCommit = git('log -1 --format=%H -- scripts/lib/engine');
const beforeIt = lastEngineCommit ? git(`rev-parse ${lastEngineCommit}~1`) : '';

describe.skipIf(!head)('engineChangedSince', () => {
  it('is false at HEAD and true before the last engine commit', () => {
    expect(engineChangedSince(head)).toBe(false);
    if (beforeIt) expect(engineChangedSince(beforeIt)).toBe(true);
  });
  it('cannot tell for a revision git does not know or a non-revision', () => {
    expect(engineChangedSince('0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
    expect(engineChangedSince('unknown')).toBeUndefined();
    expect(engineChangedSince('HEAD; rm -rf /')).toBeUndefined();
  });
});
