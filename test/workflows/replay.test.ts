/**
 * Workflow code must stay deterministic for the histories already out there: every recorded
 * history (a full lifecycle: link, syncs, reminders, expiry, renewal, continue-as-new,
 * disconnect) replays on today's code. A change that would break running workflows fails here;
 * such a change needs `patched()`, or new recordings once no old run is left.
 */
import { readdir, readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { historyFromBytes, RECORDED_HISTORIES, replay } from '../helpers/history.js';

const files = (await readdir(RECORDED_HISTORIES)).filter((name) => name.endsWith('.binpb')).sort();

test('there are recorded histories', () => {
  expect(files.length).toBeGreaterThan(1);
});

test.each(files)('%s replays on the current workflow code', async (file) => {
  const history = historyFromBytes(await readFile(new URL(file, RECORDED_HISTORIES)));
  await replay(history, file);
}, 60_000);
